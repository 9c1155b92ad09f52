"""Export: the catalog as Backstage-shaped JSON for scripts and other tools.

``catalog.json`` (and ``pavedroad export``) is one object: ``entities``, every
entity in Backstage's shape with its relations, one per line, then sections
other stages add (``adoption``). :func:`catalog_records` reads it, and the
plain array earlier versions wrote.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = ["MAX_EXPORTED_DEFINITION", "catalog_export", "catalog_export_of", "catalog_records",
           "entities_json", "entity_json", "entity_line", "export_json"]

MAX_EXPORTED_DEFINITION = 2_000_000
"""Longest API definition (characters) an export carries; a longer one is exported empty, so
``check --against`` says it cannot compare it rather than the export growing without bound."""
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
"""Compact JSON on one line, C-encoded (``indent`` would take Python's slow path)."""


def entity_json(catalog: Catalog, entity: Entity) -> dict:
    """One entity in Backstage's shape, with ``relations: [{type, targetRef}]``.

    An API's ``spec.definition`` is the text after ``$text`` substitution (the published
    definition ``pavedroad check --against`` compares with), up to
    :data:`MAX_EXPORTED_DEFINITION` characters.
    """
    data = entity.to_backstage()
    definition = entity.spec.get("definition")
    if isinstance(definition, str) and len(definition) > MAX_EXPORTED_DEFINITION:
        data["spec"] = {**data["spec"], "definition": ""}
    data["relations"] = [{"type": r.type, "targetRef": str(r.target)}
                         for r in catalog.relations.get(entity.ref, ())]
    return data


def export_json(catalog: Catalog, sections: Mapping[str, object] | None = None) -> str:
    """``catalog.json``: every entity, sorted by ref, then ``sections`` (stable bytes for
    stable input).

    One entity per line: grep- and diff-friendly, and encoded by the C encoder
    (``indent`` sends Python's ``json`` down its pure-Python path, five times slower).
    """
    return catalog_export([entity_json(catalog, e) for e in catalog.entities.values()],
                          sections or {})


def catalog_export(items: list[dict], sections: Mapping[str, object]) -> str:
    """``{"entities": [...], <section>: ...}``: entities one per line, sections by name.

    >>> print(catalog_export([{"a": 1}], {"adoption": {"date": "2026-01-01"}}), end="")
    {"entities":[
    {"a":1}
    ],
    "adoption":{"date":"2026-01-01"}}
    """
    return catalog_export_of(list(map(entity_line, items)), sections)


def catalog_export_of(lines: list[str], sections: Mapping[str, object]) -> str:
    """:func:`catalog_export` of entities already encoded by :func:`entity_line`."""
    entities = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
    parts = ['"entities":' + entities]
    parts += [f"{_ENCODE(key)}:{_ENCODE(sections[key])}" for key in sorted(sections)
              if key != "entities"]
    return "{" + ",\n".join(parts) + "}\n"


def entity_line(item: dict) -> str:
    """An entity record as compact JSON on one line (as ``catalog.json`` holds it)."""
    return _ENCODE(item)


def catalog_records(data: object) -> list:
    """The entity records of a parsed ``catalog.json``: its ``entities`` (or, from earlier
    versions, the array itself). Raises ``ValueError`` for anything else."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("entities"), list):
        return data["entities"]
    raise ValueError('not a catalog.json export (expected {"entities": [...]})')


def entities_json(items: list[dict]) -> str:
    """A JSON array with one compact item per line."""
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(map(entity_line, items)) + "\n]\n"

