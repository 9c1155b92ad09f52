"""URL rules: one definition for every stage."""

import doctest
import itertools

import generator.urls
from generator.refs import parse_ref
from generator.urls import (
    badge_path,
    entity_asset,
    entity_link,
    entity_page,
    entity_page_url,
    entity_redirect,
    entity_scope,
    is_entity_page,
    lookup_list,
    lookup_page,
    page_url,
    relative_url,
)


def test_entity_page_and_its_url_agree_with_page_url():
    ref = parse_ref("component:default/checkout")
    assert entity_page(ref) == "catalog/default/component/checkout/index.md"
    assert page_url(entity_page(ref)) == entity_page_url(ref)


def test_only_entity_pages_are_recognised_as_entity_pages():
    ref = parse_ref("api:payments/orders")
    assert is_entity_page(entity_page(ref))
    assert not is_entity_page("catalog/index.md")
    assert not is_entity_page("catalog/default/component/a/docs/index.md")
    assert not is_entity_page("docs/default/component/a/index.md")


def test_assets_badges_and_lookups_have_stable_paths():
    ref = parse_ref("component:default/a")
    assert entity_asset(ref, "entity.json") == "catalog/default/component/a/entity.json"
    assert badge_path(ref) == "badges/default/component/a.svg"
    assert lookup_page("pagerduty", "P123") == "lookup/pagerduty/P123/index.html"


def test_relative_url_between_pages_and_assets():
    a = entity_page(parse_ref("component:default/a"))
    assert relative_url(a, a) == "./"
    assert relative_url(a, badge_path(parse_ref("component:default/a"))) == \
        "../../../../badges/default/component/a.svg"


def test_entity_links_by_string_match_relative_url_from_every_kind_of_page():
    refs = [parse_ref(r) for r in ("component:default/a", "component:default/b",
                                   "group:default/a", "api:ops/a", "component:ops/b")]
    pages = [entity_page(r) for r in refs] + ["index.md", "catalog/index.md",
                                              "lookup/name/a/index.md", "graph/index.md"]
    for page, ref in itertools.product(pages, refs):
        assert entity_link(page, ref, entity_scope(page)) == \
            relative_url(page, entity_page(ref)), (page, ref)


def test_entity_scope_is_only_given_to_entity_pages():
    assert entity_scope("catalog/ops/api/a/index.md") == ("ops", "api")
    for page in ("catalog/index.md", "catalog/ops/api/a/docs/index.md", "catalog/a/b/c/d.md"):
        assert entity_scope(page) is None


def test_redirects_and_lookup_lists_sit_beside_their_pages():
    ref = parse_ref("component:default/old")
    assert entity_redirect(ref) == "catalog/default/component/old/index.html"
    assert page_url(lookup_list("name", "x")) == "lookup/name/x/"
    assert lookup_list("name", "x").rsplit("/", 1)[0] == lookup_page("name", "x").rsplit("/", 1)[0]


def test_doctests():
    assert doctest.testmod(generator.urls).failed == 0
