"""Renderer: the HTML the MkDocs adapter adds, built once per site from templates.

The templates are ``generator/templates/mkdocs/*.html.j2``; text reaches the
output only through Jinja's autoescaping. Links are relative to the page
the HTML goes into, by :func:`generator.urls.relative_url`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import jinja2

from generator.urls import relative_url

__all__ = ["STATS_MARKER", "Link", "Renderer"]

STATS_MARKER = "<!-- pavedroad:stats -->"
"""Where a hand-written page (the home page) shows the catalog's counts."""


@dataclass(frozen=True, slots=True)
class Link:
    """One entry of a nav: its title and its URL relative to the page."""

    title: str
    href: str


class Renderer:
    """Wraps the Jinja environment of the adapter's templates."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"),
                                      autoescape=True, undefined=jinja2.StrictUndefined)

    def sections_nav(self, links: Iterable[Link]) -> str:
        """The site's top-level sections as a compact nav (``<nav>`` … ``</nav>``)."""
        return self._render("sections-nav", links=list(links))

    def stats(self, stats: Mapping[str, int], here: str) -> str:
        """The catalog's counts per kind, linked from page ``here``.

        >>> html = Renderer().stats({"component": 1200}, "index.md")
        >>> html[:88]
        '<div class="pr-stats" markdown="0"><a class="pr-stat" href="catalog/?kind=component"><st'
        >>> "<strong>1,200</strong> <span>components</span>" in html
        True
        """
        return self._render("stats", stats=stats,
                            url=lambda target: relative_url(here, target))

    def _render(self, name: str, **context: object) -> str:
        return self.env.get_template(f"mkdocs/{name}.html.j2").render(context)
