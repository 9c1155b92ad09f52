"""API pages in the built demo: users at the top, the reference, the raw definition."""

from __future__ import annotations

import re

from generator.pages import build_pages
from generator.pages.api_pages import MAX_HIGHLIGHT, ApiFeature, highlighted
from generator.pipeline import load_catalog
from generator.refs import parse_ref
from tests.conftest import ROOT

DEMO_SOURCES = ROOT / "catalog-sources" / "sources.yaml"


def _page(site, name: str) -> str:
    return (site / f"catalog/default/api/{name}/index.html").read_text(encoding="utf-8")


def test_providers_and_consumers_with_owners_come_first(demo_site):
    html = _page(demo_site, "checkout-api")
    users = html.split('class="pr-apiref-users">')[1].split("</div>")[0]
    assert re.sub(r"<[^>]+>", "", users).split() == [
        "Provided", "by:", "Checkout", "Service", "(team", "Checkout)",
        "Consumed", "by:", "Storefront", "Web", "(team", "Storefront)"]
    assert html.index("pr-apiref-users") < html.index('id="about"')


def test_openapi_reference_has_stable_operation_anchors(demo_site):
    html = _page(demo_site, "checkout-api")
    for anchor in ("post-/baskets", "get-/baskets/{basketId}", "post-/baskets/{basketId}/items"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    assert html.index('id="reference"') < html.index('id="definition"')


def test_every_kind_of_definition_gets_a_reference(demo_site):
    expected = {"order-events": "AsyncAPI", "payments-api": "Protocol Buffers",
                "product-catalog-api": "GraphQL SDL", "inventory-api": "OpenAPI"}
    for name, kind in expected.items():
        html = _page(demo_site, name)
        reference = html.split('id="reference"')[1].split('id="definition"')[0]
        assert f'<p class="pr-apiref-format">{kind}' in reference, name
        assert reference.count('class="pr-apiref-entry') >= 2, name


def test_raw_definition_is_collapsed_and_downloadable_as_a_data_file(demo_site):
    catalog = load_catalog(DEMO_SOURCES).catalog
    for name, extension in (("checkout-api", "yaml"), ("payments-api", "proto"),
                            ("product-catalog-api", "graphql")):
        definition = catalog.entities[parse_ref(f"api:{name}")].spec["definition"]
        html = _page(demo_site, name)
        raw = html.split('<details class="pr-apiref-raw">')[1].split("</details>")[0]
        assert f'<a href="definition.{extension}" download>' in raw
        published = demo_site / f"catalog/default/api/{name}/definition.{extension}"
        assert published.read_text(encoding="utf-8") == definition


def test_the_reference_is_in_the_search_entries_of_the_page():
    catalog = load_catalog(DEMO_SOURCES).catalog
    pages = build_pages(catalog, [ApiFeature()])
    entries = pages.pages["catalog/default/api/checkout-api/index.md"].search
    reference = next(text for _, title, text in entries if title == "Reference")
    assert "/baskets/{basketId}" in reference and "createBasket" in reference
    assert all(title != "Definition" for _, title, _ in entries)  # the raw text is not indexed


def test_highlighting_stops_at_the_cap_and_escapes():
    small = highlighted("a: <b>\n", "yaml")
    assert small.startswith('<div class="highlight"><pre><span></span><code>')
    assert "&lt;b&gt;" in small
    big = highlighted("<x>" * (MAX_HIGHLIGHT // 3 + 1), "yaml")
    assert big.startswith('<pre class="pr-apiref-plain"><code>&lt;x&gt;')

