"""Render repository Markdown to sanitised HTML, ahead of MkDocs and in parallel.

Docs pages are rendered here rather than by MkDocs: in TechDocs' Markdown
dialect (which the rest of the portal does not need, and which would slow
every other page down), with every path already resolved, and with the
``docs_html`` trust setting applied to the result. With many pages the work
runs in worker processes while MkDocs builds the catalog's pages, so on a
two-core machine the docs cost little more than writing them out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from html import escape
from multiprocessing import get_context
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.serializers import _escape_attrib, _escape_attrib_html  # the serializer's own
from markdown.util import AMP_SUBSTITUTE

from generator.docs.cache import DocsCache
from generator.docs.extensions import DOCS_EXTENSIONS, Extensions
from generator.docs.linktree import TOKEN, LinkMap, Target
from generator.docs.remote import REMOTE_IMAGES, link_remote_media
from generator.docs.sanitize import HTML_POLICIES, sanitize_html
from generator.parallel import split_map

__all__ = [
    "DOCS_EXTENSIONS",
    "Dialect",
    "DocsRenderer",
    "Draft",
    "EscapeHtmlExtension",
    "Rendered",
    "dialect_error",
    "docs_dialect",
    "finish_draft",
    "page_links",
    "render_markdown",
    "resolve_setting",
]

LINKS_EXTENSION = "generator.docs.linktree:LinksExtension"
"""Finds and rewrites link targets on the parsed page (:mod:`generator.docs.linktree`)."""

BOUNDED_EXTENSION = "generator.docs.bounded:BoundedExtension"
"""Keeps Python-Markdown linear on hostile pages (:mod:`generator.docs.bounded`); last."""

_CHUNK = 64
_PARALLEL_FROM = 200
"""Fewer pages than this are rendered in the build process, when MkDocs asks."""


class EscapeHtmlExtension(Extension):
    """Show raw HTML as text (``docs_html: escape``)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)


@dataclass(frozen=True, slots=True)
class Dialect:
    """Markdown extensions with their settings, and the trust setting for raw HTML."""

    extensions: tuple[str, ...]
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    html: str = "sanitize"
    remote_images: str = "keep"
    """``keep`` or ``link`` (:mod:`generator.docs.remote`)."""

    def with_extensions(self, extensions: Extensions | None) -> Dialect:
        """These settings with another section's extensions (``None``: TechDocs')."""
        return self if extensions is None else docs_dialect(self.html, extensions,
                                                            self.remote_images)


