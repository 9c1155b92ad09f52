"""The site's nav: the default one, and the compact one entity pages show.

Material renders the whole nav into every page's sidebar; an organisation's
worth of entity pages need only the way back to the sections. All entity
pages sit at the same depth, so one HTML fits all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.mkdocs.renderer import Link
from generator.urls import relative_url

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from generator.pages import PageSet

__all__ = ["ENTITY_PAGE", "default_nav", "section_links"]

ENTITY_PAGE = "catalog/x/x/x/index.md"
"""Where every entity page sits, as far as relative links are concerned."""


def section_links(nav: Navigation, here: str) -> list[Link]:
    """The nav's top-level entries, each linked (relative to page ``here``) to its first page."""
    links = []
    for item in nav.items:
        page = item
        while getattr(page, "children", None):
            page = page.children[0]
        file = getattr(page, "file", None)
        if file is not None:
            links.append(Link(item.title or "", relative_url(here, file.src_uri)))
    return links


def default_nav(files: Files, pages: PageSet) -> list:
    """The nav when mkdocs.yml has none: home, the generated sections, then the rest."""
    hand_written = sorted(f.src_uri for f in files.documentation_pages()
                          if not f.generated_by)
    home = [p for p in hand_written if p in ("index.md", "README.md")]
    rest = [p for p in hand_written if p not in home]
    return [*home, *pages.nav, *rest]
