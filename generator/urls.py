"""Every URL in the site, defined once.

Pages, assets and links are addressed by their docs-relative source path
(``catalog/default/component/a/index.md``); MkDocs serves a page at its
directory URL (``catalog/default/component/a/``). Every stage that needs a
URL (pages, docs, graph, impact, the MkDocs adapter) asks this module.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.refs import EntityRef

__all__ = ["ADOPTION_CSV", "ADOPTION_PAGE", "CATALOG_EXPORT", "CATALOG_INDEX", "CATALOG_PAGE",
           "CHANGES_FEED", "CHANGES_PAGE", "DIAGRAM_FILE", "GRAPH_OVERVIEW_SVG", "GRAPH_PAGE",
           "HEALTH_PAGE", "HISTORY_EXPORT",
           "JUMP_INDEX", "LLMS_TXT", "PAGEFIND_DIR", "PAGEFIND_ENTITIES_DIR", "SEARCH_INDEXES",
           "SEARCH_PAGE", "SYSTEMS_PAGE", "TEAMS_PAGE",
           "EntityScope", "api_definition_asset", "badge_path", "cycle_anchor", "entity_asset",
           "entity_feed", "entity_link", "entity_page", "entity_page_url", "entity_redirect",
           "entity_scope", "is_entity_page", "jump_shard", "lookup_list", "lookup_page",
           "markdown_twin", "page_url", "relative_file", "relative_url", "safe_relative"]

CATALOG_PAGE = "catalog/index.md"
"""The searchable table of every entity."""
CATALOG_INDEX = "catalog/entities.json"
"""The rows the catalog table loads."""
TEAMS_PAGE = "teams/index.md"
SYSTEMS_PAGE = "systems/index.md"
HEALTH_PAGE = "health/index.md"
GRAPH_PAGE = "graph/index.md"
"""The dependency graph page (the organisation's overview diagram, the cycles)."""
GRAPH_OVERVIEW_SVG = "graph/systems.svg"
"""The systems diagram on its own, full size (linked under the graph page's drawing)."""
DIAGRAM_FILE = "diagram.svg"
"""An entity's diagram on its own, full size, beside its page (:func:`entity_asset`)."""
ENTITY_DATA = "entity.json"
"""An entity in Backstage's shape with its relations, beside its page (:func:`entity_asset`)."""
CATALOG_EXPORT = "catalog.json"
"""Every entity in Backstage's shape (the ``pavedroad export`` format)."""
HISTORY_EXPORT = "history.json"
"""Every entity the portal has ever shown (the next build's ``history``)."""
SEARCH_PAGE = "search/index.md"
"""Search with facets: browse the catalog and docs by kind, owner, tier … without typing."""
JUMP_INDEX = "search/jump.json"
"""The manifest of the header box's fuzzy "jump to" list (:func:`jump_shard` its files)."""
PAGEFIND_DIR = "pagefind"
"""Pagefind's index of the pages (hand-written and docs pages) and its scripts, written after
the site is built."""
PAGEFIND_ENTITIES_DIR = "pagefind-entities"
"""Pagefind's index of the entities' search documents, merged into the first in the browser."""
SEARCH_INDEXES = "search/indexes.json"
"""The Pagefind indexes the search script merges into ``pagefind/``: ``{"merge": [...]}``."""
ADOPTION_PAGE = "adoption/index.md"
"""Adoption of the golden paths: shares, exceptions, the silent ones and the trend."""
ADOPTION_CSV = "adoption.csv"
"""Every component's place on or off the paved road, one row each."""
CHANGES_PAGE = "changes/index.md"
"""What changed in the catalog, per day, newest first."""
CHANGES_FEED = "changes/feed.xml"
"""The organisation's Atom feed of changes."""
LLMS_TXT = "llms.txt"
"""The site's index for language models (the llms.txt convention), linking Markdown twins."""

EntityScope = tuple[str, str]
"""The namespace and kind of an entity page: such pages link to any entity alike."""


def entity_page(ref: EntityRef) -> str:
    """Source path of an entity's page: ``catalog/<namespace>/<kind>/<name>/index.md``."""
    return f"{ref.path}/index.md"


def page_url(path: str) -> str:
    """The directory URL MkDocs gives a page: ``a/b/index.md`` → ``a/b/``, ``a/c.md`` → ``a/c/``.

    >>> page_url("index.md"), page_url("catalog/index.md"), page_url("teams.md")
    ('', 'catalog/', 'teams/')
    """
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if path.endswith(".md") else stem


def relative_url(from_page: str, to: str) -> str:
    """URL of ``to`` (a page or asset path) relative to the page ``from_page``.

    >>> relative_url("catalog/default/component/a/index.md", "catalog/default/group/t/index.md")
    '../../group/t/'
    >>> relative_url("index.md", "catalog/entities.json")
    'catalog/entities.json'
    >>> relative_url("lookup/name/x/index.html", "catalog/default/api/x/index.md")
    '../../../catalog/default/api/x/'

    A first segment with a ``:`` would read as a scheme, so it gets ``./``:

    >>> relative_url("docs/index.md", "docs/javascript:alert(1).md")
    './javascript:alert(1)/'
    """
    base = page_url(from_page) if from_page.endswith(".md") else posixpath.dirname(from_page)
    target = page_url(to) if to.endswith(".md") else to
    rel = _relpath(target, base)
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return safe_relative(rel)


def safe_relative(url: str) -> str:
    """A relative URL that cannot read as a scheme: ``./`` before a first segment with ``:``.

    >>> safe_relative("javascript:alert(1)/"), safe_relative("../a:b/"), safe_relative("a/b:c")
    ('./javascript:alert(1)/', '../a:b/', 'a/b:c')
    """
    first = url.split("/", 1)[0]
    return f"./{url}" if ":" in first else url


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath`` for clean relative paths, without touching the file system.

    Pages link to each other hundreds of thousands of times in a large
    organisation; ``relpath`` makes both paths absolute first, which dominates.
    """
    to = [p for p in target.split("/") if p]
    start = [p for p in base.split("/") if p]
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + to[common:]
    return "/".join(parts) or "."


def entity_page_url(ref: EntityRef) -> str:
    """Site-relative directory URL of an entity's page: ``catalog/<ns>/<kind>/<name>/``."""
    return f"{ref.path}/"


def jump_shard(digest: str, part: str) -> str:
    """One file of the jump-to list (:data:`JUMP_INDEX` lists them): ``digest`` of the
    list's content, ``part`` its place in the list."""
    return f"search/jump/{digest}-{part}.json"


def is_entity_page(path: str) -> bool:
    """Whether a page's source path is an entity page (``catalog/<ns>/<kind>/<name>/index.md``).

    >>> is_entity_page("catalog/default/component/a/index.md"), is_entity_page("catalog/index.md")
    (True, False)
    """
    return path.startswith("catalog/") and path.endswith("/index.md") and path.count("/") == 4


def entity_scope(page: str) -> EntityScope | None:
    """The namespace and kind of an entity page, ``None`` for any other page.

    >>> entity_scope("catalog/default/component/a/index.md"), entity_scope("teams/index.md")
    (('default', 'component'), None)
    """
    parts = page.split("/")
    if len(parts) == 5 and parts[0] == "catalog" and parts[4] == "index.md":
        return parts[1], parts[2]
    return None


def entity_link(from_page: str, ref: EntityRef, scope: EntityScope | None = None) -> str:
    """URL of ``ref``'s page relative to ``from_page``, with ``scope`` its :func:`entity_scope`.

    The same as ``relative_url(from_page, entity_page(ref))``, built by string between
    entity pages, which link to each other by the hundred thousand.

    >>> from generator.refs import parse_ref
    >>> page = "catalog/default/component/a/index.md"
    >>> [entity_link(page, parse_ref(r), entity_scope(page))
    ...  for r in ("component:a", "component:b", "group:t", "component:ops/c")]
    ['./', '../b/', '../../group/t/', '../../../ops/component/c/']
    """
    if scope is None:
        return relative_url(from_page, entity_page(ref))
    namespace, kind = scope
    if ref.namespace != namespace:
        return f"../../../{ref.namespace}/{ref.kind}/{ref.name}/"
    if ref.kind != kind:
        return f"../../{ref.kind}/{ref.name}/"
    return "./" if from_page == f"catalog/{namespace}/{kind}/{ref.name}/index.md" \
        else f"../{ref.name}/"


def cycle_anchor(number: int) -> str:
    """Site URL of dependency cycle ``number`` (from 1) on the graph page: ``graph/#cycle-3``."""
    return f"{page_url(GRAPH_PAGE)}#cycle-{number}"


def entity_redirect(ref: EntityRef) -> str:
    """Path of the redirect left at a renamed entity's old page."""
    return f"{ref.path}/index.html"


def entity_asset(ref: EntityRef, name: str) -> str:
    """Path of a file published beside an entity's page, e.g. ``entity.json``."""
    return f"{ref.path}/{name}"


_DEFINITION_EXTENSIONS = {"yaml": "yaml", "json": "json", "graphql": "graphql",
                          "protobuf": "proto"}


def api_definition_asset(ref: EntityRef, language: str) -> str:
    """Path of an API's raw definition beside its page, with a data file's extension.

    Never ``.html`` or ``.js`` whatever the definition holds, so a browser shows it as text
    (or downloads it) and never runs it.

    >>> from generator.refs import parse_ref
    >>> api_definition_asset(parse_ref("api:orders"), "protobuf")
    'catalog/default/api/orders/definition.proto'
    >>> api_definition_asset(parse_ref("api:orders"), "html")
    'catalog/default/api/orders/definition.txt'
    """
    return entity_asset(ref, f"definition.{_DEFINITION_EXTENSIONS.get(language, 'txt')}")


def badge_path(ref: EntityRef) -> str:
    """Stable path of an entity's badge: ``badges/<namespace>/<kind>/<name>.svg``.

    >>> from generator.refs import parse_ref
    >>> badge_path(parse_ref("component:default/checkout-service"))
    'badges/default/component/checkout-service.svg'
    """
    return f"badges/{ref.namespace}/{ref.kind}/{ref.name}.svg"


def lookup_page(kind: str, key: str) -> str:
    """Path of a lookup redirect: ``lookup/<kind>/<key>/index.html``."""
    return f"lookup/{kind}/{key}/index.html"


def lookup_list(kind: str, key: str) -> str:
    """Path of the page a lookup shows when several entities match: ``…/index.md``."""
    return f"lookup/{kind}/{key}/index.md"


def entity_feed(ref: EntityRef) -> str:
    """Path of an entity's Atom feed of changes (a team's also covers what it owns)."""
    return f"{ref.path}/feed.xml"


def markdown_twin(page: str) -> str:
    """Where a page's Markdown twin is published: ``index.md`` in the page's folder.

    >>> markdown_twin("catalog/default/component/a/index.md"), markdown_twin("docs/x/run.md")
    ('catalog/default/component/a/index.md', 'docs/x/run/index.md')
    """
    return page_url(page) + "index.md"


def relative_file(from_file: str, to: str) -> str:
    """URL of the file ``to`` relative to the file ``from_file`` (both site paths).

    >>> relative_file("catalog/default/component/a/index.md", "catalog/default/group/t/index.md")
    '../../group/t/index.md'
    """
    return safe_relative(_relpath(to, posixpath.dirname(from_file)))
