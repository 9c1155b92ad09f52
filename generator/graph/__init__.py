"""Graph: the catalog as a networkx graph, the analyses over it, its diagrams and exports.

* :mod:`~generator.graph.build` — :func:`build_graph` (relations as forward
  edges) and :func:`dependency_graph` (an edge ``A → B``: A needs B);
* :mod:`~generator.graph.analysis` — blast radius, what an entity needs,
  dependency cycles, and :func:`analyse`, the portal's one batch of them;
* :mod:`~generator.graph.views` — the neighbourhoods and system views a
  diagram draws;
* :mod:`~generator.graph.diagrams` — those views as Graphviz DOT, rendered to
  inline SVG in batches;
* :mod:`~generator.graph.export` — the whole graph as JSON, DOT and GraphML.

Nothing here knows about pages: URLs come from :mod:`generator.urls`.
"""

from typing import TYPE_CHECKING

from generator.lazy import lazy_exports

if TYPE_CHECKING:
    from generator.graph.analysis import (
        GraphAnalysis,
        Impact,
        analyse,
        blast_radius,
        blast_radius_sizes,
        dependency_cycles,
        upstream,
    )
    from generator.graph.build import FORWARD, build_graph, dependency_graph
    from generator.graph.cycles import Loop, cycle_loops
    from generator.graph.diagrams import (
        GRAPHVIZ_MISSING,
        graphviz_available,
        neighbourhood_dot,
        overview_dot,
        render_svgs,
        system_dot,
    )
    from generator.graph.export import dot_quote, graph_dot, graph_graphml, graph_json
    from generator.graph.views import (
        More,
        Neighbourhood,
        SystemView,
        neighbourhood,
        system_of,
        system_overview,
        system_view,
    )

_EXPORTS = {
    "GraphAnalysis": "generator.graph.analysis",
    "Impact": "generator.graph.analysis",
    "analyse": "generator.graph.analysis",
    "blast_radius": "generator.graph.analysis",
    "blast_radius_sizes": "generator.graph.analysis",
    "dependency_cycles": "generator.graph.analysis",
    "upstream": "generator.graph.analysis",
    "FORWARD": "generator.graph.build",
    "build_graph": "generator.graph.build",
    "dependency_graph": "generator.graph.build",
    "Loop": "generator.graph.cycles",
    "cycle_loops": "generator.graph.cycles",
    "GRAPHVIZ_MISSING": "generator.graph.diagrams",
    "graphviz_available": "generator.graph.diagrams",
    "neighbourhood_dot": "generator.graph.diagrams",
    "overview_dot": "generator.graph.diagrams",
    "render_svgs": "generator.graph.diagrams",
    "system_dot": "generator.graph.diagrams",
    "dot_quote": "generator.graph.export",
    "graph_dot": "generator.graph.export",
    "graph_graphml": "generator.graph.export",
    "graph_json": "generator.graph.export",
    "More": "generator.graph.views",
    "Neighbourhood": "generator.graph.views",
    "SystemView": "generator.graph.views",
    "neighbourhood": "generator.graph.views",
    "system_of": "generator.graph.views",
    "system_overview": "generator.graph.views",
    "system_view": "generator.graph.views",
}
"""Each public name → the module defining it, imported on first use."""

__getattr__ = lazy_exports(__name__, _EXPORTS)


__all__ = [
    "FORWARD",
    "GRAPHVIZ_MISSING",
    "GraphAnalysis",
    "Impact",
    "Loop",
    "More",
    "Neighbourhood",
    "SystemView",
    "analyse",
    "blast_radius",
    "blast_radius_sizes",
    "build_graph",
    "cycle_loops",
    "dependency_cycles",
    "dependency_graph",
    "dot_quote",
    "graph_dot",
    "graph_graphml",
    "graph_json",
    "graphviz_available",
    "neighbourhood",
    "neighbourhood_dot",
    "overview_dot",
    "render_svgs",
    "system_dot",
    "system_of",
    "system_overview",
    "system_view",
    "upstream",
]
