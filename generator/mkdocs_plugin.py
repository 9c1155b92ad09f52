"""The MkDocs plugin: serves the generated page set to ``mkdocs build`` and ``serve``.

It only translates MkDocs events into pipeline calls::

    plugins:
      - search
      - pavedroad:
          sources: catalog-sources/sources.yaml

``on_config`` runs the pipeline, ``on_files`` adds the pages as generated
files, ``on_page_markdown`` fills the home page's counts, ``on_serve``
watches the sources so ``mkdocs serve`` reloads when a descriptor changes.

Pages written in repositories (their TechDocs) are rendered by
:mod:`generator.docs.render`, not by MkDocs: ``on_files`` starts rendering
them (in worker processes when there are many), MkDocs only sees an empty
page, and ``on_page_context`` puts the sanitised HTML, table of contents and
section nav in place before the theme renders the page. The workers also find
the page's search sections, which are handed to Material's search index.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.docs import HTML_POLICIES, DocsRenderer, docs_dialect
from generator.pages import AuthoredPage, GeneratedPage, PageSet
from generator.pages.docs_pages import NAV_META
from generator.portal import PortalOptions, build_portal
from generator.problems import Severity
from generator.theme_shell import PageShells
from generator.urls import is_entity_page, relative_url

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.pavedroad")

STATS_MARKER = "<!-- pavedroad:stats -->"
SOURCES_ENV = "PAVEDROAD_SOURCES"
GENERATED_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list",
                                  "pymdownx.superfences", "pymdownx.highlight"})
"""The Markdown extensions a generated page needs; the rest only cost time."""
HISTORY_ENV = "PAVEDROAD_HISTORY"
SHELL_TEMPLATE = "pavedroad/shell.html"
"""An empty template: the page is rendered by :class:`PageShells` in ``on_post_page``."""


class PavedRoadConfig(Config):
    """Options under ``plugins: - pavedroad:``."""

    enabled = c.Type(bool, default=True)
    sources = c.Type(str, default="catalog-sources/sources.yaml")
    """The sources file, relative to mkdocs.yml (``$PAVEDROAD_SOURCES`` overrides it)."""
    diagram_depth = c.Type(int, default=1)
    """How many hops each entity's dependency diagram shows."""
    history = c.Optional(c.Type(str))
    """A previous build's history.json, relative to mkdocs.yml (``$PAVEDROAD_HISTORY``)."""
    scorecards = c.Optional(c.Type(str))
    """Scorecard rules, relative to mkdocs.yml (default: scorecards.yaml beside the sources)."""
    page_shells = c.Type(bool, default=True)
    """Render the theme once per shape of entity and docs page and fill it in for the rest
    (checked against the theme's own output); ``false`` renders every page in full."""
    docs_html = c.Choice(HTML_POLICIES, default="sanitize")
    """Raw HTML in repository docs: ``sanitize`` (scripts, frames, styles, event handlers and
    unsafe URLs removed), ``escape`` (shown as text) or ``trust`` (kept as written)."""


