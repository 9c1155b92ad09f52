"""The MkDocs plugin: serves the generated page set to ``mkdocs build`` and ``serve``.

It only translates MkDocs events into pipeline calls::

    plugins:
      - search
      - pavedroad:
          sources: catalog-sources/sources.yaml

``on_config`` runs the pipeline, ``on_files`` adds the pages as generated
files, ``on_page_markdown`` fills the home page's counts, ``on_serve``
watches the sources so ``mkdocs serve`` reloads when a descriptor changes.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from generator.pages import GeneratedPage, PageSet
from generator.portal import PortalOptions, build_portal
from generator.problems import Severity

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.pavedroad")

STATS_MARKER = "<!-- pavedroad:stats -->"
SOURCES_ENV = "PAVEDROAD_SOURCES"
HISTORY_ENV = "PAVEDROAD_HISTORY"


class PavedRoadConfig(Config):
    """Options under ``plugins: - pavedroad:``."""

    enabled = c.Type(bool, default=True)
    sources = c.Type(str, default="catalog-sources/sources.yaml")
    """The sources file, relative to mkdocs.yml (``$PAVEDROAD_SOURCES`` overrides it)."""
    history = c.Optional(c.Type(str))
    """A previous build's history.json, relative to mkdocs.yml (``$PAVEDROAD_HISTORY``)."""


class PavedRoadPlugin(BasePlugin[PavedRoadConfig]):
    """Adds the catalog's pages to an MkDocs site."""

    def __init__(self) -> None:
        self.pages: PageSet | None = None
        self.sources: Path | None = None
        self.watched: list[Path] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        self.sources = (base / os.environ.get(SOURCES_ENV, self.config.sources)).resolve()
        os.environ.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(base))
        history = os.environ.get(HISTORY_ENV, self.config.history or "")
        portal = build_portal(self.sources, PortalOptions(
            history=(base / history).resolve() if history else None))
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
        for path in sorted(self.pages.assets):
            self._add(files, config, path, self.pages.assets[path], InclusionLevel.UNDEFINED)
        if config.nav is None:
            config.nav = _default_nav(files, self.pages)
        return files

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str | bytes,
             inclusion: InclusionLevel) -> None:
        existing = files.get_file_from_path(path)
        if existing is not None and not existing.generated_by:
            log.warning("docs/%s is replaced by the page Paved Road generates there; "
                        "move or rename it", path)
            files.remove(existing)
        files.append(File.generated(config, path, content=content, inclusion=inclusion))

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        if not self.config.enabled or self.pages is None or STATS_MARKER not in markdown:
            return None
        return markdown.replace(STATS_MARKER, _stats_html(self.pages.stats))

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        generated = self._generated(page)
        return generated.fill(html, late=False) if generated else None

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        generated = self._generated(page)
        return generated.fill(output, late=True) if generated else None

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
