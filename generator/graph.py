"""Graph: the catalog as a networkx graph, and the analyses over it.

:func:`build_graph` turns a :class:`~generator.catalog.Catalog` into a
``networkx.MultiDiGraph`` (a ``DiGraph`` subclass) whose nodes are
:class:`~generator.refs.EntityRef` objects and whose edges are relations in
their *forward* direction only (``ownedBy``, ``partOf``, ``providesApi``,
``consumesApi``, ``dependsOn``, ``childOf``, ``memberOf``); the edge key and
the ``type`` attribute are the relation type, so two entities may be related
in more than one way. The reverse of an edge is implied (see
:data:`generator.relations.INVERSE`).

Impact analyses run over :func:`dependency_graph`, a plain ``DiGraph`` where an
edge ``A → B`` means "A needs B". Every other function takes the graph first,
is deterministic (``key=`` orders refs, ``str`` by default) and raises
``networkx.NodeNotFound`` for a ref that is not in the graph.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.relations import INVERSE, fields_for_kind

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = [
    "FORWARD",
    "UNSTABLE_LIFECYCLES",
    "Impact",
    "More",
    "Neighbourhood",
    "SystemView",
    "blast_radius",
    "blast_radius_sizes",
    "build_graph",
    "dependency_cycles",
    "dependency_graph",
    "dot_quote",
    "graph_dot",
    "graph_graphml",
    "graph_json",
    "lifecycle_warnings",
    "neighbourhood",
    "system_of",
    "system_overview",
    "system_view",
    "upstream",
]

FORWARD: tuple[str, ...] = (
    "ownedBy", "partOf", "providesApi", "consumesApi", "dependsOn", "childOf", "memberOf",
)
"""Relation types stored as edges; their inverses (``ownerOf`` …) are implied."""

UNSTABLE_LIFECYCLES = frozenset({"experimental", "deprecated"})
"""Lifecycles a production entity should not depend on."""

_UP_TYPES = frozenset({"ownedBy", "memberOf", "childOf", "partOf"})
"""Edges up to a container (owner, team, parent group, system): :func:`neighbourhood`
draws them but does not expand the container, which would add all its members."""

Key = Callable[[EntityRef], Any]


# --------------------------------------------------------------------------- building


def build_graph(catalog: Catalog) -> nx.MultiDiGraph:
    """The catalog as a graph: one node per ref, one edge per forward relation.

    Node attributes: ``kind``, ``namespace``, ``name``, ``title``, ``lifecycle``,
    ``type``, ``owner`` (canonical ref string or ``None``) and ``missing``
    (``True`` for a ref that relations point at but no entity defines). Edges
    are keyed by relation type and carry it as ``type``. Nodes are added in ref
    order and edges in relation order, so the graph is deterministic.

    Args:
        catalog: A built catalog; ``catalog.relations`` holds both directions.
    """
    graph = nx.MultiDiGraph(view="relations")
    for ref in sorted(catalog.entities.keys() | catalog.relations.keys()):
        entity = catalog.entities.get(ref)
        graph.add_node(ref, **_node_attrs(ref, entity, catalog))
    for source, relations in catalog.relations.items():
        for rel in relations:
            if rel.type in FORWARD:
                graph.add_edge(source, rel.target, key=rel.type, type=rel.type)
    return graph


def _node_attrs(ref: EntityRef, entity: Entity | None, catalog: Catalog) -> dict[str, Any]:
    if entity is None:
        return {"kind": ref.kind, "namespace": ref.namespace, "name": ref.name,
                "title": ref.name, "lifecycle": None, "type": None, "owner": None,
                "missing": True}
    owner = next((str(r.target) for r in catalog.relations.get(ref, ()) if r.type == "ownedBy"),
                 None)
    return {"kind": ref.kind, "namespace": ref.namespace, "name": entity.name,
            "title": entity.title, "lifecycle": entity.lifecycle, "type": entity.type,
            "owner": owner, "missing": False}


def _needs(graph: nx.MultiDiGraph, node: EntityRef) -> Iterator[tuple[EntityRef, str]]:
    """What ``node`` needs, by the rule of :func:`dependency_graph`."""
    for _, target, kind in graph.out_edges(node, keys=True):
        if kind in ("dependsOn", "consumesApi") and \
                not graph.has_edge(node, target, "providesApi"):
            yield target, kind
    for provider, _, kind in graph.in_edges(node, keys=True):
        if kind == "providesApi":
            yield provider, "apiProvidedBy"


def dependency_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The "needs" graph used for impact: an edge ``A → B`` means A needs B.

    The rule:

    * ``A dependsOn B`` ⇒ ``A → B``;
    * ``A consumesApi X`` ⇒ ``A → X``;
    * ``P providesApi X`` ⇒ ``X → P`` (an API needs the component behind it),
      so a consumer reaches the provider through the API;
    * an entity never needs an API it provides itself (no false 2-cycles).

    Every node of ``graph`` is kept, with its attributes; each edge has a
    ``type`` (``dependsOn``, ``consumesApi`` or ``apiProvidedBy``; the first in
    relation order when several rules give the same edge).

    Args:
        graph: The relation graph from :func:`build_graph`.
    """
    deps = nx.DiGraph(view="dependencies")
    deps.add_nodes_from(graph.nodes(data=True))
    for node in graph:
        for target, kind in _needs(graph, node):
            if not deps.has_edge(node, target):
                deps.add_edge(node, target, type=kind)
    return deps


