"""Adoption pages: the organisation's ``adoption/`` page, and figures on entity pages.

* ``adoption/``: the share of components on a golden path (overall, per team
  through the group tree, per system, per path), new components that started
  from a template, the declared exceptions and the silent ones, with the trend
  as an inline SVG chart; ``adoption.csv`` beside it.
* A component's About card: the golden path it declares, or its off-road
  trade-off (reason, approved by, until).
* A group's page: its own share and trend; a template's page: its path's figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.adoption import trend
from generator.adoption_report import adoption_csv
from generator.pages.charts import chart_html, line_chart
from generator.pages.features import Section
from generator.pages.renderer import Renderer
from generator.pages.views import MAX_ROWS, Item, Table, ViewBuilder
from generator.urls import ADOPTION_CSV, ADOPTION_PAGE, relative_url

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markupsafe import Markup

    from generator.adoption import Adoption, ExceptionRow, Share, Standing
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.views import Cell, EntityView
    from generator.refs import EntityRef

__all__ = ["AdoptionFeature"]


def _share_cells(share: Share) -> list[Cell]:
    return [[Item(f"{share.on:,}")], [Item(f"{share.total:,}")],
            [Item(f"{share.percent}%" if share.total else "–")]]


def _chart(renderer: Renderer, chart_id: str, title: str,
           points: Sequence[tuple[str, Share]]) -> Markup:
    return chart_html(renderer, line_chart(
        chart_id, title, [(date, 100 * s.on / s.total if s.total else 0.0, s.text)
                          for date, s in points]))


def _share_table(b: ViewBuilder, title: str, first: str, shares: dict[EntityRef, Share],
                 empty: str, parent: dict[EntityRef, Cell] | None = None) -> Table:
    columns = [first, *(["Part of"] if parent is not None else []),
               "On a golden path", "Components", "Share"]
    table = Table(title, columns, empty=empty)
    for ref, share in list(shares.items())[:MAX_ROWS]:
        row = [[b.link(ref)], *([parent.get(ref, [])] if parent is not None else []),
               *_share_cells(share)]
        table.rows.append(row)
    table.more = max(0, len(shares) - MAX_ROWS)
    return table


def _made(a: Adoption) -> dict[EntityRef, int]:
    """Each path's components on it that were created from its template."""
    made: dict[EntityRef, int] = {}
    for s in a.standings.values():
        if s.status == "on-path" and s.from_template and s.path is not None:
            made[s.path] = made.get(s.path, 0) + 1
    return made


def _path_table(b: ViewBuilder, a: Adoption, made: dict[EntityRef, int]) -> Table:
    table = Table("By golden path", ["Golden path", "Components on it", "Created from it",
                                     "Share of all components"],
                  empty="The catalog has no templates: no golden paths yet.")
    for ref, share in list(a.paths.items())[:MAX_ROWS]:
        table.rows.append([[b.link(ref)], [Item(f"{share.on:,}")],
                           [Item(f"{made.get(ref, 0):,}")], _share_cells(share)[2]])
    table.more = max(0, len(a.paths) - MAX_ROWS)
    return table


def _exceptions_table(b: ViewBuilder, rows: list[ExceptionRow]) -> Table:
    table = Table("Exceptions", ["Entity", "Owner", "Reason", "Approved by", "Until", "Age"],
                  empty="No component declares an off-road exception.")
    for row in rows[:MAX_ROWS]:
        road = row.off_road
        table.rows.append([
            [b.link(row.ref)], [b.link(row.owner)] if row.owner else [],
            [Item(road.reason or "no reason given")],
            _approver(b, road.approver_text, road.approved_by),
            [Item(road.until_text, note="expired" if row.expired else None)]
            if road.until_text else [],
            [Item(f"{row.age_days:,} days", note=f"since {row.since}")]])
    table.more = max(0, len(rows) - MAX_ROWS)
    return table


def _approver(b: ViewBuilder, text: str, ref: EntityRef | None) -> Cell:
    if ref is not None and ref in b.catalog.entities:
        return [b.link(ref)]
    return [Item(text, note="not in catalog")] if text else []


