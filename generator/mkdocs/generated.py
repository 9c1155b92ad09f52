"""The page set in the MkDocs build: generated files, and what each page event does to them.

Generated pages are mostly finished HTML blocks behind markers
(:class:`generator.pages.GeneratedPage`): Markdown gets only the few
extensions such a page needs, or none when nothing is left for it to do, and
the blocks are put back after Markdown (and the late ones after search).
"""

from __future__ import annotations

import logging
import posixpath
from html import escape
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.memopages import StoredPageError
from generator.mkdocs.nav import ENTITY_PAGE, default_nav, section_links
from generator.mkdocs.renderer import STATS_MARKER, Renderer
from generator.mkdocs.writer import WrittenAhead
from generator.pages.docs_pages import NAV_META
from generator.urls import is_entity_page

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from generator.pages import AuthoredPage, GeneratedPage, PageSet

__all__ = ["GENERATED_EXTENSIONS", "GeneratedPages"]

log = logging.getLogger("mkdocs.plugins.pavedroad")

GENERATED_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list",
                                  "pymdownx.superfences", "pymdownx.highlight"})
"""The Markdown extensions a generated page needs; the rest only cost time."""


class GeneratedPages:
    """One build's page set, as MkDocs files and pages."""

    def __init__(self, pages: PageSet, renderer: Renderer) -> None:
        self.pages = pages
        self.renderer = renderer
        self.extensions: list | None = None
        """The site's Markdown extensions (pages get a subset while they are converted)."""
        self.entity_nav = ""
        """The compact nav of entity pages (finished HTML)."""
        self.prerendered: dict[str, str] = {}
        """Page → its HTML, for generated pages that need no Markdown."""

    def add_files(self, files: Files, config: MkDocsConfig) -> list[WrittenAhead]:
        """Add every generated page and file to ``files``; return those to write ahead."""
        pages = self.pages
        # The docs pages first: they are drawn first, and then the pages' search index is
        # made (it reads them) while the entities' pages are drawn.
        for path in sorted(pages.authored):
            _add(files, config, path, "", InclusionLevel.NOT_IN_NAV)
        for path in sorted(pages.pages):
            file = _add(files, config, path, "", InclusionLevel.UNDEFINED
                        if path in pages.listed else InclusionLevel.NOT_IN_NAV, cls=PageFile)
            file.source_page = pages.pages[path]
        ahead = [_add(files, config, path, pages.assets[path], InclusionLevel.UNDEFINED,
                      cls=WrittenAhead) for path in sorted(pages.assets)]
        for path in sorted(pages.twins):  # a Markdown file, but no page: named apart
            twin = WrittenAhead.generated(config, f"{path}.twin", content=pages.twins[path],
                                          inclusion=InclusionLevel.NOT_IN_NAV)
            twin.dest_uri = path
            ahead.append(twin)
            files.append(twin)
        for path in sorted(pages.files):
            ahead.append(WrittenAhead.generated(config, path,
                                                abs_src_path=str(pages.files[path])))
            files.append(ahead[-1])
        self.extensions = config["markdown_extensions"]
        if config.nav is None:
            config.nav = default_nav(files, pages)
        return ahead

    def generated(self, page: Page) -> GeneratedPage | None:
        """``page``'s generated page, if it is one."""
        return self.pages.pages.get(page.file.src_uri) if page.file.generated_by else None

    def authored(self, page: Page) -> AuthoredPage | None:
        """``page``'s repository docs page, if it is one."""
        return self.pages.authored.get(page.file.src_uri) if page.file.generated_by else None

    def use_extensions(self, config: MkDocsConfig, page: Page) -> None:
        """Give Markdown only the extensions ``page`` needs.

        A repository docs page is rendered by :mod:`generator.docs`: MkDocs converts an
        empty page. A generated page is mostly finished HTML and needs only a few.
        """
        if self.extensions is None:
            return
        gen = self.generated(page)
        if self.authored(page) is not None:
            config["markdown_extensions"] = []
        elif gen is None:
            config["markdown_extensions"] = self.extensions
        elif gen.toc is None or "```" in gen.markdown:
            config["markdown_extensions"] = [e for e in self.extensions
                                             if e in GENERATED_EXTENSIONS]
        else:
            config["markdown_extensions"] = []

    def restore_extensions(self, config: MkDocsConfig) -> None:
        """The site's own Markdown extensions again (for the theme and other plugins)."""
        if self.extensions is not None:
            config["markdown_extensions"] = self.extensions

    def markdown(self, page: Page, markdown: str) -> str:
        """The Markdown MkDocs converts for a generated or hand-written page."""
        gen = self.generated(page)
        src = page.file.src_uri
        if gen is not None and gen.toc is not None:
            html = gen.blocks_only(markdown)
            if html is not None:  # nothing for Markdown to do
                self.prerendered[src] = html
                return ""
        markdown = self.pages.fill_inserts(src, markdown)
        if STATS_MARKER in markdown:
            markdown = markdown.replace(STATS_MARKER, self.renderer.stats(self.pages.stats, src))
        return markdown

    def set_nav(self, nav: Navigation) -> None:
        """Render the compact nav of entity pages from the site's nav.

        Called once every page was read (``on_env``): a page's title may be its first heading.
        """
        self.entity_nav = self.renderer.sections_nav(section_links(nav, ENTITY_PAGE))

    def add_nav(self, page: Page) -> None:
        """Give an entity page the site's sections as its nav, not the whole nav."""
        if self.entity_nav and is_entity_page(page.file.src_uri):
            page.meta[NAV_META] = self.entity_nav

    def written(self, page: Page) -> None:
        """Let go of a written page's text (a quarter of a build's memory): nothing after
        ``on_post_page`` reads it."""
        gen = self.generated(page)
        if gen is not None:
            gen.blocks.clear()
        if gen is not None or self.authored(page) is not None:
            page.content = page.markdown = None

    def content(self, page: Page, gen: GeneratedPage, html: str) -> str:
        """A generated page's HTML after Markdown: its TOC set, its early blocks back in."""
        if gen.toc is not None:
            page.toc = get_toc([{"level": 2, "id": anchor, "name": escape(title),
                                 "children": []} for anchor, title in gen.toc])
        html = self.prerendered.pop(page.file.src_uri, html)
        return gen.fill(html, late=False)


