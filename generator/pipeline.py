"""The catalog pipeline: sources → crawl → entities → catalog, in one call.

Each stage is a plain function over plain data (see the modules of the same
names); this module only runs them in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.crawl import crawl
from generator.entities import parse_entities
from generator.problems import Problem
from generator.refs import EntityRef
from generator.sources import Repository, expand_sources, load_sources

__all__ = ["CatalogRun", "load_catalog", "load_paths"]


@dataclass(frozen=True, slots=True)
class CatalogRun:
    """A built catalog and what it was built from."""

    catalog: Catalog
    repositories: list[Repository]
    files: int
    """Descriptor files read."""


def load_catalog(sources_file: Path) -> CatalogRun:
    """Build the catalog of everything ``sources_file`` lists."""
    sources, problems = load_sources(sources_file)
    repos, more = expand_sources(sources)
    return _run(repos, [*problems, *more], sources.descriptor_names, sources.max_file_size)


def load_paths(repos: list[Repository], known: Iterable[EntityRef] = ()) -> CatalogRun:
    """Build the catalog of the given repositories (``pavedroad check PATH``)."""
    return _run(repos, [], known=known)


def _run(repos: list[Repository], problems: list[Problem],
         descriptor_names: tuple[str, ...] | None = None, max_file_size: int | None = None,
         known: Iterable[EntityRef] = ()) -> CatalogRun:
    options = {}
    if descriptor_names:
        options["descriptor_names"] = descriptor_names
    if max_file_size:
        options["max_file_size"] = max_file_size
    crawled = crawl(repos, **options)
    entities, found = parse_entities(crawled.documents)
    catalog = build_catalog(entities, [*problems, *crawled.problems, *found], known=known)
    return CatalogRun(catalog, repos, crawled.files)
