"""Entity pages: one view per kind, built from the catalog's relations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from generator.pages.golden_path_pages import template_tables
from generator.pages.html import table_html
from generator.pages.views import (
    MAX_ROWS,
    EntityView,
    Item,
    Section,
    Table,
    ViewBuilder,
    _text,
)

if TYPE_CHECKING:
    from generator.catalog import Conflict
    from generator.entities import Entity
    from generator.problems import Problem
    from generator.refs import EntityRef

__all__ = ["ROLE_ANNOTATION", "entity_view", "role"]

ROLE_ANNOTATION = "pavedroad.dev/role"
"""A user's role in their team (``Tech lead``); without it, the user's description."""


def entity_view(builder: ViewBuilder, entity: Entity, problems: list[Problem]) -> EntityView:
    """The view of one entity's page."""
    view = EntityView(title=entity.title, ref=str(entity.ref), kind=entity.kind,
                      type=entity.type, lifecycle=entity.lifecycle,
                      description=entity.description, about=builder.about(entity),
                      problems=problems)
    _KIND_VIEWS.get(entity.ref.kind, _generic)(builder, entity, view)
    conflict = builder.catalog.conflicts.get(entity.ref)
    if conflict is not None:
        view.sections.insert(0, Section("", _conflict_banner(entity, conflict), "top"))
    return view


def _conflict_banner(entity: Entity, conflict: Conflict) -> Markup:
    """Names every file that defines this ref, the one shown first."""
    kept, *others = (f"<code>{escape(place)}</code>" for place in conflict.places)
    return Markup(f'<div class="pr-problems pr-conflict"><p><strong>Conflict:</strong> '
                  f"{escape(str(entity.ref))} is defined in more than one place. This page "
                  f"shows the definition at {kept} ({escape(conflict.reason)}); also defined at "
                  f"{', '.join(others)}.</p></div>")


def _component(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    ref = e.ref
    view.tables += [
        b.api_table("Provided APIs", b.related(ref, "providesApi"), "apiConsumedBy",
                    "Consumed by"),
        b.api_table("Consumed APIs", b.related(ref, "consumesApi"), "apiProvidedBy",
                    "Provided by"),
        b.entity_table("Depends on", b.related(ref, "dependsOn")),
        b.entity_table("Depended on by", b.related(ref, "dependencyOf")),
        b.entity_table("Subcomponents", b.related(ref, "hasPart")),
    ]


def _api(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    ref = e.ref
    view.tables += [
        b.entity_table("Provided by", b.related(ref, "apiProvidedBy")),
        b.entity_table("Consumed by", b.related(ref, "apiConsumedBy")),
    ]
    definition = e.spec.get("definition")
    if isinstance(definition, str) and definition.strip():
        view.extra["definition"] = definition


def _resource(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    view.tables += [
        b.entity_table("Depends on", b.related(e.ref, "dependsOn")),
        b.entity_table("Depended on by", b.related(e.ref, "dependencyOf")),
    ]


def _system(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    parts = b.related(e.ref, "hasPart")
    view.tables.append(b.entity_table("Parts", parts, empty="No entity names this system."))
    apis = [p for p in parts if p.kind == "api"]
    if apis:
        view.tables.append(b.api_table("APIs", apis, "apiProvidedBy", "Provided by"))


def _domain(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    view.tables.append(b.entity_table("Systems and subdomains", b.related(e.ref, "hasPart"),
                                      empty="No system names this domain."))


def _profile(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    """A group's or user's name (the page is titled by the display name) and e-mail."""
    profile = e.spec.get("profile") if isinstance(e.spec.get("profile"), dict) else {}
    shown = profile.get("displayName")
    if e.ref.kind == "user":
        view.about.insert(0, ("Username", _text(e.name)))
    elif isinstance(shown, str) and shown.strip() and shown != e.title:
        view.about.insert(0, ("Display name", _text(shown)))
    contact = b.contact(e.ref)
    if contact:
        view.about.insert(1, ("E-mail", contact))


def role(entity: Entity | None) -> str:
    """What a person does: ``pavedroad.dev/role``, else the user's description."""
    if entity is None:
        return ""
    value = entity.annotations.get(ROLE_ANNOTATION) or entity.description
    return value if isinstance(value, str) else ""


def _group(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    ref = e.ref
    _profile(b, e, view)
    parents = b.related(ref, "childOf")
    if parents:
        view.about.insert(0, ("Parent", b.refs(parents)))
    members = sorted(b.related(ref, "hasMember"), key=lambda r: b.link(r).text.casefold())
    member_table = Table("Members", ["Name", "Role", "E-mail"], empty="No members.")
    for user in members[:MAX_ROWS]:
        member_table.rows.append([[b.link(user)], _text(role(b.catalog.get(user))),
                                  b.contact(user)])
    member_table.more = max(0, len(members) - MAX_ROWS)
    children = b.related(ref, "parentOf")
    owned = b.entity_table("Owned by this group", b.related(ref, "ownerOf"),
                           empty="This group owns nothing directly.")
    # Who is in the team and what it owns come first (after its contacts), About after.
    view.sections += [Section(t.title, table_html(t), "top") for t in (member_table, owned)]
    view.tables.append(b.entity_table("Child groups", children))
    inherited = [r for child in b.catalog.descendant_groups(ref)
                 for r in b.related(child, "ownerOf")]
    if inherited:
        table = b.entity_table("Owned through child groups", inherited)
        view.tables.append(table)


def _user(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    ref = e.ref
    _profile(b, e, view)
    if role(e) and role(e) != e.description:
        view.about.insert(1, ("Role", _text(role(e))))
    groups = b.related(ref, "memberOf")
    view.tables.append(b.entity_table("Groups", groups, empty="Not a member of any group."))
    view.tables.append(b.entity_table("Owned", b.related(ref, "ownerOf")))


def _location(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    targets = e.spec_list("targets") + ([e.spec_str("target")] if e.spec_str("target") else [])
    table = Table("Targets", ["Target"])
    for target in targets:
        table.rows.append([[b.url(target) if "://" in target else Item(target)]])
    view.tables.append(table)


def _template(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    view.tables += template_tables(b, e)


def _generic(b: ViewBuilder, e: Entity, view: EntityView) -> None:
    by_type: dict[str, list[EntityRef]] = {}
    for rel in b.catalog.relations.get(e.ref, ()):
        by_type.setdefault(rel.type, []).append(rel.target)
    for type_, refs in by_type.items():
        view.tables.append(b.entity_table(type_, refs))


_KIND_VIEWS: dict[str, Callable[[ViewBuilder, Entity, EntityView], None]] = {
    "component": _component,
    "api": _api,
    "resource": _resource,
    "system": _system,
    "domain": _domain,
    "group": _group,
    "user": _user,
    "location": _location,
    "template": _template,
}