class PavedRoadPlugin(BasePlugin[PavedRoadConfig]):
    """Adds the catalog's pages to an MkDocs site."""

    def __init__(self) -> None:
        self.pages: PageSet | None = None
        self.sources: Path | None = None
        self.watched: list[Path] = []
        self.docs: DocsRenderer | None = None
        self.extensions: list | None = None
        self.entity_nav = ""
        self.search: object | None = None
        self.shells: PageShells | None = None
        self.prerendered: dict[str, str] = {}
        """Page → its HTML, for generated pages that need no Markdown."""
        self.templates: dict[str, str | None] = {}
        """Page → the template it named (``None`` for the default), for pages drawn from shells."""
        self.contexts: dict[str, dict] = {}
        self.writer: _Writer | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        self.sources = (base / os.environ.get(SOURCES_ENV, self.config.sources)).resolve()
        os.environ.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(base))
        history = os.environ.get(HISTORY_ENV, self.config.history or "")
        portal = build_portal(self.sources, PortalOptions(
            history=(base / history).resolve() if history else None,
            scorecards=(base / self.config.scorecards).resolve()
            if self.config.scorecards else None,
            diagram_depth=max(0, self.config.diagram_depth),
            docs_ready=lambda pages: self._render_docs(pages, config)))
        run = portal.run
        self.watched = _watch_roots(self.sources, [r.root for r in run.repositories])
        for problem in run.catalog.problems:
            level = logging.INFO if problem.severity is Severity.INFO else logging.WARNING
            log.log(level, "%s: %s: %s", problem.location, problem.severity, problem.message)
        self.pages = portal.pages
        for css in self.pages.extra_css:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in self.pages.extra_javascript:
            if js not in config.extra_javascript:
                config.extra_javascript.append(js)
        config.extra["pavedroad"] = _build_stamp(base)
        log.info("Paved Road: %d entities, %d generated pages", len(run.catalog),
                 len(self.pages.pages))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.pages is None:
            return None
        for path in sorted(self.pages.pages):
            self._add(files, config, path, self.pages.pages[path].markdown,
                      InclusionLevel.UNDEFINED if path in self.pages.listed
                      else InclusionLevel.NOT_IN_NAV)
        ahead = []
        for path in sorted(self.pages.assets):
            ahead.append(self._add(files, config, path, self.pages.assets[path],
                                   InclusionLevel.UNDEFINED, cls=_WrittenAhead))
        for path in sorted(self.pages.authored):
            self._add(files, config, path, "", InclusionLevel.NOT_IN_NAV)
        for path in sorted(self.pages.files):
            ahead.append(_WrittenAhead.generated(config, path,
                                                 abs_src_path=str(self.pages.files[path])))
            files.append(ahead[-1])
        self._finish_writing()
        self.writer = _Writer(ahead)  # the site folder is clean by now
        self.writer.start()
        self.search = _search_index(config)
        self.extensions = config["markdown_extensions"]
        if config.nav is None:
            config.nav = _default_nav(files, self.pages)
        return files

    def _render_docs(self, pages: dict[str, AuthoredPage], config: MkDocsConfig) -> None:
        """Start rendering the repositories' docs, while the catalog's pages are built."""
        if self.docs is not None:
            self.docs.close()
        searched = bool(_material_search(config))
        self.docs = DocsRenderer(docs_dialect(self.config.docs_html),
                                 {p: a.markdown for p, a in pages.items()},
                                 headers={p: a.header for p, a in pages.items()}
                                 if searched else None)
        self.docs.start()

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str | bytes,
             inclusion: InclusionLevel, cls: type[File] = File) -> File:
        existing = files.get_file_from_path(path)
        if existing is not None and not existing.generated_by:
            log.warning("docs/%s is replaced by the page Paved Road generates there; "
                        "move or rename it", path)
            files.remove(existing)
        file = cls.generated(config, path, content=content, inclusion=inclusion)
        files.append(file)
        return file

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if not self.config.enabled or self.pages is None:
            return None
        authored = self._authored(page)
        gen = None if authored else self._generated(page)
        if self.extensions is not None:
            # An authored page is rendered by generator.docs; MkDocs converts an empty page.
            # A generated page is mostly finished HTML and needs only a few extensions.
            config["markdown_extensions"] = [] if authored else (
                ([e for e in self.extensions if e in GENERATED_EXTENSIONS]
                 if gen.toc is None or "```" in gen.markdown else []) if gen is not None
                else self.extensions)
        if gen is not None and self.entity_nav and is_entity_page(page.file.src_uri):
            page.meta[NAV_META] = self.entity_nav  # the site's sections, not its whole nav
        if authored:
            page.meta.update(authored.meta)
            page.meta["title"] = escape(authored.title)
            return ""
        if gen is not None and gen.toc is not None:
            html = gen.blocks_only(markdown)
            if html is not None:  # nothing for Markdown to do
                self.prerendered[page.file.src_uri] = html
                return ""
        markdown = self.pages.fill_inserts(page.file.src_uri, markdown)
        if STATS_MARKER in markdown:
            markdown = markdown.replace(STATS_MARKER, _stats_html(self.pages.stats))
        return markdown

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        """A compact nav (top-level sections only) for entity pages.

        Material renders the whole nav into every page's sidebar; an
        organisation's worth of entity pages need only the way back to the
        sections. All entity pages sit at the same depth, so one HTML fits all.
        """
        if self.config.enabled and self.pages is not None:
            self.entity_nav = _sections_nav(nav, "catalog/x/x/x/index.md")

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> None:
        if self.extensions is not None:
            config["markdown_extensions"] = self.extensions
        self.shells, self.contexts = None, {}
        if self.templates:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({SHELL_TEMPLATE: ""}),
                                              env.loader])
            self.shells = PageShells(env, meta_slots=(NAV_META,))

    @event_priority(100)  # before search indexes the page
    def on_page_context(self, context: dict, /, *, page: Page, config: MkDocsConfig,
                        nav: object) -> dict | None:
        if page.file.src_uri in self.templates:
            self.contexts[page.file.src_uri] = context
        generated = self._generated(page)
        if generated is not None and generated.search is not None and self.search is not None:
            # The entries are ready; the search plugin need not parse the page.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            self.search.entries.extend({"location": page.url + anchor, "title": title,
                                        "text": text}
                                       for anchor, title, text in generated.search)
            return context
        authored = self._authored(page)
        if authored is None or self.docs is None:
            return None
        rendered = self.docs.get(page.file.src_uri)
        if rendered.error:
            log.warning("docs/%s could not be rendered (%s); fix its Markdown",
                        page.file.src_uri, rendered.error)
        page.content = authored.header + rendered.html
        page.toc = get_toc(rendered.toc)
        page.edit_url = authored.edit_url
        if self.search is not None and rendered.search is not None:
            # Sections were found by the renderer; the search plugin need not parse the page.
            search = dict(page.meta.get("search") or {})
            page.meta["search"] = {**search, "exclude": True}
            title = str(page.meta.get("title", page.title))
            for anchor, section_title, text in rendered.search:
                entry = {"location": page.url + anchor, "title": section_title or title,
                         "text": text}
                if "boost" in search:
                    entry["boost"] = search["boost"]
                self.search.entries.append(entry)
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.docs is not None:
            self.docs.close()
        self._finish_writing()
        if self.shells is not None:
            log.debug("Paved Road: %d pages filled from page shells, %d rendered by the theme",
                      self.shells.filled, self.shells.rendered)
        self.shells, self.templates, self.contexts = None, {}, {}

    def on_build_error(self, *, error: Exception) -> None:
        if self.docs is not None:
            self.docs.close()
        if self.writer is not None:
            self.writer.join()
            self.writer = None

    def _finish_writing(self) -> None:
        """Wait for the files written alongside the build; a failure fails the build."""
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.join()
            if writer.error is not None:
                path, exc = writer.error
                raise PluginError(f"Paved Road could not write {path}: {exc}")

    def _authored(self, page: Page) -> AuthoredPage | None:
        if not self.config.enabled or self.pages is None or not page.file.generated_by:
            return None
        return self.pages.authored.get(page.file.src_uri)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        generated = self._generated(page)
        if generated is None:
            if self._authored(page) is not None:
                self._use_shell(page)
            return None
        if generated.toc is not None:
            page.toc = get_toc([{"level": 2, "id": anchor, "name": escape(title),
                                 "children": []} for anchor, title in generated.toc])
        if page.file.src_uri not in self.pages.listed:
            self._use_shell(page)
        html = self.prerendered.pop(page.file.src_uri, html)
        return generated.fill(html, late=False)

    def _use_shell(self, page: Page) -> None:
        """Have ``page`` drawn from a page shell (entity and docs pages, none in the nav)."""
        if self.config.page_shells:
            self.templates[page.file.src_uri] = page.meta.get("template")
            page.meta["template"] = SHELL_TEMPLATE

    @event_priority(100)  # the whole page, before any other plugin sees it
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        src = page.file.src_uri
        generated = self._generated(page)
        if src in self.templates:
            template = self.templates.pop(src)
            if template is None:
                del page.meta["template"]
            else:
                page.meta["template"] = template
            context = self.contexts.pop(src, None)
            if self.shells is not None and context is not None:
                if generated is not None:  # searched already: the late blocks can go in
                    page.content = generated.fill(page.content or "", late=True)
                return self.shells.render(page, context, template or "main.html")
        return generated.fill(output, late=True) if generated else output

    def _generated(self, page: Page) -> GeneratedPage | None:
        if not self.config.enabled or self.pages is None or not page.file.generated_by:
            return None
        return self.pages.pages.get(page.file.src_uri)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: object) -> LiveReloadServer | None:
        if self.config.enabled:
            for path in self.watched:
                server.watch(str(path))
        return server


