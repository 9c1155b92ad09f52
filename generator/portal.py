"""The spine: every stage in order, from the sources file to the page set.

    sources → crawl → entities → catalog → policies → graph → scorecards → docs → pages

Like MkDocs' ``build()``, this only runs the stages; each lives in its own
module and takes and returns plain data.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.adoption import HISTORY_KEY, build_date, with_history
from generator.adoption_report import adoption_json
from generator.catalogmemo import package_digest
from generator.changes import SECTION, build_time, compare, entity_facts, keep, read_log
from generator.check import assemble_problems
from generator.docs import Docs, FenceBudget, collect_docs, draw_fences
from generator.docs.cache import DocsCache, docs_cache_path
from generator.docs.graphviz import dot_identity
from generator.docs.sectionmemo import SectionMemo, section_memo_path
from generator.gitlog import last_changes
from generator.graph import (
    GraphAnalysis,
    analyse,
)
from generator.graph.analysis import GraphParts
from generator.graph.memo import GraphMemo
from generator.history import read_history
from generator.incremental import catalog_faces, own_digests, shared_stamp
from generator.pages import PageSet, build_pages
from generator.pages.adoption_pages import AdoptionFeature
from generator.pages.api_pages import ApiFeature
from generator.pages.change_pages import ChangeFeature
from generator.pages.docs_pages import DocsFeature
from generator.pages.exports import ExportFeature
from generator.pages.golden_path_pages import GoldenPathFeature
from generator.pages.graph_pages import GraphFeature
from generator.pages.incident import IncidentFeature
from generator.pages.lookups import LookupFeature
from generator.pages.origin_pages import OriginFeature
from generator.pages.scorecard_pages import ScorecardFeature
from generator.pages.search_pages import SearchFeature
from generator.pages.twins import TwinFeature
from generator.parallel import in_background, wait_background
from generator.pipeline import CatalogRun, load_catalog
from generator.policies import renames
from generator.portalmemo import PortalMemo, portal_key, portal_memo_path
from generator.schemas.feature import SchemaFeature
from generator.scorecards import Scores, find_rules, score_catalog

if TYPE_CHECKING:
    from generator.adoption import Adoption
    from generator.docs.render import Draft
    from generator.pages import AuthoredPage, Feature

    DocsReady = Callable[[dict[str, AuthoredPage], DocsCache | None,
                          dict[tuple[str, str], Draft]], None]
    """What :attr:`PortalOptions.docs_ready` is called with."""

__all__ = ["Portal", "PortalOptions", "build_portal"]


@dataclass(frozen=True, slots=True)
class PortalOptions:
    """Settings beyond the sources file."""

    history: Path | None = None
    """A previous build's ``history.json`` (removed entities keep a page)."""
    scorecards: Path | None = None
    """Scorecard rules; by default ``scorecards.yaml`` beside the sources file, if any."""
    diagram_depth: int = 1
    """How many hops each entity's diagram shows."""
    docs_html: str = "sanitize"
    """Raw HTML in repository docs (``sanitize``, ``escape`` or ``trust``); also which of
    their static files are published."""
    search: str = "material"
    """``pagefind`` adds what its index and the search page need; ``material`` nothing."""
    graphviz_budget: FenceBudget = field(default_factory=FenceBudget)
    """Seconds Graphviz fences in docs may take, per page and per build."""
    changes_days: int = 90
    """Days the change log keeps a change (0: no limit)."""
    changes_builds: int = 0
    """Builds the change log keeps changes of (0: no limit)."""
    epoch: int | None = None
    """The build's time in seconds since 1970 (default ``$SOURCE_DATE_EPOCH``, else 0):
    the date of this build's changes."""
    docs_ready: DocsReady | None = None
    """Called with the repositories' docs pages (the docs cache, and the pages the docs stage
    rendered while finding their links) as soon as they are known, before the catalog's pages
    are built, so that rendering them can start alongside."""
    adoption_since: str | None = None
    """The earlier build (ISO date) new components are counted from; by default the
    previous one in the history's adoption trend."""


@dataclass(slots=True)
class Portal:
    """A built portal: the catalog run and its pages."""

    run: CatalogRun
    pages: PageSet
    features: list[Feature] = field(default_factory=list)
    scores: Scores | None = None
    docs: Docs | None = None
    graph: GraphAnalysis | None = None
    adoption: Adoption | None = None
    memoised: bool = False
    """The pages are the build before's (:mod:`generator.portalmemo`): nothing they are made
    from changed. The docs stage and the analyses (graph, scores, adoption) were not run."""
    docs_cache: DocsCache | None = None
    """The docs pages rendered by earlier builds (none without a cache folder)."""
    kept: int = 0
    """Entity pages taken from the build before, not built (:mod:`generator.incremental`)."""


