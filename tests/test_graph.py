"""Graph stage: relation graph, impact, cycles, neighbourhoods, system views, exports."""

from __future__ import annotations

import doctest
import importlib
import json

import networkx as nx
import pytest
import yaml
from conftest import load_repo

import generator.graph
from generator.graph import (
    FORWARD,
    Impact,
    More,
    blast_radius,
    blast_radius_sizes,
    build_graph,
    dependency_cycles,
    dependency_graph,
    graph_dot,
    graph_graphml,
    graph_json,
    neighbourhood,
    system_of,
    system_overview,
    system_view,
    upstream,
)
from generator.refs import EntityRef, parse_ref
from generator.relations import INVERSE


def R(text: str) -> EntityRef:
    """``web`` → component:default/web; ``api:x`` → api:default/x."""
    return parse_ref(text, default_kind="component")


def doc(kind: str, name: str, **spec) -> dict:
    return {"apiVersion": "backstage.io/v1alpha1", "kind": kind,
            "metadata": {"name": name}, "spec": spec}


def component(name: str, **spec) -> dict:
    spec = {"type": "service", "lifecycle": "production", "owner": "team-a", **spec}
    return doc("Component", name, **spec)


def catalog_of(make_repo, docs: list[dict], name: str = "repo"):
    text = yaml.safe_dump_all(docs, sort_keys=False)
    return load_repo(make_repo({"catalog-info.yaml": text}, name=name)).catalog


SHOP = [
    doc("Group", "team-a", type="team", children=[]),
    doc("System", "shop", owner="team-a"),
    component("web", system="shop", dependsOn=["component:cart"], consumesApis=["orders-api"]),
    component("cart", system="shop", dependsOn=["resource:cart-db"]),
    component("orders", system="shop", providesApis=["orders-api"],
              dependsOn=["resource:orders-db"]),
    doc("API", "orders-api", type="openapi", lifecycle="production", owner="team-a",
        system="shop", definition="openapi: 3.0.0"),
    doc("Resource", "cart-db", type="database", owner="team-a", system="shop"),
    doc("Resource", "orders-db", type="database", owner="team-a", system="shop"),
    component("admin", dependsOn=["component:web"]),
    component("reporting", consumesApis=["orders-api"], dependsOn=["component:ghost"]),
]


@pytest.fixture
def shop(make_repo):
    return catalog_of(make_repo, SHOP)


@pytest.fixture
def graph(shop):
    return build_graph(shop)


def impacts(items: list[Impact]) -> list[tuple[str, int, str]]:
    return [(str(i.ref.short()), i.distance, str(i.via.short())) for i in items]


# --------------------------------------------------------------------------- build_graph


class TestBuildGraph:
    def test_nodes_and_attributes(self, graph):
        web = graph.nodes[R("web")]
        assert web == {"kind": "component", "namespace": "default", "name": "web",
                       "title": "web", "lifecycle": "production", "type": "service",
                       "owner": "group:default/team-a", "missing": False}
        assert all(isinstance(n, EntityRef) for n in graph)

    def test_dangling_target_is_a_missing_node(self, graph):
        ghost = graph.nodes[R("ghost")]
        assert ghost["missing"] is True and ghost["title"] == "ghost"
        assert graph.has_edge(R("reporting"), R("ghost"), "dependsOn")

    def test_forward_edges_only(self, graph, shop):
        types = {k for _, _, k in graph.edges(keys=True)}
        assert types <= set(FORWARD)
        assert not types & {INVERSE[t] for t in FORWARD}
        assert graph.edges[R("orders"), R("api:orders-api"), "providesApi"]["type"] == \
            "providesApi"
        forward = sum(1 for rels in shop.relations.values() for r in rels if r.type in FORWARD)
        assert graph.number_of_edges() == forward

    def test_forward_types_are_one_side_of_each_pair(self):
        assert len(FORWARD) * 2 == len(INVERSE)
        assert all(INVERSE[INVERSE[t]] == t and INVERSE[t] not in FORWARD for t in FORWARD)

    def test_inverse_declaration_becomes_forward_edge(self, make_repo):
        catalog = catalog_of(make_repo, [
            component("a"), component("b", dependencyOf=["component:a"]),
            doc("Group", "team-a", type="team", children=[])])
        assert build_graph(catalog).has_edge(R("a"), R("b"), "dependsOn")

    def test_deterministic(self, shop):
        assert list(build_graph(shop).edges(keys=True)) == list(build_graph(shop).edges(keys=True))
        assert list(build_graph(shop)) == sorted(build_graph(shop))