def _function(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(__import__(module, fromlist=[name]), name)


def resolve_setting(value: Any) -> Any:
    """``"module:name"`` settings become the named function (so the dialect pickles).

    ``("call", "module:name", {kwds})`` is that function called (a factory such
    as ``pymdownx.slugs.slugify``); only :mod:`generator.docs.extensions` writes
    either, from its table of safe functions.
    """
    if isinstance(value, str) and re.fullmatch(r"[\w.]+:\w+", value):
        return _function(value)
    if isinstance(value, tuple) and len(value) == 3 and value[0] == "call":
        return _function(value[1])(**value[2])
    if isinstance(value, list):
        return [resolve_setting(v) for v in value]
    if isinstance(value, dict):
        return {k: resolve_setting(v) for k, v in value.items()}
    return value


def docs_dialect(html: str = "sanitize", extensions: Extensions = DOCS_EXTENSIONS,
                 remote_images: str = "keep") -> Dialect:
    """``extensions`` (the TechDocs dialect) with the ``docs_html`` trust setting ``html`` and
    the ``remote_images`` setting."""
    if html not in HTML_POLICIES:
        raise ValueError(f"docs_html must be one of {', '.join(HTML_POLICIES)}, not {html!r}")
    if remote_images not in REMOTE_IMAGES:
        raise ValueError(f"remote_images must be one of {', '.join(REMOTE_IMAGES)}, not "
                         f"{remote_images!r}")
    names = [name for name, _ in extensions]
    names += [LINKS_EXTENSION, BOUNDED_EXTENSION]
    if html == "escape":
        names.append("generator.docs.render:EscapeHtmlExtension")
    return Dialect(tuple(names), {name: dict(cfg) for name, cfg in extensions}, html,
                   remote_images)


SearchSection = tuple[str, str, str]
"""``(anchor, title, text)`` of one section, as Material's search index stores it."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page: HTML and the table of contents tokens MkDocs expects."""

    html: str
    toc: list[dict] = field(default_factory=list)
    error: str | None = None
    """Why the page could not be rendered (its HTML then says so)."""
    search: list[SearchSection] | None = None
    """Search sections of ``header + html``, when asked for (``None`` if unavailable)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A page rendered while its links were found, before they were resolved: each link
    target is a token in ``html`` (:mod:`generator.docs.linktree`), ``targets`` what each
    stands for. :func:`finish_draft` makes of it what :func:`render_markdown` would."""

    html: str
    toc: list[dict]
    targets: tuple[Target, ...]


DraftKey = tuple[str, str]
"""``(dialect, text)``: the page a :class:`Draft` was made of, in the dialect it was parsed
in."""


def draft_key(dialect: Dialect, text: str) -> DraftKey:
    return _key(dialect), text


_instances: dict[str, markdown.Markdown] = {}
"""One Markdown converter per dialect and process, reset between pages."""


def _key(dialect: Dialect) -> str:
    return repr((dialect.extensions, sorted(dialect.configs.items()), dialect.html,
                 dialect.remote_images))


def _markdown(dialect: Dialect) -> markdown.Markdown:
    md = _instances.get(_key(dialect))
    if md is None:
        configs = {name: {k: resolve_setting(v) for k, v in cfg.items()}
                   for name, cfg in dialect.configs.items()}
        md = _instances[_key(dialect)] = markdown.Markdown(extensions=list(dialect.extensions),
                                                           extension_configs=configs)
    return md


_TOC_ID = re.compile(r"[^\w\-.:]")


def _safe_toc(tokens: list[dict]) -> list[dict]:
    """Tokens whose titles and ids cannot carry markup into the theme's sidebar."""
    return [{**t, "name": str(t.get("name", "")).replace("<", "&lt;"),
             "id": _TOC_ID.sub("-", str(t.get("id", ""))),
             "children": _safe_toc(t.get("children", []))} for t in tokens]


def search_sections(html: str) -> list[SearchSection] | None:
    """The sections Material's search plugin would index for ``html``.

    Done in the workers so that the build process need not parse every docs
    page again; ``None`` when Material's parser is not available.
    """
    try:
        from material.plugins.search.plugin import Parser, jieba
    except ImportError:
        return None
    if jieba is not None:  # Chinese segmentation needs the plugin's own settings
        return None
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(f"#{section.id}" if section.id else "", "".join(section.title).strip(),
             "".join(section.text).strip())
            for section in parser.data if not section.is_excluded()]


def dialect_error(dialect: Dialect) -> str | None:
    """Why Python-Markdown cannot load ``dialect`` (an unknown option, say), or ``None``."""
    try:
        _markdown(dialect)
    except Exception as exc:  # an extension's own check of its options
        return f"{type(exc).__name__}: {exc}"
    return None


def page_links(text: str, dialect: Dialect, cache: DocsCache | None = None
               ) -> list[tuple[str, str]] | str:
    """Every link target of a page as parsed, ``(kind, url)`` in document order.

    ``kind`` is ``link``, ``image`` or ``html``; a page that breaks an
    extension gives the error text instead. With ``cache``, a page parsed in
    an earlier build is not parsed again.
    """
    return pages_links([(text, dialect)], cache)[0]


def pages_links(pages: Sequence[tuple[str, Dialect]], cache: DocsCache | None = None,
                drafts: dict[DraftKey, Draft] | None = None
                ) -> list[list[tuple[str, str]] | str]:
    """:func:`page_links` of each ``(text, dialect)``; a page no earlier build parsed is
    parsed once however often it recurs (a template's boilerplate), and those pages on every
    core (:func:`~generator.parallel.split_map`). With ``drafts``, each page parsed keeps its
    :class:`Draft` there, so rendering it needs no second parse."""
    found: list[list[tuple[str, str]] | str | None] = [None] * len(pages)
    todo: dict[tuple[str, str], list[int]] = {}  # (dialect, text) → the pages that are it
    keys: list[bytes] = []  # the cache's key of each, in order
    for i, (text, dialect) in enumerate(pages):
        same = todo.get(ident := (_key(dialect), text))
        if same is not None:
            same.append(i)
            continue
        key = DocsCache.key("links", *ident) if cache is not None else b""
        if cache is not None and _is_links(known := cache.get(key)):
            found[i] = known
            continue
        todo[ident] = [i]
        keys.append(key)
    work = [(*pages[same[0]], drafts is not None) for same in todo.values()]
    parsed = split_map(_parsed, work, min_items=_PARALLEL_FROM)
    for (ident, same), key, (links, draft) in zip(todo.items(), keys, parsed, strict=True):
        for i in same:
            found[i] = links
        if cache is not None:
            cache.put(key, links)
        if drafts is not None and draft is not None:
            drafts[ident] = draft
    return found  # type: ignore[return-value]


