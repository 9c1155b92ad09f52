"""The questions `pavedroad mcp` answers, asked in-process of catalog.json-shaped records."""

from __future__ import annotations

import pytest

from generator.answers import Answers, BadQuestion, UnknownRef, load_answers
from generator.mcpserver import CatalogLoader


def record(kind: str, name: str, *, namespace: str = "default", relations=(), **meta) -> dict:
    return {"kind": kind, "metadata": {"name": name, "namespace": namespace, **meta},
            "spec": {}, "relations": [{"type": t, "targetRef": r} for t, r in relations]}


ANSWERS = Answers([
    record("Component", "pay", title="Payments", tags=["card"],
           relations=[("ownedBy", "group:default/team"), ("dependsOn", "resource:default/db")]),
    record("Component", "pay-ui", description="the payments page",
           relations=[("dependsOn", "component:default/pay")]),
    record("Resource", "db", relations=[("dependencyOf", "component:default/pay")]),
    record("Group", "team", relations=[("ownerOf", "component:default/pay")]),
    record("Component", "twin", namespace="a"), record("Component", "twin", namespace="b"),
], site_url="https://p.example")


def test_find_ranks_exact_names_first_and_filters_kind_and_owner():
    found = ANSWERS.find_entities("pay")
    assert [e["ref"] for e in found["entities"]] == ["component:default/pay",
                                                     "component:default/pay-ui"]
    assert ANSWERS.find_entities("card")["count"] == 1
    assert ANSWERS.find_entities("", owner="team")["count"] == 1
    assert ANSWERS.find_entities("", kind="resource")["entities"][0]["url"] == \
        "https://p.example/catalog/default/resource/db/"


def test_refs_resolve_by_name_unless_ambiguous():
    assert ANSWERS.resolve("pay") == "component:default/pay"
    assert ANSWERS.resolve("team", default_kind="group") == "group:default/team"
    with pytest.raises(UnknownRef, match="names 2 entities"):
        ANSWERS.resolve("twin")
    with pytest.raises(UnknownRef, match="did you mean component:default/pay"):
        ANSWERS.resolve("component:default/pya")


def test_impact_follows_the_portals_needs_rule():
    radius = ANSWERS.blast_radius("db")
    assert [(d["ref"], d["distance"]) for d in radius["dependents"]] == [
        ("component:default/pay", 1), ("component:default/pay-ui", 2)]
    assert ANSWERS.depends_on("pay-ui", None)["count"] == 2
    with pytest.raises(BadQuestion, match="depth"):
        ANSWERS.depends_on("pay", -1)


def test_changes_since_compares_times_as_the_log_writes_them():
    answers = Answers([record("Component", "pay")], changes=[
        {"at": "2026-12-02T10:00:00Z", "ref": "component:default/pay", "kind": "added"},
        {"at": "2026-11-30T10:00:00Z", "ref": "component:default/pay", "kind": "owner"}])
    assert answers.changes_since("2026-12-01")["count"] == 1
    assert answers.changes_since("2026-12-02T11:00:00+01:00")["count"] == 1
    assert answers.changes_since("2026-12-02T11:00:00Z")["count"] == 0
    with pytest.raises(BadQuestion, match="since must be a date"):
        answers.changes_since("yesterday")


def test_an_unreadable_catalog_is_an_answer_not_a_crash(tmp_path):
    broken = tmp_path / "catalog.json"
    broken.write_text("{not json")
    loader = CatalogLoader(lambda: load_answers(catalog=broken))
    with pytest.raises(BadQuestion, match="the catalog could not be read"):
        loader.get()
    broken.write_text('{"a": 1}')
    with pytest.raises(BadQuestion, match=r"not a catalog\.json export"):
        CatalogLoader(lambda: load_answers(catalog=broken)).get()
