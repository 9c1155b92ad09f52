"""Search: what the index holds for each entity, the "jump to" list and the search page.

An entity's page is mostly relation tables and diagrams; search needs its
names and what it is. :class:`SearchFeature` writes one small HTML document
per entity (:class:`~generator.pages.model.SearchDocument`): its title and
every name it answers to (name, ref, aliases, previous names, PagerDuty
service id) weighted above its description, with Pagefind's metadata (kind,
owner, description) and filters (kind, type, owner, lifecycle, tier, system,
tag). Docs pages are indexed from their own HTML with their entity's name and
owner added (:class:`~generator.pages.model.SearchContext`). The jump-to list of
every entity's names for the header box's fuzzy matching comes from
:mod:`~generator.pages.search_jump`, and ``search/`` browses the facets without typing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape, unescape
from importlib import resources
from typing import TYPE_CHECKING

from generator.pages.model import GeneratedPage, SearchContext, SearchDocument
from generator.pages.search_jump import entity_names, jump_files
from generator.urls import (
    CATALOG_PAGE,
    SEARCH_PAGE,
    entity_page,
    entity_page_url,
    relative_url,
)

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.docs import Docs
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["FACETS", "SEARCH_ASSETS", "SearchFeature", "entity_document"]

FACETS = ("section", "kind", "type", "owner", "lifecycle", "tier", "system", "tag")
"""The filters every result may carry, in the order the search page shows them."""
SECTIONS = ("Entities", "Docs", "Pages")
"""Values of the ``section`` filter: results are shown in this order."""
SEARCH_ASSETS = ("assets/pavedroad/search.js", "assets/pavedroad/search.css")
MAX_SECTIONS = 100_000
"""Characters of an entity page's searchable sections (an API reference) in its document."""
DESCRIPTION_META = 300
"""Characters of a description kept for the result (the index keeps it whole)."""


def _title(catalog: Catalog, ref: EntityRef) -> str:
    """How an entity is shown (its title: a person's or team's display name), as on its page."""
    entity = catalog.get(ref)
    return entity.title if entity is not None else ref.short()


def _facets(catalog: Catalog, entity: Entity) -> list[tuple[str, str]]:
    ref = entity.ref
    owners = [_title(catalog, o) for o in catalog.related(ref, "ownedBy")]
    systems = [_title(catalog, s) for s in catalog.related(ref, "partOf") if s.kind == "system"]
    tier = entity.labels.get("tier") or entity.annotations.get("tier")
    facets = [("section", "Entities"), ("kind", ref.kind)]
    facets += [("type", entity.type)] if entity.type else []
    facets += [("owner", o) for o in owners]
    facets += [("lifecycle", entity.lifecycle)] if entity.lifecycle else []
    facets += [("tier", str(tier))] if tier else []
    facets += [("system", s) for s in systems]
    facets += [("tag", t) for t in entity.tags]
    return facets


def _hidden(pairs: list[tuple[str, str]], attribute: str) -> str:
    return "".join(f'<span data-pagefind-{attribute}="{escape(key)}">{escape(value)}</span>'
                   for key, value in pairs)


def context_html(context: SearchContext) -> str:
    """The hidden element that gives Pagefind a page's metadata and filters."""
    return (f'<div hidden data-pagefind-ignore>{_hidden(list(context.meta), "meta")}'
            f'{_hidden(list(context.filters), "filter")}</div>')


def entity_document(catalog: Catalog, entity: Entity,
                    sections: Iterable[tuple[str, str, str]] = ()) -> SearchDocument:
    """The HTML document the search index reads for ``entity`` (every value escaped).

    ``sections`` are the page's searchable sections (an API's reference, a template's
    command) as ``(anchor, title, escaped text)``, kept up to ``MAX_SECTIONS`` characters.
    """
    ref = entity.ref
    facets = _facets(catalog, entity)
    owner = ", ".join(v for k, v in facets if k == "owner")
    what = " ".join(filter(None, [ref.kind, entity.type]))
    meta = [("kind", what), ("owner", owner), ("ref", str(ref)),
            ("description", entity.description[:DESCRIPTION_META])]
    about = " · ".join(filter(None, [
        what, f"owner {owner}" if owner else "",
        ", ".join(f"system {v}" for k, v in facets if k == "system"),
        ", ".join(v for k, v in facets if k == "tag")]))
    html = (f'<html lang="en"><body><main data-pagefind-body>'
            f'<h1 data-pagefind-weight="10" data-pagefind-sort="title">{escape(entity.title)}</h1>'
            f'<p data-pagefind-weight="9">{escape(" ".join(entity_names(entity)))}</p>'
            f'<p>{escape(entity.description)}</p><p>{escape(about)}</p>{_sections(sections)}'
            f'{context_html(SearchContext(tuple(meta), tuple(facets)))}'
            f'</main></body></html>')
    return SearchDocument(entity_page_url(ref), html)


