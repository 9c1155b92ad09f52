"""What search holds for each entity: names found exactly, facets, markup kept as text."""

from __future__ import annotations

from conftest import load_repo

from generator.pages.search_pages import FACETS, SearchFeature, entity_document
from generator.refs import parse_ref

SERVICE = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: basket-api-v2
  title: "Basket <b>API</b> & co"
  description: "Keeps <i>baskets</i>."
  tags: [kotlin]
  labels: {tier: "1"}
  annotations:
    pagerduty.com/service-id: PBSK123
    pavedroad.dev/previous-names: "basket-api, component:default/basket-legacy"
    pavedroad.dev/aliases: "bsk"
spec: {type: service, lifecycle: production, owner: group:checkout, system: shop}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: checkout}
spec: {type: team, children: [], profile: {displayName: Checkout Crew}}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop, title: The Shop}
spec: {owner: group:checkout}
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: {name: retail, title: retail}
spec: {owner: group:checkout}
"""


def _catalog(make_repo):
    return load_repo(make_repo({"catalog-info.yaml": SERVICE})).catalog


def test_an_entity_is_found_by_every_name_it_answers_to(make_repo):
    catalog = _catalog(make_repo)
    html = entity_document(catalog, catalog.get(parse_ref("component:basket-api-v2"))).html
    names = html.split('<p data-pagefind-weight="9">')[1].split("</p>")[0]
    for name in ("basket-api-v2", "component:default/basket-api-v2", "bsk", "basket-api",
                 "component:default/basket-legacy", "basket-legacy", "PBSK123"):
        assert name in names.split(), name
    assert '<h1 data-pagefind-weight="10" data-pagefind-sort="title">' in html


def test_an_entity_carries_its_facets_with_display_names(make_repo):
    catalog = _catalog(make_repo)
    html = entity_document(catalog, catalog.get(parse_ref("component:basket-api-v2"))).html
    for facet, value in (("section", "Entities"), ("kind", "component"), ("type", "service"),
                         ("owner", "Checkout Crew"), ("lifecycle", "production"),
                         ("tier", "1"), ("system", "The Shop"), ("tag", "kotlin")):
        assert f'<span data-pagefind-filter="{facet}">{value}</span>' in html, facet
    assert 'data-pagefind-meta="owner">Checkout Crew<' in html
    assert set(FACETS) >= {"kind", "type", "owner", "lifecycle", "tier", "system", "tag"}


def test_markup_in_titles_and_descriptions_is_escaped(make_repo):
    catalog = _catalog(make_repo)
    html = entity_document(catalog, catalog.get(parse_ref("component:basket-api-v2"))).html
    assert "Basket &lt;b&gt;API&lt;/b&gt; &amp; co" in html
    assert "&lt;i&gt;baskets&lt;/i&gt;" in html
    assert "<b>" not in html and "<i>" not in html


def test_the_feature_adds_the_search_page_jump_list_and_script(make_repo):
    from generator.pages import build_pages

    catalog = _catalog(make_repo)
    pages = build_pages(catalog, [SearchFeature()])
    assert "search/index.md" in pages.pages and "search/jump.json" in pages.assets
    assert any(path.startswith("search/jump/") for path in pages.assets)
    assert "assets/pavedroad/search.js" in pages.extra_javascript
    assert len(pages.search) == len(catalog.entities)