# --------------------------------------------------------------------------- impact


class TestDependencyGraph:
    def test_keeps_what_each_entity_needs_without_ownership_or_reverse_edges(self, graph):
        deps = dependency_graph(graph)
        assert deps.graph["view"] == "dependencies"
        assert deps.edges[R("web"), R("cart")]["type"] == "dependsOn"
        assert deps.edges[R("web"), R("api:orders-api")]["type"] == "consumesApi"
        assert deps.edges[R("api:orders-api"), R("orders")]["type"] == "apiProvidedBy"
        assert not deps.has_edge(R("orders"), R("api:orders-api"))
        assert not deps.has_edge(R("web"), R("group:team-a"))  # ownership is not a need
        assert set(deps) == set(graph)

    def test_providing_and_consuming_the_same_api_is_no_cycle(self, make_repo):
        catalog = catalog_of(make_repo, [
            doc("Group", "team-a", type="team", children=[]),
            component("s", providesApis=["s-api"], consumesApis=["s-api"]),
            doc("API", "s-api", type="grpc", lifecycle="production", owner="team-a",
                definition="x")])
        assert dependency_cycles(build_graph(catalog)) == []


class TestBlastRadius:
    def test_known_answer_through_an_api(self, graph):
        assert impacts(blast_radius(graph, R("resource:orders-db"))) == [
            ("component:orders", 1, "resource:orders-db"),
            ("api:orders-api", 2, "component:orders"),
            ("component:reporting", 3, "api:orders-api"),
            ("component:web", 3, "api:orders-api"),
            ("component:admin", 4, "component:web"),
        ]

    def test_leaf_and_missing(self, graph):
        assert blast_radius(graph, R("admin")) == []
        assert impacts(blast_radius(graph, R("ghost"))) == [
            ("component:reporting", 1, "component:ghost")]

    def test_max_distance_stops_the_walk(self, graph):
        found = blast_radius(graph, R("resource:orders-db"), max_distance=2)
        assert [i.distance for i in found] == [1, 2]

    def test_same_on_dependency_graph(self, graph):
        deps = dependency_graph(graph)
        for ref in graph:
            assert blast_radius(deps, ref) == blast_radius(graph, ref)

    def test_shortest_distance_and_smallest_via(self, make_repo):
        # d needs c and b; c needs b; b needs a: d is at distance 2 from a via b (not c).
        catalog = catalog_of(make_repo, [
            doc("Group", "team-a", type="team", children=[]),
            component("a"), component("b", dependsOn=["component:a"]),
            component("c", dependsOn=["component:b"]),
            component("d", dependsOn=["component:c", "component:b"]),
            component("e", dependsOn=["component:c", "component:b"])])
        assert impacts(blast_radius(build_graph(catalog), R("a"))) == [
            ("component:b", 1, "component:a"), ("component:c", 2, "component:b"),
            ("component:d", 2, "component:b"), ("component:e", 2, "component:b")]

    def test_key_orders_within_a_distance(self, graph):
        found = blast_radius(graph, R("api:orders-api"), key=lambda r: r.name[::-1])
        assert [i.ref.name for i in found if i.distance == 1] == ["web", "reporting"]

    def test_unknown_ref(self, graph):
        with pytest.raises(nx.NodeNotFound, match="component:default/nope"):
            blast_radius(graph, R("nope"))
        with pytest.raises(nx.NodeNotFound):
            upstream(graph, R("nope"))

    def test_sizes_match_lists(self, graph, make_repo):
        sizes = blast_radius_sizes(graph)
        assert sizes == {ref: len(blast_radius(graph, ref)) for ref in graph}
        cyclic = build_graph(catalog_of(make_repo, CYCLES, "cycles"))
        assert blast_radius_sizes(cyclic) == {r: len(blast_radius(cyclic, r)) for r in cyclic}


    @pytest.mark.parametrize("seed", range(5))
    def test_sizes_match_lists_on_random_graphs(self, seed):
        random = nx.gnp_random_graph(60, 0.04, seed=seed, directed=True)
        deps = nx.relabel_nodes(random, {i: R(f"c{i:02d}") for i in random})
        deps.graph["view"] = "dependencies"
        sizes = blast_radius_sizes(deps)
        assert sizes == {ref: len(blast_radius(deps, ref)) for ref in deps}
        assert {ref: len(upstream(deps, ref)) for ref in deps} == \
            {ref: len(nx.descendants(deps, ref)) for ref in deps}


