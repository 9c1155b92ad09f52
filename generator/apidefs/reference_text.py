"""Text in a reference: descriptions as sanitised Markdown, examples and defaults as text.

A definition's descriptions are CommonMark by the OpenAPI and AsyncAPI
specifications (GraphQL descriptions and proto comments are read the same
way). They are untrusted like repository docs: raw HTML is shown as text
(the docs' ``escape`` setting) and the result is cleaned by the docs'
sanitiser (nh3), so no element, attribute or link scheme a docs page could
not carry reaches the page. Python-Markdown is kept linear by the docs'
bounded extension; every text is clipped before it is converted.
"""

from __future__ import annotations

import json
from functools import lru_cache

import markdown
from markupsafe import Markup

from generator.apidefs.model import clip
from generator.docs.bounded import BoundedExtension
from generator.docs.render import EscapeHtmlExtension
from generator.docs.sanitize import sanitize_html

__all__ = ["MAX_DESCRIPTION", "MAX_EXAMPLE", "description_html", "example_text", "scalar_text"]

MAX_DESCRIPTION = 4_000
"""Longest description converted, in characters (the rest is cut with an ellipsis)."""
MAX_EXAMPLE = 1_500
"""Longest example shown, in characters."""

_MD: list[markdown.Markdown] = []


def _converter() -> markdown.Markdown:
    if not _MD:
        _MD.append(markdown.Markdown(extensions=[
            "tables", "fenced_code", "sane_lists", EscapeHtmlExtension(), BoundedExtension()]))
    return _MD[0]


@lru_cache(maxsize=4096)
def description_html(text: object) -> Markup:
    """A description as sanitised HTML (raw HTML escaped); empty for anything but text.

    >>> str(description_html("Use **care** <script>x()</script>"))
    '<p>Use <strong>care</strong> &lt;script&gt;x()&lt;/script&gt;</p>'
    """
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    if len(text) > MAX_DESCRIPTION:
        text = text[:MAX_DESCRIPTION].rstrip() + " …"
    md = _converter()
    try:
        md.reset()
        html = md.convert(text)
    except Exception:  # a hostile description must not break the page
        _MD.clear()
        from html import escape
        return Markup(f"<p>{escape(clip(text, MAX_DESCRIPTION))}</p>")
    return Markup(sanitize_html(html))


def scalar_text(value: object, limit: int = 120) -> str:
    """A default, enum value or constant as one short line (JSON spelling for non-strings).

    >>> scalar_text(True), scalar_text("a"), scalar_text(None), scalar_text([1, 2])
    ('true', 'a', 'null', '[1, 2]')
    """
    if isinstance(value, str):
        return clip(value, limit)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = str(type(value).__name__)
    return clip(text, limit)


def example_text(value: object) -> str:
    """An example as indented JSON text (strings as they are), at most :data:`MAX_EXAMPLE`."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            return ""
    return text if len(text) <= MAX_EXAMPLE else text[:MAX_EXAMPLE - 1] + "…"
