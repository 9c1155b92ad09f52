"""Export: the catalog as Backstage-shaped JSON for scripts and other tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = ["entity_json", "export_json"]


def entity_json(catalog: Catalog, entity: Entity) -> dict:
    """One entity in Backstage's shape, with ``relations: [{type, targetRef}]``."""
    data = entity.to_backstage()
    data["relations"] = [{"type": r.type, "targetRef": str(r.target)}
                         for r in catalog.relations.get(entity.ref, ())]
    return data


def export_json(catalog: Catalog) -> str:
    """Every entity, sorted by ref, as a JSON array (stable bytes for stable input)."""
    return json.dumps([entity_json(catalog, e) for e in catalog.entities.values()],
                      indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
