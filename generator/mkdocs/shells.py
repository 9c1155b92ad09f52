"""Render the theme once per page shape, then fill it for every page of that shape.

Material renders its whole template (head, header, tabs, sidebars, footer,
scripts) for every page: about a millisecond each, the largest single cost
of an organisation-sized build. Entity and docs pages at the same depth
differ only in a few slots: title, content, table of contents, section nav,
edit link and canonical URL. :class:`PageShells` renders the theme for the
first page of a shape with sentinels in those slots, splits the output at
them, and fills the parts in for the other pages.

A sentinel also shows which Jinja filter the theme applied to it (raw,
``e``, ``striptags``, ``urlencode``), so each slot is filled exactly as the
theme would. A shell is trusted only after it reproduced the theme's own
output byte for byte on the first two pages of its shape; a shape whose
pages differ in anything else (a theme override showing the page's URL, say)
is rendered by the theme as usual. Speed may be lost, correctness never.

:class:`ShellManager` is the plugin's side: it chooses the pages drawn from
shells (entity and docs pages, none in the nav), hands the theme an empty
template for them meanwhile, and draws them once the whole page is known.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

__all__ = ["SHELL_TEMPLATE", "PageShells", "Shell", "ShellManager", "view_url"]

log = logging.getLogger("mkdocs.plugins.pavedroad")

_TOC_TEMPLATE = ('{% import "partials/language.html" as lang with context %}'
                 '{% include "partials/toc.html" %}')
"""Material's table of contents on its own (the language macros it needs first)."""
_VERIFY = 2
"""Pages of a shape rendered by the theme too, and compared, before its shell is trusted."""
_MARKS = ("PRSHELL", "ZQSHELL")
"""Two sentinel sets: a shell is used only if both split the same way."""
SHELL_TEMPLATE = "pavedroad/shell.html"
"""An empty template: the page is drawn by :meth:`ShellManager.draw` in ``on_post_page``."""


def view_url(edit_url: str) -> str:
    """Material's "View source" link for an edit URL (``partials/actions.html``).

    >>> view_url("https://github.com/o/r/edit/main/docs/a.md")
    'https://github.com/o/r/raw/main/docs/a.md'
    >>> view_url("https://github.com/o/r/blob/main/docs/a.md")
    'https://github.com/o/r/raw/main/docs/a.md'
    """
    return edit_url.replace("blob" if "/blob/" in edit_url else "edit", "raw")


_FILTERS: dict[str, Callable[[str], str]] = {
    "raw": str,
    "e": lambda v: str(escape(v)),
    "striptags": lambda v: Markup(v).striptags(),
    "striptags|e": lambda v: str(escape(Markup(v).striptags())),
    "urlencode": do_urlencode,
}
"""How a theme may print a slot: the sentinel comes out differently under each."""


def _sentinel(slot: str, mark: str) -> str:
    # Tells filters apart: e escapes "&amp;" and "<b>"; striptags drops one, unescapes the other.
    # One long, one short: a theme that cuts, measures or picks from a value gives itself away.
    pad = "x" * 120 if mark == _MARKS[0] else ""
    return f"{mark}{slot}{pad}Q&amp;<b>Q"


@dataclass(frozen=True, slots=True)
class Shell:
    """A rendered page split at its slots: ``parts[0] fill[0] parts[1] … parts[-1]``."""

    parts: tuple[str, ...]
    fills: tuple[tuple[str, Callable[[str], str]], ...]
    """(slot, filter) between consecutive parts."""

    @property
    def slots(self) -> frozenset[str]:
        return frozenset(slot for slot, _ in self.fills)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for (slot, apply), part in zip(self.fills, self.parts[1:], strict=True):
            out.append(apply(values[slot]))
            out.append(part)
        return "".join(out)


def _split(output: str, slots: list[str], toc: str | None, mark: str) -> Shell | None:
    """``output`` (rendered with sentinels) as a shell, or ``None`` if a slot is unclear."""
    if toc is not None:
        count = output.count(toc)
        if count > 1:
            return None
        if count == 1:
            output = output.replace(toc, _sentinel("toc", mark))
            slots = [*slots, "toc"]
    variants: dict[str, tuple[str, Callable[[str], str]]] = {}
    for slot in slots:
        for apply in [*_FILTERS.values(), *([view_url] if slot == "edit" else [])]:
            if variants.setdefault(apply(_sentinel(slot, mark)), (slot, apply)) != (slot, apply):
                return None
    pattern = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    pieces = re.split(f"({pattern})", output)
    parts, fills = tuple(pieces[0::2]), tuple(variants[v] for v in pieces[1::2])
    if any(mark in part for part in parts):
        return None  # a sentinel went through something we cannot reproduce
    return Shell(parts, fills)


