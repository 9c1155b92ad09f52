"""Exports: the whole graph as JSON, DOT and GraphML, sorted and byte-stable.

DOT is written directly rather than through pydot: pydot reads an unquoted
``kind:namespace/name`` as a node and a port and does not escape ``&``, so
every ref would need quoting by hand anyway, and :func:`dot_quote` is the one
quoting rule the diagrams use too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

__all__ = ["dot_quote", "graph_dot", "graph_graphml", "graph_json"]


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
