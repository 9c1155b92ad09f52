"""A diagram on a page: labelled, focusable, scaled but never unreadably, with a legend."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from test_diagrams import render_one, shop, url_for  # noqa: F401  (shop is a fixture)
from test_graph import R

from generator.graph import neighbourhood, system_overview
from generator.graph.diagrams import neighbourhood_dot, overview_dot
from generator.pages.diagram_box import FULL_SIZE_WIDTH, MIN_SCALE, diagram_box, svg_width


def _box(html: str) -> ET.Element:
    return ET.fromstring(str(html).replace("&#10;", " "))


def test_diagram_is_a_focusable_labelled_region_naming_its_entities(shop):  # noqa: F811
    svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
    figure = _box(diagram_box(svg, "Diagram of web and its neighbours"))
    region = figure.find("div")
    assert region.get("class") == "pr-diagram" and region.get("tabindex") == "0"
    assert region.get("role") == "region" and region.get("aria-label").startswith("Diagram of web")
    drawing = region.find("{http://www.w3.org/2000/svg}svg")
    name = drawing.get("aria-label")
    assert drawing.get("role") == "group"
    assert name.startswith("Diagram of web and its neighbours: ")
    assert {"web", "cart", "orders-api", "team-a", "shop"} <= set(name.split(": ")[1].split(", "))


def test_diagram_scales_down_to_three_quarters_then_scrolls(shop):  # noqa: F811
    svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
    width = svg_width(svg)
    html = str(diagram_box(svg, "d"))
    assert f'style="min-width: {width * MIN_SCALE:.0f}pt"' in html


def test_legend_names_the_shapes_drawn_and_what_arrows_mean(shop):  # noqa: F811
    svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
    legend = " ".join(_box(diagram_box(svg, "d")).find("figcaption").itertext())
    assert "component: box" in legend and "api: oval" in legend and "group: house" in legend
    assert "resource" not in legend  # no resource is drawn
    assert "Thick outline: this entity" in legend and "dependsOn" in legend
    overview = render_one(overview_dot(system_overview(shop), url_for))
    legend = " ".join(_box(diagram_box(overview, "d", rollup=True)).find("figcaption").itertext())
    assert "counts those dependencies" in legend


def test_only_a_wide_diagram_links_to_its_full_size(shop):  # noqa: F811
    svg = render_one(neighbourhood_dot(neighbourhood(shop, R("web")), url_for))
    wide = svg.replace(f'width="{svg_width(svg):g}pt"', f'width="{FULL_SIZE_WIDTH + 1:g}pt"', 1)
    assert "Open the diagram full size" in diagram_box(wide, "d", full_size="diagram.svg")
    narrow = svg.replace(f'width="{svg_width(svg):g}pt"', 'width="100pt"', 1)
    assert "full size" not in diagram_box(narrow, "d", full_size="diagram.svg")
