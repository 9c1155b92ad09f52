"""One catalog from every format: resolve names, merge descriptions of one service, apply
CODEOWNERS.

Runs after the entities stage, on every entity at once:

1. owners, dependencies and systems named in vendor files are resolved by name across
   formats (:class:`~generator.formats.resolve.Names`); what does not resolve is a warning;
2. entities of one repository describing the same service (a ``catalog-info.yaml`` and an
   ``opslevel.yml`` side by side) become one: Backstage wins field by field, the others fill
   what it leaves empty, in :data:`~generator.formats.options.FORMATS` order; two different
   owners, systems or lifecycles are a warning;
3. an OpsLevel ``repository:`` file and then CODEOWNERS give an owner to entities with none
   (``owners_from_codeowners: check`` also reports disagreements).

Each entity's provenance records which file and line every value came from.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

from generator.formats.options import FORMATS, FormatOptions
from generator.formats.resolve import Names
from generator.problems import Problem, Severity
from generator.refs import EntityRef

if TYPE_CHECKING:
    from generator.entities import Entity
    from generator.formats import FormatFinds, Note

__all__ = ["INFERRED", "combine"]

INFERRED = "inferred from CODEOWNERS"
_CONFLICTS = ("owner", "system", "lifecycle")
_NO_OWNER = frozenset({"group", "user", "location"})

Origin = tuple[str, str, int, str]


def _key(entity: Entity) -> tuple[str, str, int, str]:
    prov = entity.provenance
    return prov.repo, prov.path, prov.line, entity.ref.kind


class _Combiner:
    def __init__(self, entities: list[Entity], finds: FormatFinds, options: FormatOptions,
                 problems: list[Problem]) -> None:
        self.finds = finds
        self.options = options
        self.problems = problems
        self.notes: dict[EntityRef, Note] = {}
        for entity in entities:
            note = finds.notes.get(_key(entity))
            if note is not None:
                self.notes.setdefault(entity.ref, note)
        self.entities = entities
        self._names: Names | None = None
        self.out: list[Problem] = []
        self.dropped: set[tuple[str, int | None]] = set()
        self.parts: dict[EntityRef, tuple[EntityRef, str, int]] = {}
        """Entity → the system that lists it as a component (Datadog ``spec.components``)."""

    @property
    def names(self) -> Names:
        """Every entity by each name it answers to (built on first use)."""
        if self._names is None:
            self._names = Names(self.entities,
                                {ref: note.names for ref, note in self.notes.items()})
        return self._names

    def warn(self, entity: Entity, line: int, code: str, message: str,
             file: str | None = None, severity: Severity = Severity.WARNING) -> None:
        prov = entity.provenance
        self.out.append(Problem(severity, code, message, file=file or prov.file,
                                line=line, entity=str(entity.ref), repo=prov.repo))

    # -- 1. names ---------------------------------------------------------------------

    def resolve(self, entity: Entity, note: Note) -> Entity:
        spec = dict(entity.spec)
        meta = entity.metadata
        depends: list[str] = []
        for pending in note.pending:
            if pending.field == "owner":
                ref = self.names.owner(pending.name)
                if ref is None:
                    self.warn(entity, pending.line, "unresolved-owner",
                              f"owner '{pending.name}' matches no Group or User by name, alias, "
                              "e-mail or team id in any format (Backstage, OpsLevel, Cortex, "
                              "Compass, Datadog); define the team or fix the name")
                    fallback = _fallback(pending.name, "group")
                    spec.pop("owner", None)
                    if fallback:
                        spec["owner"] = fallback
                else:
                    spec["owner"] = str(ref)
            elif pending.field == "part":
                part = self.names.find(pending.name, (pending.kind,) if pending.kind else
                                       ("component", "resource", "api"))
                if part is not None:
                    self.parts.setdefault(part, (entity.ref, note.path, pending.line))
            elif pending.field == "system":
                ref = self.names.find(pending.name, ("system",))
                if ref is not None:
                    spec["system"] = str(ref)
                    note.lines.setdefault(("spec", "system"), pending.line)
            else:
                kinds = (pending.kind,) if pending.kind else \
                    ("component", "resource", "api", "system")
                ref = self.names.find(pending.name, kinds)
                if ref is None or ref == entity.ref:
                    self.warn(entity, pending.line, "unresolved-dependency",
                              f"dependency '{pending.name}' matches no entity by name, alias or "
                              "id in any format; it is shown as missing")
                    fallback = _fallback(pending.name, pending.kind or "component")
                    if fallback and ref != entity.ref:
                        depends.append(fallback)
                else:
                    depends.append(str(ref))
                note.lines.setdefault(("spec", "dependsOn"), pending.line)
        lines = dict(entity.spec_lines)
        if depends:
            have = entity.spec_list("dependsOn")
            spec["dependsOn"] = [*have, *dict.fromkeys(d for d in depends if d not in have)]
            at = [p.line for p in note.pending if p.field == "dependsOn"]
            for i in range(len(have), len(spec["dependsOn"])):
                lines[("spec", "dependsOn", i)] = at[min(i - len(have), len(at) - 1)]
        for key in ("owner", "system"):
            if ("spec", key) in note.lines:
                lines[("spec", key)] = note.lines[("spec", key)]
        return dataclasses.replace(entity, spec=spec, metadata=meta, spec_lines=lines)

    # -- 2. merging -------------------------------------------------------------------

    def merge_repository(self, entities: list[Entity]) -> list[Entity]:
        """Entities of one repository, those describing one service merged."""
        rank = {f: i for i, f in enumerate(FORMATS)}
        order = sorted(range(len(entities)), key=lambda i: (
            rank.get(self._format(entities[i]), 0), i))
        kept: list[tuple[Entity, list[Origin]]] = []
        for i in order:
            entity = entities[i]
            vendor = _key(entity) in self.finds.notes
            target = next((k for k, (e, _) in enumerate(kept) if self._same(e, entity)),
                          None) if vendor else None
            origins = self._origins(entity)
            if target is None:
                kept.append((entity, origins))
                continue
            base, base_origins = kept[target]
            kept[target] = self._merge(base, base_origins, entity, origins)
        merged = []
        for entity, origins in kept:
            prov = entity.provenance
            many = {o[1] for o in origins} != {prov.path} or prov.format != "backstage"
            fields = tuple(sorted(set(origins))) if many else ()
            merged.append(dataclasses.replace(
                entity, provenance=dataclasses.replace(prov, fields=fields)))
        return merged

    def _format(self, entity: Entity) -> str:
        note = self.finds.notes.get(_key(entity))
        return note.format if note else "backstage"

    def _aliases(self, entity: Entity) -> set[str]:
        note = self.finds.notes.get(_key(entity))
        names = {entity.name.lower()}
        if note:
            names |= {n.lower() for n in note.names}
        return names

    def _same(self, a: Entity, b: Entity) -> bool:
        if a.ref.kind != b.ref.kind or a.ref.namespace != b.ref.namespace:
            return False
        return a.ref == b.ref or bool(self._aliases(a) & self._aliases(b))

    def _origins(self, entity: Entity) -> list[Origin]:
        prov = entity.provenance
        note = self.finds.notes.get(_key(entity))
        out: list[Origin] = []
        for part in ("metadata", "spec"):
            values = entity.metadata if part == "metadata" else entity.spec
            for key in values:
                if part == "metadata" and key in ("name", "namespace"):
                    continue
                field = f"{part}.{key}"
                line = (note.lines.get((part, key)) if note else None) or \
                    entity.line_of((part, key))
                out.append((field, prov.path, line, note.notes.get(field, "") if note else ""))
        return out

    def _merge(self, base: Entity, base_origins: list[Origin], other: Entity,
               origins: list[Origin]) -> tuple[Entity, list[Origin]]:
        """``base`` wins where both set a value; ``other`` fills the rest."""
        where = {o[0]: o for o in origins}
        note = self.finds.notes.get(_key(other))
        metadata, spec = dict(base.metadata), dict(base.spec)
        result = list(base_origins)
        defaults = {o[0] for o in base_origins if o[3].startswith("not set")}
        for part, mine, theirs in (("metadata", metadata, other.metadata),
                                   ("spec", spec, other.spec)):
            for key, value in theirs.items():
                field = f"{part}.{key}"
                origin = where.get(field)
                if key in ("name", "namespace") and part == "metadata":
                    continue
                if origin and origin[3].startswith("not set"):
                    continue  # a default, not a value
                if key in ("annotations", "labels") and isinstance(value, dict):
                    current = mine.get(key) if isinstance(mine.get(key), dict) else {}
                    added = {k: v for k, v in value.items() if k not in current}
                    if added:
                        mine[key] = {**current, **added}
                        result += [(f"{field}.{k}", origin[1] if origin else "", origin[2]
                                    if origin else 0, "") for k in added]
                    continue
                if _empty(mine.get(key)) or field in defaults:
                    mine[key] = value
                    defaults.discard(field)
                    result = [o for o in result if o[0] != field]
                    if origin:
                        result.append(origin)
                elif key in _CONFLICTS and part == "spec" and \
                        _norm(mine[key], key) != _norm(value, key):
                    line = (note.lines.get((part, key)) if note else None) or \
                        other.provenance.line
                    winner = "the Backstage descriptor" if base.provenance.format == \
                        "backstage" else base.provenance.path
                    self.warn(base, line, "format-conflict",
                              f"{field}: {base.provenance.path} says '{mine[key]}', "
                              f"{other.provenance.path} says '{value}'; {winner} wins",
                              file=other.provenance.file)
        merged = dataclasses.replace(base, metadata=metadata, spec=spec)
        return merged, result

    # -- 3. owners from the repository ------------------------------------------------

    def fill_owner(self, entity: Entity) -> Entity:
        if entity.ref.kind in _NO_OWNER:
            return entity
        prov = entity.provenance
        repo_note = self.finds.repositories.get(prov.repo)
        owner_pending = next((p for p in repo_note.pending if p.field == "owner"), None) \
            if repo_note else None
        fields = list(prov.fields)
        spec, metadata = dict(entity.spec), dict(entity.metadata)
        system = self.parts.get(entity.ref)
        if system is not None and not entity.spec_str("system"):
            spec["system"] = str(system[0])
            fields.append(("spec.system", system[1], system[2], f"listed by {system[0]}"))
        if repo_note is not None:
            tier = repo_note.defaults.get("labels", {}).get("tier")
            labels = metadata.get("labels") if isinstance(metadata.get("labels"), dict) else {}
            if tier and "tier" not in labels:
                metadata["labels"] = {**labels, "tier": tier}
                fields.append(("metadata.labels.tier", repo_note.path,
                               repo_note.lines.get(("metadata", "labels", "tier"), 1),
                               "from the repository's opslevel.yml"))
        if not entity.spec_str("owner") and owner_pending is not None:
            ref = self.names.owner(owner_pending.name)
            if ref is not None:
                spec["owner"] = str(ref)
                fields.append(("spec.owner", repo_note.path, owner_pending.line,
                               "from the repository's opslevel.yml"))
                self.dropped.add((str(entity.ref), None))
        codeowners = self.finds.codeowners.get(prov.repo)
        mode = self.options.codeowners
        if codeowners is not None and mode != "off":
            rule = codeowners.owners_of(prov.path)
            if rule is not None and rule.owners:
                file = _sibling(prov, codeowners.path)
                refs = [(o, self.names.owner(o)) for o in rule.owners]
                for text, ref in refs:
                    if ref is None:
                        self.warn(entity, rule.line, "unresolved-owner",
                                  f"CODEOWNERS owner {text} matches no Group or User by name "
                                  "or e-mail in any format", file=file)
                found = [r for _, r in refs if r is not None]
                if not entity.spec_str("owner") and "owner" not in spec and found:
                    spec["owner"] = str(found[0])
                    fields.append(("spec.owner", codeowners.path, rule.line, INFERRED))
                    self.dropped.add((str(entity.ref), None))
                elif mode == "check" and found and entity.spec_str("owner"):
                    current = _owner_ref(entity)
                    if current is not None and current not in found:
                        self.warn(entity, entity.line_of(("spec", "owner")),
                                  "codeowners-mismatch",
                                  f"spec.owner is {current} but {codeowners.path}:{rule.line} "
                                  f"gives {', '.join(rule.owners)} for {prov.path}")
        if spec == entity.spec and metadata == entity.metadata:
            return entity
        if fields and not prov.fields:
            fields = [(f"{p}.{k}", prov.path, entity.line_of((p, k)), "")
                      for p, values in (("metadata", entity.metadata), ("spec", entity.spec))
                      for k in values if k not in ("name", "namespace")] + fields
        return dataclasses.replace(entity, spec=spec, metadata=metadata,
                                   provenance=dataclasses.replace(prov, fields=tuple(fields)))


def _sibling(prov, rel: str) -> str:
    """The display path of another file of the same repository."""
    root = prov.file[: len(prov.file) - len(prov.path)] if prov.file.endswith(prov.path) else ""
    return f"{root}{rel}"


def _owner_ref(entity: Entity) -> EntityRef | None:
    from generator.refs import InvalidRef, parse_ref
    try:
        return parse_ref(entity.spec_str("owner") or "", default_kind="group",
                         default_namespace=entity.namespace)
    except InvalidRef:
        return None


def _fallback(name: str, kind: str) -> str | None:
    from generator.formats.model import slug
    text = slug(name.rsplit("/", 1)[-1].lstrip("@"))
    return f"{kind}:default/{text}" if text else None


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _norm(value: object, key: str) -> str:
    text = str(value).strip().lower()
    if key in ("owner", "system") and ":" not in text:
        text = f"{'group' if key == 'owner' else 'system'}:default/{text}"
    elif key in ("owner", "system") and "/" not in text:
        kind, name = text.split(":", 1)
        text = f"{kind}:default/{name}"
    return text


def combine(entities: list[Entity], problems: list[Problem], finds: FormatFinds,
            options: FormatOptions | None = None) -> tuple[list[Entity], list[Problem]]:
    """The entities as one catalog, and ``problems`` with what this stage found.

    A missing-owner error is dropped where an owner was found for the entity.
    """
    options = options or FormatOptions()
    combiner = _Combiner(entities, finds, options, problems)
    resolved = []
    for entity in entities:
        note = finds.notes.get(_key(entity))
        if note is None:
            resolved.append(entity)
            continue
        entity = combiner.resolve(entity, note)
        resolved.append(dataclasses.replace(entity, provenance=dataclasses.replace(
            entity.provenance, format=note.format)))
    by_repo: dict[str, list[Entity]] = defaultdict(list)
    for entity in resolved:
        by_repo[entity.provenance.repo].append(entity)
    merged = [e for repo in by_repo.values() for e in (
        combiner.merge_repository(repo)
        if any(_key(x) in finds.notes for x in repo) else repo)]
    final = [combiner.fill_owner(e) for e in merged]
    dropped = {ref for ref, _ in combiner.dropped}
    kept = [p for p in problems if not (p.entity in dropped and p.code == "missing-field"
                                        and p.message.startswith("spec.owner is required"))]
    for co in finds.codeowners.values():
        kept += [Problem(Severity.WARNING, "codeowners-syntax", why, file=co.file or co.path,
                         line=line) for line, why in co.invalid]
    return final, kept + combiner.out
