"""The page set: generated pages and assets, independent of MkDocs.

A :class:`PageSet` maps docs-relative paths to Markdown (pages) or bytes
(assets). The MkDocs plugin serves it; ``pavedroad generate`` writes it out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from generator.pages.text import markdown_text

__all__ = ["AuthoredPage", "GeneratedPage", "NavItem", "PageSet", "SearchContext",
           "SearchDocument"]

_BLANK_LINES = re.compile(r"\n{2,}")
_HEADING = re.compile(r'<h2 id="([\w-]+)">([^<]*)<a class="headerlink" href="#\1" '
                      r'title="Permanent link">&para;</a></h2>\n')
"""A heading as :meth:`generator.pages.renderer.Blocks.heading` writes it."""

_MARKER = re.compile(r"<!--pr:\d+-->")
"""A block's marker, as :class:`generator.pages.renderer.Blocks` makes them."""

NavItem = dict[str, "str | list[NavItem]"]
"""A MkDocs nav entry: ``{"Title": "path.md"}`` or ``{"Section": [...]}``."""


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A page's Markdown, with finished HTML blocks kept beside it by marker."""

    markdown: str
    """Markdown in which each block appears as its marker comment."""
    blocks: dict[str, str] = field(default_factory=dict)
    """Marker → HTML."""
    late: frozenset[str] = frozenset()
    """Markers whose HTML is not searched (relation tables)."""
    toc: tuple[tuple[str, str], ...] | None = None
    """``(anchor, title)`` of the headings inside blocks, for the page's table of contents."""
    search: tuple[tuple[str, str, str], ...] | None = None
    """Ready search entries ``(anchor, title, text)`` (escaped HTML), so the search
    plugin need not parse the page; ``None`` lets it parse the page as usual."""
    _digest: bytes | None = field(default=None, init=False, repr=False, compare=False)
    """:meth:`digest`, once computed (not an argument: a page made from this one by
    :func:`dataclasses.replace` computes its own)."""

    def digest(self) -> bytes:
        """BLAKE2b of everything of the page that reaches its HTML (Markdown, blocks, which
        are late, table of contents; not the search entries), computed once per page: by
        the worker that built it, or kept with it by :mod:`generator.portalmemo`."""
        if self._digest is None:
            digest = hashlib.blake2b(digest_size=20)
            for part in (self.markdown, repr((sorted(self.late), self.toc))):
                data = part.encode("utf-8", "surrogatepass")
                digest.update(len(data).to_bytes(8, "big") + data)
            for marker, html in self.blocks.items():
                data = html.encode("utf-8", "surrogatepass")
                digest.update(marker.encode() + len(data).to_bytes(8, "big") + data)
            object.__setattr__(self, "_digest", digest.digest())
        return self._digest  # type: ignore[return-value]

    def with_digest(self, digest: bytes | None) -> GeneratedPage:
        """This page, its :meth:`digest` known to be ``digest`` (a stored page's)."""
        if digest is not None:
            object.__setattr__(self, "_digest", digest)
        return self

    def expanded(self, *, markdown_headings: bool = False) -> str:
        """Plain Markdown with every block inline, for any Markdown engine.

        With ``markdown_headings`` a block's heading becomes ``## Title {#id}`` (which
        needs ``attr_list``), so the engine's table of contents lists it.

        >>> page = GeneratedPage("<!--pr:0-->", {"<!--pr:0-->": '<h2 id="a">A &amp; B<a '
        ...     'class="headerlink" href="#a" title="Permanent link">&para;</a></h2>\\n<p>x</p>'})
        >>> page.expanded(markdown_headings=True)
        '## A &#38; B {#a}\\n\\n<p>x</p>'
        """
        text = self.markdown
        for marker, html in self.blocks.items():
            if markdown_headings and (heading := _HEADING.match(html)):
                title = markdown_text(unescape(heading[2]))
                html = f"## {title} {{#{heading[1]}}}\n\n{html[heading.end():]}"
            text = text.replace(marker, html, 1)
        return text

    def blocks_only(self, body: str) -> str | None:
        """The HTML Markdown makes of ``body`` (this page without front matter) when it is
        nothing but block markers, so a renderer can skip Markdown; else ``None``.

        Markers on consecutive lines stay one HTML block, blank lines separate blocks.

        >>> GeneratedPage("", {"<!--pr:0-->": "", "<!--pr:1-->": ""}).blocks_only(
        ...     "\\n<!--pr:0-->\\n<!--pr:1-->\\n\\n\\n<!--pr:0-->\\n")
        '<!--pr:0-->\\n<!--pr:1-->\\n\\n<!--pr:0-->'
        """
        lines = [line.rstrip() for line in body.splitlines()]
        if not any(lines) or any(line and (line[0].isspace() or line not in self.blocks)
                                 for line in lines):
            return None
        return _BLANK_LINES.sub("\n\n", "\n".join(lines).strip("\n"))

    def fill(self, html: str, *, late: bool) -> str:
        """Put the (early or late) blocks back into rendered ``html``: each marker's first
        occurrence, in one pass (a page of a thousand large blocks, such as an index of
        30,000 entities, would otherwise be scanned once per block). A block's own HTML is
        not searched for markers: it holds only those of blocks made before it, which a
        marker-by-marker replacement would not have found there either.

        >>> GeneratedPage("", {"<!--pr:0-->": "<p>a</p>", "<!--pr:1-->": "<p>b</p>"},
        ...               frozenset({"<!--pr:1-->"})).fill(
        ...     "<!--pr:1--><!--pr:0--><!--pr:0-->", late=False)
        '<!--pr:1--><p>a</p><!--pr:0-->'
        """
        wanted = {m: b for m, b in self.blocks.items() if (m in self.late) == late}
        if not wanted:
            return html
        if not all(_MARKER.fullmatch(m) for m in wanted):
            for marker, block in wanted.items():
                html = html.replace(marker, block, 1)
            return html

        def put(match: re.Match[str]) -> str:
            block = wanted.pop(match[0], None)
            return match[0] if block is None else block

        return _MARKER.sub(put, html)


