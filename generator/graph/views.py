"""Views: the parts of the graph a diagram draws.

An entity's :func:`neighbourhood`, a system's or domain's :func:`system_view`
and the organisation's :func:`system_overview`, each capped so that the
drawing stays readable. Every function takes the graph first, is
deterministic (``key=`` orders refs) and raises ``networkx.NodeNotFound`` for
a ref that is not in the graph.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from generator.graph.build import Key, _needs, _require
from generator.refs import EntityRef
from generator.relations import INVERSE

__all__ = ["More", "Neighbourhood", "SystemView", "neighbourhood", "system_of",
           "system_overview", "system_view"]

_UP_TYPES = frozenset({"ownedBy", "memberOf", "childOf", "partOf"})
"""Edges up to a container (owner, team, parent group, system): :func:`neighbourhood`
draws them but does not expand the container, which would add all its members."""

# --------------------------------------------------------------------------- neighbourhood


@dataclass(frozen=True, slots=True)
class More:
    """Neighbours of one node left out of a :class:`Neighbourhood` ("+N more")."""

    node: EntityRef
    """The node they are neighbours of."""
    type: str
    """Relation type of the edges left out, as stored (forward)."""
    direction: str
    """``out`` when the edges go from ``node`` to them, ``in`` when they point at ``node``."""
    count: int
    """How many neighbours were left out."""

    @property
    def relation(self) -> str:
        """The relation as seen from ``node``, e.g. ``dependencyOf`` for ``in`` + ``dependsOn``."""
        return self.type if self.direction == "out" else INVERSE.get(self.type, self.type)


@dataclass(frozen=True, eq=False, slots=True)
class Neighbourhood:
    """The part of the graph around one entity, small enough to draw."""

    focus: EntityRef
    """The entity at the centre."""
    depth: int
    """How many hops were followed."""
    nodes: Mapping[EntityRef, Mapping[str, Any]]
    """Included nodes (focus too) and their graph attributes, in ``key`` order."""
    edges: tuple[tuple[EntityRef, EntityRef, str], ...]
    """``(source, target, type)`` of each edge drawn, forward, sorted."""
    more: tuple[More, ...]
    """What was left out, per node, relation type and direction."""


def neighbourhood(graph: nx.MultiDiGraph, ref: EntityRef, depth: int = 1, cap: int = 25, *,
                  key: Key = str) -> Neighbourhood:
    """The entities within ``depth`` hops of ``ref``, following edges both ways.

    To keep diagrams readable:

    * A node adds at most ``cap`` new neighbours. The slots are shared fairly
      among its (relation type, direction) groups, smallest group first, so a
      library's one owner is always shown next to its 2,000 dependents; each
      group keeps its first members by ``key`` and the rest become one
      :class:`More` ("+N more").
    * A container reached by going *up* an ``ownedBy``, ``memberOf``,
      ``childOf`` or ``partOf`` edge (a component's owner or system, a user's
      team) is drawn but not expanded: otherwise depth 2 from a component
      would show everything its team owns. Going down (from a team to what it
      owns) expands as usual.
    * Edges are drawn between an expanded node and the neighbours shown; two
      neighbours' own relations to each other are not.

    Args:
        graph: The relation graph from :func:`build_graph`.
        ref: The entity at the centre.
        depth: Hops to follow (0 gives the entity alone).
        cap: New neighbours added per node, at least 1.
        key: Orders refs.

    Raises:
        networkx.NodeNotFound: When ``ref`` is not in the graph.
        ValueError: When ``depth`` is negative or ``cap`` is below 1.
    """
    _require(graph, ref)
    if depth < 0 or cap < 1:
        raise ValueError(f"need depth >= 0 and cap >= 1, got depth={depth}, cap={cap}")
    included: set[EntityRef] = {ref}
    leaves: set[EntityRef] = set()
    edges: set[tuple[EntityRef, EntityRef, str]] = set()
    more: list[More] = []
    frontier = [ref]
    for _ in range(depth):
        reached: list[EntityRef] = []
        for node in frontier:
            if node in leaves:
                continue
            new = _expand(graph, node, included, cap, key, edges, more)
            for other, kind, direction in new:
                included.add(other)
                reached.append(other)
                if direction == "out" and kind in _UP_TYPES:
                    leaves.add(other)
        reached.sort(key=key)
        frontier = reached
    nodes = {n: dict(graph.nodes[n]) for n in sorted(included, key=key)}
    return Neighbourhood(
        focus=ref, depth=depth, nodes=nodes,
        edges=tuple(sorted(edges, key=lambda e: (key(e[0]), key(e[1]), e[2]))),
        more=tuple(sorted(more, key=lambda m: (key(m.node), m.type, m.direction))),
    )


def _expand(graph: nx.MultiDiGraph, node: EntityRef, included: set[EntityRef], cap: int,
            key: Key, edges: set[tuple[EntityRef, EntityRef, str]], more: list[More],
            ) -> list[tuple[EntityRef, str, str]]:
    """Pick ``node``'s new neighbours; record its edges and what is left out."""
    incident = [(kind, "out", other) for other, keys in graph.succ[node].items()
                for kind in keys]
    incident += [(kind, "in", other) for other, keys in graph.pred[node].items() for kind in keys]
    incident.sort(key=lambda e: (e[0], e[1]))
    groups: dict[tuple[str, str], list[EntityRef]] = defaultdict(list)
    grouped: set[EntityRef] = set()
    for kind, direction, other in incident:
        if other not in included and other not in grouped:
            grouped.add(other)
            groups[(kind, direction)].append(other)
    chosen: list[tuple[EntityRef, str, str]] = []
    for group, quota in _share(groups, cap).items():
        members = groups[group]
        keep = members if quota >= len(members) else heapq.nsmallest(quota, members, key=key)
        chosen += [(m, *group) for m in keep]
        if quota < len(members):
            more.append(More(node, group[0], group[1], len(members) - quota))
    picked = {m for m, _, _ in chosen}
    edges.update((node, other, kind) if direction == "out" else (other, node, kind)
                 for kind, direction, other in incident if other in included or other in picked)
    return chosen


