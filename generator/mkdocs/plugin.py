"""The MkDocs plugin: serves the generated page set to ``mkdocs build`` and ``serve``.

It only translates MkDocs events into calls of the stages and of this
package's managers, built in ``on_config``::

    plugins:
      - search
      - pavedroad:
          sources: catalog-sources/sources.yaml

``on_config`` runs the pipeline; ``on_files`` adds the pages as generated
files (:mod:`.generated`) and starts writing the many small ones
(:mod:`.writer`); ``on_page_markdown``/``on_page_content`` hand generated
pages and repository docs (:mod:`.docs`) their Markdown and HTML;
``on_page_context`` gives Material's search the sections already found
(:mod:`.search`); ``on_post_page`` draws pages from page shells
(:mod:`.shells`) and, with ``search: pagefind``, adds the search box and marks
what Pagefind indexes in ``on_post_build`` (:mod:`.pagefind`); ``on_serve``
watches the sources so ``mkdocs serve`` reloads when a descriptor changes. Every
event first checks ``enabled``.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from generator.mkdocs.config import PavedRoadConfig, SiteOptions, site_options
from generator.mkdocs.docs import RepositoryDocs
from generator.mkdocs.generated import GeneratedPages
from generator.mkdocs.pagefind import PagefindSearch, disable_material_search
from generator.mkdocs.pagefind_files import FilesMemo
from generator.mkdocs.publish import SiteListing, SiteOutput, staging_dir
from generator.mkdocs.renderer import Renderer
from generator.mkdocs.reuse import PageReuse, env_key
from generator.mkdocs.search import SearchEntries, material_search
from generator.mkdocs.shells import ShellManager
from generator.mkdocs.siterecord import SiteRecord
from generator.mkdocs.stamp import build_stamp, source_date_epoch
from generator.mkdocs.writer import Writer
from generator.pages.docs_pages import NAV_META
from generator.parallel import wait_background
from generator.portal import build_portal
from generator.problems import Severity
from generator.sources import from_working_directory

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

__all__ = ["PavedRoadPlugin"]

log = logging.getLogger("mkdocs.plugins.pavedroad")


class PavedRoadPlugin(BasePlugin[PavedRoadConfig]):
    """Adds the catalog's pages to an MkDocs site."""

    def __init__(self) -> None:
        self.options: SiteOptions | None = None
        self.site: GeneratedPages | None = None
        """The page set as MkDocs files and pages (``None`` until ``on_config`` ran)."""
        self.docs: RepositoryDocs | None = None
        self.shells = ShellManager(enabled=False)
        self.search: SearchEntries | None = None
        self.pagefind: PagefindSearch | None = None
        self.writer: Writer | None = None
        self.watched: list[Path] = []
        self.nav: Navigation | None = None
        self.command: str | None = None
        """``build``, ``gh-deploy`` or ``serve`` (``None``: a build not started by MkDocs' CLI)."""
        self.publishing: tuple[Path, Path] | None = None
        """``(staging folder, site_dir)`` while a build is staged (see :mod:`.publish`)."""
        self.listing: SiteListing | None = None
        """``site_dir`` as the staged build found it, listed beside the build."""
        self.output: SiteOutput | None = None
        """Where pages and generated files are written, only where they changed."""
        self.quiet = _QuietSkips()
        self.cache_dir: Path | None = None
        self.reuse = PageReuse.off()
        """The previous build's entity and docs pages, kept where nothing they show changed."""
        self.keys: dict[str, bytes] = {}
        """Entity or docs page → its key (:meth:`PageReuse.key`), for the record of this build."""
        self.reused: dict[str, object] = {}
        """Pages kept from the previous build → their MkDocs file."""
        self.searched: set[str] = set()
        """Pages handed to the search index in this build (the record keeps it)."""
        self.files: Files | None = None
        """The build's files (``on_env``), for the templates' list of pages."""
        self.unindexed: set[str] | None = None
        """Pages still to be drawn that the pages' search index may read (``None``: it was
        started, or is not made)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = None if dirty else command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        self.options = options = site_options(self.config, base)
        os.environ.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(base))
        if options.search == "pagefind":
            disable_material_search(config)
        self._stage(config)
        if self.docs is not None:
            self.docs.close()
        self.docs = RepositoryDocs(options.docs_html, searched=bool(material_search(config)),
                                   remote_images=options.remote_images)
        self.shells = ShellManager(enabled=options.page_shells, meta_slots=(NAV_META,))
        portal = build_portal(options.sources, options.portal(docs_ready=self.docs.start))
        run = portal.run
        self.cache_dir = run.cache_dir
        self.watched = _watch_roots(options.sources, [r.root for r in run.repositories])
        # As `check` prints them: from the working directory, where editors and CI
        # annotations look for the files (the site shows them from the sources' folder).
        for problem in from_working_directory(run.catalog.problems, options.sources.parent,
                                              run.cache_dir, run.repositories):
            level = logging.INFO if problem.severity is Severity.INFO else logging.WARNING
            log.log(level, "%s: %s: %s", problem.location, problem.severity, problem.message)
        pages = portal.pages
        self.site = GeneratedPages(pages, Renderer())
        self.pagefind = PagefindSearch(pages) if options.search == "pagefind" else None
        for css in pages.extra_css:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in pages.extra_javascript:
            if js not in config.extra_javascript:
                config.extra_javascript.append(js)
        config.extra["pavedroad"] = build_stamp(base)
        log.info("Paved Road: %d entities, %d generated pages%s", len(run.catalog),
                 len(pages.pages), " (unchanged: the build before's, from the cache)"
                 if portal.memoised else f" ({portal.kept} entity pages the build before's: "
                 "only other entities' own text changed)" if portal.kept else "")
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.site is None:
            return None
        ahead = self.site.add_files(files, config)
        self._finish_writing()
        site_dir = self.publishing[1] if self.publishing else Path(config.site_dir)
        self.output = SiteOutput(site_dir, SiteRecord.open(self.cache_dir, site_dir))
        self.quiet.attach()
        self.writer = Writer(ahead, self.output)
        self.writer.start()
        if self.pagefind is not None:  # made while MkDocs renders the pages
            self.pagefind.start(self.output.site_dir)
        self.search = SearchEntries.of(config)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        if self.config.enabled:
            self.nav = nav
            self._plan_reuse(config, files)

    def _plan_reuse(self, config: MkDocsConfig, files: Files) -> None:
        """Take the entity and docs pages the previous build made from the same text out of
        MkDocs' reading and drawing (:mod:`.reuse`); ``on_env`` keeps their files."""
        self.keys, self.reused, self.searched, self.files = {}, {}, set(), None
        if self.site is None or self.output is None or self.command == "serve":
            self.reuse = PageReuse.off()
            return
        self.reuse = reuse = PageReuse.open(self.cache_dir, self.output.site_dir,
                                            env_key(config, files, self.site.pages))
        if not reuse.enabled:
            return
        pages = self.site.pages
        for file in files.documentation_pages():
            src = file.src_uri
            if not file.generated_by or src in pages.listed:
                continue
            page = pages.pages.get(src) or pages.authored.get(src)
            if page is None:
                continue
            self.keys[src] = key = reuse.key(src, page)
            if reuse.reusable(file.dest_uri, key):
                file.inclusion = InclusionLevel.EXCLUDED
                self.reused[src] = file
        self.quiet.kept = self.reused

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if not self.config.enabled or self.site is None:
            return None
        self.site.use_extensions(config, page)
        authored = self.site.authored(page)
        if authored is not None and self.docs is not None:
            return self.docs.prepare(page, authored)
        return self.site.markdown(page, markdown)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if not self.config.enabled or self.site is None:
            return None
        generated = self.site.generated(page)
        if generated is None:
            if self.site.authored(page) is not None:
                self.shells.use(page)
            return None
        if page.file.src_uri not in self.site.pages.listed:
            self.shells.use(page)
        return self.site.content(page, generated, html)

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> None:
        if not self.config.enabled or self.site is None:
            return
        self.site.restore_extensions(config)
        if self.nav is not None:
            self.site.set_nav(self.nav)
        self.shells.set_env(env)
        # Kept pages stay out of MkDocs' page loop (each cost it 85 µs of drawing nothing) but
        # are in the templates' `pages` (the sitemap), as their files are in the site.
        self.files = files
        for file in self.reused.values():
            Page(None, file, config)
            self.output.keep(file.dest_uri)
            self.reuse.carry(file.dest_uri)
            if self.pagefind is not None and self.reuse.searched(file.dest_uri):
                self.pagefind.keep(file.page)  # indexed from its kept file
                self.searched.add(file.src_uri)
        if self.pagefind is not None:
            self.pagefind.order = {file.dest_uri: n for n, file in enumerate(files)}
            generated = self.site.pages.pages
            self.unindexed = {file.src_uri for file in files.documentation_pages()
                              if file.src_uri not in generated}
            self._drawn(None)

    def _drawn(self, src: str | None) -> None:
        """Start the pages' search index once the last page it may read is written (the
        docs pages come before the entities' pages: it is made while those are drawn)."""
        if self.unindexed is None or self.pagefind is None or self.output is None:
            return
        if src is not None:
            self.unindexed.discard(src)
        if not self.unindexed:
            self.unindexed = None
            self.pagefind.start_pages(self.output.site_dir, self.output.record.current,
                                      FilesMemo.of(self.cache_dir, self.output.site_dir))
            log.info("Paved Road: search index of %d pages started while the catalog's pages "
                     "are drawn", len(self.pagefind.indexed))

    def on_template_context(self, context: dict, /, *, template_name: str,
                            config: MkDocsConfig) -> dict | None:
        if not self.reused or self.files is None:
            return None
        reused = self.reused
        context["pages"] = [file for file in self.files if file.is_documentation_page()
                            and (file.inclusion.is_included() or file.src_uri in reused)]
        return context

    @event_priority(100)  # before search indexes the page
    def on_page_context(self, context: dict, /, *, page: Page, config: MkDocsConfig,
                        nav: object) -> dict | None:
        if not self.config.enabled or self.site is None:
            return None
        self.shells.keep_context(page, context)
        generated = self.site.generated(page)
        if generated is not None:
            self.site.add_nav(page)
            if generated.search is not None and self.search is not None:
                # The entries are ready; the search plugin need not parse the page.
                self.search.add(page, generated.search)
            return context
        authored = self.site.authored(page)
        if authored is not None and self.docs is not None:
            self.docs.fill(page, authored, self.search)
        return context

    @event_priority(100)  # the whole page, before any other plugin sees it
    def _draw_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled or self.site is None:
            return None
        generated = self.site.generated(page)
        finish = (lambda html: generated.fill(html, late=True)) if generated else None
        drawn = self.shells.draw(page, finish)
        if drawn is None:
            drawn = finish(output) if finish else output
        if self.pagefind is not None:
            drawn, marked = self.pagefind.page(page, drawn, own_html=generated is None)
            if marked:
                self.searched.add(page.file.src_uri)
        return drawn

    @event_priority(-100)  # last: the page as every plugin left it
    def _write_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Write the page only if it changed; MkDocs, handed nothing, writes nothing."""
        if not self.config.enabled or self.output is None:
            return None
        src, dest = page.file.src_uri, page.file.dest_uri
        if not output.strip():
            self._drawn(src)
            return None
        self.output.write(dest, output.encode("utf-8", errors="xmlcharrefreplace"))
        key = self.keys.get(src)
        if key is not None:
            self.reuse.record(dest, key, searched=src in self.searched)
        self.quiet.skipped.add(src)
        if self.site is not None:
            self.site.written(page)
        self._drawn(src)
        return ""  # MkDocs says it skipped an empty page: not for these (_QuietSkips)

    on_post_page = CombinedEvent(_draw_page, _write_page)

    @event_priority(-100)  # last: every plugin has written its files into the staging folder
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if self.docs is not None:
            self.docs.close()
        self._finish_writing()
        self.shells.finish()
        output, self.output = self.output, None
        if self.pagefind is not None:
            pages_dir = output.site_dir if output is not None else Path(config.site_dir)
            # Through the site's output, which leaves the fragments of unchanged pages alone.
            self.pagefind.index(Path(config.site_dir), pages_dir,
                                output.write if output is not None else None,
                                output.keep_tree if output is not None else None)
        self.quiet.detach()
        if self.publishing is not None and output is not None:
            staging, site_dir = self.publishing
            self.publishing = None
            config.site_dir = str(site_dir)
            docs = sum(1 for src in self.reused if self.site and src in self.site.pages.authored)
            listing, self.listing = self.listing, None
            log.info("Paved Road: %s in %s (%d entity pages and %d docs pages kept without "
                     "rendering)", output.publish(staging, listing).summary(), site_dir,
                     len(self.reused) - docs, docs)
        if self.listing is not None:  # not published (a build in place)
            self.listing.close()
            self.listing = None
        self.reuse.save()
        self.keys, self.reused, self.searched, self.files = {}, {}, set(), None
        self.unindexed = None
        wait_background()  # the memo saves begun in the portal's stages: whole before exit

    def on_build_error(self, *, error: Exception) -> None:
        if not self.config.enabled:
            return
        if self.docs is not None:
            self.docs.close()
        if self.pagefind is not None:
            self.pagefind.close()  # the entities' Pagefind, if it still runs
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.join()
        self.output = None
        wait_background()
        self.keys, self.reused, self.searched = {}, {}, set()  # no record: all rendered again
        self.files = self.unindexed = None
        self.quiet.detach()
        if self.listing is not None:
            self.listing.close()
            self.listing = None
        if self.publishing is not None:  # the site folder keeps what was written, plus stale files
            shutil.rmtree(self.publishing[0], ignore_errors=True)
            self.publishing = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer | None:
        if self.config.enabled:
            for path in self.watched:
                server.watch(str(path))
        return server

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder beside ``site_dir`` and publish only what changed
        (not for ``serve``, nor ``--dirty``); without a writable place beside it, in place."""
        if self.command == "serve" or self.publishing is not None:
            return
        site_dir = Path(config.site_dir).resolve()
        staging = staging_dir(site_dir)
        try:
            shutil.rmtree(staging, ignore_errors=True)  # a build killed before it published
            staging.mkdir(parents=True)
        except OSError as exc:
            log.info("Paved Road: building in place (%s)", exc.strerror or exc)
            return
        self.publishing = (staging, site_dir)
        config.site_dir = str(staging)
        self.listing = SiteListing(site_dir).start()  # before anything is written into it

    def _finish_writing(self) -> None:
        """Wait for the files written alongside the build; a failure fails the build."""
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.finish()


