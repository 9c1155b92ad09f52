"""``pavedroad export --format backstage``: Backstage descriptors for what came from elsewhere.

Every entity read from an OpsLevel, Cortex, Compass or Datadog file, merged from several
files, or given values by CODEOWNERS is written as a plain ``catalog-info.yaml`` document
(``apiVersion``, ``kind``, ``metadata``, ``spec``; no relations, no provenance). The files
it replaces are named in each file's header: delete them and crawling the export gives the
same catalog.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from generator.entities import Entity

__all__ = ["converted", "export_backstage", "write_backstage"]


def converted(entities: Iterable[Entity]) -> list[Entity]:
    """Entities with any value from a file other than a Backstage descriptor."""
    return [e for e in entities
            if e.ref.kind != "location" and (e.provenance.format != "backstage"
                                             or e.provenance.fields)]


class _Dumper(yaml.SafeDumper):
    """Multi-line text (an API definition) as a ``|`` block, as people write it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _document(entity: Entity) -> str:
    data = entity.to_backstage()
    meta = dict(data["metadata"])
    if meta.get("namespace") == "default":
        del meta["namespace"]
    data["metadata"] = meta
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def _header(entities: list[Entity]) -> str:
    files = sorted({f"{e.provenance.repo}: {path}" for e in entities
                    for path in {e.provenance.path, *(f[1] for f in e.provenance.fields)}
                    if not path.endswith("CODEOWNERS")})
    lines = ["# Backstage descriptors written by `pavedroad export --format backstage`.",
             "# They replace these files (delete them once this one is committed):"]
    lines += [f"#   {f}" for f in files]
    return "\n".join(lines) + "\n"


def export_backstage(entities: Iterable[Entity]) -> str:
    """Every converted entity as one multi-document YAML stream."""
    entities = converted(entities)
    if not entities:
        return "# Nothing to export: every entity is already a Backstage descriptor.\n"
    return _header(entities) + "---\n".join(_document(e) for e in entities)


def write_backstage(entities: Iterable[Entity], directory: Path) -> list[Path]:
    """One ``<repository>/catalog-info.yaml`` per repository under ``directory``."""
    by_repo: dict[str, list[Entity]] = defaultdict(list)
    for entity in converted(entities):
        by_repo[entity.provenance.repo].append(entity)
    written = []
    for repo, entities in sorted(by_repo.items()):
        path = directory / repo / "catalog-info.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_header(entities) + "---\n".join(_document(e) for e in entities),
                        encoding="utf-8")
        written.append(path)
    return written