def _dependencies(graph: nx.DiGraph) -> nx.DiGraph:
    return graph if graph.graph.get("view") == "dependencies" else dependency_graph(graph)


def _require(graph: nx.DiGraph, ref: EntityRef) -> None:
    if ref not in graph:
        raise nx.NodeNotFound(f"{ref} is not in the graph")


# --------------------------------------------------------------------------- impact


@dataclass(frozen=True, slots=True)
class Impact:
    """An entity reached from another through dependencies."""

    ref: EntityRef
    """The entity reached."""
    distance: int
    """Hops on a shortest dependency path (1 = direct)."""
    via: EntityRef
    """The next hop toward the starting entity on that path (the start itself at distance 1)."""


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
    return _reach(deps.pred, ref, key, max_distance, limit)


def upstream(graph: nx.DiGraph, ref: EntityRef, *, key: Key = str,
             max_distance: int | None = None, limit: int | None = None) -> list[Impact]:
    """Everything ``ref`` transitively needs, with distances.

    The mirror of :func:`blast_radius`; same arguments and order.

    Raises:
        networkx.NodeNotFound: When ``ref`` is not in the graph.
    """
    deps = _dependencies(graph)
    _require(deps, ref)
    return _reach(deps.succ, ref, key, max_distance, limit)


def _reach(adjacency: Mapping[EntityRef, Mapping], start: EntityRef, key: Key,
           max_distance: int | None, most: int | None = None) -> list[Impact]:
    seen = {start}
    found: list[Impact] = []
    frontier = [start]
    distance = 0
    hops = math.inf if max_distance is None else max_distance
    while frontier and distance < hops:
        distance += 1
        level: list[tuple[Any, EntityRef, EntityRef]] = []
        for node in frontier:
            for other in adjacency[node]:
                if other not in seen:
                    seen.add(other)
                    level.append((key(other), other, node))
        level.sort(key=lambda item: item[0])
        found += [Impact(other, distance, via) for _, other, via in level]
        frontier = [other for _, other, _ in level]
        if most is not None and len(found) >= most:
            return found[:most]
    return found


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


# --------------------------------------------------------------------------- lifecycle


def lifecycle_warnings(catalog: Catalog) -> list[Problem]:
    """Production entities that depend on or consume experimental or deprecated ones.

    One ``production-depends-on-unstable`` warning per such relation, located
    at the list item that declares it (or at the entity, when the other side
    declared it with ``dependencyOf``). Dangling refs are left to the catalog's
    ``missing-ref``.
    """
    problems: list[Problem] = []
    for ref, entity in catalog.entities.items():
        if (entity.lifecycle or "").lower() != "production":
            continue
        declared = _declared(entity)
        for rel in catalog.relations.get(ref, ()):
            if rel.type not in ("dependsOn", "consumesApi"):
                continue
            target = catalog.entities.get(rel.target)
            stage = (target.lifecycle or "").lower() if target else ""
            if stage not in UNSTABLE_LIFECYCLES:
                continue
            where, line = declared.get((rel.type, rel.target),
                                       (None, entity.provenance.line))
            verb = "depends on" if rel.type == "dependsOn" else "consumes"
            prefix = f"{where}: " if where else ""
            problems.append(Problem(
                Severity.WARNING, "production-depends-on-unstable",
                f"{prefix}this production {ref.kind} {verb} {rel.target.short(ref.namespace)}, "
                f"whose lifecycle is {stage}; move to a production alternative, or "
                "mark this entity experimental too",
                file=entity.provenance.file, line=line, entity=str(ref),
                repo=entity.provenance.repo))
    return problems