class PageShells:
    """Page shells for one build and one theme environment."""

    def __init__(self, env: jinja2.Environment, *, meta_slots: tuple[str, ...] = ()) -> None:
        self.env = env
        self.meta_slots = meta_slots
        """``page.meta`` keys printed by the theme as they are (a section nav, say)."""
        self.shells: dict[tuple, Shell | None] = {}
        self.checked: dict[tuple, set[str]] = {}
        """Shape → the pages its shell reproduced (it is trusted from two different ones)."""
        self.toc_cache: dict[tuple, str] = {}
        try:
            self.toc_template: jinja2.Template | None = env.from_string(_TOC_TEMPLATE)
        except Exception:  # not Material: no separate table of contents to render
            self.toc_template = None
        self.rendered = self.filled = 0

    def render(self, page: Page, context: dict[str, Any], template: str) -> str:
        """The page as ``template`` renders it with ``context``, from a shell where possible."""
        key = self._shape(page, context, template)
        if key not in self.shells:
            self.shells[key] = self._make(page, context, template)
            self.checked[key] = set()
        shell = self.shells[key]
        if shell is None:
            return self._theme(context, template)
        filled = shell.fill(self._values(page, context, shell))
        checked = self.checked[key]
        if len(checked) < _VERIFY:
            expected = self._theme(context, template)
            if filled != expected:
                log.debug("Paved Road: the theme renders pages like %s differently; "
                          "rendering them one by one", page.file.src_uri)
                self.shells[key] = None
                return expected
            checked.add(page.file.src_uri)
            return expected
        self.filled += 1
        return filled

    def _theme(self, context: dict[str, Any], template: str) -> str:
        self.rendered += 1
        return self.env.get_template(template).render(context)

    def _shape(self, page: Page, context: dict[str, Any], template: str) -> tuple:
        meta = sorted((k, repr(v)) for k, v in page.meta.items()
                      if k not in self.meta_slots and k not in ("title", "template"))
        edit = page.edit_url
        return (template, context.get("base_url"), page.is_homepage, bool(page.toc),
                "<h1" in (page.content or ""), edit is None, edit is not None and "/blob/" in edit,
                page.canonical_url is None, tuple(k in page.meta for k in self.meta_slots),
                # Without Material's TOC partial the TOC is part of the shell, so of its shape.
                None if self.toc_template is not None else _toc_key(page.toc),
                "title" in page.meta, tuple(meta), page.previous_page is None,
                page.next_page is None, page.parent is None)

    def _values(self, page: Page, context: dict[str, Any], shell: Shell) -> dict[str, str]:
        values = {"title": str(page.meta.get("title", "")), "content": page.content or "",
                  "edit": page.edit_url or "", "canonical": page.canonical_url or ""}
        for key in self.meta_slots:
            values[key] = str(page.meta.get(key, ""))
        if page.toc:
            values["skip"] = next(iter(page.toc)).id  # Material's "Skip to content" link
            if "toc" in shell.slots:
                values["toc"] = self._toc(page, context)
        return values

    def _toc_html(self, context: dict[str, Any]) -> str | None:
        """The theme's table of contents on its own, if it is Material's."""
        if self.toc_template is None:
            return None
        try:
            return self.toc_template.render(context)
        except Exception:
            self.toc_template = None
            return None

    def _toc(self, page: Page, context: dict[str, Any]) -> str:
        key = _toc_key(page.toc)
        html = self.toc_cache.get(key)
        if html is None:
            html = self._toc_html(context) or ""
            if len(self.toc_cache) < 10_000:
                self.toc_cache[key] = html
        return html

    def _make(self, page: Page, context: dict[str, Any], template: str) -> Shell | None:
        """Render ``page`` with sentinels in its slots and split it there (twice, to be sure)."""
        if "title" not in page.meta or page.previous_page is not None \
                or page.next_page is not None:
            return None
        first, second = (self._split_at(page, context, template, mark) for mark in _MARKS)
        if first is None or first != second or not {"title", "content"} <= first.slots:
            return None  # every theme shows these; one that hides them does something unknown
        return first

    def _split_at(self, page: Page, context: dict[str, Any], template: str,
                  mark: str) -> Shell | None:
        toc = None
        saved = (page.meta.copy(), page.content, page.edit_url, page.canonical_url,
                 next(iter(page.toc)).id if page.toc else None)
        slots = ["title", "content"]
        content = _sentinel("content", mark)
        h1 = "<h1" in (page.content or "")  # Material adds an <h1> to content without one
        try:
            if page.toc:
                next(iter(page.toc)).id = _sentinel("skip", mark)
                slots.append("skip")
                toc = self._toc_html(context)
            page.meta["title"] = _sentinel("title", mark)
            page.content = content + "<h1" if h1 else content
            if page.edit_url is not None:
                page.edit_url = _sentinel("edit", mark)
                slots.append("edit")
            if page.canonical_url is not None:
                page.canonical_url = _sentinel("canonical", mark)
                slots.append("canonical")
            for key in self.meta_slots:
                if key in page.meta:
                    page.meta[key] = _sentinel(key, mark)
                    slots.append(key)
            output = self.env.get_template(template).render(context)
        except Exception:
            return None
        finally:
            page.meta.clear()
            page.meta.update(saved[0])
            page.content, page.edit_url, page.canonical_url = saved[1:4]
            if page.toc:
                next(iter(page.toc)).id = saved[4]
        if h1:
            output = output.replace(content + "<h1", content)
        return _split(output, slots, toc, mark)