@dataclass(frozen=True, slots=True)
class AuthoredPage:
    """A page written by a repository's authors (TechDocs Markdown), not by the generator.

    Its Markdown is untrusted: it is rendered by :mod:`generator.docs.render`
    and its HTML cleaned according to the ``docs_html`` trust setting, by the
    plugin and by ``pavedroad generate`` alike.
    """

    markdown: str
    """Markdown in TechDocs' dialect, as its authors wrote it (snippets expanded)."""
    title: str
    """Plain-text title (escaped when it reaches a theme)."""
    header: str = ""
    """Finished, escaped HTML shown above the content (searchable)."""
    meta: dict[str, object] = field(default_factory=dict)
    """Extra ``page.meta`` for the theme, e.g. the section's nav as finished HTML."""
    links: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """Each link target → its site URL, applied while rendering (:mod:`generator.docs.linktree`)."""
    edit_url: str | None = None
    """Where to edit the page in its repository."""
    extensions: tuple | None = None
    """Its section's Markdown extensions (``None``: TechDocs'), see
    :mod:`generator.docs.extensions`."""
    _digest: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def digest(self) -> bytes:
        """BLAKE2b of everything of the page that reaches its HTML (its Markdown, title,
        header, theme metadata, resolved links, edit link and Markdown settings), computed
        once; with the site's settings it decides the rendered page."""
        if self._digest is None:
            digest = hashlib.blake2b(digest_size=20)
            for part in (self.markdown, self.title, self.header,
                         repr(sorted(self.meta.items(), key=repr)),
                         repr(sorted(self.links.items(), key=repr)),
                         repr((self.edit_url, self.extensions))):
                data = part.encode("utf-8", "surrogatepass")
                digest.update(len(data).to_bytes(8, "big") + data)
            object.__setattr__(self, "_digest", digest.digest())
        return self._digest  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What a search index holds for one page instead of the page: a small HTML document."""

    url: str
    """The page's site-relative URL (``catalog/default/component/a/``)."""
    html: str
    """Escaped HTML with the words to find, weights, metadata and filters
    (``data-pagefind-*``)."""


@dataclass(frozen=True, slots=True)
class SearchContext:
    """Metadata and filters added to a page the search index reads from its HTML."""

    meta: tuple[tuple[str, str], ...] = ()
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class PageSet:
    """Everything the generator adds to a site."""

    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    """Docs-relative ``.md`` path → page."""
    assets: dict[str, bytes] = field(default_factory=dict)
    """Docs-relative path → file content (JSON, JS, CSS, SVG)."""
    nav: list[NavItem] = field(default_factory=list)
    """Nav entries for the generated index pages, in order."""
    extra_css: list[str] = field(default_factory=list)
    """Stylesheets (asset paths) every page needs."""
    extra_javascript: list[str] = field(default_factory=list)
    """Scripts (asset paths) every page needs."""
    listed: set[str] = field(default_factory=set)
    """Pages meant for the nav; the rest are reached by links and search."""
    stats: dict[str, int] = field(default_factory=dict)
    """Counts for the home page (entities per kind, problems …)."""
    inserts: dict[str, dict[str, str]] = field(default_factory=dict)
    """Hand-written page path → {marker comment: HTML that replaces it on that page}."""
    authored: dict[str, AuthoredPage] = field(default_factory=dict)
    """Docs-relative ``.md`` path → a page written by a repository's authors."""
    files: dict[str, Path] = field(default_factory=dict)
    """Docs-relative path → a file copied as it is (docs images, diagrams, downloads)."""
    twins: dict[str, str] = field(default_factory=dict)
    """Site path → a page's Markdown twin (``…/index.md`` beside its ``index.html``):
    published as it is, never a page nor a docs source."""
    search: list[SearchDocument] = field(default_factory=list)
    """Pages a search index reads from these documents, not from their HTML (entities)."""
    search_context: dict[str, SearchContext] = field(default_factory=dict)
    """Docs-relative ``.md`` path → what the search index adds to that page's own HTML."""

    def add_page(self, path: str, page: GeneratedPage, *, listed: bool = False) -> None:
        self.pages[path] = page
        if listed:
            self.listed.add(path)

    def add_insert(self, page: str, marker: str, html: str) -> None:
        """Replace ``marker`` on the hand-written ``page`` with ``html`` (links relative to it)."""
        self.inserts.setdefault(page, {})[marker] = html

    def fill_inserts(self, page: str, markdown: str) -> str:
        """``markdown`` of the hand-written ``page`` with its markers replaced."""
        for marker, html in self.inserts.get(page, {}).items():
            markdown = markdown.replace(marker, html)
        return markdown

    def add_authored(self, path: str, page: AuthoredPage) -> None:
        self.authored[path] = page

    def add_file(self, path: str, source: Path) -> None:
        self.files[path] = source

    def occupied(self, path: str) -> bool:
        """Whether a page or file is published at ``path``'s URL (``x/index.html`` and
        ``x/index.md`` are the same page)."""
        stem = path.rsplit(".", 1)[0]
        same = {path, f"{stem}.md", f"{stem}.html"}
        return any(p in store for p in same
                   for store in (self.pages, self.assets, self.authored, self.files))

    def add_asset(self, path: str, content: bytes | str) -> None:
        self.assets[path] = content.encode("utf-8") if isinstance(content, str) else content
