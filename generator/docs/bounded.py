"""Python-Markdown kept linear on hostile pages.

Two of its parsers rescan the rest of the text from every opening:

* a link's ``[text]`` and ``(target)`` are matched bracket by bracket up to
  the end of the paragraph, so 8 KB of ``[a](((`` costs minutes. Here each
  scan looks at most :data:`SCAN_LIMIT` characters ahead and gives up past
  :data:`MAX_DEPTH` nested brackets (no real link is that long or that deep),
  which keeps a page linear;
* the HTML block parser (a copy of :mod:`html.parser` inside Python-Markdown)
  lets a start tag's attribute names and bare values contain ``<``, so from
  every ``<a `` in 120 KB of them it matches to the end. Here a ``<`` ends a
  start tag's attributes, as it ends the tag in CommonMark's raw HTML rules;
  the tag is then text, as it was before once the parser gave up.

Only Python-Markdown's private copy of the parser is changed, not the
standard library's.
"""

from __future__ import annotations

import re
from functools import cache

import markdown
from markdown import htmlparser
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor, ReferenceInlineProcessor

__all__ = ["MAX_DEPTH", "SCAN_LIMIT", "BoundedExtension"]

SCAN_LIMIT = 2048
"""Characters a link's text or target may span (Python-Markdown: the whole paragraph)."""
MAX_DEPTH = 16
"""Brackets or parentheses a link's text or target may nest."""


def _no_angle_in_attributes(pattern: str) -> str:
    new = pattern.replace(r"[^`\s/>][^\s/=>]*", r"[^`\s/><][^\s/=><]*", 1)
    new = new.replace("(?![\'\"])[^`>\\s]*", "(?![\'\"])[^`>\\s<]*", 1)
    return new


_START_TAG = htmlparser.htmlparser.locatestarttagend_tolerant
if "/=><" not in _START_TAG.pattern:
    htmlparser.htmlparser.locatestarttagend_tolerant = re.compile(
        _no_angle_in_attributes(_START_TAG.pattern), _START_TAG.flags)


_BRACKETS = re.compile(r"[\[\]]")
_PARENS = re.compile(r"[()]")


def _bounded_text(data: str, index: int) -> tuple[str, int, bool]:
    """``getText`` over at most :data:`SCAN_LIMIT` characters and :data:`MAX_DEPTH` nestings."""
    window = data[index:index + SCAN_LIMIT]
    depth = 1
    for match in _BRACKETS.finditer(window):
        depth += 1 if match.group() == "[" else -1
        if depth > MAX_DEPTH:
            break
        if depth == 0:
            return window[:match.start()], index + match.end(), True
    return "", index, False


def _link_window(data: str, index: int) -> str:
    """The target text ``getLink`` may scan: ends where parentheses nest too deep."""
    window = data[index:index + SCAN_LIMIT]
    depth = 0
    for match in _PARENS.finditer(window):
        depth += 1 if match.group() == "(" else -1
        if depth > MAX_DEPTH:
            return window[:match.start()]
        if depth == 0:
            break
    return window


@cache
def _bounded(cls: type) -> type:
    """``cls`` with its bracket scans bounded (see the module's docstring)."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        return _bounded_text(data, index)

    namespace = {"getText": getText}
    if issubclass(cls, LinkInlineProcessor):
        def getLink(self, data: str, index: int
                    ) -> tuple[str, str | None, int, bool]:
            href, title, end, handled = cls.getLink(self, _link_window(data, index), 0)
            return href, title, index + end, handled
        namespace["getLink"] = getLink
    return type(f"Bounded{cls.__name__}", (cls,), namespace)


class BoundedExtension(Extension):
    """Swaps every link and reference processor for its bounded twin (register it last)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for processor in md.inlinePatterns:
            if isinstance(processor, (LinkInlineProcessor, ReferenceInlineProcessor)):
                processor.__class__ = _bounded(type(processor))