class AdoptionFeature:
    """Adds the adoption page and CSV, and adoption figures to entity pages."""

    def __init__(self, adoption: Adoption, points: Sequence[dict]) -> None:
        self.adoption = adoption
        self.points = list(points)
        """The trend, this build's point last (``history.json``'s ``adoption.points``)."""
        self.renderer: Renderer | None = None
        self.made = _made(adoption)

    def _html(self) -> Renderer:
        if self.renderer is None:
            self.renderer = Renderer()
        return self.renderer

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        ref = entity.ref
        stand = self.adoption.standings.get(ref)
        if stand is not None:
            self._about(builder, view, stand)
        elif ref.kind == "group" and ref in self.adoption.teams:
            view.sections.append(Section("Adoption", self._team_html(builder, ref), "about"))
        elif ref.kind == "template" and ref in self.adoption.paths:
            view.sections.append(Section("Adoption", self._path_html(builder, ref), "about"))

    def _about(self, b: ViewBuilder, view: EntityView, stand: Standing) -> None:
        at = next((i for i, (label, _) in enumerate(view.about) if label == "Defined in"),
                  len(view.about))
        rows: list[tuple[str, Cell]] = []
        if stand.path is not None and not stand.from_template:
            link = b.link(stand.path)
            rows.append(("Golden path", [Item(link.text, link.href, "declared")]))
        road = stand.off_road
        if road is not None:
            rows.append(("Off-road", [Item(road.reason or "no reason given")]))
            approver = _approver(b, road.approver_text, road.approved_by)
            if approver:
                rows.append(("Approved by", approver))
            if road.until_text:
                expired = road.until is not None and road.until < self.adoption.date
                rows.append(("Until", [Item(road.until_text, note="expired" if expired else
                                            None if road.until else "not a date")]))
        view.about[at:at] = rows

    def _team_html(self, b: ViewBuilder, ref: EntityRef) -> Markup:
        share = self.adoption.teams[ref]
        return self._html().html(
            "adoption/team.html.j2", share=share,
            chart=_chart(self._html(), "adoption-trend",
                         f"Share of {b.link(ref).text}'s components on a golden path",
                         trend(self.points, ref)),
            page=relative_url(b.page, ADOPTION_PAGE))

    def _path_html(self, b: ViewBuilder, ref: EntityRef) -> Markup:
        share = self.adoption.paths[ref]
        made = self.made.get(ref, 0)
        return self._html().html("adoption/path.html.j2", share=share, made=made,
                                 declared=share.on - made,
                                 page=relative_url(b.page, ADOPTION_PAGE))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        a = self.adoption
        b = ViewBuilder(catalog, ADOPTION_PAGE)
        parents: dict[EntityRef, Cell] = {
            ref: b.refs([p for p in catalog.related(ref, "childOf") if p.kind == "group"])
            for ref in a.teams}
        silent = Table("Silent", ["Entity", "Owner", "System"],
                       empty="Every component is on a golden path or declares why not.")
        for ref in a.silent[:MAX_ROWS]:
            s = a.standings[ref]
            silent.rows.append([[b.link(ref)], [b.link(s.owner)] if s.owner else [],
                                [b.link(s.system)] if s.system else []])
        silent.more = max(0, len(a.silent) - MAX_ROWS)
        pages.add_page(ADOPTION_PAGE, renderer.render(
            "adoption.md.j2", a=a,
            chart=_chart(renderer, "adoption-trend", "Share of components on a golden path",
                         trend(self.points)),
            teams=_share_table(b, "By team", "Team", a.teams, "No team owns components yet.",
                               parents),
            systems=_share_table(b, "By system", "System", a.systems,
                                 "No component is part of a system."),
            paths=_path_table(b, a, self.made),
            exceptions=_exceptions_table(b, a.exceptions), silent=silent,
            csv=relative_url(ADOPTION_PAGE, ADOPTION_CSV)), listed=True)
        pages.add_asset(ADOPTION_CSV, adoption_csv(a))
        pages.nav.append({"Adoption": ADOPTION_PAGE})