class _WrittenAhead(File):
    """A generated file that the plugin writes itself, alongside the build.

    Tens of thousands of small files (lookups, badges, entity.json, docs
    images) cost the build process little CPU but much waiting on the disk;
    a thread writes them while MkDocs renders pages. MkDocs still knows the
    file (links to it resolve, ``serve`` serves it) but does not copy it.
    """

    def copy_file(self, dirty: bool = False) -> None:
        """Already written by :class:`_Writer`."""

    def write_ahead(self) -> None:
        File.copy_file(self)


class _Writer(threading.Thread):
    def __init__(self, files: list[File]) -> None:
        super().__init__(name="pavedroad-writer", daemon=True)
        self.files = files
        self.error: tuple[str, Exception] | None = None

    def run(self) -> None:
        for file in self.files:
            try:
                file.write_ahead()
            except Exception as exc:
                self.error = (file.src_uri, exc)
                return


def _sections_nav(nav: Navigation, here: str) -> str:
    """Top-level nav entries as finished HTML, linked relative to page ``here``."""
    items = []
    for item in nav.items:
        page = item
        while getattr(page, "children", None):
            page = page.children[0]
        file = getattr(page, "file", None)
        if file is None:
            continue
        href = relative_url(here, file.src_uri)
        items.append(f'<li class="md-nav__item"><a class="md-nav__link" href="{escape(href)}">'
                     f'<span class="md-ellipsis">{escape(item.title or "")}</span></a></li>')
    return ('<nav class="md-nav md-nav--primary" aria-label="Sections">'
            f'<ul class="md-nav__list">{"".join(items)}</ul></nav>')


