"""Links found and rewritten on the parsed page, never in the Markdown source.

A Python-Markdown treeprocessor (modelled on MkDocs' ``_RelativePathTreeprocessor``)
visits every ``a[href]`` and ``img[src]`` that the parser built, so code
spans, code blocks, footnotes, reference definitions, angle-bracket targets
and link titles are the parser's business, not a pattern's. Raw HTML lives in
Python-Markdown's stash until its postprocessor puts it back; its ``<a href>``,
``<img src>`` (and ``source``/``video``/``audio``) are found by a linear
tag scanner and only the attribute value is replaced, so nothing else the
author wrote changes.

Two uses share this module. The docs stage parses each page once with a
*collecting* map (:class:`LinkMap` ``None``) to learn every target in
document order; it resolves them with :func:`~generator.docs.links.resolve_link`
and keeps the answers as plain data (``(kind, url) → new url or None``). The
renderer, in worker processes if need be, applies that map.

That parse can also keep its HTML (:attr:`_LinkTreeprocessor.targets` not ``None``): each
target is then a :func:`token` in it, with what the rewriting needs to put in its place
(:data:`Target`), so the page is not parsed a second time once its links are resolved
(:func:`generator.docs.render.finish_draft`). Python-Markdown removes STX and ETX from the
text it reads, so no page can write a token itself.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from xml.etree import ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

if TYPE_CHECKING:
    import markdown

__all__ = ["TOKEN", "LinkKey", "LinkMap", "LinksExtension", "Target", "html_urls", "token"]

LinkKey = tuple[str, str]
"""``("md", url)`` for a Markdown link or image, ``("html", url)`` for raw HTML."""
LinkMap = dict[LinkKey, "str | None"]
"""Resolved targets: the new URL, or ``None`` to drop the link (its text stays)."""
Target = tuple[str, str, str, str]
"""A token's target: ``("md", url, the attribute as written, "")`` or ``("html", url, the
whole attribute as written, its text up to the value)``."""
TOKEN = re.compile("\x02prlink:(\\d+)\x03")
"""A :func:`token` in a page's HTML."""


def token(n: int) -> str:
    """The placeholder of a page's ``n``-th link target in its kept HTML."""
    return f"\x02prlink:{n}\x03"


_TAG = re.compile(r"<(a|img|source|video|audio)\b[^<>]*>", re.IGNORECASE)
"""One start tag; ``[^<>]`` keeps a scan from running past the next ``<`` (linear)."""
_URL_ATTR = re.compile(r"""(\s(href|src)\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)""", re.IGNORECASE)


def html_urls(text: str) -> list[tuple[str, str, int]]:
    """``(tag, url, offset)`` of each link target in raw HTML ``text``.

    >>> html_urls('<p><a href="x.md">x</a> <img src=y.png></p>')
    [('a', 'x.md', 3), ('img', 'y.png', 24)]
    """
    found = []
    for tag in _TAG.finditer(text):
        for attr in _URL_ATTR.finditer(tag.group(0)):
            raw = attr.group(3)
            url = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
            found.append((tag.group(1).lower(), url, tag.start()))
    return found


def _rewrite_html(text: str, links: LinkMap) -> str:
    def attribute(match: re.Match[str]) -> str:
        raw = match.group(3)
        url = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        if ("html", url) not in links:
            return match.group(0)
        new = links["html", url]
        if new is None:
            return ""
        if new == url:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(new, quote=True)}"'

    return _TAG.sub(lambda tag: _URL_ATTR.sub(attribute, tag.group(0)), text)


def _plain(url: str) -> str:
    """A URL as the browser reads it: Python-Markdown writes ``<a@b.example>`` autolinks as
    character references behind a placeholder (:data:`markdown.util.AMP_SUBSTITUTE`).

    >>> _plain(AMP_SUBSTITUTE + "#109;" + AMP_SUBSTITUTE + "#97;ilto:a@b")
    'mailto:a@b'
    """
    return html.unescape(url.replace(AMP_SUBSTITUTE, "&")) if AMP_SUBSTITUTE in url else url


class _LinkTreeprocessor(Treeprocessor):
    """Collects (``links is None``) or rewrites every link target of a page."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.links: LinkMap | None = None
        self.found: list[tuple[str, str]] = []
        """``(kind, url)`` in document order: kind is ``link``, ``image`` or ``html``."""
        self.targets: list[Target] | None = None
        """While collecting, if not ``None``: each target's :data:`Target`, its place in the
        HTML a :func:`token`."""

    def _drafted(self, match: re.Match[str]) -> str:
        raw = match.group(3)
        url = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        self.found.append(("html", url))
        assert self.targets is not None
        self.targets.append(("html", url, match.group(0), match.group(1)))
        return token(len(self.targets) - 1)

    def run(self, root: etree.Element) -> None:
        self._elements(root)
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str):
                if self.links is None and self.targets is not None:
                    stash[i] = _TAG.sub(lambda tag: _URL_ATTR.sub(self._drafted, tag.group(0)),
                                        block)
                elif self.links is None:
                    self.found += [("html", url) for _, url, _ in html_urls(block)]
                else:
                    stash[i] = _rewrite_html(block, self.links)
            elif isinstance(block, etree.Element):
                self._elements(block)

    def _elements(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for element in list(parent):
                key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
                written = element.get(key) if key else None
                if written is None or written.startswith("#"):
                    continue
                url = _plain(written)
                if self.links is None:
                    self.found.append(("image" if key == "src" else "link", url))
                    if self.targets is not None:
                        self.targets.append(("md", url, written, ""))
                        element.set(key, token(len(self.targets) - 1))  # type: ignore[arg-type]
                    continue
                if ("md", url) not in self.links:
                    continue
                new = self.links["md", url]
                if new == url:
                    continue  # as written (an obfuscated mailto: stays obfuscated)
                if new is not None:
                    element.set(key, new)
                elif element.tag == "a":
                    element.tag = "span"
                    element.attrib.pop("href", None)
                    element.attrib.pop("title", None)
                else:
                    alt = element.get("alt", "")
                    span = etree.Element("span")
                    span.text = alt
                    span.tail = element.tail
                    parent[list(parent).index(element)] = span


class LinksExtension(Extension):
    """Registers the link treeprocessor; ``md.pr_links`` reaches it per page."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        processor = _LinkTreeprocessor(md)
        md.treeprocessors.register(processor, "pr_links", 0)
        md.pr_link_processor = processor  # type: ignore[attr-defined]
