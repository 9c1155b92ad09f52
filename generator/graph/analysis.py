"""Analyses over the graph: blast radius, what an entity needs, cycles, and the
portal's one batch of them (:func:`analyse`).

Every function takes the graph first, is deterministic (``key=`` orders refs,
``str`` by default) and raises ``networkx.NodeNotFound`` for a ref that is not
in the graph. :func:`analyse` computes everything the portal shows of the
graph, every diagram rendered in one batch, before any page is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from generator.graph.build import Key, _dependencies, _require, build_graph, dependency_graph
from generator.graph.cycles import Loop, cycle_loops
from generator.graph.diagrams import (
    GRAPHVIZ_MISSING,
    neighbourhood_dot,
    overview_dot,
    render_svgs,
    system_dot,
)
from generator.graph.export import graph_dot, graph_json
from generator.graph.needs import Impact, reach
from generator.graph.views import neighbourhood, system_overview, system_view
from generator.parallel import split_map
from generator.problems import Problem, Severity
from generator.urls import GRAPH_PAGE, entity_page, relative_url

if TYPE_CHECKING:
    from pathlib import Path

    from generator.catalog import Catalog
    from generator.refs import EntityRef

__all__ = ["LIST_LIMIT", "GraphAnalysis", "GraphParts", "Impact", "analyse", "blast_radius",
           "blast_radius_sizes", "dependency_cycles", "upstream"]

LIST_LIMIT = 50
"""Most dependents (or dependencies) listed on a page; the total is always shown."""
SYSTEM_EDGES = 120
OVERVIEW_EDGES = 150
"""Most edges in a system's and in the overview diagram: Graphviz's layout time grows
much faster than the edge count, and a denser drawing is unreadable anyway."""
EXPORTS = {"graph.json": graph_json, "graph.dot": graph_dot}
"""The graph's exports on the site: path → how it is written."""


def blast_radius(graph: nx.DiGraph, ref: EntityRef, *, key: Key = str,
                 max_distance: int | None = None, limit: int | None = None) -> list[Impact]:
    """Everything that transitively needs ``ref``: what may break when it does.

    Breadth-first over the reverse dependency edges, so linear in the graph
    size. Each entity appears once, at its shortest distance; ``via`` is the
    smallest (by ``key``) neighbour one hop closer to ``ref``. Listing it for
    *every* entity is quadratic when many entities need each other (one big
    cycle through APIs): use ``max_distance`` for pages, and
    :func:`blast_radius_sizes` for the totals.

    Args:
        graph: The relation graph, or (faster when asking about many refs)
            its :func:`dependency_graph`.
        ref: The entity whose failure is considered.
        key: Orders refs; results are sorted by ``(distance, key(ref))``.
        max_distance: Stop after this many hops (``None``: no limit).
        limit: Return only the ``limit`` nearest (the search stops once it has
            them), so a page's list costs little even for a core library.

    Raises:
        networkx.NodeNotFound: When ``ref`` is not in the graph.
    """
    deps = _dependencies(graph)
    _require(deps, ref)
    return reach(deps.pred, ref, key, max_distance, limit)


def upstream(graph: nx.DiGraph, ref: EntityRef, *, key: Key = str,
             max_distance: int | None = None, limit: int | None = None) -> list[Impact]:
    """Everything ``ref`` transitively needs, with distances.

    The mirror of :func:`blast_radius`; same arguments and order.

    Raises:
        networkx.NodeNotFound: When ``ref`` is not in the graph.
    """
    deps = _dependencies(graph)
    _require(deps, ref)
    return reach(deps.succ, ref, key, max_distance, limit)


