"""``pavedroad check --against catalog.json``: breaking API changes, before they merge.

Every API entity of the checked repositories whose definition differs from
the one in the published export (``catalog.json``, which carries each API's
definition) is compared (:mod:`~generator.apidiff.compare`). A breaking
change is an error on the definition's file and line naming the consumers the
published catalog knows of (``consumesApis``) and their owning teams; it is
a warning for an ``experimental`` API, or when the API carries
``pavedroad.dev/breaking-change-ok: "<reason>"``. Other changes are notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.apidefs import family_of
from generator.apidefs.model import MAX_SIZE, DefinitionError, clip
from generator.apidefs.place import definition_place
from generator.apidiff.compare import compare_surfaces
from generator.apidiff.surface import Surface, document_surface
from generator.apidiff.surface_sdl import graphql_surface, proto_surface
from generator.problems import Problem, Severity
from generator.refs import InvalidRef, parse_ref

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["BREAKING_OK", "MAX_NAMED", "Published", "PublishedError", "breaking_changes",
           "definition_surface",
           "load_published"]

BREAKING_OK = "pavedroad.dev/breaking-change-ok"
"""Annotation on an API: a deliberate break, with the reason; its breaks become warnings."""
MAX_NAMED = 10
"""Most consumers named in one message."""
MAX_CHANGES = 200
"""Most changes reported for one API (the last line says how many more)."""


class PublishedError(ValueError):
    """The ``--against`` file is not a catalog.json export."""


@dataclass(frozen=True, slots=True)
class Published:
    """The published catalog: entities by canonical ref, as exported."""

    entities: dict[str, dict]

    def title(self, ref: str) -> str:
        item = self.entities.get(ref, {})
        spec = item.get("spec") if isinstance(item.get("spec"), dict) else {}
        profile = spec.get("profile") if isinstance(spec.get("profile"), dict) else {}
        meta = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
        for value in (meta.get("title"), profile.get("displayName"), meta.get("name")):
            if isinstance(value, str) and value.strip():
                return clip(value, 80)
        return ref

    def related(self, ref: str, relation: str) -> list[str]:
        relations = self.entities.get(ref, {}).get("relations")
        return sorted({str(r.get("targetRef")).lower() for r in relations or ()
                       if isinstance(r, dict) and r.get("type") == relation})

    def consumers(self, ref: str) -> str:
        """``component:default/a (team A), …`` or a note that the catalog names none."""
        names = []
        consumers = self.related(ref, "apiConsumedBy")
        for consumer in consumers[:MAX_NAMED]:
            teams = [self.title(o) for o in self.related(consumer, "ownedBy")]
            names.append(f"{consumer} (team {', '.join(teams)})" if teams else consumer)
        if len(consumers) > MAX_NAMED:
            names.append(f"and {len(consumers) - MAX_NAMED} more")
        return "breaks " + ", ".join(names) if names else \
            "no consumer in the published catalog"


def load_published(path: Path) -> Published:
    """Read a ``catalog.json`` export (a :class:`PublishedError` when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entities = {}
        for item in data:
            meta = item["metadata"]
            ref = parse_ref(f"{item['kind']}:{meta.get('namespace', 'default')}/{meta['name']}")
            entities[str(ref)] = item
        return Published(entities)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidRef,
            RecursionError) as exc:
        raise PublishedError(f"{path} is not a catalog.json export: {exc}") from None


def definition_surface(api_type: str, text: str) -> Surface:
    """The surface of a definition of an API of ``spec.type`` ``api_type``."""
    family = family_of(api_type)
    if family == "graphql":
        return graphql_surface(text)
    if family == "grpc":
        return proto_surface(text)
    if family in ("openapi", "asyncapi"):
        return document_surface(text)
    raise DefinitionError(f"API type {clip(api_type, 40)!r} is not compared")


def _severity(entity: Entity) -> tuple[Severity, str]:
    annotations = entity.metadata.get("annotations")
    reason = annotations.get(BREAKING_OK) if isinstance(annotations, dict) else None
    if isinstance(reason, str) and reason.strip():
        return Severity.WARNING, f" (allowed by {BREAKING_OK}: {clip(reason, 200)})"
    if str(entity.lifecycle or "").lower() == "experimental":
        return Severity.WARNING, " (the API is experimental)"
    return Severity.ERROR, ""


def _compare(entity: Entity, before: str, after: str) -> list:
    api_type = entity.type or ""
    old = definition_surface(api_type, before)
    new = definition_surface(api_type, after)
    return compare_surfaces(old, new)


def breaking_changes(catalog: Catalog, repositories: Sequence[Repository],
                     published: Published) -> list[Problem]:
    """Problems for every change of every changed API definition against ``published``."""
    problems: list[Problem] = []
    for ref, entity in catalog.entities.items():
        if ref.kind != "api":
            continue
        after = entity.spec.get("definition")
        item = published.entities.get(str(ref))
        if not isinstance(after, str) or item is None:
            continue
        spec = item.get("spec") if isinstance(item.get("spec"), dict) else {}
        before = spec.get("definition")
        if before == after:
            continue
        file, offset = definition_place(entity, repositories)
        where = {"file": file, "entity": str(ref), "repo": entity.provenance.repo}
        if not isinstance(before, str) or not before.strip():
            problems.append(Problem(Severity.INFO, "api-not-compared",
                                    f"{ref}: the published catalog has no definition of this "
                                    "API to compare with", line=offset + 1, **where))
            continue
        if max(len(before), len(after)) > MAX_SIZE or family_of(entity.type) is None:
            continue
        try:
            changes = _compare(entity, before, after)
        except DefinitionError as exc:
            problems.append(Problem(Severity.WARNING, "api-not-compared",
                                    f"{ref}: not compared with the published definition: "
                                    f"{clip(str(exc))}", line=offset + 1, **where))
            continue
        except RecursionError:
            continue
        severity, why = _severity(entity)
        consumers = published.consumers(str(ref))
        for change in changes[:MAX_CHANGES]:
            if change.breaking:
                problems.append(Problem(severity, "api-breaking-change",
                                        f"{ref}: breaking change: {change.message}; "
                                        f"{consumers}{why}", line=offset + change.line, **where))
            else:
                problems.append(Problem(Severity.INFO, "api-change",
                                        f"{ref}: {change.message}",
                                        line=offset + change.line, **where))
        if len(changes) > MAX_CHANGES:
            problems.append(Problem(Severity.INFO, "api-change",
                                    f"{ref}: {len(changes) - MAX_CHANGES} more changes not "
                                    "listed", line=offset + 1, **where))
    return problems
