"""Sanitise HTML rendered from repository docs before it reaches a page.

Repository authors may write raw HTML in Markdown, and ``attr_list`` lets them
put any attribute on an element, so the HTML that Markdown produces is not
trusted. :func:`sanitize_html` re-serialises it token by token: scripts,
frames, plug-ins and styles are removed with their content, event-handler and
``style`` attributes are dropped, and URLs must be relative or use a safe
scheme. Text is re-escaped, so nothing the parser saw as text can become
markup in a browser.

The trust setting ``docs_html`` chooses how much of this applies (see
:data:`HTML_POLICIES`).
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

__all__ = ["HTML_POLICIES", "is_safe_link", "sanitize_html"]

HTML_POLICIES = ("sanitize", "escape", "trust")
"""``sanitize`` (default): raw HTML is kept but cleaned. ``escape``: raw HTML is
shown as text, and the output is cleaned as well. ``trust``: left as written."""

_DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "noembed", "noframes", "template", "xmp", "plaintext", "head", "math",
    "title", "select", "textarea",
})
"""Elements removed together with everything inside them."""

_DROP_TAG = frozenset({
    "html", "body", "form", "meta", "link", "base", "portal", "foreignobject", "animate",
    "animatemotion", "animatetransform", "set", "handler", "listener", "param", "source",
    "track", "fencedframe",
})
"""Elements whose tags are removed while their content is kept."""

_VOID = frozenset({"area", "br", "col", "hr", "img", "input", "wbr"})
"""Elements without content; other self-closed tags get an explicit end tag."""

_URL_ATTRS = frozenset({
    "href", "src", "xlink:href", "action", "formaction", "poster", "cite", "background",
    "data", "longdesc", "usemap", "lowsrc", "dynsrc", "ping", "manifest", "codebase",
    "archive", "profile", "itemtype", "icon",
})
_SRCSET_ATTRS = frozenset({"srcset", "imagesrcset"})
_DROP_ATTRS = frozenset({"style", "srcdoc", "http-equiv", "attributename", "autofocus"})
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_TAG = re.compile(r"[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)?")
_ATTR = re.compile(r"[a-z_][-a-z0-9_.]*(?::[a-z_][-a-z0-9_.]*)?")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def is_safe_link(url: str) -> bool:
    """A relative URL, or one with an http, https, mailto or tel scheme.

    Browsers ignore ASCII whitespace and control characters inside a scheme,
    so they are removed before it is read.

    >>> is_safe_link("../runbook/"), is_safe_link("https://example.com")
    (True, True)
    >>> is_safe_link(" java\\tscript:alert(1)"), is_safe_link("data:text/html,x")
    (False, False)
    """
    compact = _URL_NOISE.sub("", url).lower()
    match = _SCHEME.match(compact)
    if match is None:
        return ":" not in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return match.group(1) in _SAFE_SCHEMES


def _safe_srcset(value: str) -> bool:
    return all(is_safe_link(part.strip().split(" ", 1)[0]) for part in value.split(",")
               if part.strip())


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping: list[str] = []

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            if not _ATTR.fullmatch(name) or name.startswith("on") or name in _DROP_ATTRS:
                continue
            if value is not None:
                if name in _URL_ATTRS and not is_safe_link(value):
                    continue
                if name in _SRCSET_ATTRS and not _safe_srcset(value):
                    continue
                kept.append(f' {name}="{escape(value, quote=True)}"')
            else:
                kept.append(f" {name}")
        return "".join(kept)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and not closed:
                self.dropping.append(tag)
            return
        if tag in _DROP_WITH_CONTENT:
            if not closed:
                self.dropping.append(tag)
            return
        if tag in _DROP_TAG or not _TAG.fullmatch(tag):
            return
        end = f"</{tag}>" if closed and tag not in _VOID else ""
        self.out.append(f"<{tag}{self._attrs(attrs)}>{end}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in _DROP_WITH_CONTENT or tag in _DROP_TAG or not _TAG.fullmatch(tag):
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    # Comments, declarations, processing instructions and CDATA are dropped.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def sanitize_html(html: str) -> str:
    """``html`` with scripts, styles, frames, event handlers and unsafe URLs removed.

    >>> sanitize_html('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    >>> sanitize_html('<a href="javascript:alert(1)">x</a> <img src="a.png" alt="a">')
    '<a>x</a> <img src="a.png" alt="a">'
    """
    parser = _Sanitizer()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