def _is_links(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(
        isinstance(item, tuple) and len(item) == 2 for item in value))


def _parsed(page: tuple[str, Dialect, bool]) -> tuple[list[tuple[str, str]] | str, Draft | None]:
    return _page_links(*page)


def _page_links(text: str, dialect: Dialect, drafted: bool = False
                ) -> tuple[list[tuple[str, str]] | str, Draft | None]:
    md = _markdown(dialect)
    processor = md.pr_link_processor  # type: ignore[attr-defined]
    try:
        md.reset()
        processor.links, processor.found = None, []
        processor.targets = [] if drafted else None
        html = md.convert(text)
        found = list(processor.found)
        if not drafted or any(kind == "dot" for kind, _ in found):  # a fence is drawn later
            return found, None
        return found, Draft(html, list(getattr(md, "toc_tokens", [])),
                            tuple(processor.targets))
    except Exception as exc:
        _instances.pop(_key(dialect), None)
        return f"{type(exc).__name__}: {exc}", None
    finally:
        processor.targets = None


def render_markdown(text: str, dialect: Dialect, *, header: str | None = None,
                    links: LinkMap | None = None, draft: Draft | None = None) -> Rendered:
    """Render one page; a page that breaks an extension renders as a notice, not a crash.

    ``links`` maps each link target to its place in the site (see
    :mod:`generator.docs.linktree`). With ``header`` (finished HTML shown
    above the page), the search sections of the whole content are computed too. With
    ``draft`` (the page's :class:`Draft` in ``dialect``) it is not parsed again, unless a
    link is dropped (that changes the page's elements).
    """
    if draft is not None and (finished := finish_draft(draft, dialect, links or {})):
        return _finished(finished, draft.toc, dialect, header)
    md = _markdown(dialect)
    try:
        md.reset()
        md.pr_link_processor.links = links or {}  # type: ignore[attr-defined]
        html = md.convert(text)
        toc = list(getattr(md, "toc_tokens", []))
    except Exception as exc:
        _instances.pop(_key(dialect), None)
        return Rendered('<p class="pr-note">This page could not be rendered; its source:</p>'
                        f"<pre><code>{escape(text)}</code></pre>", [],
                        f"{type(exc).__name__}: {exc}")
    return _finished(html, toc, dialect, header)


def _finished(html: str, toc: list[dict], dialect: Dialect, header: str | None) -> Rendered:
    if dialect.html != "trust":
        html = sanitize_html(html)
        toc = _safe_toc(toc)
    if dialect.remote_images == "link":
        html = link_remote_media(html)
    search = search_sections(header + html) if header is not None else None
    return Rendered(html, toc, search=search)


def finish_draft(draft: Draft, dialect: Dialect, links: LinkMap) -> str | None:
    """The HTML Python-Markdown makes of the page with ``links`` applied (before the trust
    setting is), from its :class:`Draft`: each token becomes the attribute the link
    treeprocessor would have written. ``None`` if a link is dropped (the page is parsed
    again: an element changes)."""
    escape_attrib = (_escape_attrib_html if _markdown(dialect).output_format == "html"
                     else _escape_attrib)
    parts = TOKEN.split(draft.html)
    for i in range(1, len(parts), 2):
        kind, url, written, prefix = draft.targets[int(parts[i])]
        new = links.get((kind, url), url)
        if kind == "md":
            if new is None:
                return None
            value = written if new == url else new
            parts[i] = escape_attrib(value).replace(AMP_SUBSTITUTE, "&")
        elif new is None:
            parts[i] = ""
        else:
            parts[i] = written if new == url else f'{prefix}"{escape(new, quote=True)}"'
    return "".join(parts)


def _to_plain(rendered: Rendered) -> tuple:
    return (rendered.html, rendered.toc, rendered.error, rendered.search)


def _from_plain(value: object) -> Rendered | None:
    """A cached page, or ``None`` if the entry is missing or not what was stored."""
    if not (isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], str)
            and isinstance(value[1], list)):
        return None
    html, toc, error, search = value
    return Rendered(html, toc, error, [tuple(s) for s in search] if search is not None else None)


def _render_chunk(items: list[tuple[str, Dialect, str, str | None, LinkMap | None,
                                   Draft | None]]) -> dict[str, Rendered]:
    return {path: render_markdown(text, dialect, header=header, links=links, draft=draft)
            for path, dialect, text, header, links, draft in items}


