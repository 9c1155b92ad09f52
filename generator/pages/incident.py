"""The responder's first screen: the incident panel of a service, a team's contacts.

Who to call, where the runbook is (the portal's rendered copy first, the
repository beside it), what breaks. The panel is the page's first heading, so
Material's "Skip to content" lands on it and the runbook is a few Tabs away.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.contacts import CONTACT_LINKS, links_of
from generator.contacts import oncall as rotations
from generator.pages.html import cell_html
from generator.pages.views import Item, Section

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.graph import GraphAnalysis
    from generator.pages.docs_pages import RenderedDocs
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["INCIDENT_KINDS", "IncidentFeature", "contact_rows"]

INCIDENT_KINDS = frozenset({"component", "resource"})
"""Kinds whose page opens with the incident panel."""

PANEL_TITLE = "Incident panel"
CONTACT_TITLE = "Contact"

Rows = list[tuple[str, list[Item]]]


def _oncall(builder: ViewBuilder, entity: Entity) -> list[Item]:
    oncall = [Item(text) for text in rotations(entity.annotations)]
    oncall += [builder.url(link["url"], link.get("title")) for link in
               links_of(entity.links, *CONTACT_LINKS["oncall"])]
    return oncall


def _links(builder: ViewBuilder, entity: Entity, kind: str) -> list[Item]:
    return [builder.url(link["url"], link.get("title"))
            for link in links_of(entity.links, *CONTACT_LINKS[kind])]


def _oncall_ids(entity: Entity) -> list[str]:
    """On-call ids a responder may search by (a PagerDuty service id from the page)."""
    return rotations(entity.annotations)


def contact_rows(builder: ViewBuilder, entity: Entity) -> Rows:
    """On call, chat and e-mail of an entity, from its annotations, links and profile."""
    rows: Rows = [("On call", _oncall(builder, entity) or [
        Item("not set", note="add pagerduty.com/service-id or a link of type oncall")])]
    chat = _links(builder, entity, "chat")
    rows.append(("Chat", chat or [Item("not set", note="add a link of type chat")]))
    mail = builder.contact(entity.ref)
    if mail:
        rows.append(("E-mail", mail))
    return rows


def _panel(rows: Rows) -> Markup:
    body = "\n".join(f"<tr><th>{escape(label)}</th> <td>{cell_html(items)}</td></tr>"
                     for label, items in rows)
    return Markup(f'<div class="pr-incident">\n<table>\n{body}\n</table></div>')


@dataclass(slots=True)
class IncidentFeature:
    """The panel a responder sees first: who to call, where the runbook is, what breaks;
    on a team's page, how to reach the team."""

    analysis: GraphAnalysis
    docs: RenderedDocs | None = None
    """Where the entities' docs pages are rendered in the portal (runbooks link there)."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        ref = entity.ref
        if ref.kind == "group":
            # First on the page: after a conflict banner, before the members.
            at = next((i for i, s in enumerate(view.sections) if s.title), len(view.sections))
            view.sections.insert(at, Section(CONTACT_TITLE,
                                             _panel(contact_rows(builder, entity)), "top"))
            view.keywords += _oncall_ids(entity)
            return
        if ref.kind not in INCIDENT_KINDS:
            return
        rows: Rows = [("Runbook", self._runbook(builder, entity))]
        contacts = contact_rows(builder, entity)
        rows += [row for row in contacts if row[0] != "E-mail"]
        dashboards = _links(builder, entity, "dashboard")
        if dashboards:
            rows.append(("Dashboards", dashboards))
        rows.append(self._owner_row(builder, ref))
        tier = entity.labels.get("tier") or entity.annotations.get("tier")
        rows.append(("Lifecycle and tier", [Item(entity.lifecycle or "lifecycle not set"),
                                            Item(f"tier {tier}" if tier else "tier not set")]))
        rows += self._impact_rows(builder, ref)
        view.sections.append(Section(PANEL_TITLE, _panel(rows), "top"))
        view.keywords += _oncall_ids(entity)

    def _runbook(self, builder: ViewBuilder, entity: Entity) -> list[Item]:
        """The runbook in the portal where the docs have it, the repository's copy beside."""
        items: list[Item] = []
        for link in links_of(entity.links, *CONTACT_LINKS["runbook"]):
            title = link.get("title") or "Runbook"
            page = self.docs.page_for(builder.page, link["url"]) if self.docs else None
            if page is not None:
                items.append(Item(title, page))
                items.append(builder.url(link["url"], "source in the repository"))
            else:
                items.append(builder.url(link["url"], title))
        if not items and self.docs is not None:
            page = self.docs.runbook(builder.page, entity.ref)
            if page is not None:
                items.append(Item("Runbook", page, note="from the docs"))
        return items or [Item("none", note="add a link of type runbook or docs/runbook.md")]

    @staticmethod
    def _owner_row(builder: ViewBuilder, ref: EntityRef) -> tuple[str, list[Item]]:
        owners = builder.owner(ref)
        people: list[Item] = []
        for owner in owners:
            people.append(builder.link(owner))
            people += builder.contact(owner)
        label = "Owner" if owners and all(o.kind == "user" for o in owners) else "Owning team"
        return label, people or [Item("none", note="set spec.owner")]

    def _impact_rows(self, builder: ViewBuilder, ref: EntityRef) -> Rows:
        """"What breaks if this is down", in one line, and the production entities hit."""
        total = self.analysis.sizes.get(ref, 0)
        if not total:
            return [("If this is down", [Item("nothing in the catalog depends on it")])]
        radius = self.analysis.radius(ref)
        production = [i.ref for i in radius
                      if (e := builder.catalog.get(i.ref)) is not None
                      and e.lifecycle == "production"]
        rows: Rows = [("If this is down", [Item(
            f"{total:,} entities depend on it", "#blast-radius",
            note=f"{len(production)} in production"
            + ("" if len(radius) == total else f" among the nearest {len(radius)}"))])]
        if production:
            shown = [builder.link(r) for r in production[:8]]
            if len(production) > 8:
                shown.append(Item(f"and {len(production) - 8} more"))
            rows.append(("Production hit", shown))
        return rows

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        """The panel lives on entity pages only."""
