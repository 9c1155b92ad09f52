"""Repository docs in the MkDocs build: rendered by :mod:`generator.docs`, not by MkDocs.

:meth:`RepositoryDocs.start` starts rendering the pages (in worker processes
when there are many) as soon as the docs stage knows them, while the
catalog's pages are built. MkDocs only sees an empty page;
:meth:`RepositoryDocs.fill` puts the sanitised HTML, the table of contents,
the edit link and the search sections in place before the theme renders it.
"""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from mkdocs.structure.toc import get_toc

from generator.docs import DocsRenderer, docs_dialect
from generator.pages.docs_pages import mermaid_script

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from generator.docs.cache import DocsCache
    from generator.docs.render import Draft
    from generator.mkdocs.search import SearchEntries
    from generator.pages import AuthoredPage

__all__ = ["RepositoryDocs"]

log = logging.getLogger("mkdocs.plugins.pavedroad")


class RepositoryDocs:
    """The repositories' docs pages of one build."""

    def __init__(self, html_policy: str, *, searched: bool, remote_images: str = "keep") -> None:
        self.html_policy = html_policy
        """How raw HTML in the pages is treated (``docs_html``)."""
        self.remote_images = remote_images
        """``keep`` or ``link`` remote images (``remote_images``)."""
        self.searched = searched
        """Find each page's search sections while rendering it (Material's search is in use)."""
        self.renderer: DocsRenderer | None = None

    def start(self, pages: dict[str, AuthoredPage], cache: DocsCache | None = None,
              drafts: dict[tuple[str, str], Draft] | None = None) -> None:
        """Start rendering ``pages`` (path → page) in the background; with ``cache``, pages
        rendered by an earlier build are taken from it; with ``drafts``, pages the docs stage
        rendered while finding their links are finished, not parsed again."""
        self.close()
        self.renderer = DocsRenderer(docs_dialect(self.html_policy,
                                                  remote_images=self.remote_images),
                                     {p: a.markdown for p, a in pages.items()},
                                     links={p: a.links for p, a in pages.items()},
                                     extensions={p: a.extensions for p, a in pages.items()},
                                     headers={p: a.header for p, a in pages.items()}
                                     if self.searched else None, cache=cache, drafts=drafts)
        self.renderer.start()

    @staticmethod
    def prepare(page: Page, authored: AuthoredPage) -> str:
        """The page's front matter from the docs stage; the Markdown MkDocs converts (none)."""
        page.meta.update(authored.meta)
        page.meta["title"] = escape(authored.title)
        return ""

    def fill(self, page: Page, authored: AuthoredPage, search: SearchEntries | None) -> None:
        """Put the rendered page in place of MkDocs' (empty) one, and index it."""
        if self.renderer is None:
            return
        rendered = self.renderer.get(page.file.src_uri)
        if rendered.error:
            log.warning("docs/%s could not be rendered (%s); fix its Markdown",
                        page.file.src_uri, rendered.error)
        page.content = authored.header + rendered.html + mermaid_script(rendered.html,
                                                                        page.file.src_uri)
        page.toc = get_toc(rendered.toc)
        page.edit_url = authored.edit_url
        if search is not None and rendered.search is not None:
            # Sections were found by the renderer; the search plugin need not parse the page.
            search.add(page, rendered.search, str(page.meta.get("title", page.title)))

    def close(self) -> None:
        """Stop the workers (at the end of a build, or before the next one starts)."""
        if self.renderer is not None:
            log.info("Paved Road: %d docs pages rendered (%d from the docs stage's parse), "
                     "%d from the cache", self.renderer.rendered, self.renderer.drafted,
                     self.renderer.reused)
            self.renderer.close()
            self.renderer = None
