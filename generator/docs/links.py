"""Links in repository docs, resolved to their place in the portal.

:class:`LinkIndex` is plain data: where every page, file and folder of every
docs section is published, which entities have a page and which have docs.
:func:`resolve_link` maps one URL written on a page to the URL the site
needs, or says why it cannot (a problem code and message, which the caller
reports with the file and line). A page's own context (:class:`PageLinks`)
is plain data too, so resolving needs nothing but these two.

Written links and what they become:

* ``page.md``, ``../other/``, ``/img/a.png`` (relative to ``docs_dir``):
  the published page or file, as a relative URL;
* a repository file outside ``docs_dir``: its repository-browser URL;
* ``entity:component:default/name`` and ``docs:component:default/name/page.md``:
  the entity's page or a page of its docs;
* ``https://…``, ``mailto:…``, ``#anchor``: unchanged.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from generator.docs.nav import find_page
from generator.docs.paths import inside, posix_rel
from generator.refs import InvalidRef, parse_ref
from generator.urls import entity_page, relative_url

if TYPE_CHECKING:
    from generator.docs.markdown import LinkKind
    from generator.docs.model import DocPage, Docs, DocSite, DocsLink, SourceLinks
    from generator.refs import EntityRef

__all__ = ["LinkIndex", "LinkProblem", "PageLinks", "link_index", "resolve_html_link",
           "resolve_link"]

LinkProblem = tuple[str, str]
"""``(code, message)`` for a link that cannot be resolved."""


@dataclass(slots=True)
class LinkIndex:
    """Where everything a docs link can name is published."""

    targets: dict[str, str] = field(default_factory=dict)
    """Absolute path (as written, normalised) → site path, for every page, file and folder."""
    entities: frozenset[EntityRef] = frozenset()
    """Entities with a page in the catalog."""
    docs: dict[EntityRef, DocsLink] = field(default_factory=dict)
    """Entity → its "Docs" link."""
    sections: dict[EntityRef, tuple[str, dict[str, None]]] = field(default_factory=dict)
    """Entity with a docs section → the section's base path and page paths, in nav order."""


@dataclass(frozen=True, slots=True)
class PageLinks:
    """One page, as far as resolving its links needs to know."""

    here: str
    """Site path of the page."""
    page_dir: Path
    """Folder of the page's Markdown file."""
    docs_dir: Path
    """The section's ``docs_dir``; ``/…`` links are relative to it."""
    repo_root: Path
    docs_dir_rel: str
    """``docs_dir`` relative to the repository."""
    source: SourceLinks | None
    """The section's repository-browser URLs, for files outside ``docs_dir``."""
    namespace: str
    """Default namespace of ``entity:``/``docs:`` refs."""
    path: str = ""
    """The page's path inside its section (``guide/page.md``), for raw HTML links."""

    @classmethod
    def of(cls, site: DocSite, page: DocPage) -> PageLinks:
        root = site.repo.root
        return cls(site.site_path(page.path), Path(os.path.normpath(root / page.source)).parent,
                   Path(os.path.normpath(root / site.docs_dir)), root, site.docs_dir,
                   site.source, site.ref.namespace, page.path)


def link_index(docs: Docs, entities: frozenset[EntityRef]) -> LinkIndex:
    """The index of every section of ``docs`` (``entities``: those with a page)."""
    index = LinkIndex(entities=entities, docs=dict(docs.links))
    for ref, site in docs.sites.items():
        index.sections[ref] = (site.base, dict.fromkeys(site.pages))
        _add_targets(index.targets, site)
    return index


def _add_targets(targets: dict[str, str], site: DocSite) -> None:
    root = site.repo.root
    docs_dir = Path(os.path.normpath(root / site.docs_dir))
    targets.setdefault(str(docs_dir), site.index)
    for path, page in site.pages.items():
        where = site.site_path(path)
        targets.setdefault(os.path.normpath(root / page.source), where)
        if posixpath.basename(path) == "index.md":
            folder = posixpath.dirname(site.renamed.get(path, path))
            targets.setdefault(os.path.normpath(docs_dir / folder), where)
    for path in [*site.files, *site.contents]:
        targets.setdefault(os.path.normpath(docs_dir / site.renamed.get(path, path)),
                           site.site_path(path))


