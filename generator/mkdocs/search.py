"""Search entries found by Paved Road, handed to Material's search index.

A generated page's sections and a repository docs page's sections are known
before the theme renders the page (the page set and the docs workers found
them); parsing the HTML again is the search plugin's largest cost on an
organisation-sized site. :class:`SearchEntries` adds them to Material's
index and marks the page excluded, so the plugin does not index it twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

__all__ = ["SearchEntries", "material_search"]

Section = tuple[str, str, str]
"""``(anchor, title, text)`` of one searchable section of a page."""


def material_search(config: MkDocsConfig) -> list[object]:
    """The search plugins in use (enabled) that are Material's."""
    return [plugin for plugin in config.plugins.values()
            if type(plugin).__module__.startswith("material.plugins.search")
            and getattr(getattr(plugin, "config", None), "get", lambda *_: True)("enabled", True)]


class SearchEntries:
    """Material's search index, fed with sections found before the page is rendered."""

    def __init__(self, entries: list[dict]) -> None:
        self.entries = entries
        """The index's own list of entries (Material's ``SearchIndex.entries``)."""

    @classmethod
    def of(cls, config: MkDocsConfig) -> SearchEntries | None:
        """The index of Material's search plugin, if that is the one in use (else ``None``)."""
        for plugin in material_search(config):
            entries = getattr(getattr(plugin, "search_index", None), "entries", None)
            if isinstance(entries, list):
                return cls(entries)
        return None

    def add(self, page: Page, sections: Iterable[Section], title: str = "") -> None:
        """Index ``page`` by ``sections`` (untitled ones under ``title``), not by its HTML.

        The page's ``search`` front matter is kept; its ``boost`` applies to every entry.
        """
        search = dict(page.meta.get("search") or {})
        page.meta["search"] = {**search, "exclude": True}
        for anchor, section_title, text in sections:
            entry = {"location": page.url + anchor, "title": section_title or title,
                     "text": text}
            if "boost" in search:
                entry["boost"] = search["boost"]
            self.entries.append(entry)