def blast_radius_sizes(graph: nx.DiGraph) -> dict[EntityRef, int]:
    """How many entities each entity's :func:`blast_radius` holds, for all at once.

    Far cheaper than one :func:`blast_radius` per entity: entities that need
    each other share one set, and the sets are bitsets over the condensed
    (acyclic) dependency graph, built in topological order and dropped as
    soon as nothing needs them.

    Args:
        graph: The relation graph or its :func:`dependency_graph`.

    Returns:
        Every node mapped to its number of (transitive) dependents, in graph order.
    """
    deps = _dependencies(graph)
    dag = nx.condensation(deps)
    waiting = dict(dag.out_degree())
    open_sets: dict[int, int] = {}
    sizes: dict[int, int] = {}
    first = 0
    for component in nx.topological_sort(dag):
        bits = 0
        for needer in dag.pred[component]:
            bits |= open_sets[needer]
            waiting[needer] -= 1
            if not waiting[needer]:
                del open_sets[needer]
        members = len(dag.nodes[component]["members"])
        sizes[component] = bits.bit_count() + members - 1
        if waiting[component]:
            # members get the next bit numbers, so early (widely needed) sets stay small
            open_sets[component] = bits | (((1 << members) - 1) << first)
        first += members
    mapping = dag.graph["mapping"]
    return {node: sizes[mapping[node]] for node in deps}


def dependency_cycles(graph: nx.DiGraph, *, key: Key = str) -> list[list[EntityRef]]:
    """Groups of entities that need each other, directly or through others.

    Strongly connected components of the dependency graph with more than one
    entity, or one entity that needs itself. Each is sorted by ``key`` and the
    list by its members' keys.

    Args:
        graph: The relation graph or its :func:`dependency_graph`.
        key: Orders refs.
    """
    deps = _dependencies(graph)
    cycles = [sorted(c, key=key) for c in nx.strongly_connected_components(deps)
              if len(c) > 1 or deps.has_edge(next(iter(c)), next(iter(c)))]
    cycles.sort(key=lambda c: [key(r) for r in c])
    return cycles



# --------------------------------------------------------------------------- the portal's batch


@dataclass(slots=True)
class GraphAnalysis:
    """Everything the graph adds to the portal, computed once."""

    graph: nx.MultiDiGraph
    deps: nx.DiGraph
    sizes: dict[EntityRef, int]
    """Blast radius size of every entity."""
    needs_sizes: dict[EntityRef, int]
    """How many entities each entity needs, directly or through others."""
    cycles: list[list[EntityRef]]
    cycle_of: dict[EntityRef, list[EntityRef]] = field(default_factory=dict)
    loops: dict[EntityRef, Loop] = field(default_factory=dict)
    """A short loop through each cycle member (:func:`~generator.graph.cycles.cycle_loops`)."""
    cycle_number: dict[EntityRef, int] = field(default_factory=dict)
    """Each cycle member's cycle, numbered from 1 as on the graph page."""
    svgs: dict[str, str | None] = field(default_factory=dict)
    """Diagram key (an entity ref string, or ``overview``) → inline SVG."""
    exports: dict[str, str] = field(default_factory=dict)
    """The whole graph as files: site path (:data:`EXPORTS`) → text."""
    graphviz: bool = True
    problems: list[Problem] = field(default_factory=list)
    """Problems drawing the diagrams (Graphviz missing); the catalog's own are
    :func:`generator.policies.catalog_problems`."""

    _radius: dict[EntityRef, list[Impact]] = field(default_factory=dict)
    rows: dict[tuple, str] = field(default_factory=dict)
    """Impact table rows by page scope and entity, filled by the graph pages."""

    def radius(self, ref: EntityRef) -> list[Impact]:
        """The nearest dependents (the incident panel and the page's list share them)."""
        if ref not in self._radius:
            self._radius[ref] = blast_radius(self.deps, ref, limit=LIST_LIMIT)
        return self._radius[ref]

    def needs(self, ref: EntityRef) -> list[Impact]:
        return upstream(self.deps, ref, limit=LIST_LIMIT)


@dataclass(frozen=True, slots=True)
class GraphParts:
    """What :func:`~generator.graph.analyse` keeps of an analysis, as plain data (refs as
    strings): made again only for another graph."""

    svgs: dict[str, str | None]
    exports: dict[str, str]
    sizes: dict[str, int]
    needs_sizes: dict[str, int]
    cycles: list[list[str]]
    loops: dict[str, tuple[list[str], int]]
    """Cycle member → its loop's path and length (:class:`~generator.graph.cycles.Loop`)."""

    @classmethod
    def of(cls, analysis: GraphAnalysis) -> GraphParts:
        return cls(analysis.svgs, analysis.exports,
                   {str(r): n for r, n in analysis.sizes.items()},
                   {str(r): n for r, n in analysis.needs_sizes.items()},
                   [[str(r) for r in cycle] for cycle in analysis.cycles],
                   {str(r): ([str(p) for p in loop.path], loop.length)
                    for r, loop in analysis.loops.items()})


