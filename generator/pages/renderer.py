"""Renderer: turns finished view objects into Markdown with escaped HTML blocks.

Untrusted text only ever reaches the output through Jinja's autoescaping
inside raw HTML blocks (which Markdown leaves alone), through fenced code
blocks whose fence is longer than any backtick run in the content, or as a
page title that is HTML-escaped before MkDocs sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from generator.pages.html import about_html, cell_html, item_html, problems_html, table_html
from generator.pages.model import GeneratedPage
from generator.pages.text import code_fence, front_matter_title, markdown_text

if TYPE_CHECKING:
    from generator.pages.views import EntityView

__all__ = ["Renderer", "html_escape"]

_LIFECYCLES = frozenset({"production", "experimental", "deprecated"})


def sections(view: EntityView, position: str, block: Blocks) -> Markup:
    """The feature sections at ``position``, each a block with its heading."""
    out = []
    for section in view.sections:
        if section.position != position:
            continue
        head = block.heading(section.title) if section.title else Markup("")
        html = head + section.html
        out.append(f"{block(late=not section.searchable, caller=lambda html=html: html)}\n\n")
    return Markup("".join(out))


def _markup(fn: Callable[..., str]) -> Callable[..., Markup]:
    return lambda *args: Markup(fn(*args))


def lifecycle_class(value: object) -> str:
    """CSS modifier for a lifecycle badge (only known values)."""
    text = str(value or "").lower()
    return text if text in _LIFECYCLES else "other"


class Blocks:
    """HTML blocks of one page, kept out of Markdown and put back by marker.

    Generated tables are already HTML; sending them through Markdown's HTML
    parser and the search indexer again would cost most of a large build.
    A template wraps such HTML in ``{% call block() %}``; the page keeps a
    marker comment, and the HTML is put back after Markdown (or, for
    ``late`` blocks, after the search index has been built).
    """

    def __init__(self) -> None:
        self.html: dict[str, str] = {}
        self.late: set[str] = set()
        self.toc: list[tuple[str, str]] = []

    def heading(self, title: str) -> Markup:
        """An ``<h2>`` with a unique id and permalink, recorded for the page's TOC.

        Headings inside blocks spare Markdown (whose inline patterns run over
        every heading) the work on pages that are otherwise finished HTML.
        """
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
        anchor, n = base, 1
        while any(anchor == a for a, _ in self.toc):
            n += 1
            anchor = f"{base}_{n}"
        self.toc.append((anchor, title))
        return Markup(f'<h2 id="{anchor}">{escape(title)}<a class="headerlink" '
                      f'href="#{anchor}" title="Permanent link">&para;</a></h2>\n')

    def __call__(self, late: bool = False, *, caller: Callable[[], str]) -> Markup:
        marker = f"<!--pr:{len(self.html)}-->"
        self.html[marker] = str(caller()).strip("\n")
        if late:
            self.late.add(marker)
        return Markup(marker)


def html_escape(value: object) -> Markup:
    """``value`` escaped as :mod:`generator.pages.html` escapes (``html.escape``).

    The ``finalize`` of HTML partials, so a cell reads the same byte for byte
    whether a partial or a fast helper built it; :class:`Markup` passes as is.

    >>> str(html_escape("<'a'>")), str(html_escape(Markup("<b>")))
    ('&lt;&#x27;a&#x27;&gt;', '<b>')
    """
    return value if isinstance(value, Markup) else Markup(escape(str(value)))


class Renderer:
    """Wraps the Jinja environment; renders named templates to Markdown.

    :meth:`html` renders HTML partials (``*.html.j2``) into finished HTML
    blocks. They escape every ``{{ value }}`` with :func:`html_escape`; filters
    that escape by themselves (``join``, ``e``, ``xmlattr``) would use
    MarkupSafe's spelling instead, so partials loop rather than join.
    """

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["title"] = front_matter_title
        self.env.filters["lifecycle_class"] = lifecycle_class
        self.env.filters["md"] = markdown_text
        self.env.globals.update(code_fence=code_fence, about_html=about_html,
                                problems_html=problems_html, table_html=table_html,
                                item_html=_markup(item_html), cell_html=_markup(cell_html),
                                sections=sections)
        self._cache: dict[str, jinja2.Template] = {}
        self.html_env = self.env.overlay(finalize=html_escape)
        self._html_cache: dict[str, jinja2.Template] = {}

    def render(self, name: str, **context: object) -> GeneratedPage:
        """Render template ``name`` into a page (Markdown with its HTML blocks)."""
        template = self._cache.get(name)
        if template is None:
            template = self._cache[name] = self.env.get_template(name)
        blocks = Blocks()
        markdown = template.render(block=blocks, **context)
        return GeneratedPage(markdown, blocks.html, frozenset(blocks.late),
                             toc=tuple(blocks.toc) or None)

    def html(self, name: str, **context: object) -> Markup:
        """Render the HTML partial ``name`` (its last newline dropped)."""
        template = self._html_cache.get(name)
        if template is None:
            template = self._html_cache[name] = self.html_env.get_template(name)
        return Markup(template.render(**context).removesuffix("\n"))
