"""The embedded demo organisation is complete, clean and realistic."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import DEMO_SOURCES

from generator.pipeline import load_catalog


@pytest.fixture(scope="module")
def demo():
    return load_catalog(DEMO_SOURCES)


def test_demo_has_no_problems(demo):
    assert demo.catalog.problems == []


def test_demo_covers_the_model(demo):
    counts = demo.catalog.kind_counts()
    minimum = {"group": 5, "user": 10, "domain": 2, "system": 4, "component": 15, "api": 6,
               "resource": 4, "template": 2, "location": 2}
    for kind, n in minimum.items():
        assert counts.get(kind, 0) >= n, kind
    assert len(demo.repositories) >= 12


def test_demo_api_types_and_lifecycles(demo):
    api_types = {e.type for e in demo.catalog.of_kind("api")}
    assert {"openapi", "asyncapi", "graphql", "grpc"} <= api_types
    lifecycles = Counter(e.lifecycle for e in demo.catalog.of_kind("component"))
    assert {"production", "experimental", "deprecated"} <= set(lifecycles)
    component_types = {e.type for e in demo.catalog.of_kind("component")}
    assert {"service", "website", "library"} <= component_types
    for api in demo.catalog.of_kind("api"):
        assert len(api.spec["definition"]) > 100, api.ref


def test_demo_group_hierarchy_has_depth(demo):
    teams = [g for g in demo.catalog.of_kind("group") if g.type == "team"]
    assert len(teams) >= 5
    for team in teams:
        parents = demo.catalog.related(team.ref, "childOf")
        assert parents and demo.catalog.related(parents[0], "childOf"), team.ref
        assert demo.catalog.related(team.ref, "hasMember"), team.ref


def test_demo_is_deterministic(demo):
    from generator.export import export_json

    assert export_json(load_catalog(DEMO_SOURCES).catalog) == export_json(demo.catalog)