def resolve_link(index: LinkIndex, page: PageLinks, url: str, kind: LinkKind
                 ) -> tuple[str | None, LinkProblem | None]:
    """``(new url, None)``, or ``(None, problem)`` when ``url`` leads nowhere in the site."""
    what = "image" if kind == "image" else "link"
    parts = urlsplit(url.strip())
    suffix = (f"?{parts.query}" if parts.query else "") + \
        (f"#{parts.fragment}" if parts.fragment else "")
    if parts.scheme in ("entity", "docs"):
        target = _entity_target(index, page, parts.scheme, unquote(parts.path))
        if target is None:
            return None, ("docs-broken-link",
                          f"{what} '{url}' names no entity with "
                          f"{'docs' if parts.scheme == 'docs' else 'a page'} in the catalog "
                          "(write e.g. entity:component:default/name, or "
                          "docs:component:default/name/page.md)")
        return relative_url(page.here, target) + suffix, None
    if parts.scheme or parts.netloc or url.startswith("//") or not parts.path:
        return url, None
    path = unquote(parts.path)
    if path.startswith("/"):
        target_path = Path(os.path.normpath(page.docs_dir / path.lstrip("/")))
    else:
        target_path = Path(os.path.normpath(page.page_dir / path))
    found = index.targets.get(str(target_path))
    if found is None and kind != "html" and not path.startswith("/") and \
            not path.lower().endswith(".md"):
        found = _served_target(index, page, path)  # as the browser resolves it on MkDocs' site
    if found is not None:
        return relative_url(page.here, found) + suffix, None
    root = page.repo_root
    if target_path.is_relative_to(root) and inside(root, target_path) is not None and \
            os.path.exists(target_path):
        shown = posix_rel(root, target_path)
        view = page.source.view_url(posixpath.relpath(shown, page.docs_dir_rel)) \
            if page.source else None
        if view:
            return view + (f"#{parts.fragment}" if parts.fragment else ""), None
        return None, ("docs-link-outside",
                      f"{what} '{url}' points to '{shown}', which is outside the docs folder "
                      f"'{page.docs_dir_rel}' and so not in the site; move it into the docs "
                      "folder or set backstage.io/source-location")
    if target_path.is_relative_to(root):
        return None, ("docs-broken-link", f"{what} '{url}' points to "
                      f"{posix_rel(root, target_path)!r}, which does not exist")
    return None, ("docs-broken-link",
                  f"{what} '{url}' points outside the repository, to no aggregated docs page")


def resolve_html_link(index: LinkIndex, page: PageLinks, url: str
                      ) -> tuple[str | None, LinkProblem | None]:
    """Like :func:`resolve_link`, for a URL in raw HTML, which the browser resolves.

    MkDocs leaves raw HTML as written, so on the authors' own site it is
    relative to the page's *URL* (``guide/page.md`` is served at
    ``guide/page/``): that is tried first, then the page's file, as on GitHub.
    """
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or url.startswith("//") or not parts.path \
            or parts.path.startswith("/"):
        return resolve_link(index, page, url, "html")
    suffix = (f"?{parts.query}" if parts.query else "") + \
        (f"#{parts.fragment}" if parts.fragment else "")
    found = _served_target(index, page, unquote(parts.path))
    if found is not None:
        return relative_url(page.here, found) + suffix, None
    return resolve_link(index, page, url, "html")


def _served_target(index: LinkIndex, page: PageLinks, path: str) -> str | None:
    """The site path ``path`` names relative to the page's URL (``guide/page.md`` is served
    at ``guide/page/``), as a browser resolves it on the authors' MkDocs site."""
    stem, name = posixpath.split(posixpath.splitext(page.path)[0])
    served = stem if name == "index" else posixpath.join(stem, name)
    joined = posixpath.normpath(posixpath.join(served, path))
    if joined == ".." or joined.startswith("../"):
        return None
    base = joined.rstrip("/") if joined != "." else ""
    for candidate in (base, f"{base}.md", posixpath.join(base, "index.md"),
                      posixpath.join(base, "README.md")):
        found = index.targets.get(os.path.normpath(page.docs_dir / candidate))
        if found is not None:
            return found
    return None


def _entity_target(index: LinkIndex, page: PageLinks, scheme: str, value: str) -> str | None:
    ref_text, sub = value, None
    kind, sep, rest = value.partition(":")
    if scheme == "docs" and sep and rest.count("/") >= 2:
        namespace, name, sub = rest.split("/", 2)
        ref_text = f"{kind}:{namespace}/{name}"
    try:
        ref = parse_ref(ref_text, default_kind="component", default_namespace=page.namespace)
    except InvalidRef:
        return None
    if scheme == "entity":
        return entity_page(ref) if ref in index.entities else None
    link = index.docs.get(ref)
    if link is None:
        return None
    if not sub:
        return link.page
    base, pages = index.sections[link.site]
    found = find_page(pages, sub)
    return f"{base}/{found}" if found else None
