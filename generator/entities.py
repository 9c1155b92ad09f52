"""Entities: turn crawled documents into validated, typed entities.

A document becomes an :class:`Entity` when its identity (kind, namespace,
name) is valid; other rule breaks are reported as problems and the entity is
kept, so one bad tag never hides a service from the portal. Accessors on
:class:`Entity` only ever return well-typed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.problems import Problem, Severity
from generator.refs import DEFAULT_NAMESPACE, EntityRef
from generator.validation import is_valid_tag, validate_entity
from generator.yamlfile import nearest_line

if TYPE_CHECKING:
    from generator.crawl import Document

__all__ = ["Entity", "Provenance", "parse_entities", "parse_entity"]

_IDENTITY_CODES = frozenset({"invalid-name", "invalid-namespace", "invalid-kind"})
_IDENTITY_FIELDS = frozenset({("kind",), ("metadata",), ("metadata", "name"),
                              ("metadata", "namespace")})


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an entity was defined."""

    repo: str
    """Repository name."""
    path: str
    """File path inside the repository (POSIX)."""
    line: int
    """Line the entity's document starts on."""
    file: str
    """Display path of the file, as problems show it."""
    url: str | None = None
    """Where the repository came from (credentials hidden), when known."""
    ref: str | None = None
    """The git ref asked for, for a git source."""
    commit: str | None = None
    """The commit crawled, when known."""
    stale: bool = False
    """Crawled from an old copy because the last fetch failed."""
    format: str = "backstage"
    """Descriptor format it was read from (``opslevel``, ``cortex`` … see
    :mod:`generator.formats`)."""
    fields: tuple[tuple[str, str, int, str], ...] = ()
    """Where values came from when not all from this file: (field, file, line, note)."""

    def __reduce__(self) -> tuple:
        # pickled as its fields (a frozen dataclass with slots is otherwise restored by a
        # Python __setstate__ per object: half the time of moving entities between processes)
        return Provenance, (self.repo, self.path, self.line, self.file, self.url, self.ref,
                            self.commit, self.stale, self.format, self.fields)


