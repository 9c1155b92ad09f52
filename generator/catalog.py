"""Catalog: entities indexed by ref, related to each other in both directions.

:func:`build_catalog` removes duplicate definitions, reads every relation
field (``owner``, ``dependsOn``, ``memberOf`` …) and records the relation and
its reverse, reporting references that are malformed or point nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from generator.entities import Entity
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.relations import Relation, RelationField, fields_for_kind

__all__ = ["Catalog", "Conflict", "build_catalog", "location_of"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One ref defined in several files."""

    places: tuple[str, ...]
    """``file:line`` of each definition, the one kept first."""
    reason: str
    """Why the first one was kept."""


@dataclass(slots=True)
class Catalog:
    """The organisation's entities and the relations between them."""

    entities: dict[EntityRef, Entity] = field(default_factory=dict)
    """Every entity by ref, in ref order."""
    relations: dict[EntityRef, list[Relation]] = field(default_factory=dict)
    """Each ref's relations (both directions), sorted; refs may be dangling."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem found while building the catalog, earlier stages included."""
    conflicts: dict[EntityRef, Conflict] = field(default_factory=dict)
    """Refs defined in more than one place, and where."""

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, ref: object) -> bool:
        return ref in self.entities

    def get(self, ref: EntityRef) -> Entity | None:
        return self.entities.get(ref)

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind (any case), in ref order."""
        kind = kind.lower()
        return [e for r, e in self.entities.items() if r.kind == kind]

    def related(self, ref: EntityRef, type: str) -> list[EntityRef]:
        """Targets of ``ref``'s relations of one type, sorted."""
        return [r.target for r in self.relations.get(ref, ()) if r.type == type]

    def descendant_groups(self, group: EntityRef) -> list[EntityRef]:
        """Child groups of ``group`` at any depth, each once, in breadth-first order.

        A cycle of ``parentOf`` relations ends the walk; ``group`` itself is never listed.
        """
        seen = {group}
        order: list[EntityRef] = []
        frontier = [group]
        while frontier:
            nxt = []
            for parent in frontier:
                for child in self.related(parent, "parentOf"):
                    if child not in seen:
                        seen.add(child)
                        order.append(child)
                        nxt.append(child)
            frontier = nxt
        return order

    def kind_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for ref in self.entities:
            counts[ref.kind] += 1
        return dict(sorted(counts.items()))


def build_catalog(entities: Iterable[Entity], problems: Iterable[Problem] = (), *,
                  missing_ref_severity: Severity = Severity.WARNING,
                  known: Iterable[EntityRef] = (),
                  kinds: Mapping[str, tuple[RelationField, ...]] | None = None,
                  previous: Mapping[EntityRef, str] | None = None) -> Catalog:
    """Index ``entities`` and derive their relations.

    Args:
        entities: Entities in crawl order (sources.yaml order, then path).
        problems: Problems from earlier stages, carried along.
        missing_ref_severity: Severity for references to unknown entities.
        known: Refs that exist elsewhere (e.g. a published catalog) and so
            are not reported as missing.
        kinds: Relation fields declared for kinds (``kinds:`` in sources.yaml).
        previous: Where the previous build found each entity
            (:func:`location_of`, from its ``history.json``). When two files
            define one ref, the one that held it before wins, so a new
            repository cannot take over an existing entity; without history
            the first in crawl order wins. The other file gets the error.
    """
    catalog = Catalog(problems=list(problems))
    defined: dict[EntityRef, list[Entity]] = defaultdict(list)
    for entity in entities:
        defined[entity.ref].append(entity)
    first: dict[EntityRef, Entity] = {}
    for ref, candidates in defined.items():
        first[ref] = _resolve(ref, candidates, (previous or {}).get(ref), catalog)
    catalog.entities = dict(sorted(first.items(), key=_by_ref))
    known_refs = set(known)

    edges: dict[EntityRef, set[Relation]] = defaultdict(set)
    for ref, entity in catalog.entities.items():
        for rel, path in _relations_of(entity, catalog.problems, kinds):
            edges[ref].add(rel)
            edges[rel.target].add(rel.reverse())
            if rel.target not in catalog.entities and rel.target not in known_refs:
                where, line = _field(path), entity.line_of(path)
                catalog.problems.append(Problem(
                    missing_ref_severity, "missing-ref",
                    f"{where}: {rel.target} does not exist in the catalog; check the spelling "
                    "or add that entity", file=entity.provenance.file, line=line,
                    entity=str(ref), repo=entity.provenance.repo))
    catalog.relations = {ref: sorted(rels, key=_relation_order)
                         for ref, rels in sorted(edges.items(), key=_by_ref)}
    return catalog


def _by_ref(item: tuple[EntityRef, object]) -> tuple[str, str, str]:
    return item[0]._key


def _relation_order(rel: Relation) -> tuple:
    """Relation's own order (source, type, target) as plain tuples: compared in C."""
    return (rel.source._key, rel.type, rel.target._key)


def location_of(entity: Entity) -> str:
    """Where an entity is defined, stable across builds: ``repository:path``."""
    return f"{entity.provenance.repo}:{entity.provenance.path}"


def _resolve(ref: EntityRef, candidates: list[Entity], held: str | None,
             catalog: Catalog) -> Entity:
    """The definition that wins a conflict; each other one gets an error."""
    if len(candidates) == 1:
        return candidates[0]
    winner = next((e for e in candidates if location_of(e) == held), candidates[0])
    why = ("it held this entity in the previous build" if location_of(winner) == held else
           "it comes first in sources.yaml order, then by path")
    where = winner.provenance
    places = [f"{where.file}:{where.line}"]
    for entity in candidates:
        if entity is winner:
            continue
        prov = entity.provenance
        places.append(f"{prov.file}:{prov.line}")
        catalog.problems.append(Problem(
            Severity.ERROR, "duplicate-entity",
            f"{ref} is already defined at {where.file}:{where.line}, which keeps it ({why}); "
            "keep one definition and remove or rename the other",
            file=prov.file, line=prov.line, entity=str(ref), repo=prov.repo))
    catalog.conflicts[ref] = Conflict(tuple(places), why)
    return winner


def _relations_of(entity: Entity, problems: list[Problem],
                  kinds: Mapping[str, tuple[RelationField, ...]] | None = None
                  ) -> Iterator[tuple[Relation, tuple[str | int, ...]]]:
    """Each relation the entity declares, with the field path it came from."""
    for spec_field in fields_for_kind(entity.ref.kind, kinds):
        if spec_field.many:
            values: list[tuple[int | None, str]] = list(
                enumerate(entity.spec_list(spec_field.field)))
            one = entity.spec_str(spec_field.field)
            if one:  # a declared list field given one value
                values.append((None, one))
        else:
            one = entity.spec_str(spec_field.field)
            values = [(None, one)] if one else []
        for index, value in values:
            path = ("spec", spec_field.field) if index is None else \
                ("spec", spec_field.field, index)
            try:
                target = parse_ref(value, default_kind=spec_field.default_kind,
                                   default_namespace=entity.ref.namespace)
            except InvalidRef as exc:
                prov = entity.provenance
                problems.append(Problem(
                    Severity.ERROR, "invalid-ref", f"{_field(path)}: {exc}",
                    file=prov.file, line=entity.line_of(path), entity=str(entity.ref),
                    repo=prov.repo))
                continue
            yield Relation(entity.ref, spec_field.relation, target), path


def _field(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)