def _share(groups: Mapping[tuple[str, str], list], cap: int) -> dict[tuple[str, str], int]:
    """Split ``cap`` slots among groups, smallest first, none getting more than it has."""
    order = sorted(groups, key=lambda g: (len(groups[g]), g))
    quota: dict[tuple[str, str], int] = {}
    left = cap
    for index, group in enumerate(order):
        quota[group] = min(len(groups[group]), math.ceil(left / (len(order) - index)))
        left -= quota[group]
    return quota


# --------------------------------------------------------------------------- systems


@dataclass(frozen=True, eq=False, slots=True)
class SystemView:
    """Entities rolled up into a system, domain or organisation, with counted dependencies."""

    focus: EntityRef | None
    """The system or domain shown, ``None`` for the organisation overview."""
    nodes: Mapping[EntityRef, Mapping[str, Any]]
    """Every node shown (the focus too) and its graph attributes, in ``key`` order."""
    inside: frozenset[EntityRef]
    """The nodes that belong to ``focus`` (all of them in the overview)."""
    edges: tuple[tuple[EntityRef, EntityRef, int], ...]
    """``(needer, needed, count)``: how many dependency edges each stands for, sorted."""
    hidden_nodes: int = 0
    """Outside nodes left out beyond the cap."""
    hidden_edges: int = 0
    """Edges left out, to those nodes or beyond the edge cap."""
    hidden_count: int = 0
    """Dependencies the left-out edges stood for."""


def system_of(graph: nx.MultiDiGraph, ref: EntityRef, kind: str = "system") -> EntityRef | None:
    """The nearest entity of ``kind`` that ``ref`` is part of, following ``partOf``.

    Goes through parent components (``subcomponentOf``) and subdomains; a
    ``ref`` of that kind is its own. Deterministic: targets in ref order.

    >>> g = nx.MultiDiGraph()
    >>> a, s = EntityRef("component", "default", "a"), EntityRef("system", "default", "s")
    >>> g.add_edge(a, s, key="partOf")
    'partOf'
    >>> str(system_of(g, a))
    'system:default/s'
    """
    _require(graph, ref)
    seen = {ref}
    queue = deque([ref])
    while queue:
        node = queue.popleft()
        if node.kind == kind:
            return node
        for target in sorted(t for _, t, k in graph.out_edges(node, keys=True)
                             if k == "partOf" and t not in seen):
            seen.add(target)
            queue.append(target)
    return None


def _parts(graph: nx.MultiDiGraph, ref: EntityRef) -> set[EntityRef]:
    """Everything transitively ``partOf`` ``ref``."""
    found: set[EntityRef] = set()
    queue = deque([ref])
    while queue:
        node = queue.popleft()
        for source, _, kind in graph.in_edges(node, keys=True):
            if kind == "partOf" and source not in found and source != ref:
                found.add(source)
                queue.append(source)
    return found