def _declared(entity: Entity) -> dict[tuple[str, EntityRef], tuple[str, int]]:
    """Where ``entity`` declares each dependsOn/consumesApi target: field path and line."""
    found: dict[tuple[str, EntityRef], tuple[str, int]] = {}
    for spec_field in fields_for_kind(entity.ref.kind):
        values = entity.spec.get(spec_field.field)
        if spec_field.relation not in ("dependsOn", "consumesApi") or not isinstance(values, list):
            continue
        for index, value in enumerate(values):
            try:
                target = parse_ref(value, default_kind=spec_field.default_kind,
                                   default_namespace=entity.ref.namespace)
            except InvalidRef:
                continue
            path = ("spec", spec_field.field, index)
            found.setdefault((spec_field.relation, target),
                             (".".join(map(str, path)), entity.line_of(path)))
    return found


# --------------------------------------------------------------------------- export


_DOT_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\&]')
_DOT_ESCAPES = dict.fromkeys([*range(32), 127], " ") | {
    ord("\\"): "\\\\", ord('"'): '\\"', ord("&"): "&amp;"}


def dot_quote(text: object) -> str:
    r"""Quote ``text`` as a DOT string that Graphviz shows literally.

    Backslashes and quotes are escaped, ``&`` becomes ``&amp;`` (Graphviz
    decodes entities in labels), control characters become spaces.

    >>> print(dot_quote('say "hi" & \\ bye'))
    "say \"hi\" &amp; \\ bye"
    """
    value = str(text)
    return f'"{value.translate(_DOT_ESCAPES) if _DOT_SPECIAL.search(value) else value}"'


def _edge_rows(graph: nx.DiGraph) -> list[tuple[str, str, Any, dict]]:
    if graph.is_multigraph():
        rows = [(str(u), str(v), k, d) for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        rows = [(str(u), str(v), None, d) for u, v, d in graph.edges(data=True)]
    return sorted(rows, key=lambda r: (r[0], r[1], str(r[2])))


def graph_json(graph: nx.DiGraph) -> str:
    """The graph as node-link JSON with string ids, sorted and byte-stable.

    Readable back with ``networkx.node_link_graph(data, edges="edges")``.
    """
    nodes = sorted(({**d, "id": str(n)} for n, d in graph.nodes(data=True)),
                   key=lambda d: d["id"])
    edges = []
    for source, target, edge_key, data in _edge_rows(graph):
        row = {**data, "source": source, "target": target}
        if edge_key is not None:
            row["key"] = edge_key
        edges.append(row)
    doc = {"directed": graph.is_directed(), "multigraph": graph.is_multigraph(),
           "graph": dict(graph.graph), "nodes": nodes, "edges": edges}
    return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False, default=str) + "\n"


def graph_dot(graph: nx.DiGraph) -> str:
    """The graph in Graphviz DOT, nodes and edges sorted, attributes as strings."""

    def attrs(data: Mapping[str, Any]) -> str:
        pairs = [f"{dot_quote(k)}={dot_quote(str(v).lower() if isinstance(v, bool) else v)}"
                 for k, v in sorted(data.items()) if v is not None]
        return f" [{', '.join(pairs)}]" if pairs else ""

    lines = ["digraph catalog {"]
    lines += [f"  {dot_quote(n)}{attrs(d)};"
              for n, d in sorted(((str(n), d) for n, d in graph.nodes(data=True)))]
    lines += [f"  {dot_quote(u)} -> {dot_quote(v)}{attrs(d)};" for u, v, _, d in _edge_rows(graph)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph_graphml(graph: nx.DiGraph) -> str:
    """The graph as GraphML (via networkx), refs as strings, ``None`` attributes left out."""
    out = graph.__class__(**graph.graph)
    for node, data in sorted(((str(n), d) for n, d in graph.nodes(data=True))):
        out.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for source, target, edge_key, data in _edge_rows(graph):
        clean = {k: v for k, v in data.items() if v is not None}
        if edge_key is None:
            out.add_edge(source, target, **clean)
        else:
            out.add_edge(source, target, key=edge_key, **clean)
    return "\n".join(nx.generate_graphml(out)) + "\n"
