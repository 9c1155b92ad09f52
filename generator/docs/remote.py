"""Remote images in docs pages: loaded by the reader's browser, or turned into links.

An ``<img src="https://…">`` in a docs page is fetched from the internet by
whoever reads the page. With ``remote_images: link`` (sites that must make no
outside request) each becomes a link to the image instead, its ``alt`` text
as the label; remote ``<video>``/``<audio>`` sources become links too, and a
remote ``poster`` or ``<source>`` is removed.
"""

from __future__ import annotations

import html
import re

__all__ = ["REMOTE_IMAGES", "link_remote_media"]

REMOTE_IMAGES = ("keep", "link")
"""``keep``: the browser loads them; ``link``: each becomes a link."""

_TAG = re.compile(r"<(img|video|audio|source)\b([^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""\s([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


def _attributes(text: str) -> dict[str, str]:
    out = {}
    for match in _ATTR.finditer(text):
        raw = match.group(2) or ""
        out[match.group(1).lower()] = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
    return out


def link_remote_media(page: str) -> str:
    """``page`` (HTML) with every remote image, video and audio turned into a link.

    >>> link_remote_media('<p><img src="https://x.example/a.png" alt="Plot"> <img src="b.png"></p>')
    '<p><a class="pr-remote-image" href="https://x.example/a.png">Plot</a> <img src="b.png"></p>'
    >>> link_remote_media('<video src="//cdn.example/v.mp4" poster="https://x/p.png"></video>')
    '<a class="pr-remote-image" href="//cdn.example/v.mp4">video</a><video></video>'
    """
    def replace(match: re.Match[str]) -> str:
        tag = match.group(1).lower()
        attrs = _attributes(match.group(2))
        src = attrs.get("src", "")
        poster = attrs.get("poster", "")
        if not _REMOTE.match(src) and not _REMOTE.match(poster):
            return match.group(0)
        if tag == "source" and _REMOTE.match(src):
            return ""
        kept = "".join(f' {name}="{html.escape(value, quote=True)}"'
                       for name, value in attrs.items()
                       if not (name in ("src", "poster") and _REMOTE.match(value)))
        link = ""
        if _REMOTE.match(src):
            label = attrs.get("alt") or attrs.get("title") or (
                "image" if tag == "img" else tag)
            link = (f'<a class="pr-remote-image" href="{html.escape(src, quote=True)}">'
                    f"{html.escape(label)}</a>")
        return link if tag == "img" else f"{link}<{tag}{kept}>"

    return _TAG.sub(replace, page)
