"""The catalog pipeline: sources → crawl → entities → catalog, in one call.

Each stage is a plain function over plain data (see the modules of the same
names); this module only runs them in order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.catalogmemo import CatalogMemo, memo_key, memo_path
from generator.crawl import crawl
from generator.entities import parse_entity
from generator.formats import FormatHook, FormatOptions, parse_options
from generator.formats.combine import combine
from generator.parallel import split_map
from generator.parsecache import ParseCache, parse_cache_path
from generator.problems import Problem
from generator.refs import EntityRef
from generator.sources import (
    DEFAULT_MAX_FILE_SIZE,
    Repository,
    Sources,
    cache_root,
    expand_sources,
    load_sources,
)

__all__ = ["CatalogRun", "load_catalog", "load_paths", "load_product", "paused_gc"]


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
    """Seconds spent in each stage: ``sources`` (git fetches included), ``crawl`` (which
    makes the documents entities too), ``entities`` (other formats combined) and ``catalog``."""
    cache_dir: Path | None = None
    """The cache directory in effect (git copies, parsed descriptors, diagrams)."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Largest file read, in bytes (``max_file_size`` in the sources file); later stages
    that read repository files (docs) use the same limit."""
    known: frozenset[EntityRef] = frozenset()
    """Refs that exist elsewhere (``check --catalog``): later checks resolve against them too."""
    memoised: bool = False
    """Loaded from the stage's memo (nothing changed since the run that stored it)."""
    probes: dict[tuple, bytes] = field(default_factory=dict, repr=False)
    """What the crawl asked the file system, while the memo is being recorded."""
    digest: bytes = b""
    """SHA-256 of the catalog as the stage's memo stores it (empty without a memo): later
    stages' memos key on it."""


def load_catalog(sources_file: Path, *, progress: bool = True,
                 previous: Mapping[EntityRef, str] | None = None,
                 memo: bool = True) -> CatalogRun:
    """Build the catalog of everything ``sources_file`` lists.

    Git sources are fetched into the cache directory (see
    :func:`~generator.sources.cache_root`), which also keeps the parse cache and the
    stage's memo (:mod:`generator.catalogmemo`: an unchanged organisation loads the
    catalog of the run before). ``previous`` (ref → location, from the previous build's
    history) settles which file keeps an entity that two define. ``memo=False`` neither
    reads nor writes the memo.
    """
    run, stored = _memoized(sources_file, progress, previous, memo=memo)
    stored.save()
    return run


def load_product(sources_file: Path, name: str, make: Callable[[CatalogRun], str], *,
                 progress: bool = True) -> str:
    """``make(run)`` of the catalog of ``sources_file``, kept in the stage's memo as ``name``
    (``kind@what-else-it-depends-on``): while nothing the catalog was built from changes,
    it is returned without building or even loading the catalog.

    ``make`` runs in a forked process while this one records the memo (both cores: each
    costs about half a second on 10,000 components), so it must only compute its value."""
    memo = _open_memo(sources_file, progress, None)
    value = memo.memo.product(name)
    if value is not None:
        return value
    run, catalog_memo = _memoized(sources_file, progress, None, memo, record=False)

    def step(which: int) -> str | None:
        with paused_gc():
            if which == 1:
                return make(run)
            if not run.memoised:  # here: the memo encodes the catalog
                catalog_memo.record(run.catalog, run.probes, run.files)
            return None

    # make(run) in a forked process meanwhile (a plain call where there is no fork, or for a
    # small catalog, where the process costs more than it saves)
    small = len(run.catalog.entities) < PARALLEL_ENTITIES
    value = split_map(step, [0, 1], workers=1 if small else None, min_items=1)[1]
    assert value is not None
    catalog_memo.put_product(name, value)
    catalog_memo.save()
    return value


PARALLEL_ENTITIES = 2_000
"""From this many entities on, :func:`load_product` makes its value in a forked process."""


@dataclass(slots=True)
class _Opened:
    """The sources expanded, and the memo the stage has for them."""

    memo: CatalogMemo
    sources: Sources
    repos: list[Repository]
    problems: list[Problem]
    formats: FormatOptions
    cache_dir: Path
    seconds: float
    """Spent loading and expanding the sources."""
    checked: float
    """Spent checking the memo's recorded answers."""