def build_portal(sources_file: Path, options: PortalOptions | None = None) -> Portal:
    """Run every stage for ``sources_file``."""
    options = options or PortalOptions()
    wait_background()  # a build before in this process: its memos are whole before reading
    previous, history_problems = read_history(options.history)
    history = previous.entities
    run = load_catalog(sources_file, previous={
        ref: last["location"] for ref, last in history.items() if "location" in last})
    catalog = run.catalog
    docs_cache = DocsCache.open(docs_cache_path(run.cache_dir, sources_file)) \
        if run.cache_dir else None
    ruleset, rule_problems = find_rules(sources_file, options.scorecards)
    today = build_date(sources_file.parent, options.epoch)
    epoch = options.epoch if options.epoch is not None \
        else int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    descriptors: dict[str, set[str]] = {}
    for entity in catalog.entities.values():
        descriptors.setdefault(entity.provenance.repo, set()).add(entity.provenance.path)
    changed = last_changes(run.repositories, descriptors, run.cache_dir)
    settings = (dataclasses.replace(options, docs_ready=None), today, epoch, ruleset,
                rule_problems, dot_identity(os.environ.get("PATH")))
    parts = (*settings, sorted(changed.items()))
    # The key covers the docs too (every file of every repository): a hit skips their stage.
    memo = PortalMemo(portal_memo_path(run.cache_dir, sources_file) if run.cache_dir else None,
                      portal_key(catalog=run.digest, repositories=run.repositories,
                                 sources_file=sources_file, history=options.history,
                                 parts=parts))
    if (stored := memo.load()) is not None:
        pages, catalog.problems = stored
        if options.docs_ready is not None:  # rendered from the docs cache, where needed
            options.docs_ready(pages.authored, docs_cache, {})
        return Portal(run, pages, docs_cache=docs_cache, memoised=True)
    sections = SectionMemo.open(section_memo_path(run.cache_dir, sources_file)) \
        if run.cache_dir else None
    docs = collect_docs(catalog, run.repositories, max_file_size=run.max_file_size,
                        html=options.docs_html, cache=docs_cache, memo=sections)
    if sections is not None:
        in_background(sections.save)  # files only
    docs.problems += draw_fences(docs, run.cache_dir / "fences" if run.cache_dir else None,
                                 options.graphviz_budget)
    docs_feature = DocsFeature(docs, catalog)
    if options.docs_ready is not None:
        options.docs_ready(docs_feature.pages, docs_cache, docs.drafts)
    docs.drafts = {}  # the renderer's now
    faces = catalog_faces(catalog) if memo.path is not None else None
    graph_memo = GraphMemo.of(run.cache_dir, sources_file, (  # no faces: no memo
        faces, str(options.diagram_depth).encode(), package_digest(None),
        str(settings[-1]).encode("utf-8", "surrogatepass")))
    earlier = graph_memo.load()
    analysis = analyse(catalog, cache_dir=run.cache_dir / "diagrams" if run.cache_dir else None,
                       depth=options.diagram_depth, earlier=earlier)
    if earlier is None:
        in_background(lambda: graph_memo.save(GraphParts.of(analysis)))  # files only
    # The one place problems join the catalog's own; `check` reports the same list.
    loops = {ref: loop.text() for ref, loop in analysis.loops.items()}
    catalog.problems.extend(assemble_problems(
        catalog, analysis.cycles, loops, history=history_problems, drawing=analysis.problems,
        rules=rule_problems, docs=docs.problems, repositories=run.repositories, today=today))
    scores = score_catalog(catalog, ruleset, repositories=run.repositories,
                           cycles=analysis.cycles)
    renamed = renames(catalog)
    facts = entity_facts(catalog, scores)
    at = build_time(epoch)
    log = read_log(previous.sections.get(SECTION))
    seen = compare(history, facts, renamed=renamed, at=at, build=log.build + 1,
                   levels=ruleset.levels) if previous.found else []
    log = keep(log, seen, at=at, days=options.changes_days, builds=options.changes_builds)
    adoption, trend = with_history(catalog, today, history, previous.sections.get(HISTORY_KEY),
                                   since=options.adoption_since)
    for ref, added in adoption.added.items():
        facts[ref] = {**facts.get(ref, {}), "added": added}
    sections = {**previous.sections, SECTION: log.to_json(), HISTORY_KEY: trend}
    last = {ref: changed[key] for ref, e in catalog.entities.items()
            if (key := (e.provenance.repo, e.provenance.path)) in changed}
    report = adoption_json(adoption, catalog)
    stamp = shared_stamp(
        catalog=catalog, faces=faces, repositories=run.repositories, sources_file=sources_file,
        history=options.history, descriptors=descriptors, parts=settings, graph=graph_memo.key,
        scores=scores, docs=docs,
        derived=(log.to_json(), sections, report, renamed, facts, at),
    ) if faces is not None else None
    owns = own_digests(catalog, last)  # a descriptor's last commit shows on its own pages
    kept = memo.earlier(stamp, owns)
    features: list[Feature] = [ApiFeature(), IncidentFeature(analysis, docs_feature.rendered),
                               GraphFeature(analysis),
                               LookupFeature(renamed),
                               ExportFeature(history, renamed, facts, sections,
                                             {HISTORY_KEY: report}, kept.data),
                               ChangeFeature(log, at, last),
                               GoldenPathFeature(catalog), ScorecardFeature(scores),
                               AdoptionFeature(adoption, trend["points"]),
                               docs_feature, TwinFeature(docs, kept.twins), OriginFeature(),
                               SchemaFeature()]
    if options.search == "pagefind":
        features.append(SearchFeature(docs, kept.search))
    pages = build_pages(catalog, features, kept=kept.pages)
    in_background(lambda: memo.save(pages, catalog.problems, stamp, owns))  # files only
    return Portal(run, pages, features, scores, docs, analysis, adoption, kept=len(kept.pages),
                  docs_cache=docs_cache)