class DocsRenderer:
    """Renders pages on request; with many, renders them ahead in worker processes.

    ``get(path)`` returns the same :class:`Rendered` either way, so a build
    is byte-identical whether or not workers were used.
    """

    def __init__(self, dialect: Dialect, pages: dict[str, str], *,
                 headers: dict[str, str] | None = None, links: dict[str, LinkMap] | None = None,
                 extensions: dict[str, Extensions | None] | None = None,
                 workers: int | None = None, cache: DocsCache | None = None,
                 drafts: dict[DraftKey, Draft] | None = None) -> None:
        self.dialect = dialect
        """The trust setting, and the extensions of pages that have no others."""
        self.pages = pages
        self.extensions = extensions or {}
        """Each page's section's extensions (:mod:`generator.docs.extensions`)."""
        self._dialects: dict[int, tuple[Extensions | None, Dialect]] = {}
        self.cache = cache
        """Pages rendered by earlier builds (:mod:`generator.docs.cache`)."""
        self.rendered = 0
        """Pages rendered (not taken from the cache) so far."""
        self.reused = 0
        """Pages taken from the cache so far."""
        self.drafted = 0
        """Pages handed their :class:`Draft` (finished, not parsed again, unless a link of
        theirs is dropped)."""
        self._cached: dict[str, Rendered] = {}
        self._keys: dict[str, bytes] = {}
        self.links = links or {}
        """Each page's resolved link targets."""
        self.headers = headers
        """Page headers, when search sections are wanted."""
        self.drafts = drafts or {}
        """Pages the docs stage rendered while finding their links (:class:`Draft`)."""
        self.workers = max(0, (os.cpu_count() or 1) - 1) if workers is None else workers
        self.executor: ProcessPoolExecutor | None = None
        self.chunks: dict[str, Future[dict[str, Rendered]]] = {}

    def start(self) -> None:
        """Start rendering ahead, in page order, if it is worth it."""
        paths = sorted(self.pages)
        if self.cache is not None:
            for path in paths:
                found = _from_plain(self.cache.get(self._key(path)))
                if found is not None:
                    self._cached[path] = found
            paths = [p for p in paths if p not in self._cached]
        if self.workers < 1 or len(paths) < _PARALLEL_FROM:
            return
        self.executor = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        for i in range(0, len(paths), _CHUNK):
            chunk = paths[i:i + _CHUNK]
            future = self.executor.submit(_render_chunk,
                                          [(p, self.page_dialect(p), self.pages[p],
                                            self._header(p), self.links.get(p),
                                            self._draft(p)) for p in chunk])
            for path in chunk:
                self.chunks[path] = future
        # Each is the workers' now, let go of once its chunk is done (the render of a page
        # whose worker failed parses it).
        self.drafts = {}

    def get(self, path: str) -> Rendered:
        if self.cache is not None and path not in self._cached:
            found = _from_plain(self.cache.get(self._key(path)))
            if found is not None:
                self._cached[path] = found
        if path in self._cached:
            self.reused += 1
            return self._cached.pop(path)
        future = self.chunks.pop(path, None)
        rendered = None
        if future is not None:
            try:
                rendered = future.result().get(path)
            except (BrokenProcessPool, Exception):  # a failed worker: render here instead
                rendered = None
        if rendered is None:
            rendered = render_markdown(self.pages[path], self.page_dialect(path),
                                       header=self._header(path), links=self.links.get(path),
                                       draft=self._draft(path))
        self.rendered += 1
        if self.cache is not None:
            self.cache.put(self._key(path), _to_plain(rendered))
        return rendered

    def _key(self, path: str) -> bytes:
        key = self._keys.get(path)
        if key is None:
            header = self._header(path)
            key = self._keys[path] = DocsCache.key(
                "page", _key(self.page_dialect(path)), self.pages[path],
                "\0" if header is None else header, repr(sorted(self.links.get(path, {}).items(),
                                                            key=repr)))
        return key

    def page_dialect(self, path: str) -> Dialect:
        """The dialect ``path`` is rendered in: its section's extensions, this trust setting."""
        extensions = self.extensions.get(path)
        if extensions is None:
            return self.dialect
        known = self._dialects.get(id(extensions))
        if known is None:
            known = self._dialects[id(extensions)] = (extensions,
                                                      self.dialect.with_extensions(extensions))
        return known[1]

    def _draft(self, path: str) -> Draft | None:
        draft = self.drafts.get(draft_key(self.page_dialect(path), self.pages[path]))
        self.drafted += draft is not None
        return draft

    def _header(self, path: str) -> str | None:
        return None if self.headers is None else self.headers.get(path, "")

    def close(self) -> None:
        """Stop the workers and keep what was rendered for the next build."""
        if self.cache is not None:
            self.cache.save()
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.chunks.clear()
        self.drafts = {}
