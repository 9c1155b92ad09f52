"""The graph on the built portal and on the command line."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import DEMO_SOURCES, pavedroad

from generator.graph import blast_radius, build_graph, dependency_graph
from generator.pipeline import load_catalog
from generator.refs import parse_ref


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("graph") / "site"
    result = pavedroad("build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_every_diagram_node_links_to_its_entity_page(site):
    page = site / "catalog/default/component/checkout-service/index.html"
    html = page.read_text()
    diagram = html[html.index('class="pr-diagram"'):]
    svg = diagram[diagram.index("<svg"):diagram.index("</svg>")]
    links = re.findall(r'xlink:href="([^"]+)"', svg)
    assert links, "the diagram has no links"
    for link in links:
        if link.startswith("#"):
            continue
        target = (page.parent / link / "index.html").resolve()
        assert target.is_file(), link
    targets = {(page.parent / link).resolve() for link in links}
    assert (site / "catalog/default/group/checkout-team").resolve() in targets


def test_blast_radius_on_the_page_matches_the_graph(site):
    catalog = load_catalog(DEMO_SOURCES).catalog
    deps = dependency_graph(build_graph(catalog))
    ref = parse_ref("component:inventory-service")
    expected = blast_radius(deps, ref)
    html = (site / "catalog/default/component/inventory-service/index.html").read_text()
    section = html[html.index('id="blast-radius"'):]
    section = section[:section.index("</table>")]
    page = site / "catalog/default/component/inventory-service"
    linked = {(page / href).resolve() for href in re.findall(r'href="([^"#]+)"', section)}
    for impact in expected:
        assert (site / impact.ref.path).resolve() in linked, impact.ref
    assert f"{len(expected):,} entities need this one" in section


def test_incident_panel_answers_who_to_call_and_what_breaks(site):
    html = (site / "catalog/default/component/inventory-service/index.html").read_text()
    panel = html[html.index('class="pr-incident"'):]
    panel = panel[:panel.index("</table>")]
    assert "On call" in panel and "PagerDuty" in panel
    assert "Runbook" in panel and "Owning team" in panel and "mailto:" in panel
    assert "entities depend on it" in panel and "Production hit" in panel
    assert html.index('class="pr-incident"') < html.index('id="about"')


def test_graph_exports_are_published(site):
    data = json.loads((site / "graph.json").read_text())
    ids = {node["id"] for node in data["nodes"]}
    assert "component:default/checkout-service" in ids
    assert (site / "graph.dot").read_text().startswith("digraph")
    assert "<svg" in (site / "graph/index.html").read_text()


def test_cycles_and_unstable_dependencies_are_reported(make_repo, tmp_path):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: t}
        spec: {type: team, children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: a}
        spec: {type: service, lifecycle: production, owner: t, dependsOn: [component:b]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: b}
        spec: {type: service, lifecycle: experimental, owner: t, dependsOn: [component:a]}
        """})
    (tmp_path / "sources.yaml").write_text(f"sources:\n  - path: {root}\n")
    site = tmp_path / "site"
    result = pavedroad("build", "--sources", str(tmp_path / "sources.yaml"), "--site-dir",
                       str(site))
    assert result.returncode == 0, result.stderr
    health = (site / "health/index.html").read_text()
    assert "is in a dependency cycle of" in health
    assert "this production component depends on component:b, whose lifecycle is " \
        "experimental" in health
    page = (site / "catalog/default/component/a/index.html").read_text()
    assert 'id="dependency-cycle"' in page
    graph = (site / "graph/index.html").read_text()
    assert "/component/a/" in graph and "/component/b/" in graph
    strict = pavedroad("build", "--strict", "--sources", str(tmp_path / "sources.yaml"),
                       "--site-dir", str(tmp_path / "strict"))
    assert strict.returncode == 1


def test_without_graphviz_pages_say_so_and_strict_fails(tmp_path):
    env = {**os.environ, "PATH": str(Path(sys.executable).parent),
           "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    site = tmp_path / "site"
    result = pavedroad("build", "--site-dir", str(site), env=env)
    assert result.returncode == 0, result.stderr
    assert "Graphviz is not installed" in result.stderr
    html = (site / "catalog/default/component/checkout-service/index.html").read_text()
    assert "apt-get install graphviz" in html and "<svg" not in html.split("pr-diagram")[1][:300]
    strict = pavedroad("build", "--strict", "--site-dir", str(tmp_path / "s2"), env=env)
    assert strict.returncode == 1


def test_diagram_cache_is_hit_on_a_second_build(tmp_path):
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    assert pavedroad("build", "--site-dir", str(tmp_path / "one"), env=env).returncode == 0
    cached = sorted((tmp_path / "cache/diagrams").rglob("*.svg"))
    assert cached
    stamps = {p: p.stat().st_mtime_ns for p in cached}
    assert pavedroad("build", "--site-dir", str(tmp_path / "two"), env=env).returncode == 0
    assert sorted((tmp_path / "cache/diagrams").rglob("*.svg")) == cached
    assert {p: p.stat().st_mtime_ns for p in cached} == stamps


def test_impact_command_for_responders():
    result = pavedroad("impact", "inventory-service")
    assert result.returncode == 0, result.stderr
    assert "entities depend on it" in result.stdout
    assert "component:default/checkout-service" in result.stdout
    data = json.loads(pavedroad("impact", "inventory-service", "--format", "json").stdout)
    assert data["blastRadius"][0]["distance"] == 1
    assert pavedroad("impact", "no-such-thing").returncode == 2


@pytest.mark.parametrize("fmt", ["dot", "json", "graphml", "svg"])
def test_graph_command_formats(fmt):
    result = pavedroad("graph", "--format", fmt, "--root", "component:checkout-service",
                       "--depth", "1")
    assert result.returncode == 0, result.stderr
    assert "checkout-service" in result.stdout
    whole = pavedroad("graph", "--format", fmt)
    assert whole.returncode == 0 and len(whole.stdout) > 100


def test_diagram_depth_is_configurable(tmp_path):
    from generator.graph import analyse

    catalog = load_catalog(DEMO_SOURCES).catalog
    one = analyse(catalog, cache_dir=tmp_path, depth=1).svgs["component:default/checkout-service"]
    two = analyse(catalog, cache_dir=tmp_path, depth=2).svgs["component:default/checkout-service"]
    assert two.count('class="node ') > one.count('class="node ')  # node pr-k-<kind>
