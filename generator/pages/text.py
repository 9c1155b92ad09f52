"""Text made safe for the page formats: Markdown text, front matter titles, code fences.

Untrusted text reaches a page's Markdown only through these (or through
escaped HTML blocks, see :mod:`generator.pages.html`).
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

__all__ = ["code_fence", "front_matter_title", "markdown_text"]


def front_matter_title(title: str) -> Markup:
    """A YAML-safe, HTML-escaped title for a page's front matter.

    MkDocs themes print ``page.meta.title`` without escaping, so it is
    escaped here; JSON is valid YAML, so quoting is safe too.

    >>> str(front_matter_title("<b>A</b>"))
    '"&lt;b&gt;A&lt;/b&gt;"'
    """
    flat = " ".join(title.split())
    return Markup(json.dumps(html.escape(flat, quote=True), ensure_ascii=True))


def code_fence(text: str, language: str = "text") -> Markup:
    """``text`` as a fenced code block that nothing inside can close.

    >>> print(code_fence("a ``` b", "yaml"))
    ````yaml
    a ``` b
    ````
    """
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    lang = language if re.fullmatch(r"[A-Za-z0-9_+-]+", language or "") else "text"
    body = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    return Markup(f"{fence}{lang}\n{body}\n{fence}")


_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~^:<>&\"'"}


def markdown_text(value: object) -> Markup:
    """Plain text made inert inside Markdown (headings, list items).

    Every character Markdown or HTML treat as syntax becomes a numeric entity.

    >>> str(markdown_text("[x](javascript:alert(1)) <b>"))
    '&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; &#60;b&#62;'
    """
    return Markup("".join(_MD_SPECIAL.get(c, c) for c in " ".join(str(value).split())))