def _open_memo(sources_file: Path, progress: bool,
               previous: Mapping[EntityRef, str] | None, memo: bool = True) -> _Opened:
    start = time.perf_counter()
    sources, problems = load_sources(sources_file)
    cache_dir = cache_root(sources)
    repos, more = expand_sources(sources, cache_dir=cache_dir, progress=progress)
    seconds = time.perf_counter() - start
    formats, invalid = parse_options(sources.settings, sources.settings_lines, sources.file)
    found = [*problems, *invalid, *more]
    held = sorted((str(ref), where) for ref, where in (previous or {}).items())
    key = memo_key(sources, repos, found, formats, held)
    path = memo_path(cache_dir, sources_file, "-history" if previous else "")
    start = time.perf_counter()
    stored = CatalogMemo.open(path, key) if memo else CatalogMemo(None, key)
    return _Opened(stored, sources, repos, found, formats, cache_dir, seconds,
                   time.perf_counter() - start)


def _memoized(sources_file: Path, progress: bool, previous: Mapping[EntityRef, str] | None,
              opened: _Opened | None = None, memo: bool = True, record: bool = True
              ) -> tuple[CatalogRun, CatalogMemo]:
    """The catalog, from the memo or built; a built one is recorded in the memo unless
    ``record`` is false (then the run keeps its probes for the caller to record)."""
    opened = opened or _open_memo(sources_file, progress, previous, memo)
    memo, sources = opened.memo, opened.sources
    start = time.perf_counter()
    with paused_gc():
        catalog = memo.catalog()
    if catalog is not None:
        run = CatalogRun(catalog, opened.repos, memo.files, 0,
                         {"crawl": opened.checked, "entities": 0.0,
                          "catalog": time.perf_counter() - start},
                         max_file_size=sources.max_file_size, memoised=True)
    else:
        with paused_gc():
            parse_cache = ParseCache.open(parse_cache_path(opened.cache_dir, sources_file))
            run = _run(opened.repos, opened.problems, sources.descriptor_names,
                       sources.max_file_size, parse_cache=parse_cache, formats=opened.formats,
                       previous=previous, record=memo.path is not None)
            parse_cache.save()
            if record:
                memo.record(run.catalog, run.probes, run.files)
    run.timings["sources"] = opened.seconds
    return dataclasses.replace(run, cache_dir=opened.cache_dir,
                               probes={} if record else run.probes,
                               digest=memo.digest()), memo


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a while: building the catalog makes millions
    of objects and almost no cycles, and collecting walked them again and again (a third of
    the stage's CPU time on 10,000 components). Reference counting still frees as usual.

    What was made meanwhile is then frozen (:func:`gc.freeze`), or the first collection
    after would walk it all once more: the catalog lives as long as the command anyway."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def load_paths(repos: list[Repository], known: Iterable[EntityRef] = ()) -> CatalogRun:
    """Build the catalog of the given repositories (``pavedroad check PATH``)."""
    return _run(repos, [], known=known)


def _run(repos: list[Repository], problems: list[Problem],
         descriptor_names: tuple[str, ...] | None = None, max_file_size: int | None = None,
         known: Iterable[EntityRef] = (), parse_cache: ParseCache | None = None,
         formats: FormatOptions | None = None,
         previous: Mapping[EntityRef, str] | None = None, record: bool = False) -> CatalogRun:
    formats = formats or FormatOptions()
    hook = FormatHook(formats)
    options: dict = {"parse_cache": parse_cache, "hook": hook}
    if descriptor_names:
        options["descriptor_names"] = descriptor_names
    if max_file_size:
        options["max_file_size"] = max_file_size
    marks = [time.perf_counter()]
    # documents become entities where they are crawled (half of them in a forked process)
    crawled = crawl(repos, record=record, parse=parse_entity, **options)
    marks.append(time.perf_counter())
    entities, found = combine(crawled.entities, crawled.entity_problems, hook.finds, formats)
    marks.append(time.perf_counter())
    catalog = build_catalog(entities, [*problems, *crawled.problems, *found], known=known,
                            kinds=formats.relation_fields(), previous=previous)
    marks.append(time.perf_counter())
    timings = {stage: marks[i + 1] - marks[i]
               for i, stage in enumerate(("crawl", "entities", "catalog"))}
    return CatalogRun(catalog, repos, crawled.files, crawled.parsed, timings,
                      max_file_size=max_file_size or DEFAULT_MAX_FILE_SIZE,
                      known=frozenset(known), probes=crawled.probes or {})
