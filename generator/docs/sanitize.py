"""Sanitise HTML rendered from repository docs before it reaches a page.

Repository authors may write raw HTML in Markdown, and ``attr_list`` lets them
put any attribute on an element, so the HTML that Markdown produces is not
trusted. The parser and serialiser are `nh3`_ (Python bindings to Rust's
Ammonia, an HTML5 parser-based sanitiser); the *policy* is this module's:
which elements, attributes and URL schemes a docs page may carry. It is an
allowlist: what TechDocs' Markdown dialect produces (headings, tables, code,
admonitions, tabs, task lists, footnotes, emoji and Graphviz SVG) and the
plain HTML authors write. Scripts, styles, frames, plug-ins, forms and SVG
animation are removed with their content; event handlers, ``style`` and every
attribute not listed are dropped; URLs must be relative or use one of
:data:`~generator.validation.SAFE_URL_SCHEMES`.

The trust setting ``docs_html`` chooses how much of this applies (see
:data:`HTML_POLICIES`).

.. _nh3: https://nh3.readthedocs.io/
"""

from __future__ import annotations

import nh3

from generator.validation import SAFE_URL_SCHEMES

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "HTML_POLICIES", "REMOVED_WITH_CONTENT",
           "sanitize_html"]

HTML_POLICIES = ("sanitize", "escape", "trust")
"""``sanitize`` (default): raw HTML is kept but cleaned. ``escape``: raw HTML is
shown as text, and the output is cleaned as well. ``trust``: left as written."""

_HTML_TAGS = frozenset({
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big",
    "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "data", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "input", "ins", "kbd",
    "label", "li", "main", "mark", "nav", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby",
    "s", "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
    "video", "wbr",
})
_SVG_TAGS = frozenset({
    "svg", "g", "path", "polygon", "polyline", "ellipse", "circle", "rect", "line", "text",
    "tspan", "defs", "linearGradient", "radialGradient", "stop", "clipPath", "title", "desc",
})
"""Static SVG only (Graphviz diagrams, icons): no ``use``, ``image``, ``foreignObject``,
animation or script. SVG names are case-sensitive, as the HTML parser adjusts them."""

ALLOWED_TAGS = _HTML_TAGS | _SVG_TAGS
"""Elements kept; any other element is removed but its text kept (unless listed in
:data:`REMOVED_WITH_CONTENT`)."""

REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "template", "xmp", "plaintext", "head", "math", "select",
    "textarea",
})
"""Elements removed together with everything inside them. An SVG's ``title`` and ``desc``
(its tooltips and description, text only) are kept, as the author wrote them."""

_GLOBAL = frozenset({"id", "class", "title", "lang", "dir", "role"})
_SVG_ATTRIBUTES = frozenset({
    "transform", "fill", "fill-opacity", "fill-rule", "clip-rule", "clip-path", "stroke",
    "stroke-width", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "opacity", "font-family",
    "font-size", "font-style", "font-weight", "text-anchor", "dominant-baseline",
    "d", "points", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "dx", "dy",
    "width", "height", "viewBox", "preserveAspectRatio", "xmlns", "version", "focusable",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "fx", "fy",
})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": _GLOBAL,
    "a": frozenset({"href", "name", "target", "rel", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "align"}),
    "audio": frozenset({"src", "controls", "loop", "muted", "preload"}),
    "video": frozenset({"src", "controls", "loop", "muted", "preload", "poster", "width",
                        "height"}),
    "input": frozenset({"type", "checked", "disabled", "name"}),
    "label": frozenset({"for"}),
    "div": frozenset({"data-tabs"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    **dict.fromkeys(_SVG_TAGS, _SVG_ATTRIBUTES),
}
"""Attributes kept, by element (``*``: on every element), besides ``aria-*``. In SVG,
``xlink:href`` and ``xlink:title`` count as ``href`` and ``title``. URL attributes
(``href``, ``src``, ``cite``, ``poster``) are kept only when relative or of a safe scheme."""

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    generic_attribute_prefixes={"aria-"},
    url_schemes=set(SAFE_URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """``html`` with scripts, styles, frames, event handlers and unsafe URLs removed.

    >>> sanitize_html('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    >>> sanitize_html('<a href="javascript:alert(1)">x</a> <img src="a.png" alt="a">')
    '<a>x</a> <img src="a.png" alt="a">'
    """
    return _CLEANER.clean(html)
