"""Docs pages: each entity's TechDocs section, its "Docs" row, and the docs index.

The docs stage (:mod:`generator.docs`) finds and resolves the pages; this
feature publishes them. The HTML around a docs page (the section's sidebar
nav and the header line) is escaped here: every text goes through
:func:`html.escape`, every ``href`` is a computed relative URL or one that
passed :func:`~generator.validation.is_safe_url`.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from generator.docs.model import DOCS_INDEX
from generator.pages.model import AuthoredPage
from generator.pages.views import Item, ViewBuilder
from generator.urls import entity_page, relative_url
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.docs.model import DocPage, Docs, DocSite, NavNode
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView

__all__ = ["DOCS_CSS", "MERMAID_JS", "NAV_META", "DocsFeature", "edit_url", "mermaid_script",
           "page_header_html", "section_nav_html"]

DOCS_CSS = "assets/pavedroad/docs.css"
MERMAID_JS = "assets/pavedroad/mermaid.min.js"
"""Mermaid (``generator/assets/mermaid/``), published when a docs page may have a diagram."""
_MERMAID_BLOCK = 'class="mermaid"'


def mermaid_script(html: str, page: str) -> str:
    """The ``<script>`` that loads Mermaid on ``page`` (a site path), if ``html`` has a diagram.

    Material draws every ``pre.mermaid`` with a global ``mermaid`` if one is
    defined, and otherwise fetches it from a CDN: the site's own copy is loaded
    first, on the pages that have a diagram only.

    >>> mermaid_script('<pre class="mermaid"><code>graph LR</code></pre>', "docs/a/b.md")
    '<script src="../../../assets/pavedroad/mermaid.min.js"></script>'
    >>> mermaid_script("<p>none</p>", "docs/a/b.md")
    ''
    """
    if _MERMAID_BLOCK not in html:
        return ""
    return f'<script src="{escape(relative_url(page, MERMAID_JS))}"></script>'


def _may_have_mermaid(docs: Docs) -> bool:
    """Whether any page could render a Mermaid block (never fewer than do)."""
    return any("mermaid" in repr(site.extensions) or
               any("mermaid" in page.markdown for page in site.pages.values())
               for site in docs.sites.values())
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
            for path, content in site.contents.items():
                pages.add_asset(site.site_path(path), content)
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
        if _may_have_mermaid(self.docs):
            pages.add_asset(MERMAID_JS, resources.files("generator").joinpath(
                "assets", "mermaid", "mermaid.min.js").read_bytes())



def _section(catalog: Catalog, site: DocSite) -> dict[str, AuthoredPage]:
    """The pages of one docs site, by site path."""
    entity = catalog.get(site.ref)
    title = entity.title if entity else site.ref.name
    shared = []
    for ref in site.shared_with:
        other = catalog.get(ref)
        shared.append((other.title if other else ref.short(), entity_page(ref)))
    return {site.site_path(path): AuthoredPage(
        markdown=page.markdown, links=page.links,
        title=title if path == "index.md" else page.title,
        header=page_header_html(site, page, title, shared),
        meta={NAV_META: section_nav_html(site, path, title), "search": SEARCH},
        edit_url=edit_url(site, page), extensions=site.extensions)
        for path, page in site.pages.items()}


def _items(site: DocSite, nodes: list[NavNode] | tuple[NavNode, ...], here: str,
           current: str) -> str:
    out = []
    for node in nodes:
        if node.children:
            out.append('<li class="md-nav__item pr-docs-nav__section">'
                       f'<span class="pr-docs-nav__heading">{escape(node.title)}</span>'
                       '<nav class="md-nav"><ul class="md-nav__list">'
                       f"{_items(site, node.children, here, current)}</ul></nav></li>")
        elif node.page is not None:
            active = " md-nav__link--active" if node.page == current else ""
            href = relative_url(here, site.site_path(node.page))
            out.append(f'<li class="md-nav__item"><a class="md-nav__link{active}" '
                       f'href="{escape(href)}"><span class="md-ellipsis">{escape(node.title)}'
                       "</span></a></li>")
        elif node.url and is_safe_url(node.url):
            out.append(f'<li class="md-nav__item"><a class="md-nav__link" '
                       f'href="{escape(node.url)}" rel="noopener nofollow">'
                       f'<span class="md-ellipsis">{escape(node.title)}</span></a></li>')
    return "".join(out)


def section_nav_html(site: DocSite, current: str, entity_title: str) -> str:
    """The section's own nav for the sidebar of page ``current`` (a path inside the section)."""
    here = site.site_path(current)
    home = relative_url(here, site.index)
    entity = relative_url(here, entity_page(site.ref))
    return (f'<nav class="md-nav md-nav--primary pr-docs-nav" aria-label="{escape(site.title)}">'
            f'<div class="pr-docs-nav__title"><a href="{escape(home)}">{escape(site.title)}</a>'
            f'<a class="pr-docs-nav__entity" href="{escape(entity)}">{escape(entity_title)} in '
            "the catalog</a></div>"
            f'<ul class="md-nav__list">{_items(site, site.nav, here, current)}</ul>'
            f'<a class="pr-docs-nav__all" href="{escape(relative_url(here, "docs/index.md"))}">'
            "All docs</a></nav>")


def page_header_html(site: DocSite, page: DocPage, entity_title: str,
                     shared: list[tuple[str, str]]) -> str:
    """The line above a docs page: whose docs, the entity's ref, edit and source links.

    It is part of the page's searchable content, so searching for a
    service's name or ref finds its docs.
    """
    here = site.site_path(page.path)
    entity = relative_url(here, entity_page(site.ref))
    parts = [f'<p class="pr-kicker pr-docs-header"><span class="pr-kind">Docs</span> '
             f'<a href="{escape(entity)}">{escape(entity_title)}</a> '
             f'<code class="pr-ref">{escape(str(site.ref))}</code>']
    if shared and page.path == "index.md":
        links = ", ".join(f'<a href="{escape(relative_url(here, entity_page_path))}">'
                          f"{escape(title)}</a>" for title, entity_page_path in shared)
        parts.append(f' <span class="pr-note">(also the docs of {links})</span>')
    actions = []
    if site.source:
        edit = site.source.edit_url(_from_docs_dir(site, page))
        view = site.source.view_url(_from_docs_dir(site, page))
        if edit and is_safe_url(edit):
            actions.append(f'<a href="{escape(edit)}" rel="noopener nofollow">Edit this page</a>')
        if view and is_safe_url(view):
            actions.append(f'<a href="{escape(view)}" rel="noopener nofollow">View source</a>')
    if actions:
        parts.append(f' <span class="pr-docs-actions">{" · ".join(actions)}</span>')
    parts.append("</p>")
    return "".join(parts)


def _from_docs_dir(site: DocSite, page: DocPage) -> str:
    """The page's file relative to ``docs_dir`` (as ``edit_uri`` expects)."""
    prefix = site.docs_dir.rstrip("/") + "/"
    return page.source[len(prefix):] if page.source.startswith(prefix) else page.source


def edit_url(site: DocSite, page: DocPage) -> str | None:
    """Where to edit ``page`` in its repository, if known."""
    if site.source is None:
        return None
    url = site.source.edit_url(_from_docs_dir(site, page))
    return url if url and is_safe_url(url) else None
