"""Diagrams: DOT generation and real Graphviz rendering (``dot`` must be installed)."""

from __future__ import annotations

import hashlib
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import load_repo
from test_graph import SHOP, SYSTEMS, R, catalog_of, component, doc, library_catalog

from generator.graph import build_graph, neighbourhood, system_overview, system_view
from generator.graph.diagrams import (
    GRAPHVIZ_MISSING,
    graphviz_available,
    neighbourhood_dot,
    overview_dot,
    render_svgs,
    system_dot,
)

pytestmark = pytest.mark.skipif(not graphviz_available(), reason="Graphviz is not installed")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def url_for(ref) -> str:
    return f"../../{ref.kind}/{ref.name}/"


def render_one(source: str, **options) -> str:
    svg = render_svgs({"x": source}, None, **options)["x"]
    assert svg is not None
    return svg


def nodes_of(svg: str) -> dict[str, dict]:
    """First text line of each node → its link, tooltip, target and all its text."""
    found = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if "node" not in (group.get("class") or "").split():
            continue
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        link = next(group.iter(f"{SVG}a"), None)
        found[texts[0]] = {
            "href": link.get(f"{XLINK}href") if link is not None else None,
            "tooltip": link.get(f"{XLINK}title") if link is not None else None,
            "target": link.get("target") if link is not None else None,
            "texts": texts,
            "attributes": {k for el in group.iter() for k in el.attrib},
        }
    return found


@pytest.fixture
def shop(make_repo):
    return build_graph(catalog_of(make_repo, SHOP))


def dot_wrapper(tmp_path: Path) -> tuple[str, Path]:
    """A ``dot`` that logs each run and then runs the real Graphviz."""
    log = tmp_path / "dot-runs.log"
    script = tmp_path / "dot-logged"
    script.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec dot "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


# --------------------------------------------------------------------------- neighbourhood


class TestNeighbourhoodDiagram:
    def test_every_node_links_to_its_page(self, shop):
        svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
        nodes = nodes_of(svg)
        assert {title: n["href"] for title, n in nodes.items()} == {
            "orders-api": "../../api/orders-api/", "admin": "../../component/admin/",
            "cart": "../../component/cart/", "web": "../../component/web/",
            "team-a": "../../group/team-a/", "shop": "../../system/shop/"}
        assert {n["target"] for n in nodes.values()} == {"_top"}
        assert nodes["web"]["tooltip"] == "web\ncomponent:default/web"
        assert nodes["shop"]["texts"] == ["shop", "system"]

    def test_focus_stands_out_and_edges_are_labelled(self, shop):
        source = neighbourhood_dot(neighbourhood(shop, R("web")), url_for)
        assert "rankdir=LR" in source
        focus = next(line for line in source.splitlines() if "component:default/web" in line
                     and "tooltip" in line)
        assert "bold" in focus and 'penwidth="2"' in focus
        svg = render_one(source)
        labels = {t.text for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "edge"
                  for t in g.iter(f"{SVG}text")}
        assert labels == {"consumesApi", "dependsOn", "ownedBy", "partOf"}

    def test_shapes_by_kind(self, shop):
        source = neighbourhood_dot(neighbourhood(shop, R("web")), url_for)
        lines = source.splitlines()

        def shape(ref: str) -> str:
            line = next(x for x in lines if f"\\n{ref}\"" in x)
            return line.split('shape="')[1].split('"')[0]

        assert (shape("component:default/web"), shape("api:default/orders-api"),
                shape("system:default/shop"), shape("group:default/team-a")) == \
            ("box", "ellipse", "folder", "house")

    def test_nodes_are_named_by_title_not_by_id_and_classed_by_kind(self, shop):
        svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
        root = ET.fromstring(svg)
        assert not list(root.iter(f"{SVG}title"))  # "n0", "n0->n1", "neighbourhood"
        classes = {g.get("class") for g in root.iter(f"{SVG}g")
                   if "node" in (g.get("class") or "")}
        assert {"node pr-k-component pr-focus", "node pr-k-api", "node pr-k-system",
                "node pr-k-group"} <= classes

    def test_missing_node_is_drawn_without_a_link(self, shop):
        nodes = nodes_of(render_one(neighbourhood_dot(neighbourhood(shop, R("reporting")),
                                                      url_for)))
        assert nodes["ghost"]["href"] is None
        assert nodes["ghost"]["texts"] == ["ghost", "component · missing"]

    def test_more_node_links_to_the_callers_url(self, make_repo):
        graph = build_graph(library_catalog(make_repo, 30))
        source = neighbourhood_dot(
            neighbourhood(graph, R("lib"), cap=10), url_for,
            more_url=lambda m: f"../../component/{m.node.name}/#{m.relation}")
        nodes = nodes_of(render_one(source))
        assert nodes["+22 more"]["href"] == "../../component/lib/#dependencyOf"
        assert nodes["+22 more"]["texts"] == ["+22 more", "dependencyOf"]
        default = nodes_of(render_one(neighbourhood_dot(neighbourhood(graph, R("lib"), cap=10),
                                                        url_for)))
        assert default["+22 more"]["href"] == "../../component/lib/"

    def test_same_neighbourhood_gives_the_same_dot(self, shop):
        nh = neighbourhood(shop, R("web"))
        assert neighbourhood_dot(nh, url_for) == neighbourhood_dot(nh, url_for)