def _material_search(config: MkDocsConfig) -> list[object]:
    """The search plugins in use that are Material's."""
    return [plugin for plugin in config.plugins.values()
            if type(plugin).__module__.startswith("material.plugins.search")]


def _search_index(config: MkDocsConfig) -> object | None:
    """Material's search index, if that is the search plugin in use (else ``None``)."""
    for plugin in _material_search(config):
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list):
            return index
    return None


def _watch_roots(sources: Path, repos: list[Path]) -> list[Path]:
    """The sources file's folder, plus repositories outside it (each once)."""
    base = sources.parent
    roots = [base]
    for repo in sorted(set(repos)):
        if not repo.is_relative_to(base) and not any(repo.is_relative_to(r) for r in roots):
            roots.append(repo)
    return roots


def _default_nav(files: Files, pages: PageSet) -> list:
    hand_written = sorted(f.src_uri for f in files.documentation_pages()
                          if not f.generated_by)
    home = [p for p in hand_written if p in ("index.md", "README.md")]
    rest = [p for p in hand_written if p not in home]
    return [*home, *pages.nav, *rest]


def _stats_html(stats: dict[str, int]) -> str:
    labels = [("component", "components", "catalog/?kind=component"),
              ("api", "APIs", "catalog/?kind=api"),
              ("resource", "resources", "catalog/?kind=resource"),
              ("system", "systems", "systems/"),
              ("group", "teams and groups", "teams/"),
              ("user", "people", "catalog/?kind=user")]
    cells = "".join(
        f'<a class="pr-stat" href="{href}"><strong>{stats.get(key, 0):,}</strong> '
        f"<span>{label}</span></a>"
        for key, label, href in labels)
    return f'<div class="pr-stats" markdown="0">{cells}</div>'


def _build_stamp(base: Path) -> dict[str, str]:
    """When (from ``SOURCE_DATE_EPOCH``) and from which commit the site was generated."""
    import datetime

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    when = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    commit = os.environ.get("PAVEDROAD_COMMIT") or os.environ.get("GITHUB_SHA") or _git(
        base, "rev-parse", "HEAD")
    return {"generated": when.strftime("%Y-%m-%d %H:%M UTC"), "commit": commit[:12]}


def _git(base: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(base), *args], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _source_date_epoch(base: Path) -> str:
    """The last commit's time, so rebuilds of the same input are byte-identical."""
    value = _git(base, "log", "-1", "--format=%ct")
    return value if value.isdigit() else "0"
