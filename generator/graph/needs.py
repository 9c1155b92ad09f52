"""The "needs" edges straight from the catalog, and whether they close a cycle, without networkx.

``pavedroad check`` on one repository runs on every commit (the pre-commit
hook); importing networkx costs more than the rest of the check. Most
catalogs have no dependency cycle, which a topological sort over plain sets
shows in linear time, so the graph library is needed only when there is one.
The edges follow :func:`generator.graph.build.dependency_graph`'s rule
(``tests/test_graph.py`` holds them to it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.refs import EntityRef

__all__ = ["has_cycle", "needs_edges"]


def needs_edges(catalog: Catalog) -> dict[EntityRef, set[EntityRef]]:
    """What each entity needs: ``dependsOn`` and ``consumesApi`` targets (not an API it
    provides itself), and an API needs each component that provides it."""
    edges: dict[EntityRef, set[EntityRef]] = {}
    for source, relations in catalog.relations.items():
        provides = {r.target for r in relations if r.type == "providesApi"}
        for rel in relations:
            if rel.type in ("dependsOn", "consumesApi") and rel.target not in provides:
                edges.setdefault(source, set()).add(rel.target)
            elif rel.type == "providesApi":
                edges.setdefault(rel.target, set()).add(source)
    return edges


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
