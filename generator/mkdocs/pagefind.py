"""Pagefind search: the header box on every page, and the index written after the build.

With ``search: pagefind`` (the default) Material's search plugin is switched
off and :class:`PagefindSearch` takes its place: ``page()`` puts a search box
in Material's header markup (the same classes, so it looks and opens the same,
driven by ``assets/pavedroad/search.js``) and marks a page's article as what
Pagefind reads (``data-pagefind-body``: not the nav, header or footer);
``index()`` runs Pagefind (its command line from the ``pagefind`` package, offline,
:mod:`.pagefind_run`) over the pages marked, into ``pagefind/`` in the site, and over the
entities' search documents, into ``pagefind-entities/``, which the search script merges
into the first (:func:`index_site`). The entities' index is started as soon as the page set
is known (``start()``), so it is made while MkDocs renders the pages; the pages' index as
soon as the last page it reads is written (``start_pages()``: the repositories' docs pages
are rendered before the entities' pages, so it is made while those render). A query then
downloads only the index chunks and fragments it needs. Each index is byte-identical for
the same input and kept, not made again, when its input did not change.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.mkdocs.pagefind_files import FilesMemo, files_key
from generator.mkdocs.pagefind_run import IndexRun, SearchIndexError, deliver
from generator.pages.model import SearchContext, SearchDocument
from generator.pages.search_pages import context_html
from generator.urls import PAGEFIND_DIR, PAGEFIND_ENTITIES_DIR, SEARCH_INDEXES, SEARCH_PAGE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from generator.pages.model import PageSet

__all__ = ["MAX_PAGE_HTML", "PagefindSearch", "SearchIndexError", "disable_material_search",
           "index_site", "indexed_part"]

log = logging.getLogger("mkdocs.plugins.pavedroad")

MAX_PAGE_HTML = 1_000_000
"""Characters of one page's HTML the index reads; a page beyond it is cut with a warning
(a result's fragment holds the page's whole text, downloaded when it is shown)."""
PAGES = SearchContext(filters=(("section", "Pages"),))
"""What a hand-written page carries."""
_DOCUMENT = '<!doctype html><html><head><meta charset="utf-8"></head><body>'
_ARTICLE = '<article class="md-content__inner md-typeset">'
_ICONS = ("magnify", "arrow-left", "close")
_IGNORED = tuple((mark, f"{mark} data-pagefind-ignore") for mark in (
    'class="headerlink"', 'class="pr-kicker pr-docs-header"'))
"""What a page shows that its search result should not: heading permalinks (¶), the
docs header (the entity is the result's metadata)."""


def disable_material_search(config: MkDocsConfig) -> None:
    """Switch Material's search plugin off: its header box and index give way to Pagefind's."""
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            plugin.config["enabled"] = False


def _icon(name: str) -> str:
    from material import __file__ as material

    path = Path(material).parent / "templates" / ".icons" / "material" / f"{name}.svg"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def header_html() -> str:
    """Material's header search markup (``partials/search.html``), for Paved Road's script.

    Material's own script binds to ``data-md-component="search"`` and a form named
    ``search``; this box has neither, so only ``search.js`` drives it.
    """
    magnify, back, close = (_icon(name) for name in _ICONS)
    return (
        f'<label class="md-header__button md-icon" for="__search" title="Search">{magnify}'
        f'</label><div class="md-search" data-pr-search role="dialog" aria-label="Search">'
        f'<label class="md-search__overlay" for="__search"></label>'
        f'<div class="md-search__inner" role="search" aria-label="Site search">'
        f'<form class="md-search__form" '
        f'name="pr-search"><input type="text" '
        f'class="md-search__input" name="query" aria-label="Search" placeholder="Search" '
        f'autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" '
        f'aria-controls="pr-search-results" aria-autocomplete="list">'
        f'<label class="md-search__icon md-icon" for="__search">{magnify}{back}</label>'
        f'<nav class="md-search__options" aria-label="Search"><button type="reset" '
        f'class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">'
        f'{close}</button></nav></form><div class="md-search__output">'
        f'<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>'
        f'<div class="md-search-result" id="pr-search-results">'
        f'<div class="md-search-result__meta">Type to start searching</div>'
        f'<ol class="md-search-result__list" role="presentation"></ol>'
        f'</div></div></div></div></div>')


@dataclass(slots=True)
class PagefindSearch:
    """Marks pages during the build and indexes the site after it."""

    pages: PageSet
    header: str = field(default_factory=header_html)
    indexed: list[tuple[str, str]] = field(default_factory=list)
    """``(url, file in the site folder)`` of every page whose own HTML is indexed, in build
    order."""
    entities: IndexRun | None = None
    """The entities' index, started by :meth:`start`."""
    order: dict[str, int] = field(default_factory=dict)
    """File in the site folder → its place in the build's files: the pages are indexed in
    that order (pages kept from the build before are noted before the others are drawn)."""
    early: EarlyPages | None = None
    """The pages' index, started by :meth:`start_pages`."""

    def page(self, page: Page, output: str, *, own_html: bool) -> tuple[str, bool]:
        """``output`` with the header search box, marked for the index if ``own_html`` (and
        the page is not the search page nor excluded); and whether it was marked."""
        start = output.find('class="md-header__inner')
        end = output.find("</nav>", start) if start != -1 else -1
        if end != -1:
            source = output.find('<div class="md-header__source">', start, end)
            at = source if source != -1 else end
            output = output[:at] + self.header + output[at:]
        src = page.file.src_uri
        search = page.meta.get("search") if isinstance(page.meta, dict) else None
        excluded = isinstance(search, dict) and search.get("exclude")
        if own_html and src != SEARCH_PAGE and not excluded and _ARTICLE in output:
            context = self.pages.search_context.get(src, PAGES)
            output = output.replace(_ARTICLE, f"{_ARTICLE[:-1]} data-pagefind-body>"
                                    f"{context_html(context)}", 1)
            self.keep(page)
            return output, True
        return output, False

    def keep(self, page: Page) -> None:
        """Index ``page`` from its file in the site folder (written marked by :meth:`page`,
        in this build or, for a kept page, an earlier one)."""
        self.indexed.append((page.url, page.file.dest_uri))

    def start(self, published: Path | None) -> None:
        """Start making the entities' index (their documents are known before any page is
        rendered), to be kept if ``published`` holds one of the same documents."""
        kept = published / PAGEFIND_ENTITIES_DIR if published is not None else None
        self.entities = IndexRun([(d.url, d.html) for d in self.pages.search], kept)
        self.entities.start()

    def start_pages(self, pages_dir: Path, digests: Mapping[str, tuple] | None = None,
                    memo: FilesMemo | None = None) -> None:
        """Start making the pages' index from the pages marked so far, read from
        ``pages_dir`` (also where a published index of the same pages is kept): for when no
        other page will be marked. With the files' ``digests`` (the site record's entries)
        and a ``memo`` of the build before's, an index of the same files is kept unread."""
        if self.early is not None:
            self.early.run.close()
        indexed = self._ordered()
        pages = [(url, pages_dir / dest) for url, dest in indexed]
        key = files_key(indexed, digests, MAX_PAGE_HTML) if digests is not None else None
        known = memo.get(key) if memo is not None else None
        if known is not None:
            digest, capped = known
            blank = [(url, "") for url, _ in pages]  # not read: a kept index needs no text
            run = IndexRun(blank, pages_dir / PAGEFIND_DIR, digest=digest)
            if run.kept:
                self.early = EarlyPages(pages, pages_dir, blank, capped, run)
                return
        items, capped = page_items(pages)
        self.early = EarlyPages(pages, pages_dir, items, capped,
                                IndexRun(items, pages_dir / PAGEFIND_DIR))
        if memo is not None:
            memo.put(key, self.early.run.digest, capped)
        self.early.run.start()

    def _ordered(self) -> list[tuple[str, str]]:
        order = self.order
        return sorted(self.indexed, key=lambda item: order.get(item[1], -1))

    def marked(self, read: Path) -> list[tuple[str, Path]]:
        """``(url, file)`` of every page marked, in the build's order of files."""
        return [(url, read / dest) for url, dest in self._ordered()]

    def close(self) -> None:
        """Stop the indexes still being made (a build that failed), remove their scratch."""
        for run in (self.entities, self.early.run if self.early else None):
            if run is not None:
                run.close()
        self.entities = self.early = None

    def index(self, site_dir: Path, pages_dir: Path | None = None,
              write: Callable[[str, bytes], None] | None = None,
              keep: Callable[[str], None] | None = None) -> bool:
        """Write the indexes into ``site_dir`` (or through ``write`` and ``keep``, see
        :func:`index_site`), indexing the pages written in ``pages_dir`` (default:
        ``site_dir``); a page cut to the cap is a warning. Returns whether every index in
        ``pages_dir`` was made from the same inputs and is kept instead."""
        from mkdocs.exceptions import PluginError

        start = time.perf_counter()
        read = pages_dir or site_dir
        try:
            capped, reused = index_site(
                site_dir, self.pages.search, self.marked(read), reuse=pages_dir, write=write,
                keep=keep, entities=self.entities, early=self.early)
        except (SearchIndexError, OSError) as exc:
            raise PluginError(f"search: {exc}") from None
        finally:
            self.early = None
        log.info("Paved Road: search index of %d entities and %d pages %s in %.1f s",
                 len(self.pages.search), len(self.indexed),
                 "unchanged, kept" if reused else "made", time.perf_counter() - start)
        for url, size in capped:
            log.warning("%s: warning: search reads only the first %s characters of this "
                        "page's %s (split the page to make the rest findable)",
                        url or "/", f"{MAX_PAGE_HTML:,}", f"{size:,}")
        return reused


@dataclass(frozen=True, slots=True)
class EarlyPages:
    """The pages' index started before the build's end, and what it was started from."""

    pages: list[tuple[str, Path]]
    reuse: Path | None
    items: list[tuple[str, str]]
    capped: list[tuple[str, int]]
    run: IndexRun


def index_site(site_dir: Path, documents: list[SearchDocument], pages: list[tuple[str, Path]],
               cap: int = MAX_PAGE_HTML, reuse: Path | None = None,
               write: Callable[[str, bytes], None] | None = None,
               keep: Callable[[str], None] | None = None,
               entities: IndexRun | None = None,
               early: EarlyPages | None = None) -> tuple[list[tuple[str, int]], bool]:
    """Index ``documents`` (the entities) and the files of ``pages`` into ``site_dir``.

    The pages (hand-written and docs pages, read from their HTML) are one index in
    ``pagefind/``, and the entities' documents another in ``pagefind-entities/``, which
    ``search.js`` merges into the first (Pagefind's ``mergeIndex``, listed in
    :data:`~generator.urls.SEARCH_INDEXES`); results are asked for by section, so each
    section comes from one index, and the entities' browse by title stays one sorted list.
    An entity's edit thus indexes the entities again, not the docs, and the entities' index
    can be made while MkDocs renders the pages (``entities``, an :class:`IndexRun` started
    earlier); so can the pages' (``early``, used if it was started from the same ``pages``
    with the same ``reuse``). Without pages the entities are the one index, in ``pagefind/``.

    Each index's files are handed to ``write`` (site path, bytes), which leaves those the site
    holds alone, or copied into ``site_dir``. An index that ``reuse`` (the published site)
    holds, made from exactly the same inputs, is kept (``keep`` is told its folder) and not
    made again. Returns ``(url, characters)`` of each page cut to ``cap``, and whether every
    index was kept.
    """
    if early is not None and (early.pages, early.reuse, cap) == (pages, reuse, MAX_PAGE_HTML):
        items, capped, pages_run = early.items, early.capped, early.run
    else:
        if early is not None:  # started from other pages
            early.run.close()
        items, capped = page_items(pages, cap)
        pages_run = IndexRun(items, reuse / PAGEFIND_DIR if reuse else None)
    entity_items = [(document.url, document.html) for document in documents]
    if entities is None or entities.items != entity_items or not items:
        if entities is not None:  # started for other documents
            entities.close()
        where = PAGEFIND_ENTITIES_DIR if items else PAGEFIND_DIR
        entities = IndexRun(entity_items, reuse / where if reuse is not None else None)
    runs = [(PAGEFIND_DIR, pages_run), (PAGEFIND_ENTITIES_DIR, entities)] if items else \
        [(PAGEFIND_DIR, entities)]
    try:
        for folder, run in runs:
            made = run.result()
            if made is not None:
                deliver(made, folder, site_dir, write)
                log.info("Paved Road: search index %s/ of %d: documents written in %.1f s, "
                         "Pagefind %.1f s, made canonical in %.1f s", folder, len(run.items),
                         *run.seconds)
            elif run.kept and keep is not None:
                keep(folder)
    finally:
        for _, run in runs:
            run.close()
    merged = [f"{folder}/" for folder, run in runs[1:] if run.items]
    indexes = json.dumps({"merge": merged}, separators=(",", ":")).encode() + b"\n"
    if write is not None:
        write(SEARCH_INDEXES, indexes)
    else:
        (site_dir / SEARCH_INDEXES).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / SEARCH_INDEXES).write_bytes(indexes)
    return capped, all(run.kept or not run.items for _, run in runs)


