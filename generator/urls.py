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

__all__ = ["GRAPH_PAGE", "badge_path", "entity_asset", "entity_page", "entity_page_url",
           "is_entity_page", "lookup_page", "page_url", "relative_url"]

GRAPH_PAGE = "graph/index.md"
"""The dependency graph page (the organisation's overview diagram, the cycles)."""


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
    """
    base = page_url(from_page) if from_page.endswith(".md") else posixpath.dirname(from_page)
    target = page_url(to) if to.endswith(".md") else to
    rel = _relpath(target, base)
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


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


def is_entity_page(path: str) -> bool:
    """Whether a page's source path is an entity page (``catalog/<ns>/<kind>/<name>/index.md``).

    >>> is_entity_page("catalog/default/component/a/index.md"), is_entity_page("catalog/index.md")
    (True, False)
    """
    return path.startswith("catalog/") and path.endswith("/index.md") and path.count("/") == 4


def entity_asset(ref: EntityRef, name: str) -> str:
    """Path of a file published beside an entity's page, e.g. ``entity.json``."""
    return f"{ref.path}/{name}"


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
