"""Search: what the index holds for each entity, the "jump to" list and the search page.

An entity's page is mostly relation tables and diagrams; search needs its
names and what it is. :class:`SearchFeature` writes one small HTML document
per entity (:class:`~generator.pages.model.SearchDocument`): its title and
every name it answers to (name, ref, aliases, previous names, PagerDuty
service id) weighted above its description, with Pagefind's metadata (kind,
owner, description) and filters (kind, type, owner, lifecycle, tier, system,
tag). Docs pages are indexed from their own HTML with their entity's name and
owner added (:class:`~generator.pages.model.SearchContext`). ``search/jump.json``
lists every entity's names compactly for the header box's fuzzy matching, and
``search/`` browses the facets without typing.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from generator.formats.common import ALIASES
from generator.pages.model import GeneratedPage, SearchContext, SearchDocument
from generator.policies import PAGERDUTY_ANNOTATION, previous_refs
from generator.urls import CATALOG_PAGE, JUMP_INDEX, SEARCH_PAGE, entity_page_url, relative_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.docs import Docs
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["FACETS", "SEARCH_ASSETS", "SearchFeature", "entity_document", "jump_list"]

FACETS = ("section", "kind", "type", "owner", "lifecycle", "tier", "system", "tag")
"""The filters every result may carry, in the order the search page shows them."""
SECTIONS = ("Entities", "Docs", "Pages")
"""Values of the ``section`` filter: results are shown in this order."""
SEARCH_ASSETS = ("assets/pavedroad/search.js", "assets/pavedroad/search.css")
DESCRIPTION_META = 300
"""Characters of a description kept for the result (the index keeps it whole)."""


def display_name(entity: Entity) -> str:
    """How a person or team is shown: ``spec.profile.displayName``, else the title."""
    profile = entity.spec.get("profile")
    name = profile.get("displayName") if isinstance(profile, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else entity.title


def _title(catalog: Catalog, ref: EntityRef) -> str:
    entity = catalog.get(ref)
    return display_name(entity) if entity is not None else ref.short()


def _names(entity: Entity) -> list[str]:
    """Every name the entity answers to besides its title, each once."""
    names = [entity.name, str(entity.ref)]
    names += entity.annotations.get(ALIASES, "").replace(",", " ").split()
    for text, old in previous_refs(entity):
        names += [text] + ([old.name] if old is not None else [])
    service = entity.annotations.get(PAGERDUTY_ANNOTATION, "").strip()
    if service:
        names.append(service)
    return list(dict.fromkeys(n for n in names if n))


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


def entity_document(catalog: Catalog, entity: Entity) -> SearchDocument:
    """The HTML document the search index reads for ``entity`` (every value escaped)."""
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
            f'<p data-pagefind-weight="9">{escape(" ".join(_names(entity)))}</p>'
            f'<p>{escape(entity.description)}</p><p>{escape(about)}</p>'
            f'{context_html(SearchContext(tuple(meta), tuple(facets)))}'
            f'</main></body></html>')
    return SearchDocument(entity_page_url(ref), html)


def jump_list(catalog: Catalog) -> str:
    """Every entity's kind, namespace, name, title and other names, compactly.

    ``{"kinds": [...], "entities": [[kind index, namespace or "", name, title or "",
    other names...], ...]}``: the page URL is ``catalog/<namespace>/<kind>/<name>/``
    (namespace ``default`` when empty); a title equal to the name is left out.
    """
    kinds = sorted({ref.kind for ref in catalog.entities})
    index = {kind: i for i, kind in enumerate(kinds)}
    rows = []
    for ref, entity in sorted(catalog.entities.items()):
        others = _names(entity)[2:]
        rows.append([index[ref.kind], "" if ref.namespace == "default" else ref.namespace,
                     ref.name, "" if entity.title == ref.name else entity.title, *others])
    return json.dumps({"kinds": kinds, "entities": rows}, ensure_ascii=False,
                      separators=(",", ":"))


class SearchFeature:
    """Adds the search documents, the jump-to list, the search page and its script."""

    def __init__(self, docs: Docs | None = None) -> None:
        self.docs = docs

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        return None

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        pages.search = [entity_document(catalog, entity)
                        for _ref, entity in sorted(catalog.entities.items())]
        for site in (self.docs.sites.values() if self.docs else ()):
            entity = catalog.get(site.ref)
            title = entity.title if entity else site.ref.short()
            filters = [("section", "Docs")]
            if entity is not None:
                filters += [(k, v) for k, v in _facets(catalog, entity) if k in ("owner",
                                                                                  "system")]
            context = SearchContext((("entity", title), ("entity_url", entity_page_url(
                site.ref))), tuple(filters))
            for path in site.pages:
                pages.search_context[site.site_path(path)] = context
        pages.add_asset(JUMP_INDEX, jump_list(catalog))
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