def page_items(pages: list[tuple[str, Path]], cap: int = MAX_PAGE_HTML
               ) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    """``(url, HTML Pagefind reads)`` of each page's file, and ``(url, characters)`` of those
    cut to ``cap``."""
    capped: list[tuple[str, int]] = []
    items = []
    for url, path in pages:
        page = path.read_text(encoding="utf-8", errors="replace")
        html = indexed_part(page)
        if len(html) > cap:
            capped.append((url, len(page)))
            html = html[:_cut(html, cap)]
        for mark, ignored in _IGNORED:
            html = html.replace(mark, ignored)
        items.append((url, html))
    return items, capped


def indexed_part(html: str) -> str:
    """The part of a page Pagefind reads, its ``data-pagefind-body`` element, in a document
    of its own: the same index from a fifth of the HTML (the theme's header, nav and footer
    are four fifths of a docs page), made again only when that part changes.

    >>> indexed_part('<nav>Home</nav><main data-pagefind-body><p>Hi</p></main>')[len(_DOCUMENT):]
    '<main data-pagefind-body><p>Hi</p></main></body></html>'
    """
    at = html.find(" data-pagefind-body")
    start = html.rfind("<", 0, at) if at != -1 else -1
    name = html[start + 1:at].split(" ", 1)[0] if start != -1 else ""
    end = html.rfind(f"</{name}>") if name.isalnum() else -1
    if end < at:  # not an element this can find the end of: the whole page
        return html
    return f"{_DOCUMENT}{html[start:end + len(name) + 3]}</body></html>"


def _cut(html: str, cap: int) -> int:
    """Where to cut ``html`` at most ``cap`` characters in: not inside a tag or a word.

    >>> html = "<p>one two</p><p>three"
    >>> [html[:_cut(html, n)] for n in (5, 9, 10, 13, 16)]
    ['<p>', '<p>one', '<p>one two', '<p>one two', '<p>one two</p>']
    """
    if cap >= len(html):
        return len(html)
    tag = html.rfind("<", 0, cap)
    if tag > html.rfind(">", 0, cap):
        return tag
    if html[cap].isspace() or html[cap] == "<":
        return cap
    return max(html.rfind(" ", 0, cap), html.rfind(">", 0, cap) + 1, 0)


