"""Checks over a built site: links, external requests, file hashes."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_REQUEST_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                  ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
                  ("object", "data"), ("image", "href"), ("use", "href")}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in ("href", "src", "data", "xlink:href"):
                self.links.append((tag, name, value))


def links_of(html: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def broken_links(site: Path) -> list[str]:
    """Relative links in any HTML page that point at nothing in the site."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for tag, _attr, url in links_of(page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or not parts.path:
                continue
            path = unquote(parts.path)
            base = site if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: <{tag}> {url}")
    return broken


def external_requests(site: Path) -> list[str]:
    """Anything that would make a browser fetch from outside the site."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for tag, attr, url in links_of(page.read_text(encoding="utf-8")):
            external = urlsplit(url).scheme in ("http", "https") or url.startswith("//")
            is_request = (tag, attr) in _REQUEST_ATTRS
            if tag == "link" and attr == "href":
                is_request = True  # stylesheets, preconnect, preload, icons
            if external and is_request:
                found.append(f"{page.relative_to(site)}: <{tag} {attr}={url}>")
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"(?:url\(|@import\s+)['\"]?((?:https?:)?//[^'\")\s]+)", text):
            found.append(f"{css.relative_to(site)}: {match.group(1)}")
    return found


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
