"""The catalog pipeline: sources → crawl → entities → catalog, in one call.

Each stage is a plain function over plain data (see the modules of the same
names); this module only runs them in order.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.crawl import crawl
from generator.entities import parse_entities
from generator.formats import FormatHook, FormatOptions, parse_options
from generator.formats.combine import combine
from generator.parsecache import ParseCache, parse_cache_path
from generator.problems import Problem
from generator.refs import EntityRef
from generator.sources import (
    DEFAULT_MAX_FILE_SIZE,
    Repository,
    cache_root,
    expand_sources,
    load_sources,
)

__all__ = ["CatalogRun", "load_catalog", "load_paths"]


@dataclass(frozen=True, slots=True)
class CatalogRun:
    """A built catalog and what it was built from."""

    catalog: Catalog
    repositories: list[Repository]
    files: int
    """Descriptor files read."""
    parsed: int = 0
    """Descriptor files parsed; the others were unchanged and came from the parse cache."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage: ``sources`` (git fetches included), ``crawl``,
    ``entities`` and ``catalog``."""
    cache_dir: Path | None = None
    """The cache directory in effect (git copies, parsed descriptors, diagrams)."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Largest file read, in bytes (``max_file_size`` in the sources file); later stages
    that read repository files (docs) use the same limit."""
    known: frozenset[EntityRef] = frozenset()
    """Refs that exist elsewhere (``check --catalog``): later checks resolve against them too."""


def load_catalog(sources_file: Path, *, progress: bool = True,
                 previous: Mapping[EntityRef, str] | None = None) -> CatalogRun:
    """Build the catalog of everything ``sources_file`` lists.

    Git sources are fetched into the cache directory (see
    :func:`~generator.sources.cache_root`), which also keeps the parse cache.
    ``previous`` (ref → location, from the previous build's history) settles
    which file keeps an entity that two define.
    """
    start = time.perf_counter()
    sources, problems = load_sources(sources_file)
    cache_dir = cache_root(sources)
    repos, more = expand_sources(sources, cache_dir=cache_dir, progress=progress)
    seconds = time.perf_counter() - start
    parse_cache = ParseCache.open(parse_cache_path(cache_dir, sources_file))
    formats, invalid = parse_options(sources.settings, sources.settings_lines, sources.file)
    run = _run(repos, [*problems, *invalid, *more], sources.descriptor_names,
               sources.max_file_size, parse_cache=parse_cache, formats=formats,
               previous=previous)
    parse_cache.save()
    run.timings["sources"] = seconds
    return dataclasses.replace(run, cache_dir=cache_dir)


def load_paths(repos: list[Repository], known: Iterable[EntityRef] = ()) -> CatalogRun:
    """Build the catalog of the given repositories (``pavedroad check PATH``)."""
    return _run(repos, [], known=known)


def _run(repos: list[Repository], problems: list[Problem],
         descriptor_names: tuple[str, ...] | None = None, max_file_size: int | None = None,
         known: Iterable[EntityRef] = (), parse_cache: ParseCache | None = None,
         formats: FormatOptions | None = None,
         previous: Mapping[EntityRef, str] | None = None) -> CatalogRun:
    formats = formats or FormatOptions()
    hook = FormatHook(formats)
    options: dict = {"parse_cache": parse_cache, "hook": hook}
    if descriptor_names:
        options["descriptor_names"] = descriptor_names
    if max_file_size:
        options["max_file_size"] = max_file_size
    marks = [time.perf_counter()]
    crawled = crawl(repos, **options)
    marks.append(time.perf_counter())
    entities, found = parse_entities(crawled.documents)
    entities, found = combine(entities, found, hook.finds, formats)
    marks.append(time.perf_counter())
    catalog = build_catalog(entities, [*problems, *crawled.problems, *found], known=known,
                            kinds=formats.relation_fields(), previous=previous)
    marks.append(time.perf_counter())
    timings = {stage: marks[i + 1] - marks[i]
               for i, stage in enumerate(("crawl", "entities", "catalog"))}
    return CatalogRun(catalog, repos, crawled.files, crawled.parsed, timings,
                      max_file_size=max_file_size or DEFAULT_MAX_FILE_SIZE,
                      known=frozenset(known))