def analyse(catalog: Catalog, *, cache_dir: Path | None, depth: int = 1,
            cap: int = 25, earlier: GraphParts | None = None) -> GraphAnalysis:
    """Build the graph, find cycles and blast radii, render every diagram, export the graph.

    ``earlier`` is what an analysis of the same graph made (its entities' titles, kinds,
    types, lifecycles and relations, with the same ``depth`` and ``cap``): then no diagram
    is drawn, nor its DOT text made, nor the graph exported or measured again (see
    :mod:`generator.graph.memo`).
    """
    graph = build_graph(catalog)
    deps = dependency_graph(graph)
    analysis = _measured(graph, deps, earlier) if earlier is not None else None
    if analysis is None:  # nothing earlier, or it does not fit this graph: all anew
        earlier = None
        cycles = dependency_cycles(deps)
        # What an entity needs is its blast radius in the reversed dependency graph.
        analysis = GraphAnalysis(graph, deps, blast_radius_sizes(deps),
                                 blast_radius_sizes(deps.reverse(copy=False)), cycles)
        analysis.loops = cycle_loops(deps, cycles)
    analysis.cycle_of = {ref: cycle for cycle in analysis.cycles for ref in cycle}
    analysis.cycle_number = {ref: n for n, cycle in enumerate(analysis.cycles, 1)
                             for ref in cycle}

    def dot_of(ref: EntityRef) -> str | None:
        page = entity_page(ref)

        def url_for(target: EntityRef) -> str:
            return relative_url(page, entity_page(target))

        if ref.kind in ("system", "domain"):
            view = system_view(graph, ref, max_edges=SYSTEM_EDGES)
            return system_dot(view, url_for, more_url="#parts")
        nh = neighbourhood(graph, ref, depth=depth, cap=cap)
        return neighbourhood_dot(nh, url_for) if len(nh.nodes) > 1 else None

    if earlier is not None:
        svgs, analysis.exports = earlier.svgs, earlier.exports
    else:
        # Each entity's diagram source on its own: on every core (the same sources as one loop).
        refs = list(catalog.entities)
        sources = {str(ref): dot for ref, dot in zip(refs, split_map(dot_of, refs), strict=True)
                   if dot is not None}
        sources["overview"] = overview_dot(system_overview(graph, max_edges=OVERVIEW_EDGES),
                                           lambda t: relative_url(GRAPH_PAGE, entity_page(t)))
        svgs = render_svgs(sources, cache_dir)  # a name → SVG (or None) for every source
        analysis.exports = {path: export(graph) for path, export in EXPORTS.items()}
    analysis.svgs = svgs
    analysis.graphviz = not (svgs and all(v is None for v in svgs.values()))
    if not analysis.graphviz:
        analysis.problems.append(Problem(Severity.WARNING, "graphviz-missing", GRAPHVIZ_MISSING))
    return analysis


def _measured(graph: nx.MultiDiGraph, deps: nx.DiGraph, earlier: GraphParts
              ) -> GraphAnalysis | None:
    """The analysis of ``graph`` with the sizes, cycles and loops ``earlier`` measured of
    the same graph; ``None`` if they do not fit it (a damaged memo)."""
    refs = {str(ref): ref for ref in deps}
    try:
        analysis = GraphAnalysis(
            graph, deps, {refs[r]: n for r, n in earlier.sizes.items()},
            {refs[r]: n for r, n in earlier.needs_sizes.items()},
            [[refs[r] for r in cycle] for cycle in earlier.cycles])
        analysis.loops = {refs[r]: Loop(tuple(refs[p] for p in path), length)
                          for r, (path, length) in earlier.loops.items()}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return analysis if len(analysis.sizes) == len(refs) else None
