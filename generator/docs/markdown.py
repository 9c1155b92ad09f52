"""Text transforms on repository Markdown: front matter, titles and alerts.

Pure functions over strings. Links are never rewritten in the source: they
are found and resolved on the parsed page (:mod:`generator.docs.linktree`).
Fenced code blocks are left alone.
"""

from __future__ import annotations

import html
import re
from typing import Literal

from generator.yamlfile import YamlError, iter_documents

__all__ = [
    "LinkKind",
    "code_mask",
    "convert_alerts",
    "markdown_title",
    "plain_text",
    "split_front_matter",
]

LinkKind = Literal["link", "image", "definition", "html"]
"""Where a URL was written: ``[x](url)``, ``![x](url)``, ``[id]: url`` or ``<a href>``."""


_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_YAML_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """``(meta, body, lines removed)``: YAML or MultiMarkdown front matter, as MkDocs reads it.

    Unknown YAML tags (``!ENV``, ``!!python/name``) read as ``None``; front
    matter that is not valid YAML is left in the body, as MkDocs leaves it.

    >>> split_front_matter("---\\ntitle: A\\n---\\n# B\\n")
    ({'title': 'A'}, '# B\\n', 3)
    """
    match = _YAML_FRONT.match(text)
    if match:
        try:
            docs = [d.data for d in iter_documents(match.group(1), index_lines=False,
                                                   lenient_tags=True)]
        except YamlError:
            return {}, text, 0
        data = docs[0] if docs else None
        if not isinstance(data, dict):
            return {}, text, 0
        body = text[match.end():].lstrip("\n")
    else:
        from mkdocs.utils.meta import get_data  # MkDocs' own reader, imported when needed

        body, data = get_data(text)
        if not data:
            return {}, text, 0
    return data, body, text[: len(text) - len(body)].count("\n")


def code_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it is inside (or delimits) a fenced code block.

    >>> code_mask(["a", "```py", "x", "```", "b"])
    [False, True, True, True, False]
    """
    mask = []
    fence = ""
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            mask.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line[match.end():].strip():
                fence = ""
        elif match:
            fence = match.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


_MD_TAGS = re.compile(r"<[^>]*>")


_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*[#.\w][^{}\n]*\}[ \t]*$")
"""An ``attr_list`` block ending a heading (``# API { #api-ref }``): ids, never title text."""


def markdown_title(body: str) -> str | None:
    """Text of the first level-one heading (ATX or setext), outside code.

    >>> markdown_title("# API { #api-ref .wide }\\n")
    'API'

    >>> markdown_title("intro\\n\\n# The *Service* `api`\\n")
    'The Service api'
    >>> markdown_title("Title\\n=====\\n")
    'Title'
    """
    lines = body.split("\n")
    mask = code_mask(lines)
    for i, line in enumerate(lines):
        if mask[i]:
            continue
        match = re.match(r"^ {0,3}#(?!#)[ \t]+(.+?)[ \t]*#*[ \t]*$", line)
        if match:
            return plain_text(_ATTR_LIST.sub("", match.group(1))) or None
        if i + 1 < len(lines) and line.strip() and re.match(r"^ {0,3}=+[ \t]*$", lines[i + 1]) \
                and not mask[i + 1]:
            return plain_text(_ATTR_LIST.sub("", line)) or None
    return None


def plain_text(markdown: str) -> str:
    """Inline Markdown reduced to its text: links, emphasis, code marks and tags removed.

    >>> plain_text("See [the **API**](api.md) <b>now</b> `x`")
    'See the API now x'
    """
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = _MD_TAGS.sub("", text)
    text = re.sub(r"(\*{1,3}|_{1,3}|`+|~~)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = text.replace("`", "")
    return html.unescape(" ".join(text.split()))


# -- GitHub alerts ------------------------------------------------------------

_ALERT = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?\[!(?P<kind>NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]"
                    r"[ \t]*$", re.IGNORECASE)
_ALERT_TYPES = {"note": "note", "tip": "tip", "important": 'info "Important"',
                "warning": "warning", "caution": 'danger "Caution"'}


def convert_alerts(lines: list[str]) -> tuple[list[str], list[int]]:
    """GitHub's ``> [!NOTE]`` alerts as admonitions; returns the lines and each one's source index.

    >>> convert_alerts(["> [!TIP]", "> Use *it*.", "", "after"])[0]
    ['!!! tip', '', '    Use *it*.', '', 'after']
    """
    out: list[str] = []
    origin: list[int] = []
    mask = code_mask(lines)
    i = 0
    while i < len(lines):
        match = None if mask[i] else _ALERT.match(lines[i])
        if not match:
            out.append(lines[i])
            origin.append(i)
            i += 1
            continue
        indent = match.group("indent")
        out += [f"{indent}!!! {_ALERT_TYPES[match.group('kind').lower()]}", ""]
        origin += [i, i]
        i += 1
        quoted = re.compile(rf"^{re.escape(indent)}>[ \t]?(.*)$")
        while i < len(lines) and not mask[i] and (inner := quoted.match(lines[i])):
            content = inner.group(1)
            out.append(f"{indent}    {content}" if content.strip() else "")
            origin.append(i)
            i += 1
    return out, origin
