"""Escaped HTML around docs pages: the section's sidebar nav and the page header.

Every text goes through :func:`html.escape`; every ``href`` is a computed
relative URL or one that passed :func:`~generator.validation.is_safe_url`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from generator.urls import entity_page, relative_url
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from generator.docs.model import DocPage, DocSite, NavNode

__all__ = ["page_header_html", "section_nav_html"]


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
