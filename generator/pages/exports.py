"""Exports and history: machine-readable catalog files, and pages for removed entities.

* ``catalog.json`` at the site root: every entity in Backstage's shape with
  its relations, and sections such as ``adoption`` (the ``pavedroad export``
  format); ``entity.json`` beside each entity page.
* ``history.json`` at the site root: every entity the portal has ever shown.
  Give the previous site's copy to the next build (plugin option ``history``)
  and an entity that disappears leaves a page saying so instead of a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from generator.catalog import location_of
from generator.export import catalog_export_of, entity_json, entity_line
from generator.history import history_json
from generator.pages.html import item_html
from generator.pages.model import GeneratedPage
from generator.pages.text import front_matter_title
from generator.pages.views import Item, ViewBuilder
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.urls import (
    CATALOG_EXPORT,
    CATALOG_PAGE,
    ENTITY_DATA,
    HISTORY_EXPORT,
    entity_asset,
    entity_page,
    relative_url,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView

__all__ = ["ExportFeature"]

@dataclass(slots=True)
class ExportFeature:
    """Adds catalog.json, entity.json files, history.json and removed-entity pages."""

    history: dict[EntityRef, dict] = field(default_factory=dict)
    """The previous build's history."""
    renamed: dict[EntityRef, EntityRef] = field(default_factory=dict)
    """Old ref → new ref (:func:`generator.policies.renames`): renamed entities redirect
    rather than show as removed."""
    facts: dict[EntityRef, dict] | None = None
    """This build's facts per entity (:func:`generator.changes.entity_facts`); by default
    kind, title, owner and location only."""
    sections: dict[str, object] = field(default_factory=dict)
    """history.json's other sections (the change log …), written as given."""
    catalog_sections: dict[str, object] = field(default_factory=dict)
    """catalog.json's sections beside its entities (``adoption`` …)."""
    kept: Mapping[str, bytes] = field(default_factory=dict)
    """``entity.json`` files the build before made of the same inputs
    (:class:`generator.portalmemo.Earlier`), taken as they are."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        view.about.append(("Data", [Item(ENTITY_DATA, ENTITY_DATA)]))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        lines = []
        for ref, entity in catalog.entities.items():
            path = entity_asset(ref, ENTITY_DATA)
            kept = self.kept.get(path)
            line = kept[:-1].decode() if kept is not None else entity_line(
                entity_json(catalog, entity))
            lines.append(line)
            pages.add_asset(path, kept if kept is not None else line + "\n")
        pages.add_asset(CATALOG_EXPORT, catalog_export_of(  # = pavedroad export
            lines, self.catalog_sections))
        entries = {}
        facts = self.facts or {}
        for ref, entity in catalog.entities.items():
            owners = catalog.related(ref, "ownedBy")
            entries[ref] = {"kind": entity.kind, "title": entity.title,
                            "owner": str(owners[0]) if owners else "",
                            **facts.get(ref, {}), "location": location_of(entity)}
        for ref, last in sorted(self.history.items()):
            if ref in catalog.entities or ref in self.renamed:
                continue
            entries[ref] = {**last, "removed": True}
            pages.add_page(entity_page(ref), _removed_page(catalog, ref, last))
        pages.add_asset(HISTORY_EXPORT, history_json(entries, self.sections))


def _removed_page(catalog: Catalog, ref: EntityRef, last: dict) -> GeneratedPage:
    page = entity_page(ref)
    title = last.get("title") or ref.name
    owner = last.get("owner")
    owner_html = ""
    if owner:
        try:
            owner_ref: EntityRef | None = parse_ref(owner)
        except InvalidRef:
            owner_ref = None
        if owner_ref is not None and owner_ref in catalog.entities:
            link = item_html(ViewBuilder(catalog, page).link(owner_ref))
            owner_html = f"<p>It was owned by {link}.</p>"
        else:
            owner_html = f"<p>It was owned by <code>{escape(owner)}</code>.</p>"
    html = (f'<div class="pr-problems"><p><strong>{escape(str(ref))}</strong> is no longer in '
            f"the catalog: its descriptor was removed or renamed without "
            f"<code>pavedroad.dev/previous-names</code>.</p>{owner_html}"
            f'<p>Search the <a href="{relative_url(page, CATALOG_PAGE)}">catalog</a> '
            "for what replaced it.</p></div>")
    markdown = (f"---\ntitle: {front_matter_title(title + ' (removed)')}\n---\n\n"
                "<!--pr:0-->\n")
    return GeneratedPage(markdown, {"<!--pr:0-->": html})
