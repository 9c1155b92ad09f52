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