class _QuietSkips(logging.Filter):
    """Drops MkDocs' "Page skipped" notice for the pages :class:`SiteOutput` wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: set[str] = set()
        self.kept: dict[str, object] = {}
        """Pages kept from the previous build: a link to one is not "excluded from the site"."""

    def attach(self) -> None:
        logging.getLogger("mkdocs.commands.build").addFilter(self)
        logging.getLogger("mkdocs.structure.pages").addFilter(self)

    def detach(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self)
        logging.getLogger("mkdocs.structure.pages").removeFilter(self)
        self.skipped.clear()
        self.kept = {}

    def filter(self, record: logging.LogRecord) -> bool:
        msg = str(record.msg)
        if self.kept and msg.endswith("' which is excluded from the built site."):
            return msg.rsplit("'", 2)[-2] not in self.kept
        if not self.skipped or not msg.startswith("Page skipped: '"):
            return True
        src = msg[len("Page skipped: '"):].rsplit("'. Generated empty output.", 1)[0]
        return src not in self.skipped


def _watch_roots(sources: Path, repos: list[Path]) -> list[Path]:
    """The sources file's folder, plus repositories outside it (each once)."""
    base = sources.parent
    roots = [base]
    for repo in sorted(set(repos)):
        if not repo.is_relative_to(base) and not any(repo.is_relative_to(r) for r in roots):
            roots.append(repo)
    return roots
