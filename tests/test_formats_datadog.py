"""Datadog Software Catalog: entity.datadog.yaml (v3) and service.datadog.yaml (v2.2)."""

from __future__ import annotations

import pytest
from formats_helpers import entity, load, related


@pytest.fixture(scope="module")
def run():
    return load()


def test_v3_service_maps_every_field(run):
    recs = entity(run, "component:default/recommendations")
    assert recs.provenance.format == "datadog"
    assert (recs.title, recs.description) == ("Recommendations", "Suggests products")
    assert recs.spec["owner"] == "group:default/orders-team"
    assert recs.annotations["datadoghq.com/additional-owners"] == "platform"
    assert (recs.type, recs.lifecycle, recs.labels["tier"]) == ("web", "production", "high")
    assert {"python", "team:orders"} <= set(recs.tags)
    assert recs.annotations["pagerduty.com/service-id"] == "PRECS01"
    assert recs.annotations["github.com/project-slug"] == "acme/recommendations"
    urls = {link["url"]: link.get("type") for link in recs.links}
    assert urls["mailto:recs@example.com"] == "email"
    assert urls["https://acme.slack.com/archives/C0RECS"] == "chat"
    assert urls["https://wiki.example.com/recs/runbook"] == "runbook"
    assert recs.spec["system"] == "system:default/retail"  # componentOf


def test_v3_depends_on_kind_name_refs(run):
    assert related(run, "component:default/recommendations", "dependsOn") == [
        "component:default/payments-gateway", "resource:default/recs-db"]
    db = entity(run, "resource:default/recs-db")
    assert db.type == "postgres" and db.provenance.line == 44  # second document of the file


def test_v22_service_definition(run):
    ship = entity(run, "component:default/shipping")
    assert ship.spec["owner"] == "group:default/platform"  # team
    assert (ship.type, ship.lifecycle, ship.labels["tier"]) == ("web", "production", "1")
    assert ship.annotations["pagerduty.com/service-id"] == "PSHIP01"
    assert ship.spec["system"] == "system:default/retail"  # application
    assert "java" in ship.tags and "env:prod" in ship.tags


def test_v3_system_components_become_its_parts(make_repo):
    from conftest import GROUP, load_repo

    root = make_repo({"entity.datadog.yaml": """\
        apiVersion: v3
        kind: system
        metadata:
          name: shop
          owner: team-a
        spec:
          components:
            - service:cart
            - datastore:cart-db
        ---
        apiVersion: v3
        kind: service
        metadata:
          name: cart
          owner: team-a
        ---
        apiVersion: v3
        kind: datastore
        metadata:
          name: cart-db
          owner: team-a
        """, "catalog-info.yaml": GROUP.format(name="team-a")})
    run = load_repo(root)
    assert sorted(related(run, "system:default/shop", "hasPart")) == [
        "component:default/cart", "resource:default/cart-db"]
    assert [p for p in run.catalog.problems if p.severity == "error"] == []