# --------------------------------------------------------------------------- hostile input

EVIL_TITLE = '</text><script>alert("x")</script> & \\N {a} \'q\' \\'
EVIL_TARGET = 'component:"onmouseover=alert(1)<b>{}\\'


@pytest.fixture
def evil(make_repo):
    docs = [doc("Group", "team-a", type="team", children=[]),
            component("victim", dependsOn=["component:evil", EVIL_TARGET]),
            component("evil")]
    docs[2]["metadata"]["title"] = EVIL_TITLE + "\nsecond line"
    text = yaml.safe_dump_all(docs, sort_keys=False)
    return build_graph(load_repo(make_repo({"catalog-info.yaml": text})).catalog)


class TestHostileNames:
    def test_titles_and_refs_stay_text(self, evil):
        source = neighbourhood_dot(neighbourhood(evil, R("victim")), url_for)
        svg = render_one(source)
        root = ET.fromstring(svg)  # still well-formed XML
        assert not [el for el in root.iter() if el.tag.endswith("script")]
        assert "<script" not in svg
        nodes = nodes_of(svg)
        title = EVIL_TITLE + " second line"
        assert nodes[title]["href"] == "../../component/evil/"
        # labels keep backslashes; tooltips show them as U+29F5 (see diagrams._attrs)
        assert nodes[title]["tooltip"] == f"{title}\ncomponent:default/evil".replace("\\", "⧵")
        dangling = EVIL_TARGET.split(":", 1)[1]
        assert nodes[dangling]["href"] is None
        assert nodes[dangling]["texts"] == [dangling, "component · missing"]
        for node in nodes.values():
            assert node["attributes"] <= {"id", "class", "fill", "stroke", "stroke-width",
                                          "stroke-dasharray", "points", "d", "cx", "cy", "rx",
                                          "ry", "x", "y", "text-anchor", "font-family",
                                          "font-size", f"{XLINK}href", f"{XLINK}title",
                                          "target"}

    def test_hostile_urls_are_escaped_or_dropped(self, shop):
        evil_urls = {
            R("cart"): 'x" onload="alert(1)<b>&c=d',
            R("admin"): "javascript:alert(1)",
            R("web"): "JavaScript:alert(1)",
        }
        svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")),
                                           lambda r: evil_urls.get(r, url_for(r))))
        nodes = nodes_of(svg)
        assert nodes["cart"]["href"] == "x%22%20onload=%22alert(1)%3Cb%3E&c=d"
        assert nodes["admin"]["href"] is None and nodes["web"]["href"] is None
        assert "onload" not in {a for n in nodes.values() for a in n["attributes"]}
        assert "javascript" not in svg.lower()


# --------------------------------------------------------------------------- systems


