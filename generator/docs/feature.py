"""The docs feature: a "Docs" row on entity pages, the docs pages, and the docs index."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from generator.docs.html import edit_url, page_header_html, section_nav_html
from generator.docs.model import DOCS_INDEX
from generator.pages.model import AuthoredPage
from generator.pages.views import Item, ViewBuilder
from generator.urls import entity_page, relative_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.docs.model import Docs, DocSite
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView

__all__ = ["DOCS_CSS", "NAV_META", "DocsFeature"]

DOCS_CSS = "assets/pavedroad/docs.css"
NAV_META = "pr_docs_nav"
"""``page.meta`` key holding a docs page's section nav (finished HTML); see overrides/main.html."""
SEARCH = {"boost": 0.5}
"""Docs pages rank below the entity page itself when both match (a name, say)."""


class DocsFeature:
    """Adds each entity's docs to the portal (see :mod:`generator.docs.collect`)."""

    def __init__(self, docs: Docs, catalog: Catalog) -> None:
        self.docs = docs
        self.pages: dict[str, AuthoredPage] = {}
        """Site path → docs page, known before the catalog's pages are built."""
        for site in docs.sites.values():
            self.pages.update(_section(catalog, site))

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        link = self.docs.links.get(entity.ref)
        if link is None:
            return
        site = self.docs.sites[link.site]
        note = None
        if link.shared:
            owner = builder.catalog.get(link.site)
            owner_title = owner.title if owner else link.site.short()
            note = "shared" if owner_title == site.title else f"docs of {owner_title}"
        item = Item(site.title, relative_url(builder.page, link.page), note)
        at = next((i for i, (label, _) in enumerate(view.about) if label == "Defined in"),
                  len(view.about))
        view.about.insert(at, ("Docs", [item]))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        for path, page in self.pages.items():
            pages.add_authored(path, page)
        for site in self.docs.sites.values():
            for path, source in site.files.items():
                pages.add_file(site.site_path(path), source)
        builder = ViewBuilder(catalog, DOCS_INDEX)
        rows = []
        for site in sorted(self.docs.sites.values(), key=lambda s: (s.title.lower(), s.ref)):
            entity = catalog.get(site.ref)
            rows.append({
                "docs": Item(site.title, relative_url(DOCS_INDEX, site.index)),
                "entities": builder.refs([site.ref, *site.shared_with]),
                "owner": builder.refs(builder.owner(site.ref)),
                "pages": len(site.pages),
                "description": site.description or (entity.description if entity else ""),
            })
        pages.add_page(DOCS_INDEX, renderer.render("docs.md.j2", sites=rows,
                                                   pages=self.docs.page_count), listed=True)
        pages.nav.append({"Docs": DOCS_INDEX})
        pages.add_asset(DOCS_CSS, resources.files("generator").joinpath(
            "assets", "docs.css").read_bytes())
        pages.extra_css.append(DOCS_CSS)



def _section(catalog: Catalog, site: DocSite) -> dict[str, AuthoredPage]:
    """The pages of one docs site, by site path."""
    entity = catalog.get(site.ref)
    title = entity.title if entity else site.ref.name
    shared = []
    for ref in site.shared_with:
        other = catalog.get(ref)
        shared.append((other.title if other else ref.short(), entity_page(ref)))
    return {site.site_path(path): AuthoredPage(
        markdown=page.markdown,
        title=title if path == "index.md" else page.title,
        header=page_header_html(site, page, title, shared),
        meta={NAV_META: section_nav_html(site, path, title), "search": SEARCH},
        edit_url=edit_url(site, page)) for path, page in site.pages.items()}
