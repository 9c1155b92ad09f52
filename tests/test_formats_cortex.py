"""Cortex cortex.yaml: an OpenAPI document whose info holds x-cortex-* fields."""

from __future__ import annotations

import pytest
from formats_helpers import entity, load, related


@pytest.fixture(scope="module")
def run():
    return load()


def test_service_maps_every_x_cortex_field(run):
    pay = entity(run, "component:default/payments-gateway")
    assert pay.provenance.format == "cortex"
    assert (pay.title, pay.description) == ("Payments Gateway", "Takes card payments")
    assert pay.type == "service"
    assert pay.spec["owner"] == "group:default/orders-team"  # first owner, a Cortex group
    assert pay.annotations["cortex.io/owners"] == "orders-team, jane@example.com"
    assert pay.labels["tier"] == "1" and pay.tags == ["pci"]  # tier-1 is the tier
    assert pay.annotations["pagerduty.com/service-id"] == "PPAY001"
    assert pay.annotations["github.com/project-slug"] == "acme/payments-gateway"
    by_type = {link.get("type"): link["url"] for link in pay.links}
    assert by_type["runbook"] == "https://wiki.example.com/payments/runbook"
    assert by_type["dashboard"] == "https://grafana.example.com/d/payments"
    assert by_type["chat"] == "https://slack.com/app_redirect?channel=payments-oncall"
    assert related(run, "component:default/payments-gateway", "dependsOn") == [
        "component:default/search-api"]


def test_rest_of_the_openapi_document_is_the_api_definition(run):
    api = entity(run, "api:default/payments-gateway")
    assert api.type == "openapi" and "/charges:" in api.spec["definition"]
    assert related(run, "component:default/payments-gateway", "providesApi") == [
        "api:default/payments-gateway"]
    assert api.spec["owner"] == "group:default/orders-team"


def test_team_and_domain_types(make_repo):
    from conftest import load_repo

    root = make_repo({"team/cortex.yaml": """\
        openapi: 3.0.1
        info:
          title: Payments Team
          x-cortex-tag: payments-team
          x-cortex-type: team
          x-cortex-team:
            members:
              - name: Jane
                email: jane@example.com
        """, "domain/cortex.yaml": """\
        openapi: 3.0.1
        info:
          title: Money
          x-cortex-tag: money
          x-cortex-type: domain
          x-cortex-owners:
            - type: group
              name: payments-team
        """})
    run = load_repo(root)
    team = run.catalog.get(next(r for r in run.catalog.entities if r.kind == "group"))
    assert team.name == "payments-team" and team.annotations["cortex.io/members"] == \
        "jane@example.com"
    domain = next(e for r, e in run.catalog.entities.items() if r.kind == "domain")
    assert domain.spec["owner"] == "group:default/payments-team"
    assert [p for p in run.catalog.problems if p.severity == "error"] == []