def system_view(graph: nx.MultiDiGraph, ref: EntityRef, *, cap: int | None = 25,
                max_edges: int | None = 300, key: Key = str) -> SystemView:
    """A system's parts, or a domain's systems, and what they need outside.

    For a system, its parts (components, APIs, resources, subcomponents) are
    shown one by one; for a domain, its systems (subdomains included) are,
    with their parts' dependencies rolled up into them. Needed entities
    outside are rolled up into their system (or shown alone when they have
    none), and the dependency edges between two shown nodes are counted.

    Args:
        graph: The relation graph from :func:`build_graph`.
        ref: A system or domain.
        cap: Most outside nodes shown, those with the largest counts first.
        max_edges: Most edges shown, the largest counts first (Graphviz
            slows down sharply on dense graphs).
        key: Orders refs and breaks ties.

    Raises:
        networkx.NodeNotFound: When ``ref`` is not in the graph.
        ValueError: When ``ref`` is not a system or domain.
    """
    _require(graph, ref)
    if ref.kind not in ("system", "domain"):
        raise ValueError(f"{ref} is not a system or domain")
    parts = _parts(graph, ref)
    systems: dict[EntityRef, EntityRef | None] = {}

    def roll(node: EntityRef) -> EntityRef:
        if ref.kind == "system" and node in parts:
            return node
        if node not in systems:
            systems[node] = system_of(graph, node)
        return systems[node] or node

    inside = frozenset(p for p in parts if ref.kind == "system" or p.kind == "system")
    counts = _count(graph, sorted(parts, key=key), roll, inside)
    counts = {pair: n for pair, n in counts.items() if ref not in pair}
    return _view(graph, ref, inside, counts, cap, max_edges, key)


def system_overview(graph: nx.MultiDiGraph, *, max_edges: int | None = 400,
                    key: Key = str) -> SystemView:
    """Every system, with an edge when a part of one needs a part of another.

    Each edge's count is the number of dependency edges between the two
    systems' parts (API provision included, see :func:`dependency_graph`).

    Args:
        graph: The relation graph from :func:`build_graph`.
        max_edges: Most edges shown, the largest counts first; a few hundred
            systems with thousands of edges would take Graphviz minutes to
            draw and nobody could read it.
        key: Orders refs and breaks ties.
    """
    systems: dict[EntityRef, EntityRef | None] = {}

    def roll(node: EntityRef) -> EntityRef | None:
        if node not in systems:
            systems[node] = system_of(graph, node)
        return systems[node]

    inside = frozenset(n for n in graph if n.kind == "system")
    counts = _count(graph, list(graph), roll, inside)
    return _view(graph, None, inside, counts, None, max_edges, key)


def _count(graph: nx.MultiDiGraph, sources: list[EntityRef],
           roll: Callable[[EntityRef], EntityRef | None], inside: frozenset[EntityRef],
           ) -> dict[tuple[EntityRef, EntityRef], int]:
    counts: dict[tuple[EntityRef, EntityRef], int] = defaultdict(int)
    for node in sources:
        start = roll(node)
        if start is None or start not in inside:
            continue
        for target, _ in _needs(graph, node):
            end = roll(target)
            if end is not None and end != start:
                counts[(start, end)] += 1
    return counts


def _view(graph: nx.MultiDiGraph, focus: EntityRef | None, inside: frozenset[EntityRef],
          counts: Mapping[tuple[EntityRef, EntityRef], int], cap: int | None,
          max_edges: int | None, key: Key) -> SystemView:
    """Keep the heaviest outside nodes and edges; count what is left out."""
    weight: dict[EntityRef, int] = defaultdict(int)
    for (_, end), count in counts.items():
        if end not in inside:
            weight[end] += count
    outside = sorted(weight, key=lambda n: (-weight[n], key(n)))
    kept = set(outside if cap is None else outside[:cap])
    edges = sorted(((a, b, c) for (a, b), c in counts.items() if b in inside or b in kept),
                   key=lambda e: (-e[2], key(e[0]), key(e[1])))
    edges = edges if max_edges is None else edges[:max_edges]
    shown = set(inside) | {n for a, b, _ in edges for n in (a, b)} | ({focus} if focus else set())
    return SystemView(
        focus=focus, inside=inside,
        nodes={n: dict(graph.nodes[n]) for n in sorted(shown, key=key)},
        edges=tuple(sorted(edges, key=lambda e: (key(e[0]), key(e[1])))),
        hidden_nodes=len(outside) - len({b for _, b, _ in edges if b not in inside}),
        hidden_edges=len(counts) - len(edges),
        hidden_count=sum(counts.values()) - sum(c for _, _, c in edges),
    )