@dataclass(frozen=True, eq=False, slots=True)
class Entity:
    """A catalog entity as written in its descriptor, with its identity and origin."""

    ref: EntityRef
    """Canonical identity."""
    api_version: str
    """``apiVersion`` as written."""
    kind: str
    """Kind as written, e.g. ``Component``."""
    metadata: dict
    """``metadata`` as written, with ``namespace`` filled in."""
    spec: dict
    """``spec`` after substitutions (empty when absent)."""
    provenance: Provenance
    """Where it was defined."""
    extra: dict = field(default_factory=dict)
    """Other top-level fields, kept for export."""
    spec_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)
    """Lines of ``spec`` fields and list items, for precise problems."""

    def __reduce__(self) -> tuple:
        # as Provenance's: the crawl's forked half sends its entities back pickled
        return Entity, (self.ref, self.api_version, self.kind, self.metadata, self.spec,
                        self.provenance, self.extra, self.spec_lines)

    def line_of(self, path: tuple[str | int, ...]) -> int:
        """Line of a field path (or its nearest known parent)."""
        line = nearest_line(self.spec_lines, path)
        return self.provenance.line if line is None else line

    @property
    def name(self) -> str:
        return str(self.metadata["name"])

    @property
    def namespace(self) -> str:
        return self.ref.namespace

    @property
    def title(self) -> str:
        """``metadata.title``, else a user's or group's ``spec.profile.displayName``, else
        the name (as Backstage shows people and teams)."""
        title = self.metadata.get("title")
        if isinstance(title, str) and title.strip():
            return title
        profile = self.spec.get("profile") if self.ref.kind in ("user", "group") else None
        shown = profile.get("displayName") if isinstance(profile, dict) else None
        return shown if isinstance(shown, str) and shown.strip() else self.name

    @property
    def description(self) -> str:
        value = self.metadata.get("description")
        return value if isinstance(value, str) else ""

    @property
    def tags(self) -> list[str]:
        """Valid tags only."""
        tags = self.metadata.get("tags")
        return [t for t in tags if is_valid_tag(t)] if isinstance(tags, list) else []

    @property
    def labels(self) -> dict[str, str]:
        return _str_map(self.metadata.get("labels"))

    @property
    def annotations(self) -> dict[str, str]:
        return _str_map(self.metadata.get("annotations"))

    @property
    def links(self) -> list[dict[str, str]]:
        """Links that have a string ``url``; other fields kept when strings."""
        links = self.metadata.get("links")
        if not isinstance(links, list):
            return []
        return [{k: v for k, v in link.items() if isinstance(v, str)}
                for link in links if isinstance(link, dict) and isinstance(link.get("url"), str)]

    def spec_str(self, key: str) -> str | None:
        """``spec[key]`` when it is a non-empty string."""
        value = self.spec.get(key)
        return value if isinstance(value, str) and value.strip() else None

    def spec_list(self, key: str) -> list[str]:
        """The strings of list field ``spec[key]``."""
        value = self.spec.get(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    @property
    def type(self) -> str | None:
        return self.spec_str("type")

    @property
    def lifecycle(self) -> str | None:
        return self.spec_str("lifecycle")

    def to_backstage(self) -> dict:
        """The entity in Backstage's shape, without relations."""
        data: dict = {"apiVersion": self.api_version, "kind": self.kind,
                      "metadata": self.metadata}
        data.update(self.extra)
        if self.spec or self.ref.kind not in ("location",):
            data["spec"] = self.spec
        return data


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _problem(doc: Document, line: int | None, severity: Severity, code: str, message: str,
             entity: EntityRef | None) -> Problem:
    return Problem(severity, code, message, file=doc.file, line=line or doc.line,
                   entity=str(entity) if entity else None, repo=doc.repo.name)


def _line(doc: Document, path: tuple[str | int, ...]) -> int:
    line = nearest_line(doc.lines, path)
    return doc.line if line is None else line


def parse_entity(doc: Document) -> tuple[Entity | None, list[Problem]]:
    """Validate one document; return the entity (if its identity holds) and its problems."""
    data = doc.data
    if not isinstance(data, dict):
        return None, [_problem(doc, doc.line, Severity.ERROR, "not-a-mapping",
                               "this YAML document is not a mapping; a descriptor starts with "
                               "apiVersion, kind, metadata and spec", None)]
    findings = validate_entity(data)
    identity_ok = not any(f.code in _IDENTITY_CODES or
                          (f.path in _IDENTITY_FIELDS and f.severity is Severity.ERROR)
                          for f in findings)
    ref: EntityRef | None = None
    if identity_ok:
        meta = data["metadata"]
        ref = EntityRef.of(data["kind"], meta.get("namespace") or DEFAULT_NAMESPACE, meta["name"])
    problems = [_problem(doc, _line(doc, f.path), f.severity, f.code, f.message, ref)
                for f in findings]
    if ref is None:
        meta = data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        what = f"{data.get('kind')} '{name}'" if name and data.get("kind") else "this document"
        problems.append(_problem(doc, doc.line, Severity.ERROR, "entity-skipped",
                                 f"{what} is left out of the catalog until it has a valid "
                                 "kind and metadata.name", None))
        return None, problems
    metadata = dict(data["metadata"])
    metadata.setdefault("namespace", ref.namespace)
    spec = data.get("spec")
    extra = {k: v for k, v in data.items()
             if k not in ("apiVersion", "kind", "metadata", "spec", "relations", "status")}
    entity = Entity(
        ref=ref,
        api_version=str(data.get("apiVersion", "")),
        kind=str(data["kind"]),
        metadata=metadata,
        spec=spec if isinstance(spec, dict) else {},
        provenance=Provenance(doc.repo.name, doc.path, doc.line, doc.file, doc.repo.url,
                              doc.repo.ref, doc.repo.commit, doc.repo.stale),
        extra=extra,
        spec_lines={p: n for p, n in doc.lines.items() if p[0] == "spec" and len(p) <= 3},
    )
    return entity, problems


def parse_entities(documents: Iterable[Document]) -> tuple[list[Entity], list[Problem]]:
    """Validate every document; return the entities and all problems."""
    entities: list[Entity] = []
    problems: list[Problem] = []
    for doc in documents:
        entity, found = parse_entity(doc)
        problems.extend(found)
        if entity is not None:
            entities.append(entity)
    return entities, problems
