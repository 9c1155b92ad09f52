"""Where each value of an entity came from, when not all from one Backstage descriptor.

Entities read from OpsLevel, Cortex, Compass or Datadog files, merged from several files
of one repository, or given an owner by CODEOWNERS get a *Sources* table (field, file and
line, how it was derived); an owner from CODEOWNERS is marked "inferred from CODEOWNERS" in
About too.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.formats import LABELS
from generator.formats.combine import INFERRED
from generator.pages.features import Section
from generator.pages.views import Item

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder

__all__ = ["OriginFeature"]



@dataclass(slots=True)
class OriginFeature:
    """Adds the Sources table and marks inferred owners."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        prov = entity.provenance
        if not prov.fields:
            return
        inferred = any(f == "spec.owner" and note == INFERRED for f, _, _, note in prov.fields)
        if inferred:
            view.about = [(label, [*cell[:-1], Item(cell[-1].text, cell[-1].href, INFERRED)]
                           if label == "Owner" and cell else cell) for label, cell in view.about]
        label = LABELS.get(prov.format, prov.format)
        rows = "\n".join(
            f"<tr><td><code>{escape(field)}</code></td> "
            f"<td><code>{escape(f'{prov.repo}: {path}:{line}')}</code></td> "
            f"<td>{escape(note)}</td></tr>"
            for field, path, line, note in prov.fields)
        html = (f'<div class="pr-rel"><p class="pr-note">Read from {escape(label)} '
                f"(<code>{escape(prov.path)}</code>); each value's file and line:</p>\n"
                "<table>\n<thead><tr><th>Field</th><th>From</th><th>Note</th></tr></thead>\n"
                f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>")
        view.sections.append(Section("Sources", Markup(html), "end"))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        """Nothing of its own: the table lives on entity pages."""
