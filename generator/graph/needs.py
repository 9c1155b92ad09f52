"""The "needs" edges straight from the relations, whether they close a cycle, and what
they reach, without networkx.

``pavedroad check`` on one repository runs on every commit (the pre-commit
hook), and ``pavedroad mcp`` answers its first question while the assistant
waits; importing networkx costs more than the rest of either. Most catalogs
have no dependency cycle, which a topological sort over plain sets shows in
linear time, so the graph library is needed only when there is one. The edges
follow :func:`generator.graph.build.dependency_graph`'s rule
(``tests/test_graph.py`` holds them to it); :func:`reach` is the breadth-first
walk behind every blast radius and upstream list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.refs import EntityRef

__all__ = ["Impact", "has_cycle", "needs_edges", "needs_from", "reach"]

Node = TypeVar("Node", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Impact:
    """An entity reached from another through dependencies."""

    ref: EntityRef
    """The entity reached."""
    distance: int
    """Hops on a shortest dependency path (1 = direct)."""
    via: EntityRef
    """The next hop toward the starting entity on that path (the start itself at distance 1)."""


def needs_edges(catalog: Catalog) -> dict[EntityRef, set[EntityRef]]:
    """What each entity of ``catalog`` needs (:func:`needs_from` its relations)."""
    return needs_from((source, rel.type, rel.target)
                      for source, relations in catalog.relations.items() for rel in relations)


def needs_from(relations: Iterable[tuple[Node, str, Node]]) -> dict[Node, set[Node]]:
    """What each entity needs, from ``(source, relation type, target)`` triples:
    ``dependsOn`` and ``consumesApi`` targets (not an API it provides itself), and an
    API needs each component that provides it.

    >>> needs_from([("a", "consumesApi", "x"), ("p", "providesApi", "x"),
    ...             ("p", "consumesApi", "x")])
    {'x': {'p'}, 'a': {'x'}}
    """
    edges: dict[Node, set[Node]] = {}
    provided: set[tuple[Node, Node]] = set()
    wanted: list[tuple[Node, Node]] = []
    for source, kind, target in relations:
        if kind == "providesApi":
            provided.add((source, target))
            edges.setdefault(target, set()).add(source)
        elif kind in ("dependsOn", "consumesApi"):
            wanted.append((source, target))
    for source, target in wanted:
        if (source, target) not in provided:
            edges.setdefault(source, set()).add(target)
    return edges


def reach(adjacency: Mapping[Any, Iterable[Any]], start: Any, key: Callable[[Any], Any] = str,
          max_distance: int | None = None, most: int | None = None) -> list[Impact]:
    """Everything reachable from ``start`` over ``adjacency``, breadth-first: each node
    once, at its shortest distance, nearest first and by ``key`` within a distance;
    ``via`` is the smallest (by ``key``) node one hop closer. Stops after
    ``max_distance`` hops, or once ``most`` are found (only those are returned).

    >>> [(i.ref, i.distance, i.via) for i in reach({"a": {"c", "b"}, "b": {"d"}}, "a")]
    [('b', 1, 'a'), ('c', 1, 'a'), ('d', 2, 'b')]
    """
    seen = {start}
    found: list[Impact] = []
    frontier = [start]
    distance = 0
    hops = math.inf if max_distance is None else max_distance
    while frontier and distance < hops:
        distance += 1
        level: list[tuple[Any, Any, Any]] = []
        for node in frontier:
            for other in adjacency.get(node, ()):
                if other not in seen:
                    seen.add(other)
                    level.append((key(other), other, node))
        level.sort(key=lambda item: item[0])
        if most is not None and len(found) + len(level) >= most:
            # Only the nearest ``most`` are returned: make no more (a large blast radius).
            return found + [Impact(other, distance, via)
                            for _, other, via in level[:most - len(found)]]
        found += [Impact(other, distance, via) for _, other, via in level]
        frontier = [other for _, other, _ in level]
    return found


def has_cycle(edges: Mapping[EntityRef, set[EntityRef]]) -> bool:
    """Whether ``edges`` (node → the nodes it needs) hold a cycle, self-loops included
    (Kahn's algorithm: linear in nodes and edges).

    >>> has_cycle({"a": {"b"}, "b": {"c"}}), has_cycle({"a": {"b"}, "b": {"a"}})
    (False, True)
    """
    indegree: dict[EntityRef, int] = {}
    for source, targets in edges.items():
        indegree.setdefault(source, 0)
        for target in targets:
            indegree[target] = indegree.get(target, 0) + 1
    ready = [node for node, count in indegree.items() if count == 0]
    removed = 0
    for node in _drain(ready):
        removed += 1
        for target in edges.get(node, ()):
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return removed < len(indegree)


def _drain(stack: list[EntityRef]) -> Iterator[EntityRef]:
    while stack:
        yield stack.pop()
