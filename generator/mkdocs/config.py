"""The plugin's options, read one way for ``mkdocs build`` and ``pavedroad generate``.

MkDocs validates ``plugins: - pavedroad: {…}`` against :class:`PavedRoadConfig`
when it loads ``mkdocs.yml``; :func:`read_plugin_options` runs the same
validation for ``pavedroad generate``, which never builds with the plugin.
:func:`site_options` then turns either into :class:`SiteOptions`: paths
resolved against ``mkdocs.yml``'s folder, ``$PAVEDROAD_SOURCES`` and
``$PAVEDROAD_HISTORY`` applied.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from generator.docs import HTML_POLICIES, FenceBudget
from generator.docs.remote import REMOTE_IMAGES
from generator.portal import PortalOptions

if TYPE_CHECKING:
    from generator.portal import DocsReady

__all__ = [
    "HISTORY_ENV",
    "SEARCH_ENGINES",
    "SOURCES_ENV",
    "OptionsError",
    "PavedRoadConfig",
    "SiteOptions",
    "entry_name",
    "read_plugin_options",
    "site_options",
]

SEARCH_ENGINES = ("pagefind", "material")
PLUGIN = "pavedroad"
"""The plugin's name in ``mkdocs.yml`` (its entry point)."""
SOURCES_ENV = "PAVEDROAD_SOURCES"
HISTORY_ENV = "PAVEDROAD_HISTORY"


class _Depth(c.Type):
    """A number of hops (or days, builds): a whole number, 0 or more."""

    def __init__(self, default: int, what: str = "hops") -> None:
        super().__init__(int, default=default)
        self.what = what

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"Expected a whole number of {self.what}, 0 or more, "
                                  f"but received: {value!r}")
        return value


class _Seconds(c.Type):
    """A number of seconds, more than 0."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValidationError(f"Expected a number of seconds, more than 0, "
                                  f"but received: {value!r}")
        return float(value)


class _Date(c.BaseConfigOption[str | None]):
    """A date, ``YYYY-MM-DD`` (YAML reads it unquoted as a date), or none."""

    def run_validation(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        try:
            if isinstance(value, str) and len(value) == 10:
                return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise ValidationError(f"Expected a date (YYYY-MM-DD), but received: {value!r}")


class _GraphvizConfig(Config):
    page_seconds = _Seconds(FenceBudget().page)
    build_seconds = _Seconds(FenceBudget().build)


class PavedRoadConfig(Config):
    """Options under ``plugins: - pavedroad:``."""

    enabled = c.Type(bool, default=True)
    """``false`` leaves the site as MkDocs builds it (``pavedroad generate`` ignores it)."""
    sources = c.Type(str, default="catalog-sources/sources.yaml")
    """The sources file, relative to mkdocs.yml (``$PAVEDROAD_SOURCES`` overrides it)."""
    diagram_depth = _Depth(default=1)
    """How many hops each entity's dependency diagram shows."""
    history = c.Optional(c.Type(str))
    """A previous build's history.json, relative to mkdocs.yml (``$PAVEDROAD_HISTORY``)."""
    scorecards = c.Optional(c.Type(str))
    """Scorecard rules, relative to mkdocs.yml (default: scorecards.yaml beside the sources)."""
    page_shells = c.Type(bool, default=True)
    """Render the theme once per shape of entity and docs page and fill it in for the rest
    (checked against the theme's own output); ``false`` renders every page in full."""
    search = c.Choice(SEARCH_ENGINES, default="pagefind")
    """``pagefind`` (a chunked index with facets, written after the build; Material's search
    plugin is switched off) or ``material`` (Material's own search, one index file)."""
    changes_days = _Depth(default=90, what="days")
    """Days the change log (``changes/``, the feeds) keeps a change; 0 keeps every one."""
    changes_builds = _Depth(default=0, what="builds")
    """Builds the change log keeps the changes of; 0 (the default) sets no limit."""
    adoption_since = _Date()
    """The earlier build new components are counted from on ``adoption/`` (a date); by
    default the previous build in the history's adoption trend."""
    docs_html = c.Choice(HTML_POLICIES, default="sanitize")
    """Raw HTML in repository docs: ``sanitize`` (scripts, frames, styles, event handlers and
    unsafe URLs removed), ``escape`` (shown as text) or ``trust`` (kept as written)."""
    remote_images = c.Choice(REMOTE_IMAGES, default="keep")
    """Remote images in repository docs: ``keep`` (the reader's browser loads them from the
    internet) or ``link`` (each becomes a link, so pages make no outside request)."""
    graphviz = c.SubConfig(_GraphvizConfig)
    """Seconds of Graphviz for ```` ```dot ```` fences in docs: ``page_seconds`` per page,
    ``build_seconds`` per build; fences past them are shown as code."""


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """The plugin's options, resolved: what the stages and the MkDocs adapter are given."""

    sources: Path
    """The sources file (absolute)."""
    history: Path | None
    """A previous build's ``history.json`` (absolute), if any."""
    scorecards: Path | None
    """Scorecard rules (absolute), if named."""
    diagram_depth: int
    """How many hops each entity's dependency diagram shows."""
    docs_html: str
    """The policy for raw HTML in repository docs (one of ``HTML_POLICIES``)."""
    remote_images: str
    """``keep`` or ``link`` remote images in repository docs."""
    page_shells: bool
    """Draw entity and docs pages from page shells."""
    search: str = "pagefind"
    """The search engine (one of ``SEARCH_ENGINES``)."""
    graphviz_budget: FenceBudget = field(default_factory=FenceBudget)
    """Seconds Graphviz fences in docs may take."""
    changes_days: int = 90
    """Days the change log keeps a change (0: no limit)."""
    changes_builds: int = 0
    """Builds the change log keeps the changes of (0: no limit)."""
    adoption_since: str | None = None
    """The earlier build (ISO date) new components are counted from."""

    def portal(self, docs_ready: DocsReady | None = None) -> PortalOptions:
        """The options of :func:`generator.portal.build_portal`."""
        return PortalOptions(history=self.history, scorecards=self.scorecards,
                             diagram_depth=self.diagram_depth, docs_html=self.docs_html,
                             search=self.search, changes_days=self.changes_days,
                             changes_builds=self.changes_builds,
                             adoption_since=self.adoption_since,
                             graphviz_budget=self.graphviz_budget, docs_ready=docs_ready)