class TestUpstream:
    def test_known_answer_through_an_api(self, graph):
        assert impacts(upstream(graph, R("admin"))) == [
            ("component:web", 1, "component:admin"),
            ("api:orders-api", 2, "component:web"),
            ("component:cart", 2, "component:web"),
            ("component:orders", 3, "api:orders-api"),
            ("resource:cart-db", 3, "component:cart"),
            ("resource:orders-db", 4, "component:orders"),
        ]

    def test_includes_missing(self, graph):
        assert ("component:ghost", 1, "component:reporting") in \
            impacts(upstream(graph, R("reporting")))


CYCLES = [
    doc("Group", "team-a", type="team", children=[]),
    component("x", dependsOn=["component:y"]),
    component("y", dependsOn=["component:x"]),
    component("z", dependsOn=["component:z"]),
    component("p", consumesApis=["q-api"]),
    component("q", providesApis=["q-api"], dependsOn=["component:p"]),
    doc("API", "q-api", type="grpc", lifecycle="production", owner="team-a", definition="x"),
    component("free", dependsOn=["component:x"]),
]


class TestCycles:
    def test_known_cycles(self, make_repo):
        graph = build_graph(catalog_of(make_repo, CYCLES))
        assert [[str(r) for r in c] for c in dependency_cycles(graph)] == [
            ["api:default/q-api", "component:default/p", "component:default/q"],
            ["component:default/x", "component:default/y"],
            ["component:default/z"],
        ]

    def test_acyclic_graph_has_no_cycles(self, graph):
        assert dependency_cycles(graph) == []

    def test_cycle_members_share_a_blast_radius(self, make_repo):
        graph = build_graph(catalog_of(make_repo, CYCLES))
        assert impacts(blast_radius(graph, R("x"))) == [
            ("component:free", 1, "component:x"), ("component:y", 1, "component:x")]


# --------------------------------------------------------------------------- neighbourhood


def library_catalog(make_repo, dependents: int):
    return catalog_of(make_repo, [
        doc("Group", "team-a", type="team", children=[]),
        doc("System", "platform", owner="team-a"),
        component("lib", type="library", system="platform"),
        *[component(f"svc-{i:02d}", dependsOn=["component:lib"]) for i in range(dependents)],
    ])


class TestNeighbourhood:
    def test_depth_one_holds_direct_neighbours_and_their_edges(self, graph):
        nh = neighbourhood(graph, R("web"))
        assert nh.focus == R("web") and nh.depth == 1 and nh.more == ()
        assert [str(r.short()) for r in nh.nodes] == [
            "api:orders-api", "component:admin", "component:cart", "component:web",
            "group:team-a", "system:shop"]
        assert (R("admin"), R("web"), "dependsOn") in nh.edges
        assert (R("web"), R("api:orders-api"), "consumesApi") in nh.edges
        assert nh.nodes[R("web")]["title"] == "web"

    def test_depth_zero_and_two(self, graph):
        assert list(neighbourhood(graph, R("web"), depth=0).nodes) == [R("web")]
        two = neighbourhood(graph, R("web"), depth=2)
        assert R("orders") in two.nodes and R("resource:cart-db") in two.nodes
        # the owner and the system are reached going up, so their other members are not drawn
        assert R("resource:orders-db") not in two.nodes
        assert R("reporting") in two.nodes  # through the API it consumes
        three = neighbourhood(graph, R("web"), depth=3)
        assert R("resource:orders-db") in three.nodes

    def test_going_down_from_a_container_expands(self, graph):
        two = neighbourhood(graph, R("system:shop"), depth=2)
        assert R("reporting") in two.nodes  # shop ← orders-api ← reporting

    def test_cap_groups_the_rest_into_more(self, make_repo):
        graph = build_graph(library_catalog(make_repo, 30))
        nh = neighbourhood(graph, R("lib"), cap=10)
        # the owner and the system always make it; 8 of the 30 dependents do
        assert R("group:team-a") in nh.nodes and R("system:platform") in nh.nodes
        shown = [r.name for r in nh.nodes if r.name.startswith("svc-")]
        assert shown == [f"svc-{i:02d}" for i in range(8)]
        assert nh.more == (More(R("lib"), "dependsOn", "in", 22),)
        assert nh.more[0].relation == "dependencyOf"
        assert len(nh.nodes) == 11
        assert len(nh.edges) == 10

    def test_default_cap_counts_the_neighbours_left_out(self, make_repo):
        nh = neighbourhood(build_graph(library_catalog(make_repo, 30)), R("lib"))
        assert len(nh.nodes) == 26 and nh.more[0].count == 7

    def test_no_more_when_under_cap(self, make_repo):
        nh = neighbourhood(build_graph(library_catalog(make_repo, 5)), R("lib"))
        assert nh.more == () and len(nh.nodes) == 8

    def test_cap_per_node_at_depth_two(self, make_repo):
        graph = build_graph(library_catalog(make_repo, 30))
        nh = neighbourhood(graph, R("svc-00"), depth=2, cap=5)
        assert {m.node for m in nh.more} == {R("lib")}
        assert len(nh.nodes) <= 1 + 5 + 5 * 5

    def test_deterministic(self, make_repo):
        graph = build_graph(library_catalog(make_repo, 30))
        one, two = neighbourhood(graph, R("lib"), cap=7), neighbourhood(graph, R("lib"), cap=7)
        assert (list(one.nodes), one.edges, one.more) == (list(two.nodes), two.edges, two.more)

    def test_unknown_focus_or_zero_cap_raises(self, graph):
        with pytest.raises(nx.NodeNotFound):
            neighbourhood(graph, R("nope"))
        with pytest.raises(ValueError, match="cap"):
            neighbourhood(graph, R("web"), cap=0)


