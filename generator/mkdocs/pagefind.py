"""Pagefind search: the header box on every page, and the index written after the build.

With ``search: pagefind`` (the default) Material's search plugin is switched
off and :class:`PagefindSearch` takes its place: ``page()`` puts a search box
in Material's header markup (the same classes, so it looks and opens the same,
driven by ``assets/pavedroad/search.js``) and marks a page's article as what
Pagefind reads (``data-pagefind-body``: not the nav, header or footer);
``index()`` runs Pagefind (its command line from the ``pagefind`` package, offline)
over the entities' search documents and the pages marked, into ``pagefind/`` in the
site. A query then downloads only the index chunks and fragments it needs.

The output is made byte-identical for the same input (:func:`_canonical_meta`):
Pagefind writes its filters in hash-map order, which changes from run to run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.pages.model import SearchContext, SearchDocument
from generator.pages.search_pages import context_html
from generator.urls import PAGEFIND_DIR, SEARCH_PAGE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from generator.pages.model import PageSet

__all__ = ["MAX_PAGE_HTML", "PagefindSearch", "SearchIndexError", "disable_material_search",
           "index_site"]

log = logging.getLogger("mkdocs.plugins.pavedroad")

MAX_PAGE_HTML = 1_000_000
"""Characters of one page's HTML the index reads; a page beyond it is cut with a warning
(a result's fragment holds the page's whole text, downloaded when it is shown)."""
PAGES = SearchContext(filters=(("section", "Pages"),))
"""What a hand-written page carries."""
_ARTICLE = '<article class="md-content__inner md-typeset">'
_ICONS = ("magnify", "arrow-left", "close")
_SIGNATURE = b"pagefind_dcd"
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

    def page(self, page: Page, output: str, *, own_html: bool) -> str:
        """``output`` with the header search box, and marked for the index if ``own_html``."""
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
            self.indexed.append((page.url, page.file.dest_uri))
        return output

    def index(self, site_dir: Path, pages_dir: Path | None = None,
              write: Callable[[str, bytes], None] | None = None) -> bool:
        """Write ``pagefind/`` into ``site_dir`` (or through ``write``, see
        :func:`index_site`), indexing the pages written in ``pages_dir`` (default:
        ``site_dir``); a page cut to the cap is a warning. Returns whether the index in
        ``pages_dir`` was made from the same inputs and is kept instead."""
        from mkdocs.exceptions import PluginError

        start = time.perf_counter()
        read = pages_dir or site_dir
        try:
            capped, reused = index_site(
                site_dir, self.pages.search, [(url, read / dest) for url, dest in self.indexed],
                reuse=pages_dir, write=write)
        except (SearchIndexError, OSError) as exc:
            raise PluginError(f"search: {exc}") from None
        log.info("Paved Road: search index of %d entities and %d pages %s in %.1f s",
                 len(self.pages.search), len(self.indexed),
                 "unchanged, kept" if reused else "made", time.perf_counter() - start)
        for url, size in capped:
            log.warning("%s: warning: search reads only the first %s characters of this "
                        "page's %s (split the page to make the rest findable)",
                        url or "/", f"{MAX_PAGE_HTML:,}", f"{size:,}")
        return reused


def index_site(site_dir: Path, documents: list[SearchDocument], pages: list[tuple[str, Path]],
               cap: int = MAX_PAGE_HTML, reuse: Path | None = None,
               write: Callable[[str, bytes], None] | None = None
               ) -> tuple[list[tuple[str, int]], bool]:
    """Index ``documents`` and the files of ``pages`` into ``site_dir/pagefind``.

    Each is written, as Pagefind should read it, into a scratch folder at its URL (in
    memory where the system has room: :func:`_scratch_root`), and Pagefind's command line
    indexes that folder (in parallel; its Python service answers one request per 0.1 s,
    25 minutes for 15,000 entities) into another scratch folder. Its files are then handed
    to ``write`` (site path, bytes), which leaves those a site already holds alone, or
    copied into ``site_dir``. When ``reuse`` (the published site's folder) holds an index
    made from exactly these inputs (:data:`INPUTS_FILE`), nothing is indexed. Returns
    ``(url, characters)`` of each page cut to ``cap``, and whether the published index was
    reused.
    """
    capped: list[tuple[str, int]] = []
    started = time.perf_counter()
    items = [(document.url, document.html) for document in documents]
    for url, path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        if len(html) > cap:
            capped.append((url, len(html)))
            html = html[:_cut(html, cap)]
        for mark, ignored in _IGNORED:
            html = html.replace(mark, ignored)
        items.append((url, html))
    digest = _inputs_digest(items)
    if reuse is not None and _read_inputs(reuse / PAGEFIND_DIR / INPUTS_FILE) == digest:
        return capped, True
    size = sum(len(html) for _, html in items)
    with tempfile.TemporaryDirectory(prefix="pavedroad-search-", dir=_scratch_root(size)) as tmp:
        scratch, made = Path(tmp, "site"), Path(tmp, "index")
        for url, html in items:
            _write(scratch, url, html)
        written = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(scratch), "--output-path",
             str(made), "--force-language", "en", "--silent"],
            capture_output=True, text=True, check=False)
        indexed = time.perf_counter()
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            why = detail[-1] if detail else result.returncode
            raise SearchIndexError(f"Pagefind failed ({why}); the option search: material "
                                   "builds without it")
        _canonical_meta(made)
        (made / INPUTS_FILE).write_text(digest + "\n", encoding="utf-8")
        canonical = time.perf_counter()
        _deliver(made, site_dir / PAGEFIND_DIR, write)
    log.info("Paved Road: search index: documents written in %.1f s, Pagefind %.1f s, "
             "made canonical in %.1f s, published in %.1f s", written - started,
             indexed - written, canonical - indexed, time.perf_counter() - canonical)
    return capped, False


def _deliver(made: Path, out: Path, write: Callable[[str, bytes], None] | None) -> None:
    """Put the index Pagefind made in ``made`` at ``out``: through ``write`` (by site path,
    ``pagefind/…``), or copied there, in place of what was there."""
    if write is None:
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(made, out)
        return
    for folder, _, files in os.walk(made):
        rel = os.path.relpath(folder, made)
        for name in sorted(files):
            write(posixpath.normpath(posixpath.join(PAGEFIND_DIR, rel, name)),
                  Path(folder, name).read_bytes())


INPUTS_FILE = "pavedroad-inputs.sha256"
"""Beside the index: the digest of what it was made from (Pagefind's version, each page's
URL and text), so an unchanged site is not indexed again."""


def _inputs_digest(items: list[tuple[str, str]]) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"pagefind {version('pagefind')}\n".encode())
    for url, html in items:
        for part in (url, html):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def _read_inputs(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message is one line."""


MEMORY_SCRATCH = Path("/dev/shm")
"""Linux's RAM-backed folder: writing 15,000 small documents there took 3.8 s where the
build machine's disk took 23 s (and 14 s of CPU in the file system)."""


def _scratch_root(size: int) -> str | None:
    """Where the scratch folder goes: memory when it has room for ``size`` bytes twice over
    (containers give ``/dev/shm`` 64 MB), else the system's temporary folder."""
    try:
        if (MEMORY_SCRATCH.is_dir() and os.access(MEMORY_SCRATCH, os.W_OK)
                and shutil.disk_usage(MEMORY_SCRATCH).free > 2 * size + 2**26):
            return str(MEMORY_SCRATCH)
    except OSError:
        pass
    return None


def _write(scratch: Path, url: str, html: str) -> None:
    """Write ``html`` where Pagefind gives it ``url`` (``a/b/`` → ``a/b/index.html``)."""
    rel = url + "index.html" if url == "" or url.endswith("/") else url
    path = scratch / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


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


def _canonical_meta(out: Path) -> None:
    """Rewrite the filter files and ``pagefind.<hash>.pf_meta`` in sorted order, each
    named by its content.

    Pagefind lists the filters, their values and the sort keys in the order of Rust hash
    maps, seeded anew in every run, so the same site gave different bytes (and file
    names); sorted, it gives the same ones. The words' index and the fragments are stable.
    """
    entry_file = out / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        prefix = language["hash"].split("_", 1)[0]
        path = out / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_cbor(path)
        # [version, pages, index chunks, filters, sorts, meta keys]
        filters = []
        for name, chunk in meta[3]:
            values = _read_cbor(out / "filter" / f"{chunk}.pf_filter")
            values[1] = sorted(values[1], key=lambda value: str(value[0]))
            filters.append([name, _write_cbor(out / "filter", f"{prefix}_", ".pf_filter",
                                              values, 7, replaces=chunk)])
        meta[3] = sorted(filters, key=lambda item: str(item[0]))
        meta[4] = sorted(meta[4], key=lambda item: str(item[0]))
        language["hash"] = _write_cbor(out, f"pagefind.{prefix}_", ".pf_meta", meta, 10,
                                       replaces=language["hash"]).split(".", 1)[1]
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


def _read_cbor(path: Path) -> list:
    import cbor2

    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(_SIGNATURE), path
    return cbor2.loads(raw[len(_SIGNATURE):])


def _write_cbor(folder: Path, prefix: str, suffix: str, data: list, digits: int, *,
                replaces: str) -> str:
    """Write ``data`` as Pagefind does, named ``prefix + hash``; return the name's stem."""
    import cbor2

    body = _SIGNATURE + cbor2.dumps(data)
    stem = f"{prefix}{hashlib.sha256(body).hexdigest()[:digits]}"
    for candidate in folder.glob(f"*{replaces}{suffix}"):
        candidate.unlink()
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(body, mtime=0))
    return stem
