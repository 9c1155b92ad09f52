"""The docs model: each entity's TechDocs as a site section of pages and files."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from pathlib import Path

    from generator.docs.cache import DocsCache
    from generator.docs.extensions import Extensions, SnippetOptions
    from generator.docs.render import Draft
    from generator.problems import Problem, Severity
    from generator.refs import EntityRef
    from generator.sources import Repository

__all__ = ["DOCS_INDEX", "DocPage", "DocSite", "Docs", "DocsLink", "NavNode", "Report",
           "SourceLinks", "docs_base"]

DOCS_INDEX = "docs/index.md"
"""The page listing every documented entity."""


Report = Callable[["Severity", str, str, "str | None", "int | None"], None]
"""``(severity, code, message, file, line)``: a problem of one docs section; ``file`` is
relative to the section's repository (``None``: no file)."""


def docs_base(ref: EntityRef) -> str:
    """Where an entity's docs live in the site: ``docs/<namespace>/<kind>/<name>``."""
    return f"docs/{ref.namespace}/{ref.kind}/{ref.name}"


@dataclass(frozen=True, slots=True)
class NavNode:
    """One entry of a docs section's navigation."""

    title: str
    """Plain text."""
    page: str | None = None
    """Page path inside the section (``runbook.md``), for a page entry."""
    url: str | None = None
    """An external URL, for a link entry."""
    children: tuple[NavNode, ...] = ()
    """Entries of a section (a section has neither ``page`` nor ``url``)."""


@dataclass(frozen=True, slots=True)
class SourceLinks:
    """Where a docs folder lives in its repository's web view."""

    view: str | None
    """URL of ``docs_dir`` in the repository browser, ending in ``/``."""
    edit: str | None
    """URL that edits a file of ``docs_dir``, ending in ``/``."""

    def view_url(self, rel: str) -> str | None:
        """Browser URL of ``rel`` (relative to ``docs_dir``; may climb out of it)."""
        return _join(self.view, rel)

    def edit_url(self, rel: str) -> str | None:
        return _join(self.edit, rel)


def _join(base: str | None, rel: str) -> str | None:
    if not base:
        return None
    scheme, sep, rest = base.partition("://")
    host, _, path = rest.partition("/")
    joined = posixpath.normpath(posixpath.join("/" + path, rel))
    return f"{scheme}{sep}{host}{quote(joined, safe='/@:+,;=-._~')}"


@dataclass(slots=True)
class DocPage:
    """A Markdown page of a docs section."""

    path: str
    """Path inside the section, as in the site (``README.md`` becomes ``index.md``)."""
    source: str
    """The Markdown file, relative to the repository root."""
    title: str
    """Plain-text title: front matter, first heading or file name."""
    markdown: str = ""
    """The page's Markdown with snippets expanded, alerts converted and links resolved."""
    description: str = ""
    """``description`` from the page's front matter."""
    first_line: int = 1
    """Line of the file the Markdown starts on (after front matter), for problems."""
    links: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """Each link target as written → its place in the site (``None``: dropped); see
    :mod:`generator.docs.linktree`. Also ``("dot", key)`` → a Graphviz fence's HTML
    (:func:`generator.docs.graphviz.draw_fences`)."""
    fences: list[str] = field(default_factory=list)
    """The page's Graphviz fences (DOT sources), in document order."""


@dataclass(slots=True)
class DocSite:
    """One entity's docs: a folder of Markdown and files from one repository."""

    ref: EntityRef
    """The entity whose URL the docs live under."""
    repo: Repository
    """Repository the docs come from."""
    root: str
    """The ``techdocs-ref`` directory (where ``mkdocs.yml`` is), relative to the repository."""
    docs_dir: str
    """The Markdown folder, relative to the repository."""
    title: str
    """``site_name``, else the entity's title."""
    description: str = ""
    pages: dict[str, DocPage] = field(default_factory=dict)
    """Path inside the section → page, in directory order."""
    files: dict[str, Path] = field(default_factory=dict)
    """Path inside the section → file on disk (images, diagrams, downloads)."""
    contents: dict[str, bytes] = field(default_factory=dict)
    """Path inside the section → a file published as these bytes (sanitised SVG)."""
    nav: list[NavNode] = field(default_factory=list)
    source: SourceLinks | None = None
    shared_with: list[EntityRef] = field(default_factory=list)
    """Other entities whose ``techdocs-ref`` names the same folder."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Path inside the section → the path it was read from, for the pages and files renamed
    because another's differs only in case (``guide.md`` beside ``Guide.md``)."""
    extensions: Extensions | None = None
    """The Markdown extensions of the section's pages (``None``: TechDocs' own); see
    :mod:`generator.docs.extensions`."""
    snippets: SnippetOptions | None = None
    """The project's ``pymdownx.snippets`` settings (``None``: the defaults)."""
    config_file: str | None = None
    """``mkdocs.yml``, relative to the repository, if there is one."""
    macros: bool = True
    """Whether ``{{ … }}`` may be mkdocs-macros: there is no ``mkdocs.yml``, or it lists the
    ``macros`` plugin (else it is plain text and needs no note)."""

    @property
    def base(self) -> str:
        return docs_base(self.ref)

    def site_path(self, path: str) -> str:
        """Site path of a page or file of this section."""
        return f"{self.base}/{path}"

    @property
    def index(self) -> str:
        """Site path of the section's landing page: ``index.md`` (or ``README.md``), else
        the first page of its nav, else its first page."""
        if "index.md" in self.pages:
            return self.site_path("index.md")
        first = _first_page(self.nav) or next(iter(self.pages), None)
        return self.site_path(first) if first else self.site_path("index.md")


def _first_page(nodes: list[NavNode] | tuple[NavNode, ...]) -> str | None:
    for node in nodes:
        found = node.page or _first_page(node.children)
        if found:
            return found
    return None


@dataclass(frozen=True, slots=True)
class DocsLink:
    """Where an entity's "Docs" link goes."""

    site: EntityRef
    """The entity that owns the docs."""
    page: str
    """Site path of the page."""
    shared: bool = False
    """The docs belong to another entity (``techdocs-entity`` or a shared folder)."""


@dataclass(slots=True)
class Docs:
    """Every docs section, each entity's docs link, and what went wrong."""

    sites: dict[EntityRef, DocSite] = field(default_factory=dict)
    links: dict[EntityRef, DocsLink] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    cache: DocsCache | None = None
    """Pages parsed and rendered by earlier builds (:mod:`generator.docs.cache`)."""
    drafts: dict[tuple[str, str], Draft] = field(default_factory=dict)
    """Pages rendered while their links were found (:class:`~generator.docs.render.Draft`),
    by dialect and text, for the renderer: none is parsed twice."""

    @property
    def page_count(self) -> int:
        return sum(len(s.pages) for s in self.sites.values())
