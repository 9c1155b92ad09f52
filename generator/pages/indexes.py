"""Index pages: the catalog table, teams, systems and domains, catalog health."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.pages.views import Item, ViewBuilder
from generator.problems import Severity, sort_problems
from generator.refs import InvalidRef, parse_ref
from generator.relations import fields_for_kind
from generator.urls import CATALOG_PAGE, entity_page, relative_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.problems import Problem
    from generator.refs import EntityRef

__all__ = ["KIND_ORDER", "catalog_json", "health_view", "kind_rank", "systems_view", "teams_view"]


KIND_ORDER = ("component", "resource", "system", "domain", "api", "group", "user", "template",
              "location")
"""Kinds in the catalog table's order: what people look up most first, not ``api`` by
the alphabet; other kinds after these."""


def kind_rank(kind: str) -> tuple[int, str]:
    """Sort key of a kind in :data:`KIND_ORDER`."""
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def _table_order(item: tuple[EntityRef, Entity]) -> tuple[int, str, str]:
    ref, entity = item
    return kind_rank(ref.kind)[0], entity.title.casefold(), str(ref)


def catalog_json(catalog: Catalog) -> str:
    """The rows of the catalog table, with URLs relative to the catalog page.

    A title another entity shares comes with the ref (``titleNote``, ``ownerNote``).
    """
    rows = []
    for ref, entity in sorted(catalog.entities.items(), key=_table_order):
        owners = catalog.related(ref, "ownedBy")
        owner = owners[0] if owners else None
        owner_entity = catalog.get(owner) if owner else None
        systems = [p for p in catalog.related(ref, "partOf") if p.kind == "system"]
        rows.append({
            "ref": str(ref),
            "name": entity.name,
            "title": entity.title,
            "kind": ref.kind,
            "type": entity.type,
            "owner": str(owner) if owner else None,
            "ownerTitle": owner_entity.title if owner_entity else (owner.short() if owner
                                                                   else None),
            "ownerUrl": relative_url(CATALOG_PAGE, entity_page(owner)) if owner_entity
            else None,
            "lifecycle": entity.lifecycle,
            "tags": entity.tags,
            "description": entity.description[:300],
            "url": relative_url(CATALOG_PAGE, entity_page(ref)),
            "system": str(systems[0]) if systems else None,
        })
        if catalog.shared_title(entity.title):
            rows[-1]["titleNote"] = ref.short()
        if owner_entity is not None and catalog.shared_title(owner_entity.title):
            rows[-1]["ownerNote"] = owner.short()
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class TeamRow:
    """One group in the teams tree."""

    link: Item
    depth: int
    type: str
    members: int
    owned: int
    owned_total: int
    owner_filter: str
    """Catalog URL filtered to this owner."""


def teams_view(catalog: Catalog, page: str) -> list[TeamRow]:
    """Every group as a tree (roots first, children indented), with counts."""
    b = ViewBuilder(catalog, page)
    groups = catalog.of_kind("group")
    roots = [g.ref for g in groups
             if not any(p in catalog.entities for p in catalog.related(g.ref, "childOf"))]
    rows: list[TeamRow] = []
    seen: set[EntityRef] = set()

    def visit(ref: EntityRef, depth: int) -> None:
        if ref in seen or ref not in catalog.entities:
            return
        seen.add(ref)
        entity = catalog.entities[ref]
        owned = len(catalog.related(ref, "ownerOf"))
        total = owned + sum(len(catalog.related(d, "ownerOf"))
                            for d in catalog.descendant_groups(ref))
        rows.append(TeamRow(b.link(ref), depth, entity.type or "", len(
            catalog.related(ref, "hasMember")), owned, total,
            relative_url(page, CATALOG_PAGE) + "?owner=" + str(ref)))
        for child in catalog.related(ref, "parentOf"):
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    for group in groups:  # groups only reachable through a cycle
        visit(group.ref, 0)
    return rows


@dataclass(slots=True)
class SystemRow:
    link: Item
    owner: list[Item]
    counts: str
    description: str


@dataclass(slots=True)
class DomainGroup:
    link: Item | None
    description: str
    systems: list[SystemRow] = field(default_factory=list)


def systems_view(catalog: Catalog, page: str) -> list[DomainGroup]:
    """Domains with their systems, and systems without a domain last."""
    b = ViewBuilder(catalog, page)

    def system_row(ref: EntityRef) -> SystemRow:
        entity = catalog.entities[ref]
        counts: dict[str, int] = defaultdict(int)
        for part in catalog.related(ref, "hasPart"):
            counts[part.kind] += 1
        text = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(counts.items()))
        return SystemRow(b.link(ref), b.refs(b.owner(ref)), text or "no parts",
                         entity.description)

    out: list[DomainGroup] = []
    placed: set[EntityRef] = set()
    for domain in catalog.of_kind("domain"):
        group = DomainGroup(b.link(domain.ref), domain.description)
        for part in catalog.related(domain.ref, "hasPart"):
            if part.kind == "system" and part in catalog.entities:
                group.systems.append(system_row(part))
                placed.add(part)
        out.append(group)
    loose = [s.ref for s in catalog.of_kind("system") if s.ref not in placed]
    if loose:
        out.append(DomainGroup(None, "Systems that name no domain.",
                               [system_row(r) for r in loose]))
    return out


@dataclass(slots=True)
class HealthView:
    by_owner: list[tuple[Item, list[tuple[Item | None, list[Problem]]]]]
    unowned: list[Item]
    unresolved: list[tuple[Item, str]]
    counts: dict[str, int]


def health_view(catalog: Catalog, page: str) -> HealthView:
    """Problems grouped by the owner of the entity they concern."""
    b = ViewBuilder(catalog, page)
    groups: dict[str, tuple[Item, dict[str, tuple[Item | None, list[Problem]]]]] = {}
    for problem in sort_problems(catalog.problems):
        owner_key, owner_item, subject = "~", Item("Not attributed to an entity"), None
        key = problem.entity or f"~{problem.repo or ''}"
        if problem.entity:
            ref = _ref_of(catalog, problem.entity)
            if ref is not None:
                subject = b.link(ref)
                owners = b.owner(ref)
                if owners:
                    owner_key, owner_item = str(owners[0]), b.link(owners[0])
                else:
                    owner_key, owner_item = "~~", Item("No owner")
            else:
                subject = Item(problem.entity)
        elif problem.repo:
            subject = Item(f"repository {problem.repo}")
        bucket = groups.setdefault(owner_key, (owner_item, {}))[1]
        bucket.setdefault(key, (subject, []))[1].append(problem)
    by_owner = [(item, list(entries.values()))
                for _, (item, entries) in sorted(groups.items(), key=lambda kv: kv[0])]
    unowned: list[Item] = []
    unresolved: list[tuple[Item, str]] = []
    for ref in catalog.entities:
        if not any(f.field == "owner" for f in fields_for_kind(ref.kind)):
            continue
        owners = catalog.related(ref, "ownedBy")
        if not owners:
            unowned.append(b.link(ref))
        for owner in owners:
            if owner not in catalog.entities:
                unresolved.append((b.link(ref), owner.short()))
    counts = {s.value: 0 for s in Severity}
    for problem in catalog.problems:
        counts[problem.severity.value] += 1
    return HealthView(by_owner, unowned, unresolved, counts)


def _ref_of(catalog: Catalog, text: str) -> EntityRef | None:
    try:
        ref = parse_ref(text)
    except InvalidRef:
        return None
    return ref if ref in catalog.entities else None