def _sections(sections: Iterable[tuple[str, str, str]]) -> str:
    out, left = [], MAX_SECTIONS
    for _anchor, title, text in sections:
        if left <= 0:
            break
        plain = unescape(text)[:left]
        left -= len(plain)
        out.append(f"<section><h2>{escape(unescape(title))}</h2><p>{escape(plain)}</p></section>")
    return "".join(out)


class SearchFeature:
    """Adds the search documents, the jump-to list, the search page and its script."""

    def __init__(self, docs: Docs | None = None, kept: Mapping[str, str] | None = None) -> None:
        self.docs = docs
        self.kept = kept or {}
        """Page URL → an entity's search document the build before made of the same inputs
        (:class:`generator.portalmemo.Earlier`), taken as it is."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        return None

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        pages.search = []
        for ref, entity in sorted(catalog.entities.items()):
            if (html := self.kept.get(url := entity_page_url(ref))) is not None:
                pages.search.append(SearchDocument(url, html))
                continue
            page = pages.pages.get(entity_page(ref))
            sections = page.search[2:] if page is not None and page.search else ()
            pages.search.append(entity_document(catalog, entity, sections))
        for site in (self.docs.sites.values() if self.docs else ()):
            entity = catalog.get(site.ref)
            title = _title(catalog, site.ref)
            filters = [("section", "Docs")]
            if entity is not None:
                filters += [(k, v) for k, v in _facets(catalog, entity) if k in ("owner",
                                                                                  "system")]
            context = SearchContext((("entity", title), ("entity_url", entity_page_url(
                site.ref))), tuple(filters))
            for path in site.pages:
                pages.search_context[site.site_path(path)] = context
        for path, content in jump_files(catalog).items():
            pages.add_asset(path, content)
        pages.add_page(SEARCH_PAGE, _search_page())
        for asset in SEARCH_ASSETS:
            name = asset.rsplit("/", 1)[1]
            pages.add_asset(asset, resources.files("generator").joinpath(
                "assets", name).read_bytes())
        pages.extra_javascript.append(SEARCH_ASSETS[0])
        pages.extra_css.append(SEARCH_ASSETS[1])


def _search_page() -> GeneratedPage:
    labels = {"section": "Results", "kind": "Kind", "type": "Type", "owner": "Owner",
              "lifecycle": "Lifecycle", "tier": "Tier", "system": "System", "tag": "Tag"}
    facets = "".join(f'<fieldset class="pr-facet" data-facet="{f}" hidden><legend>{labels[f]}'
                     f'</legend></fieldset>' for f in FACETS)
    catalog = escape(relative_url(SEARCH_PAGE, CATALOG_PAGE))
    html = (f'<div class="pr-search-page">\n'
            f'<form class="pr-search-form" role="search" aria-label="Search the portal">'
            f'<input type="search" name="q" aria-label="Search the portal" '
            f'placeholder="Search names, owners, docs" autocomplete="off"></form>\n'
            f'<div class="pr-search-layout"><div class="pr-facets" aria-label="Filters">'
            f'{facets}</div>\n<div class="pr-search-output"><p class="pr-search-count" '
            f'aria-live="polite">Loading the search index…</p>'
            f'<ol class="pr-search-results"></ol></div></div>\n'
            f'<noscript><p>Search needs JavaScript; the <a href="{catalog}">catalog</a> '
            f'lists every entity.</p></noscript>\n</div>')
    markdown = ("---\ntitle: Search\nhide:\n  - navigation\n  - toc\n---\n\n"
                "# Search\n\n<!--pr:0-->\n")
    return GeneratedPage(markdown, {"<!--pr:0-->": html})
