"""The graph on the portal: diagrams, blast radius, cycles.

:func:`generator.graph.analyse` runs the graph analyses and renders every
diagram in one batch before any page is built; :class:`GraphFeature` only reads its results.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.pages.diagram_box import FULL_SIZE_WIDTH, diagram_box, svg_width
from generator.pages.features import Section
from generator.pages.html import cell_html, item_html
from generator.pages.model import GeneratedPage
from generator.pages.text import front_matter_title
from generator.pages.views import ViewBuilder
from generator.urls import (
    DIAGRAM_FILE,
    GRAPH_OVERVIEW_SVG,
    GRAPH_PAGE,
    entity_asset,
    entity_page,
    relative_url,
)

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.graph import GraphAnalysis, Impact
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView
    from generator.refs import EntityRef

__all__ = ["GraphFeature"]

IMPACT_KINDS = frozenset({"component", "resource", "api"})
"""Kinds whose pages show a blast radius (what breaks when they are down)."""


CYCLE_MEMBERS = 100
"""Members of a cycle listed on the graph page; the rest are counted."""


def _cycle_item(b: ViewBuilder, number: int, cycle: list[EntityRef]) -> str:
    """One cycle on the graph page: its size and its first members, once."""
    shown = ", ".join(item_html(b.link(r)) for r in cycle[:CYCLE_MEMBERS])
    rest = len(cycle) - CYCLE_MEMBERS
    more = f" and {rest:,} more" if rest > 0 else ""
    return (f'<li id="cycle-{number}"><strong>Cycle {number}</strong> ({len(cycle):,} '
            f"entities): {shown}{more}</li>")


def _diagram(analysis: GraphAnalysis, key: str, label: str, *, rollup: bool = False,
             full_size: str | None = None) -> Markup | None:
    if key not in analysis.svgs:
        return None
    svg = analysis.svgs[key]
    if svg is None:
        return Markup('<div class="pr-diagram pr-note">The diagram is missing: install '
                      "Graphviz (<code>apt-get install graphviz</code>) and build again.</div>")
    return diagram_box(svg, label, rollup=rollup, full_size=full_size)


def _wide(svg: str | None) -> bool:
    width = svg_width(svg) if svg else None
    return width is not None and width > FULL_SIZE_WIDTH


def _impact_table(b: ViewBuilder, impacts: list[Impact], total: int, what: str,
                  rows: dict[tuple, str]) -> Markup:
    """Dependents or dependencies, nearest first; ``rows`` caches each entity's row cells."""
    head = "<th>Distance</th> <th>Name</th> <th>Kind</th> <th>Lifecycle</th> <th>Owner</th>"
    lines = []
    for impact in impacts:
        key = (b.scope, impact.ref, b.page == entity_page(impact.ref))
        cells = rows.get(key)
        if cells is None:
            entity = b.catalog.get(impact.ref)
            cells = rows[key] = (
                f"<td>{item_html(b.link(impact.ref))}</td> "
                f"<td>{escape(entity.kind if entity else impact.ref.kind)}</td> "
                f"<td>{escape((entity.lifecycle or '') if entity else '')}</td> "
                f"<td>{cell_html(b.refs(b.owner(impact.ref)))}</td></tr>")
        lines.append(f"<tr><td>{impact.distance}</td> {cells}")
    more = ""
    if total > len(impacts):
        more = (f'<p class="pr-note">The {len(impacts)} nearest of {total:,} are listed; '
                "<code>pavedroad impact</code> prints them all.</p>")
    return Markup(f'<div class="pr-rel"><p>{escape(what)}</p>\n<table>\n<thead><tr>{head}'
                  f"</tr></thead>\n<tbody>\n" + "\n".join(lines) + f"\n</tbody>\n</table>{more}"
                  "</div>")


