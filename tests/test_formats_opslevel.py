"""OpsLevel opslevel.yml (version 1): component:, service: and repository: roots."""

from __future__ import annotations

import pytest
from formats_helpers import codes, entity, load, related

from generator.problems import Severity


@pytest.fixture(scope="module")
def run():
    return load()


def test_component_root_maps_every_field(run):
    cart = entity(run, "component:default/shopping-cart")
    assert cart.provenance.format == "opslevel"
    assert cart.provenance.path == "opslevel.yml" and cart.provenance.line == 3
    assert cart.title == "Shopping Cart"
    assert cart.description == "Keeps what a shopper is about to buy"
    assert (cart.type, cart.lifecycle) == ("service", "production")
    assert cart.spec["owner"] == "group:default/orders-team"  # alias orders_team, a Group
    assert cart.labels["tier"] == "1"
    assert cart.spec["system"] == "system:default/retail"  # product, resolved by name
    assert cart.annotations["opslevel.com/product"] == "Retail"
    assert {"ruby", "rails", "db:postgres"} <= set(cart.tags)
    assert cart.annotations["pavedroad.dev/aliases"] == "shopping_cart_service, cart"
    assert cart.annotations["pagerduty.com/service-id"] == "PCART01"
    assert cart.annotations["github.com/project-slug"] == "acme/shopping-cart"
    types = {link["url"]: link.get("type") for link in cart.links}
    assert types["https://wiki.example.com/cart/runbook"] == "runbook"
    assert types["https://app.datadoghq.com/dashboard/cart"] == "dashboard"
    assert types["https://logs.example.com/cart"] == "logs"
    assert {"title": "Datadog (production)"}.items() <= next(
        link for link in cart.links if "datadoghq" in link["url"]).items()


def test_dependencies_resolve_by_alias_and_name_across_formats(run):
    assert related(run, "component:default/shopping-cart", "dependsOn") == [
        "component:default/recommendations", "component:default/search-api"]
    # checkout depends on the cart by its OpsLevel alias, and on a Cortex tag
    assert related(run, "component:default/checkout_service", "dependsOn") == [
        "component:default/payments-gateway", "component:default/shopping-cart"]


def test_older_service_root_is_a_service(run):
    checkout = entity(run, "component:default/checkout_service")
    assert (checkout.type, checkout.lifecycle) == ("service", "experimental")  # beta
    assert checkout.labels["tier"] == "2" and "go" in checkout.tags


def test_repository_root_fills_the_repository_entities(run):
    tool = entity(run, "component:default/repo-tool")
    assert tool.spec["owner"] == "group:default/platform"
    assert tool.labels["tier"] == "3"
    assert ("spec.owner", "opslevel.yml", 4, "from the repository's opslevel.yml") in \
        tool.provenance.fields
    assert "missing-field" not in codes(run, "opslevel-repo")


def test_yaml11_boolean_is_a_warning_and_keeps_the_word(run):
    cart = entity(run, "component:default/shopping-cart")
    assert "critical:no" in cart.tags
    trap = [p for p in run.catalog.problems if p.code == "yaml11-boolean"]
    assert [(p.line, p.severity) for p in trap] == [(20, Severity.WARNING)]
    assert trap[0].file.endswith("opslevel-shop/opslevel.yml")
    assert '"no"' in trap[0].message


def test_alias_gets_a_lookup_page():
    from generator.pages import build_pages
    from generator.pages.lookups import LookupFeature

    pages = build_pages(load().catalog, [LookupFeature()])
    assert "lookup/name/shopping_cart_service/index.html" in pages.assets
    assert "lookup/pagerduty/PCART01/index.html" in pages.assets
