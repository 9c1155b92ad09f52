"""Which of a repository's static docs files may be published on the portal's origin.

A file in ``docs_dir`` that is not Markdown is copied beside the pages. A
browser runs or renders some of them as active content on the portal's
origin (HTML, XHTML, scripts, XML with stylesheets, SVG with script, Flash,
WebAssembly, HTML components), so unless ``docs_html`` is ``trust`` only
files whose every extension is on an allowlist (images, fonts, PDFs, media,
plain data) are published, and SVG only once sanitised as SVG by
:func:`sanitize_svg`: a strict element and attribute allowlist, no script,
no event handlers, no ``foreignObject``, no reference to anything outside
the file, no DTD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

__all__ = ["PUBLISHED_SUFFIXES", "refused_reason", "sanitize_svg"]

PUBLISHED_SUFFIXES = frozenset({
    # images
    "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "tif", "tiff",
    # fonts
    "woff", "woff2", "ttf", "otf", "eot",
    # documents, media and downloads
    "pdf", "mp4", "webm", "ogv", "mp3", "ogg", "oga", "wav", "flac", "m4a",
    "zip", "gz", "tgz", "bz2", "xz", "7z",
    # plain data
    "json", "csv", "tsv", "txt", "yaml", "yml", "toml", "ini", "log", "proto", "graphql",
    "diff", "patch",
})
"""Extensions a browser shows, plays or downloads without running anything (lowercase)."""
SVG = "svg"

def refused_reason(name: str) -> str | None:
    """Why the file ``name`` may not be published verbatim, or ``None`` if it may.

    The last extension must be on the allowlist, and no inner one may be
    active content (``x.html.png`` is refused: some servers honour it).

    >>> refused_reason("a.png"), refused_reason("logo.svg")
    (None, None)
    >>> refused_reason("x.html.png")
    "has the inner extension '.html', which some servers honour"
    >>> refused_reason("Makefile")
    'has no extension; only images, fonts, PDFs, media and data files are published'
    """
    parts = name.lower().split(".")
    if len(parts) < 2 or not parts[-1].strip():
        return "has no extension; only images, fonts, PDFs, media and data files are published"
    last = parts[-1]
    if last not in PUBLISHED_SUFFIXES and last != SVG:
        return (f"has the extension '.{last}', which is not an image, font, PDF, media or "
                "data file a browser shows without running it on the portal's origin")
    for suffix in parts[1:-1]:
        if suffix.strip() in _ACTIVE:
            return f"has the inner extension '.{suffix}', which some servers honour"
    return None


_ACTIVE = frozenset({"html", "htm", "xhtml", "shtml", "xht", "mhtml", "mht", "js", "mjs",
                     "cjs", "xml", "xsl", "xslt", "htc", "swf", "wasm", "svg", "svgz",
                     "php", "phtml", "asp", "aspx", "jsp", "cgi", "pl", "py", "sh", "css",
                     "hta", "vbs", "jar", "rdf", "appcache", "manifest", "webmanifest"})

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "filter",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "feFuncR",
    "feFuncG", "feFuncB", "feFuncA", "feDropShadow",
})
"""Drawing elements only: no script, style, foreignObject, image, a, animation or iframe."""

_ATTRIBUTES = frozenset({
    "id", "class", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "d", "points", "viewBox", "preserveAspectRatio", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity",
    "color", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "alignment-baseline", "letter-spacing", "word-spacing",
    "text-decoration", "dx", "dy", "rotate", "textLength", "lengthAdjust", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "fx",
    "fy", "fr", "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits",
    "maskContentUnits", "patternUnits", "patternContentUnits", "patternTransform",
    "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient", "marker-start",
    "marker-mid", "marker-end", "filter", "filterUnits", "primitiveUnits", "in", "in2",
    "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type",
    "flood-color", "flood-opacity", "radius", "visibility", "display", "version",
    "vector-effect", "shape-rendering", "text-rendering", "image-rendering", "pathLength",
    "href", "role", "aria-label", "aria-hidden", "focusable", "tableValues", "slope",
    "intercept", "amplitude", "exponent", "style", "startOffset", "method", "spacing",
})
_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#[A-Za-z0-9_.:-]+\1\s*\)")
_BAD_STYLE = re.compile(r"[\\<>@]|expression|javascript|behavior|-moz-binding", re.I)


class SvgRefused(ValueError):
    """The file is not an SVG that can be made safe; the message says why."""


def sanitize_svg(data: bytes) -> bytes:
    """``data`` reduced to static drawing: raises :class:`SvgRefused` if it is not SVG.

    >>> sanitize_svg(b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()">'
    ...              b'<script>x()</script><rect width="1"/></svg>')
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" /></svg>'
    """
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True,
                          forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise SvgRefused(f"is not well-formed SVG ({exc})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused("is not an SVG document (its root is not an <svg> element in the "
                         "SVG namespace)")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _local(tag: str) -> str | None:
    if tag.startswith(f"{{{SVG_NS}}}"):
        return tag[len(SVG_NS) + 2:]
    return None


def _clean(element: ET.Element) -> None:
    for name in list(element.attrib):
        value = element.attrib[name]
        if not _attribute_ok(name, value):
            del element.attrib[name]
    for child in list(element):
        local = _local(child.tag) if isinstance(child.tag, str) else None
        if local not in _ELEMENTS:
            tail = child.tail
            element.remove(child)
            if tail and tail.strip():
                element.text = (element.text or "") + tail
            continue
        _clean(child)


def _attribute_ok(name: str, value: str) -> bool:
    if name == f"{{{XLINK_NS}}}href" or name == "href":
        return value.startswith("#") and bool(re.fullmatch(r"#[A-Za-z0-9_.:-]+", value))
    if name == f"{{{XML_NS}}}space":
        return True
    if name.startswith("{") or name not in _ATTRIBUTES:
        return False
    lowered = value.lower()
    if "url(" in lowered and _LOCAL_URL.sub("", value).lower().count("url(") > 0:
        return False
    if name == "style" and _BAD_STYLE.search(value):
        return False
    return not ("javascript:" in lowered.replace(" ", "") or "data:" in lowered)
