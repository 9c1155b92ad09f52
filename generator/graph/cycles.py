"""A short loop through each member of a dependency cycle, in linear time and output.

A cycle of thousands of entities must not give each member a list of all the
others (quadratic output). Each member gets one loop: the shortest one back
to itself when a breadth-first search within the cycle finds it after
visiting at most :data:`SEARCH_BUDGET` entities, else the loop through the
cycle's first member (by key) along two breadth-first trees. Only the first
:data:`SHOWN_HOPS` hops of a loop are kept, with its length.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from generator.refs import EntityRef

__all__ = ["SEARCH_BUDGET", "SHOWN_HOPS", "Loop", "cycle_loops"]

SEARCH_BUDGET = 64
"""Entities one member's shortest-loop search may visit (keeps the whole linear)."""
SHOWN_HOPS = 8
"""Hops of a loop kept for messages and pages."""


@dataclass(frozen=True, slots=True)
class Loop:
    """A loop from an entity back to itself through its dependency cycle."""

    path: tuple[EntityRef, ...]
    """The entity, then the entities it needs in turn (at most :data:`SHOWN_HOPS` + 1
    refs; it ends with the entity itself when the whole loop fits)."""
    length: int
    """Hops of the whole loop."""

    @property
    def complete(self) -> bool:
        return len(self.path) == self.length + 1

    def text(self, name: Callable[[EntityRef], str] = str) -> str:
        """``a → b → a``, or ``a → b → … → a`` when the loop was cut short."""
        shown = " → ".join(name(r) for r in self.path)
        return shown if self.complete else f"{shown} → … → {name(self.path[0])}"


def cycle_loops(deps: nx.DiGraph, cycles: Iterable[Sequence[EntityRef]], *,
                key: Callable[[EntityRef], object] = str) -> dict[EntityRef, Loop]:
    """Each member of each cycle → one :class:`Loop` through it (see the module's text)."""
    loops: dict[EntityRef, Loop] = {}
    for cycle in cycles:
        members = set(cycle)
        succ = {ref: sorted((t for t in deps.succ[ref] if t in members), key=key)
                for ref in cycle}
        root = min(cycle, key=key)
        to_root = _tree(root, {ref: [p for p in deps.pred[ref] if p in members]
                               for ref in cycle}, key)
        from_root = _distances(root, succ)
        for ref in cycle:
            found = _shortest_loop(ref, succ)
            loops[ref] = found or _loop_via_root(ref, root, succ, to_root, from_root)
    return loops


def _tree(root: EntityRef, pred: Mapping[EntityRef, list[EntityRef]],
          key: Callable[[EntityRef], object]) -> dict[EntityRef, tuple[EntityRef | None, int]]:
    """For each member: the next hop toward ``root`` and the distance to it."""
    tree: dict[EntityRef, tuple[EntityRef | None, int]] = {root: (None, 0)}
    queue = deque([root])
    while queue:
        here = queue.popleft()
        distance = tree[here][1]
        for before in sorted(pred[here], key=key):
            if before not in tree:
                tree[before] = (here, distance + 1)
                queue.append(before)
    return tree


def _distances(root: EntityRef, succ: Mapping[EntityRef, list[EntityRef]]
               ) -> dict[EntityRef, int]:
    distance = {root: 0}
    queue = deque([root])
    while queue:
        here = queue.popleft()
        for nxt in succ[here]:
            if nxt not in distance:
                distance[nxt] = distance[here] + 1
                queue.append(nxt)
    return distance


def _shortest_loop(start: EntityRef, succ: Mapping[EntityRef, list[EntityRef]]) -> Loop | None:
    """The shortest loop through ``start``, if found within :data:`SEARCH_BUDGET` visits."""
    parent: dict[EntityRef, EntityRef] = {}
    queue = deque([start])
    visited = 0
    while queue and visited < SEARCH_BUDGET:
        here = queue.popleft()
        visited += 1
        for nxt in succ[here]:
            if nxt == start:
                path = [here]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return _cut([*path, start], len(path))
            if nxt not in parent:
                parent[nxt] = here
                queue.append(nxt)
    return None


def _loop_via_root(ref: EntityRef, root: EntityRef, succ: Mapping[EntityRef, list[EntityRef]],
                   to_root: Mapping[EntityRef, tuple[EntityRef | None, int]],
                   from_root: Mapping[EntityRef, int]) -> Loop:
    """``ref`` → … → ``root`` → … → ``ref`` along the two trees (the root: via its successor)."""
    if ref == root:
        first = min(succ[root], key=lambda s: to_root[s][1])
        path, length = [root], 1 + to_root[first][1]
        here: EntityRef | None = first
    else:
        path, length = [], to_root[ref][1] + from_root[ref]
        here = ref
    while here is not None and len(path) <= SHOWN_HOPS:
        path.append(here)
        if here == root and len(path) > 1:
            break
        here = to_root[here][0]
    return _cut(path, length)


def _cut(path: list[EntityRef], length: int) -> Loop:
    return Loop(tuple(path[:SHOWN_HOPS + 1]), length)
