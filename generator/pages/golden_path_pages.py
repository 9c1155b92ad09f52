"""Golden-path pages: Template entities as guides to the paved road.

A template's page shows its form (every parameter on every page), its steps,
its outputs and the entities created from it ("3 services on this path").
Entities created from a template name it in their About card. The
hand-written ``golden-paths/index.md`` gets a table of every template in
place of the marker ``<!-- pavedroad:golden-paths -->``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.golden_paths import (
    created_from,
    path_noun,
    source_template,
    template_outputs,
    template_parameters,
    template_steps,
)
from generator.pages.features import Section
from generator.pages.views import MAX_ROWS, Item, Table, ViewBuilder
from generator.refs import InvalidRef, parse_ref
from generator.scaffold.examples import example_command

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import Cell, EntityView
    from generator.refs import EntityRef

__all__ = ["GOLDEN_PATHS_MARKER", "GOLDEN_PATHS_PAGE", "GoldenPathFeature", "template_tables"]

GOLDEN_PATHS_PAGE = "golden-paths/index.md"
"""The hand-written golden-paths index that lists the templates."""
GOLDEN_PATHS_MARKER = "<!-- pavedroad:golden-paths -->"
"""Replaced by the table of templates on :data:`GOLDEN_PATHS_PAGE`."""
LISTED = 5
"""Entities named per template in the index; the rest are counted."""


def _cell(text: str) -> Cell:
    return [Item(text)] if text else []


def _expression(value: str) -> bool:
    return "${{" in value


def template_tables(b: ViewBuilder, e: Entity) -> list[Table]:
    """Parameters, steps and outputs of a Template entity's page."""
    params = template_parameters(e)
    paged = any(p.page for p in params)
    columns = ["Parameter", "Type", "Required", "Default", "Description"]
    parameters = Table("Parameters", ["Page", *columns] if paged else columns,
                       empty="This template asks for nothing.")
    previous = None
    for p in params[:MAX_ROWS]:
        name = [Item(p.title, note=p.name)] if p.title and p.title != p.name else [Item(p.name)]
        kind = [Item(p.type or "any", note="one of: " + ", ".join(p.choices)
                     if p.choices else None)]
        row = [name, kind, _cell("yes" if p.required else ""), _cell(p.default or ""),
               _cell(p.description)]
        if paged:
            row.insert(0, _cell(p.page) if p.page != previous else [])
            previous = p.page
        parameters.rows.append(row)
    parameters.more = max(0, len(params) - MAX_ROWS)

    steps = Table("Steps", ["Id", "Name", "Action"],
                  empty="This template has no steps.")
    all_steps = template_steps(e)
    for step in all_steps[:MAX_ROWS]:
        steps.rows.append([_cell(step.id), _cell(step.name), _cell(step.action)])
    steps.more = max(0, len(all_steps) - MAX_ROWS)

    outputs = Table("Outputs", ["Output", "Value"])
    for out in template_outputs(e)[:MAX_ROWS]:
        outputs.rows.append([_cell(out.title or out.kind), [_output_item(b, out.kind, out.value)]])
    return [parameters, steps, outputs]


def _output_item(b: ViewBuilder, kind: str, value: str) -> Item:
    if _expression(value):
        return Item(value, note="filled in when the template runs")
    if kind == "link":
        return b.url(value)
    if kind == "entity":
        try:
            return b.link(parse_ref(value, default_kind="component"))
        except InvalidRef:
            return Item(value)
    return Item(value)


def run_html(command: str) -> Markup:
    """The ``pavedroad new`` command for a template, with example parameters."""
    return Markup(
        '<div class="pr-rel pr-run-template" markdown="0"><p>Create a project from this '
        "template on your own machine (add <code>--dry-run</code> to see what it would write, "
        "<code>--values FILE</code> to give the parameters as YAML):</p>"
        f"<pre><code>{escape(command)}</code></pre></div>")


def on_path_table(b: ViewBuilder, template: EntityRef, made: list[EntityRef]) -> Table:
    """The entities created from ``template``: "N services on this path"."""
    title = f"{len(made)} {path_noun(made)} on this path" if made else "On this path"
    return b.entity_table(
        title, made,
        empty="Nothing in the catalog was created from this template yet. Entities made "
        f"from it carry the annotation backstage.io/source-template: {template}.")


class GoldenPathFeature:
    """Adds the golden-path view of templates and the templates index."""

    def __init__(self, catalog: Catalog) -> None:
        self.made = created_from(catalog)

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        if entity.ref.kind == "template":
            view.tables.insert(0, on_path_table(builder, entity.ref,
                                                self.made.get(entity.ref, [])))
            view.sections.append(Section("Run it locally", run_html(
                example_command(entity, builder.catalog)), "about", searchable=True))
        template = source_template(entity)
        if template is not None:
            at = next((i for i, (label, _) in enumerate(view.about) if label == "Defined in"),
                      len(view.about))
            view.about.insert(at, ("Golden path", [builder.link(template)]))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        rows = template_rows(catalog, self.made, GOLDEN_PATHS_PAGE)
        pages.add_insert(GOLDEN_PATHS_PAGE, GOLDEN_PATHS_MARKER,
                         renderer.html("golden_paths/templates.html.j2", rows=rows))


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """One template in the golden-paths index."""

    entity: Entity
    link: Item
    owner: Cell
    created: list[EntityRef]
    """Every entity created from it."""
    named: Cell
    """The first :data:`LISTED` of them, as links."""
    more: int
    """How many of them are not named."""


def template_rows(catalog: Catalog, made: dict[EntityRef, list[EntityRef]],
                  page: str) -> list[TemplateRow]:
    """Every template, with links relative to ``page``."""
    b = ViewBuilder(catalog, page)
    rows = []
    for template in catalog.of_kind("template"):
        ref = template.ref
        created = made.get(ref, [])
        rows.append(TemplateRow(template, b.link(ref), b.refs(b.owner(ref)), created,
                                [b.link(r) for r in created[:LISTED]],
                                max(0, len(created) - LISTED)))
    return rows
