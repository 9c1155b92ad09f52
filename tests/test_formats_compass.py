"""Atlassian Compass compass.yml (config as code, configVersion 1)."""

from __future__ import annotations

import pytest
from formats_helpers import entity, load, related


@pytest.fixture(scope="module")
def run():
    return load()


def test_component_maps_every_field(run):
    api = entity(run, "component:default/search-api")
    assert api.provenance.format == "compass"
    assert api.description == "Full-text search over the product catalog"
    assert api.annotations["compass.atlassian.com/component-id"].endswith(
        "11111111-0000-0000-0000-000000000001")
    assert (api.type, api.lifecycle) == ("service", "production")  # SERVICE, Active
    assert api.labels["tier"] == "2"
    assert api.tags == ["search", "java"]
    assert api.annotations["compass.atlassian.com/cost-center"] == "CC-42"
    types = {link.get("type") for link in api.links}
    assert {"repository", "docs", "dashboard", "oncall", "chat", "project", "other"} == types
    assert api.annotations["github.com/project-slug"] == "acme/search-api"
    assert api.annotations["pagerduty.com/service-id"] == "PSRCH01"  # from the ON_CALL link


def test_owner_id_resolves_to_the_group_with_that_team_id(run):
    assert entity(run, "component:default/search-api").spec["owner"] == \
        "group:default/search-team"


def test_depends_on_resolves_component_ids(run):
    assert related(run, "component:default/search-api", "dependsOn") == [
        "component:default/search-indexer"]
    indexer = entity(run, "component:default/search-indexer")
    assert indexer.type == "data-pipeline" and indexer.provenance.path == "indexer/compass.yaml"
