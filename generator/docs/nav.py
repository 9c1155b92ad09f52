"""A docs section's navigation: from ``mkdocs.yml``'s ``nav``, else in directory order.

A ``nav`` entry naming a folder (``- user-guide/``, as mkdocs-literate-nav
and mkdocs-awesome-pages allow) is that folder's pages in directory order.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from generator.docs.model import NavNode
from generator.docs.paths import page_path, title_from_name
from generator.problems import Severity
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from generator.docs.config import NavEntry
    from generator.docs.model import DocSite, Report

__all__ = ["config_nav", "dir_order", "directory_nav", "find_page"]


def config_nav(site: DocSite, entries: list[NavEntry], sources: dict[str, str],
               report: Report, config_rel: str | None) -> list[NavNode]:
    """The nav ``mkdocs.yml`` writes; entries naming no page or an unsafe URL are left out.

    ``sources`` maps each file as written (relative to ``docs_dir``) to its
    path in the section; problems go to ``report`` against ``config_rel``.
    """
    nodes: list[NavNode] = []
    for entry in entries:
        if entry.is_section:
            children = config_nav(site, list(entry.children), sources, report, config_rel)
            if children:
                nodes.append(NavNode(entry.title or "", children=tuple(children)))
            continue
        target = entry.target or ""
        if "://" in target or target.startswith(("mailto:", "//")):
            if is_safe_url(target):
                nodes.append(NavNode(entry.title or target, url=target))
            else:
                report(Severity.WARNING, "docs-config",
                       f"mkdocs.yml: nav link '{target}' is not an http, https or mailto URL; "
                       "it is left out", config_rel, entry.line)
            continue
        inner = posixpath.normpath(target.lstrip("/")) if target else ""
        if target and (target.endswith("/") or inner not in sources) and \
                (children := directory_nav(site, inner)):
            title = entry.title or (title_from_name(posixpath.basename(inner))
                                    if inner != "." else site.title)
            nodes.append(NavNode(title, children=tuple(children)))
            continue
        path = sources.get(inner)
        if path is None or path not in site.pages:
            report(Severity.WARNING, "docs-nav-missing",
                   f"mkdocs.yml: nav names '{target}', which is not a page of "
                   f"'{site.docs_dir}'", config_rel, entry.line)
            continue
        nodes.append(NavNode(entry.title or site.pages[path].title, page=path))
    return nodes


def dir_order(path: str) -> tuple:
    """Directory order: in each folder, ``index.md`` first, then names, sub-folders after pages.

    >>> sorted(["b/x.md", "z.md", "index.md", "a.md"], key=dir_order)
    ['index.md', 'a.md', 'z.md', 'b/x.md']
    """
    parts = path.split("/")
    key = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key.append((not last, part != "index.md", part.lower()))
    return tuple(key)


def directory_nav(site: DocSite, folder: str = ".") -> list[NavNode]:
    """The nav MkDocs builds without ``nav:`` (of ``folder`` only): folders become sections."""
    tree: dict = {}
    prefix = "" if folder in ("", ".") else folder.strip("/") + "/"
    for path in site.pages:
        if not path.startswith(prefix):
            continue
        node = tree
        for part in path[len(prefix):].split("/")[:-1]:
            node = node.setdefault(part + "/", {})
        node[path] = None

    def build(node: dict) -> list[NavNode]:
        out = []
        for key, child in node.items():
            if child is None:
                out.append(NavNode(site.pages[key].title, page=key))
            else:
                out.append(NavNode(title_from_name(key[:-1]), children=tuple(build(child))))
        return out

    return build(tree)


def find_page(pages: dict[str, object], sub: str) -> str | None:
    """The page of a section (``pages``, in nav order) that ``sub`` (``guide``, ``guide/``,
    ``guide.md``) names; the first page for ``/``."""
    sub = posixpath.normpath(unquote(sub)).strip("/")
    for candidate in (page_path(sub), f"{sub}/index.md", f"{sub}.md"):
        if candidate in pages:
            return candidate
    if sub in ("", "."):
        return next(iter(pages), None)
    return None
