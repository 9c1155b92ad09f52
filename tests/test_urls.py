"""URL rules: one definition for every stage."""

from generator.refs import parse_ref
from generator.urls import (
    badge_path,
    entity_asset,
    entity_page,
    entity_page_url,
    is_entity_page,
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