class PageFile(File):
    """A generated page's file: MkDocs reads its Markdown from the page, when it reads it (a
    page kept from the build before is never read, nor its stored text decoded)."""

    source_page: GeneratedPage | None = None
    """The page whose Markdown this file holds (``None`` once content is set otherwise)."""

    @property
    def content_string(self) -> str:
        if self.source_page is None:
            return File.content_string.fget(self)
        try:
            return self.source_page.markdown
        except StoredPageError as error:  # the cache damaged in place: say so, no traceback
            raise PluginError(f"Paved Road: {error}") from error

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.source_page = None
        File.content_string.fset(self, value)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8") if self.source_page is not None \
            else File.content_bytes.fget(self)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.source_page = None
        File.content_bytes.fset(self, value)


def _add(files: Files, config: MkDocsConfig, path: str, content: str | bytes,
         inclusion: InclusionLevel, cls: type[File] = File) -> File:
    # MkDocs' lookup makes a PurePath of each; these paths are normalised POSIX already.
    existing = files.src_uris.get(path) if path == posixpath.normpath(path) \
        else files.get_file_from_path(path)
    if existing is not None and not existing.generated_by:
        log.warning("docs/%s is replaced by the page Paved Road generates there; "
                    "move or rename it", path)
        files.remove(existing)
    file = cls.generated(config, path, content=content, inclusion=inclusion)
    files.append(file)
    return file
