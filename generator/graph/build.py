"""Building the graph: the catalog as a networkx graph, and its "needs" view.

:func:`build_graph` turns a :class:`~generator.catalog.Catalog` into a
``networkx.MultiDiGraph`` (a ``DiGraph`` subclass) whose nodes are
:class:`~generator.refs.EntityRef` objects and whose edges are relations in
their *forward* direction only (the first of each pair in
:data:`generator.relations.PAIRS`: ``ownedBy``, ``partOf``, ``providesApi``,
``consumesApi``, ``dependsOn``, ``childOf``, ``memberOf``); the edge key and
the ``type`` attribute are the relation type, so two entities may be related
in more than one way. The reverse of an edge is implied (see
:data:`generator.relations.INVERSE`).

Impact analyses run over :func:`dependency_graph`, a plain ``DiGraph`` where an
edge ``A → B`` means "A needs B".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import networkx as nx

from generator.relations import PAIRS

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.refs import EntityRef

__all__ = ["FORWARD", "Key", "build_graph", "dependency_graph"]

FORWARD: tuple[str, ...] = tuple(forward for forward, _ in PAIRS)
"""Relation types stored as edges; their inverses (``ownerOf`` …) are implied."""

Key = Callable[["EntityRef"], Any]
"""Orders refs wherever a result is sorted (``str`` by default)."""


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
