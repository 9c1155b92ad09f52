"""Terminal views of the graph: ``pavedroad graph`` and ``pavedroad impact``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator.graph import (
    blast_radius,
    build_graph,
    dependency_graph,
    graph_dot,
    graph_graphml,
    graph_json,
    neighbourhood,
    neighbourhood_dot,
    overview_dot,
    render_svgs,
    system_overview,
    upstream,
)
from generator.urls import entity_page, page_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.graph import Impact
    from generator.refs import EntityRef

__all__ = ["graph_output", "impact_json", "impact_text"]


def graph_output(catalog: Catalog, fmt: str, root: EntityRef | None = None,
                 depth: int = 1) -> str | None:
    """The graph (or ``root``'s neighbourhood) as dot, json, graphml or svg.

    Returns ``None`` for svg when Graphviz is missing.
    """
    graph = build_graph(catalog)
    nh = neighbourhood(graph, root, depth=depth, cap=10**9) if root is not None else None
    if fmt == "svg":
        def url_for(ref: EntityRef) -> str:
            return page_url(entity_page(ref))

        dot = neighbourhood_dot(nh, url_for) if nh else overview_dot(system_overview(graph),
                                                                      url_for)
        return render_svgs({"graph": dot})["graph"]
    part = graph.subgraph(nh.nodes).copy() if nh else graph
    return {"dot": graph_dot, "json": graph_json, "graphml": graph_graphml}[fmt](part)


def _owner_text(catalog: Catalog, ref: EntityRef) -> str:
    owners = catalog.related(ref, "ownedBy")
    if not owners:
        return "no owner"
    owner = catalog.get(owners[0])
    if owner is None:
        return owners[0].short()
    profile = owner.spec.get("profile")
    email = profile.get("email") if isinstance(profile, dict) else None
    return f"{owner.title} <{email}>" if isinstance(email, str) else owner.title


def _rows(catalog: Catalog, impacts: list[Impact]) -> list[dict]:
    rows = []
    for impact in impacts:
        entity = catalog.get(impact.ref)
        rows.append({"ref": str(impact.ref), "distance": impact.distance,
                     "via": str(impact.via),
                     "lifecycle": entity.lifecycle if entity else None,
                     "owner": _owner_text(catalog, impact.ref)})
    return rows


def impact_json(catalog: Catalog, ref: EntityRef) -> str:
    """Blast radius and upstream of ``ref`` as JSON."""
    deps = dependency_graph(build_graph(catalog))
    return json.dumps({"ref": str(ref),
                       "blastRadius": _rows(catalog, blast_radius(deps, ref)),
                       "needs": _rows(catalog, upstream(deps, ref))}, indent=2) + "\n"


def impact_text(catalog: Catalog, ref: EntityRef) -> str:
    """What breaks if ``ref`` is down, for a responder at a terminal."""
    deps = dependency_graph(build_graph(catalog))
    entity = catalog.get(ref)
    title = f"{entity.title} ({ref})" if entity else str(ref)
    lines = [title, f"  lifecycle: {entity.lifecycle if entity else '?'}; "
                    f"owner: {_owner_text(catalog, ref)}", ""]
    radius = _rows(catalog, blast_radius(deps, ref))
    production = [r for r in radius if r["lifecycle"] == "production"]
    if not radius:
        lines.append("Nothing in the catalog depends on it.")
    else:
        lines.append(f"{len(radius)} entities depend on it ({len(production)} in production, "
                     "marked *):")
        lines += _table(radius)
    needs = _rows(catalog, upstream(deps, ref))
    if needs:
        lines += ["", f"It needs {len(needs)} entities:", *_table(needs)]
    return "\n".join(lines) + "\n"


def _table(rows: list[dict]) -> list[str]:
    width = max(len(r["ref"]) for r in rows)
    life = max(len(r["lifecycle"] or "-") for r in rows)
    return [f"  {r['distance']:>3}  {'*' if r['lifecycle'] == 'production' else ' '} "
            f"{r['ref']:<{width}}  {r['lifecycle'] or '-':<{life}}  {r['owner']}"
            for r in rows]