class TestSystemDiagrams:
    def test_system_diagram_links_other_systems_around_its_cluster(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        svg = render_one(system_dot(system_view(graph, R("system:shop")), url_for))
        nodes = nodes_of(svg)
        assert set(nodes) == {"web", "cart", "cart-ui", "loose", "pay", "infra"}
        assert nodes["pay"]["href"] == "../../system/pay/"
        cluster = next(g for g in ET.fromstring(svg).iter(f"{SVG}g")
                       if g.get("class") == "cluster")
        assert next(cluster.iter(f"{SVG}a")).get(f"{XLINK}href") == "../../system/shop/"

    def test_system_more_node(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        source = system_dot(system_view(graph, R("system:shop"), cap=1), url_for,
                            more_url="../../system/shop/#dependencies")
        nodes = nodes_of(render_one(source))
        assert nodes["+2 more"]["href"] == "../../system/shop/#dependencies"
        assert "ltail=" in source and "compound=true" in source

    def test_overview_edges_say_what_their_numbers_count(self, make_repo):
        graph = build_graph(catalog_of(make_repo, SYSTEMS))
        source = overview_dot(system_overview(graph), url_for)
        svg = render_one(source)
        labels = sorted(t.text for g in ET.fromstring(svg).iter(f"{SVG}g")
                        if g.get("class") == "edge" for t in g.iter(f"{SVG}text"))
        assert labels == ["1 dependency", "2 dependencies", "2 dependencies"]
        assert set(nodes_of(svg)) == {"shop", "pay", "infra"}
        capped = overview_dot(system_overview(graph, max_edges=1), url_for)
        assert "2 weaker links (3 dependencies) are not drawn" in capped


# --------------------------------------------------------------------------- rendering


def sources(graph) -> dict[str, str]:
    return {str(ref): neighbourhood_dot(neighbourhood(graph, ref), url_for) for ref in graph}


class TestRenderSvgs:
    def test_svgs_are_ready_to_inline(self, shop):
        svgs = render_svgs(sources(shop), None)
        for svg in svgs.values():
            assert svg is not None and svg.startswith("<svg")
            assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
            assert "\n\n" not in svg and "page0," not in svg
            assert 'id="pr&#45;neighbourhood"' in svg
            ET.fromstring(svg)

    def test_batched_equals_one_by_one(self, shop):
        all_sources = sources(shop)
        batched = render_svgs(all_sources, None, workers=1)
        single = render_svgs(all_sources, None, batch_size=1)
        assert batched == single

    def test_one_dot_run_per_batch_and_cache_hits(self, shop, tmp_path):
        dot, log = dot_wrapper(tmp_path)
        cache = tmp_path / "cache"
        all_sources = sources(shop)
        first = render_svgs(all_sources, cache, dot=dot, workers=1)
        assert runs(log) == 1
        files = sorted(cache.rglob("*.svg"))
        assert len(files) == len(set(all_sources.values())) == len(all_sources)
        stamps = {f: f.stat().st_mtime_ns for f in files}

        again = render_svgs(all_sources, cache, dot=dot, workers=1)
        assert again == first
        assert runs(log) == 1  # nothing rendered
        assert {f: f.stat().st_mtime_ns for f in cache.rglob("*.svg")} == stamps
        # a full cache needs no Graphviz at all
        assert render_svgs(all_sources, cache, dot="no-such-dot") == first

    def test_only_changed_diagrams_are_rendered(self, shop, tmp_path):
        dot, log = dot_wrapper(tmp_path)
        cache = tmp_path / "cache"
        all_sources = sources(shop)
        render_svgs(all_sources, cache, dot=dot, workers=1)
        changed = dict(all_sources)
        changed[str(R("web"))] = changed[str(R("web"))].replace('"web\\n', '"Web!\\n')
        out = render_svgs(changed, cache, dot=dot, workers=1)
        assert runs(log) == 2
        assert len(list(cache.rglob("*.svg"))) == len(all_sources) + 1
        assert "Web!" in out[str(R("web"))]

    def test_a_graph_with_a_cluster_ends_its_dot_run(self, tmp_path):
        """Graphviz 2.43 aborts on the graph after one with a cluster and labelled edges: each
        such graph is the last of its run, so no run fails and none is split."""
        log = tmp_path / "dot-exits.log"
        script = tmp_path / "dot-exits"
        script.write_text(f'#!/bin/sh\ndot "$@"\ncode=$?\necho $code >> "{log}"\nexit $code\n')
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        clustered = (Path(__file__).parent / "fixtures" / "graphviz" /
                     "cluster-then-any.dot").read_text()
        graphs = {f"system-{i}": clustered.replace('digraph "system"', f'digraph "s{i}"')
                  for i in range(3)}
        graphs |= {f"plain-{i}": f"digraph {{ a{i} -> b{i} }}" for i in range(5)}
        out = render_svgs(graphs, None, dot=str(script), workers=1)
        assert all(svg is not None and svg.startswith("<svg") for svg in out.values())
        assert log.read_text().split() == ["0", "0", "0"]  # one run per clustered graph

    def test_cache_keeps_one_svg_per_dot_hash(self, tmp_path):
        source = "digraph { a -> b }\n"
        render_svgs({"g": source}, tmp_path)
        digest = hashlib.sha256(source.encode()).hexdigest()
        assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.svg")] == \
            [f"{digest[:2]}/{digest}.svg"]
        assert not list(tmp_path.rglob("*.tmp"))

    def test_duplicate_sources_render_once(self, tmp_path):
        dot, log = dot_wrapper(tmp_path)
        out = render_svgs({"a": "digraph { x }", "b": "digraph { x }"}, None, dot=dot)
        assert out["a"] == out["b"] is not None and runs(log) == 1

    def test_a_broken_source_costs_only_itself(self, tmp_path):
        good = "digraph { a -> b }"
        out = render_svgs({"1": good, "2": "digraph { a -> }", "3": "digraph { c }",
                           "4": "not dot at all {"}, tmp_path, workers=1)
        assert out["1"] is not None and out["3"] is not None
        assert out["2"] is None and out["4"] is None
        assert len(list(tmp_path.rglob("*.svg"))) == 2  # failures are not cached

    def test_two_graphs_in_one_source_are_refused(self):
        out = render_svgs({"a": "digraph { a } digraph { b }", "b": "digraph { c }"}, None)
        assert out["a"] is None and out["b"] is not None

    def test_without_graphviz_nothing_is_drawn(self, tmp_path):
        assert graphviz_available() and not graphviz_available("no-such-dot")
        assert render_svgs({"a": "digraph { a }"}, tmp_path, dot="no-such-dot") == {"a": None}
        assert "apt-get install graphviz" in GRAPHVIZ_MISSING

    def test_no_sources_draw_nothing(self):
        assert render_svgs({}, None) == {}