@dataclass(slots=True)
class GraphFeature:
    """Diagrams on every entity page, blast radius and upstream lists, the graph page."""

    analysis: GraphAnalysis

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        ref = entity.ref
        rollup = ref.kind in ("system", "domain")
        label = (f"Diagram of {entity.title}: its parts and what they need" if rollup
                 else f"Diagram of {entity.title} and its neighbours")
        diagram = _diagram(self.analysis, str(ref), label, rollup=rollup, full_size=relative_url(
            builder.page, entity_asset(ref, DIAGRAM_FILE)))
        if diagram is not None:
            view.sections.append(Section("Diagram", diagram, "diagram"))
        cycle = self.analysis.cycle_of.get(ref)
        if cycle:
            loop = self.analysis.loops[ref]
            hops = " → ".join(item_html(builder.link(r)) for r in loop.path)
            if not loop.complete:
                hops += f" → … → {item_html(builder.link(ref))}"
            number = self.analysis.cycle_number[ref]
            more = relative_url(builder.page, GRAPH_PAGE) + f"#cycle-{number}"
            view.sections.append(Section("Dependency cycle", Markup(
                f'<div class="pr-problems"><p>This entity needs itself ({loop.length:,} '
                f"hops): {hops}. It is one of {len(cycle):,} entities in "
                f'<a href="{escape(more)}">dependency cycle {number}</a>.</p></div>'),
                "about"))
        if ref.kind not in IMPACT_KINDS or ref not in self.analysis.deps:
            return
        needs = self.analysis.needs(ref)
        if needs:
            view.sections.append(Section("Needs", _impact_table(
                builder, needs, self.analysis.needs_sizes.get(ref, len(needs)),
                "What this entity needs to work, directly or through others: check these "
                "first when it fails.", self.analysis.rows), "about"))
        total = self.analysis.sizes.get(ref, 0)
        if total:
            view.sections.append(Section("Blast radius", _impact_table(
                builder, self.analysis.radius(ref), total,
                f"{total:,} entities need this one, directly or through others: "
                "they may fail when it does.", self.analysis.rows), "about"))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        for path, text in self.analysis.exports.items():
            pages.add_asset(path, text)
        for ref in catalog.entities:
            svg = self.analysis.svgs.get(str(ref))
            if _wide(svg):
                pages.add_asset(entity_asset(ref, DIAGRAM_FILE), svg)
        if _wide(self.analysis.svgs.get("overview")):
            pages.add_asset(GRAPH_OVERVIEW_SVG, self.analysis.svgs["overview"])
        b = ViewBuilder(catalog, GRAPH_PAGE)
        blocks: dict[str, str] = {}
        overview = _diagram(self.analysis, "overview", "Systems and how they depend on each "
                            "other", rollup=True,
                            full_size=relative_url(GRAPH_PAGE, GRAPH_OVERVIEW_SVG))
        if overview is not None:
            blocks["<!--pr:0-->"] = str(overview)
        cycles = "\n".join(_cycle_item(b, number, cycle)
                           for number, cycle in enumerate(self.analysis.cycles, 1))
        blocks["<!--pr:1-->"] = (f'<div class="pr-rel"><ul>\n{cycles}\n</ul></div>' if cycles
                                 else '<div class="pr-ok"><p>No dependency cycles.</p></div>')
        markdown = (
            f"---\ntitle: {front_matter_title('Dependency graph')}\nhide:\n  - navigation\n---\n\n"
            "How systems depend on each other: an edge means a part of one system depends on "
            "or consumes an API of a part of the other, labelled with how many such "
            "dependencies there are. Each entity's page has a diagram of its neighbourhood.\n\n"
            "The whole graph is published as [graph.json](../graph.json) (node-link JSON) "
            "and [graph.dot](../graph.dot) (Graphviz); `pavedroad graph` and "
            "`pavedroad impact` print it in a terminal.\n\n"
            "## Systems\n\n<!--pr:0-->\n\n## Dependency cycles\n\n"
            "Entities that need each other, directly or through others:\n\n<!--pr:1-->\n")
        pages.add_page(GRAPH_PAGE, GeneratedPage(markdown, blocks, frozenset({"<!--pr:0-->"})),
                       listed=True)
        pages.nav.append({"Graph": GRAPH_PAGE})
