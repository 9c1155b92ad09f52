"""Text transforms on repository Markdown: front matter, titles, alerts and links.

Pure functions over strings. They read no files: snippet expansion and link
resolution, which need the repository, live in :mod:`generator.docs.collect`
and reach these functions through callbacks.

Fenced code blocks and inline code spans are left alone, so a link written
as an example inside code is never rewritten.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Literal

from mkdocs.utils.meta import get_data

from generator.yamlfile import YamlError, iter_documents

__all__ = [
    "LinkKind",
    "code_mask",
    "convert_alerts",
    "markdown_title",
    "plain_text",
    "rewrite_links",
    "split_front_matter",
]

LinkKind = Literal["link", "image", "definition", "html"]
"""Where a URL was written: ``[x](url)``, ``![x](url)``, ``[id]: url`` or ``<a href>``."""

Resolver = Callable[[str, LinkKind, int], "str | None"]
"""``(url, kind, line) -> new url``, or ``None`` to drop the link and keep its text."""

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


_MD_LINK = re.compile(r"!?\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^)\n]*(?:\([^)\n]*\)[^)\n]*)*)\)")
_INLINE_CODE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_HTML_TAG = re.compile(r"<(?:a|img|source|video|audio)\b[^>]*>", re.IGNORECASE)
_HTML_URL = re.compile(r"""(\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)""", re.IGNORECASE)
_MD_TAGS = re.compile(r"<[^>]*>")


def markdown_title(body: str) -> str | None:
    """Text of the first level-one heading (ATX or setext), outside code.

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
            return plain_text(match.group(1)) or None
        if i + 1 < len(lines) and line.strip() and re.match(r"^ {0,3}=+[ \t]*$", lines[i + 1]) \
                and not mask[i + 1]:
            return plain_text(line) or None
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


# -- links --------------------------------------------------------------------


def _split_destination(raw: str) -> tuple[str, str]:
    """``(url, rest)`` of what is between the parentheses of ``[x](...)``."""
    raw = raw.strip()
    if raw.startswith("<"):
        end = raw.find(">")
        if end > 0:
            return raw[1:end], raw[end + 1:]
        return raw, ""
    parts = raw.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (" " + parts[1]) if len(parts) > 1 else ""


def _format_destination(url: str, rest: str) -> str:
    if any(c in url for c in " ()<>"):
        url = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url + rest


def _rewrite_markdown(text: str, first: int, resolve: Resolver) -> str:
    def replace(match: re.Match[str]) -> str:
        line = first + text.count("\n", 0, match.start())
        image = match.group(0).startswith("!")
        label = match.group(1)
        if not image:
            label = _rewrite_markdown(label, line, resolve)
        url, rest = _split_destination(match.group(2))
        if not url:
            return match.group(0)
        new = resolve(url, "image" if image else "link", line)
        if new is None:
            return label if not image else (plain_text(label) or "")
        if new == url:
            return f"{'!' if image else ''}[{label}]({match.group(2)})"
        return f"{'!' if image else ''}[{label}]({_format_destination(new, rest)})"

    return _MD_LINK.sub(replace, text)


def _rewrite_html(tag: str, line: int, resolve: Resolver) -> str:
    def replace(match: re.Match[str]) -> str:
        raw = match.group(2)
        quoted = raw[:1] in "\"'"
        url = html.unescape(raw[1:-1] if quoted else raw)
        new = resolve(url, "html", line + tag.count("\n", 0, match.start()))
        if new is None:
            return ""
        if new == url:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(new, quote=True)}"'

    return _HTML_URL.sub(replace, tag)


_DEFINITION = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)(.*)$")


def rewrite_links(text: str, resolve: Resolver) -> str:
    """``text`` with every link, image, link definition and ``<a href>``/``<img src>`` rewritten.

    ``resolve`` gets each URL with its kind and the 0-based line it is on,
    and returns the new URL or ``None`` to drop the link (its text stays; a
    dropped image becomes its alt text). Lines are never added or removed.

    >>> rewrite_links("[a](x.md) `[b](y.md)` ![c](z.png)",
    ...               lambda u, k, line: None if u == "z.png" else "new/" + u)
    '[a](new/x.md) `[b](y.md)` c'
    """
    lines = text.split("\n")
    mask = code_mask(lines)
    out: list[str] = []
    chunk: list[str] = []
    chunk_start = 0

    def flush() -> None:
        if chunk:
            out.append(_rewrite_prose("\n".join(chunk), chunk_start, resolve))
            chunk.clear()

    for number, (line, in_code) in enumerate(zip(lines, mask, strict=True)):
        if in_code:
            flush()
            out.append(line)
        else:
            if not chunk:
                chunk_start = number
            chunk.append(line)
    flush()
    return "\n".join(out)


def _rewrite_prose(text: str, first: int, resolve: Resolver) -> str:
    """Rewrite links in text outside fences, leaving inline code spans alone."""
    pieces: list[str] = []
    pos = 0
    for match in _INLINE_CODE.finditer(text):
        line = first + text.count("\n", 0, pos)
        pieces.append(_rewrite_plain(text[pos:match.start()], line, resolve))
        pieces.append(match.group(0))
        pos = match.end()
    pieces.append(_rewrite_plain(text[pos:], first + text.count("\n", 0, pos), resolve))
    return "".join(pieces)


def _rewrite_plain(text: str, first: int, resolve: Resolver) -> str:
    if "](" in text:
        text = _rewrite_markdown(text, first, resolve)
    if "]:" in text:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            match = _DEFINITION.match(line)
            if match:
                raw = match.group(2)
                url = raw[1:-1] if raw.startswith("<") else raw
                new = resolve(url, "definition", first + i)
                if new is None:
                    new = "#"
                if new != url:
                    lines[i] = match.group(1) + _format_destination(new, "") + match.group(3)
        text = "\n".join(lines)
    if "<" in text:
        text = _HTML_TAG.sub(
            lambda m: _rewrite_html(m.group(0), first + text.count("\n", 0, m.start()), resolve),
            text)
    return text