class OptionsError(Exception):
    """The plugin's options in mkdocs.yml are not valid; the message is one line."""


def site_options(config: PavedRoadConfig, base: Path, *, sources: Path | None = None,
                 env: Mapping[str, str] = os.environ) -> SiteOptions:
    """Resolve validated options against ``base`` (mkdocs.yml's folder) and ``env``.

    ``sources`` (``--sources``) wins over ``$PAVEDROAD_SOURCES``, which wins over the option.
    """
    history = env.get(HISTORY_ENV) or config.history
    return SiteOptions(
        sources=(base / (sources or env.get(SOURCES_ENV) or config.sources)).resolve(),
        history=(base / history).resolve() if history else None,
        scorecards=(base / config.scorecards).resolve() if config.scorecards else None,
        diagram_depth=config.diagram_depth, docs_html=config.docs_html,
        remote_images=config.remote_images, page_shells=config.page_shells,
        search=config.search, changes_days=config.changes_days,
        changes_builds=config.changes_builds, adoption_since=config.adoption_since,
        graphviz_budget=FenceBudget(config.graphviz.page_seconds, config.graphviz.build_seconds))


def read_plugin_options(config_file: Path) -> tuple[PavedRoadConfig, list[str]]:
    """The plugin's options in ``config_file``, validated as ``mkdocs build`` would.

    ``!ENV`` tags and ``INHERIT`` are resolved as MkDocs resolves them. Returns
    the options and warnings (unknown option names); raises :class:`OptionsError`.
    """
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open("rb") as fd:
            raw = yaml_load(fd) or {}
    except (OSError, ConfigurationError) as exc:
        raise OptionsError(f"{config_file}: {' '.join(str(exc).split())}") from None
    entries = raw.get("plugins") if isinstance(raw, dict) else None
    if isinstance(entries, dict):  # MkDocs also takes plugins as a mapping
        entries = [{name: value} for name, value in entries.items()]
    options: object = {}
    for entry in entries if isinstance(entries, list) else []:
        if entry_name(entry) == PLUGIN:
            options = entry[PLUGIN] if isinstance(entry, dict) else {}
    config = PavedRoadConfig(config_file_path=str(config_file))
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise OptionsError(f"{config_file}: plugin '{PLUGIN}': expected its options as a "
                           f"mapping, but received: {options!r}")
    config.load_dict(options)
    errors, warnings = config.validate()
    if errors:
        key, error = errors[0]
        raise OptionsError(f"{config_file}: plugin '{PLUGIN}' option '{key}': "
                           f"{' '.join(str(error).split())}")
    return config, [f"{config_file}: plugin '{PLUGIN}' option '{key}': {warning}"
                    for key, warning in warnings]


def entry_name(entry: object) -> object:
    """The name of a ``plugins`` or ``markdown_extensions`` entry: ``name`` or ``{name: …}``."""
    return next(iter(entry)) if isinstance(entry, dict) else entry
