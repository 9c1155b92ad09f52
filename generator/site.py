"""Build, serve or write out the portal with the project's ``mkdocs.yml``."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from generator.docs import DocsRenderer, docs_dialect
from generator.mkdocs import (
    HISTORY_ENV,
    SOURCES_ENV,
    STATS_MARKER,
    OptionsError,
    Renderer,
    read_plugin_options,
    site_options,
)
from generator.mkdocs.config import PLUGIN, entry_name
from generator.pages.docs_pages import mermaid_script
from generator.portal import build_portal
from generator.problems import Severity

if TYPE_CHECKING:
    from generator.docs import Dialect
    from generator.docs.cache import DocsCache
    from generator.pages import PageSet

__all__ = ["SiteError", "build_site", "generate_project", "serve_site"]


class SiteError(Exception):
    """The site could not be built; the message says why."""


def _logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def build_site(config_file: Path, *, sources: Path | None = None, site_dir: Path | None = None,
               strict: bool = False, history: Path | None = None) -> None:
    """``mkdocs build`` with Paved Road's plugin; raises :class:`SiteError` on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _logging()
    if sources is not None:
        os.environ[SOURCES_ENV] = str(sources.resolve())
    if history is not None:
        os.environ[HISTORY_ENV] = str(history.resolve())
    overrides: dict[str, object] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    try:
        config = load_config(str(config_file), **overrides)
        build(config)
    except MkDocsException as exc:
        raise SiteError(str(exc) or "the build failed (see the warnings above)") from None
    finally:
        os.environ.pop(SOURCES_ENV, None)
        os.environ.pop(HISTORY_ENV, None)


def serve_site(config_file: Path, *, sources: Path | None = None,
               dev_addr: str = "127.0.0.1:8000") -> None:
    """``mkdocs serve`` with live reload of docs, descriptors and repository docs."""
    from mkdocs.commands.serve import serve

    _logging()
    if sources is not None:
        os.environ[SOURCES_ENV] = str(sources.resolve())
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


class _Tagged:
    """A YAML value with a custom tag (``!ENV``, ``!!python/name:``), kept as written."""

    def __init__(self, tag: str, value: object) -> None:
        self.tag, self.value = tag, value


class _KeepTagsLoader(yaml.SafeLoader):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return _Tagged(node.tag, value)


_KeepTagsLoader.add_multi_constructor("!", _construct_tagged)
_KeepTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _KeepTagsDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_KeepTagsDumper.add_representer(_Tagged, _represent_tagged)


def generate_project(config_file: Path, out: Path, *, sources: Path | None = None) -> int:
    """Write the portal as a plain MkDocs project into ``out``; return the problem count.

    ``out/docs`` holds the hand-written and the generated pages, ``out/mkdocs.yml``
    the project's configuration without the plugin, so any MkDocs can build it.
    The plugin's options are read and validated as ``mkdocs build`` reads them,
    before anything is built or written: a bad one raises :class:`SiteError`.
    """
    base = config_file.resolve().parent
    try:
        config, warnings = read_plugin_options(config_file)
    except OptionsError as exc:
        raise SiteError(str(exc)) from None
    _logging()
    for warning in warnings:
        logging.getLogger("mkdocs.plugins.pavedroad").warning(warning)
    options = site_options(config, base, sources=sources.resolve() if sources else None)
    raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_KeepTagsLoader) or {}
    kept = [plugin for plugin in raw.get("plugins") or [] if entry_name(plugin) != PLUGIN]
    # A plain MkDocs project has no Pagefind step: Material's search serves it.
    portal = build_portal(options.sources, dataclasses.replace(options.portal(),
                                                               search="material"))
    run, pages = portal.run, portal.pages

    docs_out = out / "docs"
    if docs_out.exists():
        shutil.rmtree(docs_out)
    shutil.copytree(base / raw.get("docs_dir", "docs"), docs_out)
    extensions = [entry_name(e) for e in raw.get("markdown_extensions") or []]
    headings = "attr_list" in extensions  # generated pages get a table of contents
    for rel, page in pages.pages.items():
        _write(docs_out / rel, page.expanded(markdown_headings=headings).encode("utf-8"))
    for rel, content in pages.assets.items():
        _write(docs_out / rel, content)
    _write_authored(docs_out, pages, docs_dialect(options.docs_html,
                                                  remote_images=options.remote_images),
                    portal.docs_cache)
    home = docs_out / "index.md"
    if home.exists():
        home.write_text(home.read_text(encoding="utf-8").replace(
            STATS_MARKER, Renderer().stats(pages.stats, "index.md")), encoding="utf-8")
    for rel in pages.inserts:
        target = docs_out / rel
        if target.is_file():
            target.write_text(pages.fill_inserts(rel, target.read_text(encoding="utf-8")),
                              encoding="utf-8")
    theme = raw.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        target = out / "overrides"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(base / theme["custom_dir"], target)
        theme["custom_dir"] = "overrides"
    raw["docs_dir"] = "docs"
    raw.pop("site_dir", None)
    raw["plugins"] = kept
    raw["extra_css"] = [*(raw.get("extra_css") or []), *pages.extra_css]
    raw["extra_javascript"] = [*(raw.get("extra_javascript") or []), *pages.extra_javascript]
    raw["not_in_nav"] = "/catalog/*/\n/docs/*/\n"
    if not raw.get("nav"):
        raw["nav"] = ["index.md", *pages.nav]
    _write(out / "mkdocs.yml", yaml.dump(raw, Dumper=_KeepTagsDumper, sort_keys=False,
                                         allow_unicode=True).encode("utf-8"))
    return sum(1 for p in run.catalog.problems if p.severity is not Severity.INFO)


def _write_authored(docs_out: Path, pages: PageSet, dialect: Dialect,
                    cache: DocsCache | None) -> None:
    """Repository docs, rendered and sanitised here: the project's MkDocs gets finished HTML.

    Its front matter carries the title (escaped) and the section nav that
    ``overrides/main.html`` shows; there is no table of contents.
    """
    renderer = DocsRenderer(dialect,
                            {path: page.markdown for path, page in pages.authored.items()},
                            links={path: page.links for path, page in pages.authored.items()},
                            extensions={path: page.extensions
                                        for path, page in pages.authored.items()}, cache=cache)
    renderer.start()
    try:
        for rel in sorted(pages.authored):
            page = pages.authored[rel]
            meta = {"title": escape(page.title), **page.meta}
            front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())
            html = renderer.get(rel).html
            body = f"{page.header}{html}{mermaid_script(html, rel)}"
            _write(docs_out / rel, f'---\n{front}---\n\n<div class="pr-docs-page" markdown="0">\n'
                                   f"{body}\n</div>\n".encode())
    finally:
        renderer.close()
    for rel, source in pages.files.items():
        target = docs_out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