# --------------------------------------------------------------------------- systems


SYSTEMS = [
    doc("Group", "team-a", type="team", children=[]),
    doc("Domain", "commerce", owner="team-a"),
    doc("System", "shop", owner="team-a", domain="commerce"),
    doc("System", "pay", owner="team-a", domain="commerce"),
    doc("System", "infra", owner="team-a"),
    component("web", system="shop", dependsOn=["component:cart", "component:gateway",
                                               "resource:db", "component:loose"]),
    component("cart", system="shop", consumesApis=["pay-api"], dependsOn=["resource:db"]),
    component("cart-ui", system="shop", subcomponentOf="cart"),
    component("gateway", system="pay", providesApis=["pay-api"], dependsOn=["resource:db"]),
    doc("API", "pay-api", type="grpc", lifecycle="production", owner="team-a", system="pay",
        definition="x"),
    doc("Resource", "db", type="database", owner="team-a", system="infra"),
    component("loose"),
]


class TestSystems:
    def test_system_of_finds_the_enclosing_system_or_domain(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        assert system_of(graph, R("web")) == R("system:shop")
        assert system_of(graph, R("system:shop")) == R("system:shop")
        assert system_of(graph, R("loose")) is None
        assert system_of(graph, R("system:shop"), "domain") == R("domain:commerce")

    def test_system_view_sums_edges_to_other_systems(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        view = system_view(graph, R("system:shop"))
        assert view.inside == {R("web"), R("cart"), R("cart-ui")}
        # sorted by ref: component:… before system:infra before system:pay
        assert [(a.name, b.name, n) for a, b, n in view.edges] == [
            ("cart", "infra", 1), ("cart", "pay", 1),
            ("web", "cart", 1), ("web", "loose", 1), ("web", "infra", 1), ("web", "pay", 1)]
        assert R("system:shop") in view.nodes and view.hidden_nodes == 0

    def test_system_view_caps_outside_nodes(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        view = system_view(graph, R("system:shop"), cap=1)
        # infra and pay both have weight 2: the tie goes to the smaller key
        assert {b.name for _, b, _ in view.edges} == {"cart", "infra"}
        # pay and loose are left out, with cart→pay, web→pay and web→loose
        assert (view.hidden_nodes, view.hidden_edges, view.hidden_count) == (2, 3, 3)

    def test_domain_view_rolls_parts_into_systems(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        view = system_view(graph, R("domain:commerce"))
        assert view.inside == {R("system:shop"), R("system:pay")}
        assert [(a.name, b.name, n) for a, b, n in view.edges] == [
            ("pay", "infra", 1), ("shop", "loose", 1), ("shop", "infra", 2), ("shop", "pay", 2)]

    def test_not_a_system(self, graph):
        with pytest.raises(ValueError, match="not a system or domain"):
            system_view(graph, R("web"))

    def test_overview_links_systems_and_caps_its_edges(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        view = system_overview(graph)
        assert view.focus is None and view.inside == {R("system:shop"), R("system:pay"),
                                                      R("system:infra")}
        assert [(a.name, b.name, n) for a, b, n in view.edges] == [
            ("pay", "infra", 1), ("shop", "infra", 2), ("shop", "pay", 2)]
        top = system_overview(graph, max_edges=2)
        assert len(top.edges) == 2 and (top.hidden_edges, top.hidden_count) == (1, 1)


# --------------------------------------------------------------------------- exports


class TestExports:
    def test_json_is_byte_stable_and_order_independent(self, make_repo, shop):
        reordered = catalog_of(make_repo, list(reversed(SHOP)), name="other")
        text = graph_json(build_graph(shop))
        assert text == graph_json(build_graph(shop)) == graph_json(build_graph(reordered))
        data = json.loads(text)
        assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
        back = nx.node_link_graph(data, edges="edges")
        assert back.has_edge("component:default/web", "component:default/cart", "dependsOn")
        assert back.nodes["component:default/ghost"]["missing"] is True

    def test_json_of_dependency_graph(self, graph):
        data = json.loads(graph_json(dependency_graph(graph)))
        assert data["multigraph"] is False and "key" not in data["edges"][0]

    def test_dot_is_byte_stable_and_order_independent(self, make_repo, shop):
        reordered = catalog_of(make_repo, list(reversed(SHOP)), name="other")
        text = graph_dot(build_graph(shop))
        assert text == graph_dot(build_graph(reordered))
        assert text.startswith("digraph catalog {\n") and text.endswith("}\n")
        assert '"component:default/web" -> "component:default/cart" ["type"="dependsOn"];' in text
        assert '"missing"="true"' in text and '"missing"="false"' in text

    def test_dot_escapes(self):
        g = nx.MultiDiGraph()
        g.add_node(R("x"), title='a "b" \\ c\nd & e')
        assert '"title"="a \\"b\\" \\\\ c d &amp; e"' in graph_dot(g)

    def test_graphml_round_trips_nodes_and_edges(self, graph):
        text = graph_graphml(graph)
        assert text == graph_graphml(graph)
        back = nx.parse_graphml(text, force_multigraph=True)
        assert back.nodes["component:default/web"]["owner"] == "group:default/team-a"
        assert back.nodes["component:default/ghost"]["missing"] is True
        assert "lifecycle" not in back.nodes["component:default/ghost"]
        assert back.number_of_edges() == graph.number_of_edges()


def test_public_names():
    for name in generator.graph.__all__:
        assert getattr(generator.graph, name) is not None


@pytest.mark.parametrize("module", ["build", "analysis", "views", "diagrams", "export", "needs"])
def test_doctests(module):
    assert doctest.testmod(importlib.import_module(f"generator.graph.{module}")).failed == 0


def test_blast_radius_limit_keeps_the_nearest(make_repo):
    from conftest import load_repo

    from generator.graph import blast_radius, build_graph, dependency_graph
    from generator.refs import parse_ref

    docs = ["apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: t}\n"
            "spec: {type: team, children: []}\n"]
    for i in range(6):
        deps = f"[component:c{i - 1}]" if i else "[]"
        docs.append("apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                    f"metadata: {{name: c{i}}}\nspec: {{type: service, lifecycle: production, "
                    f"owner: t, dependsOn: {deps}}}\n")
    root = make_repo({"catalog-info.yaml": "---\n".join(docs)})
    deps = dependency_graph(build_graph(load_repo(root).catalog))
    everything = blast_radius(deps, parse_ref("component:c0"))
    assert [i.distance for i in everything] == [1, 2, 3, 4, 5]
    nearest = blast_radius(deps, parse_ref("component:c0"), limit=2)
    assert nearest == everything[:2]


def test_needs_edges_follow_the_dependency_graph_and_find_its_cycles(make_repo):
    """``pavedroad check`` decides without networkx whether there is a cycle; it must agree."""
    from conftest import DEMO_SOURCES, FIXTURES

    from generator.graph.needs import has_cycle, needs_edges
    from generator.pipeline import load_catalog

    ring = make_repo({"catalog-info.yaml": "---\n".join(
        f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c{i}\n"
        f"spec:\n  type: service\n  owner: group:team\n  dependsOn: [component:c{(i + 1) % 3}]\n"
        for i in range(3))}, name="ring")
    catalogs = [load_catalog(DEMO_SOURCES, progress=False).catalog, load_repo(ring).catalog,
                *(load_repo(path).catalog for path in sorted((FIXTURES / "real-world").iterdir())
                  if path.is_dir())]
    verdicts = set()
    for catalog in catalogs:
        deps = dependency_graph(build_graph(catalog))
        edges = needs_edges(catalog)
        assert {(a, b) for a, targets in edges.items() for b in targets} == set(deps.edges)
        verdicts.add(has_cycle(edges))
        assert has_cycle(edges) == bool(dependency_cycles(deps))
    assert verdicts == {True, False}