def _toc_key(items: Any) -> tuple:
    return tuple((item.level, item.id, item.title, _toc_key(item.children)) for item in items)


class ShellManager:
    """The pages of one build drawn from page shells, and the templates they named."""

    def __init__(self, *, enabled: bool, meta_slots: tuple[str, ...] = ()) -> None:
        self.enabled = enabled
        """``page_shells``: when off, every page is rendered by the theme."""
        self.meta_slots = meta_slots
        self.templates: dict[str, str | None] = {}
        """Page → the template it named (``None`` for the default), for pages drawn here."""
        self.contexts: dict[str, dict] = {}
        self.shells: PageShells | None = None

    def use(self, page: Page) -> None:
        """Have ``page`` drawn from a shell: the theme renders an empty template for it."""
        if self.enabled:
            self.templates[page.file.src_uri] = page.meta.get("template")
            page.meta["template"] = SHELL_TEMPLATE

    def set_env(self, env: jinja2.Environment) -> None:
        """The theme's environment of this build (``on_env``), with the empty template."""
        self.shells, self.contexts = None, {}
        if self.templates:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({SHELL_TEMPLATE: ""}),
                                              env.loader])
        if self.templates:
            self.shells = PageShells(env, meta_slots=self.meta_slots)

    def keep_context(self, page: Page, context: dict) -> None:
        """Remember the template context of a page drawn here (``on_page_context``)."""
        if page.file.src_uri in self.templates:
            self.contexts[page.file.src_uri] = context

    def draw(self, page: Page, finish: Callable[[str], str] | None = None) -> str | None:
        """``page`` as its theme renders it, drawn from a shell; ``None`` if not drawn here.

        ``finish`` is applied to the page's content first (the blocks left out of search).
        """
        template = self.templates.pop(page.file.src_uri, _NOT_HERE)
        if template is _NOT_HERE:
            return None
        if template is None:
            del page.meta["template"]
        else:
            page.meta["template"] = template
        context = self.contexts.pop(page.file.src_uri, None)
        if self.shells is None or context is None:
            return None
        if finish is not None:
            page.content = finish(page.content or "")
        return self.shells.render(page, context, template or "main.html")

    def finish(self) -> None:
        """End the build: log how many pages were drawn, forget its pages."""
        if self.shells is not None:
            log.debug("Paved Road: %d pages filled from page shells, %d rendered by the theme",
                      self.shells.filled, self.shells.rendered)
        self.shells, self.templates, self.contexts = None, {}, {}


_NOT_HERE = object()
