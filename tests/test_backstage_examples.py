"""Backstage's own example catalog loads as Backstage loads it.

Fixtures: tests/fixtures/backstage-examples (Apache-2.0, see fixtures/NOTICE).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.pipeline import load_catalog
from generator.problems import Severity
from generator.refs import parse_ref

EXAMPLES = FIXTURES / "backstage-examples"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    sources = tmp_path_factory.mktemp("src") / "sources.yaml"
    sources.write_text(f"sources:\n  - file: {EXAMPLES / 'all.yaml'}\n"
                       f"  - file: {EXAMPLES / 'acme-corp.yaml'}\n")
    return load_catalog(sources)


def rel(run, ref, type):
    return sorted(str(r) for r in run.catalog.related(parse_ref(ref), type))


def test_every_listed_entity_loads(run):
    counts = run.catalog.kind_counts()
    assert counts == {"airesource": 3, "api": 11, "component": 13, "domain": 3, "group": 9,
                      "location": 9, "resource": 1, "system": 3, "user": 17}


def test_only_expected_problems(run):
    problems = run.catalog.problems
    assert not [p for p in problems if p.severity is Severity.ERROR]
    # AiResource (a kind of recent Backstage releases) is read like any kind: no warning
    assert [p for p in problems if p.severity is Severity.WARNING] == []
    notes = {p.code for p in problems if p.severity is Severity.INFO}
    assert notes == {"remote-substitution"}


def test_ai_resource_has_standard_relations(run):
    assert rel(run, "airesource:code-review-plugin", "ownedBy") == ["group:default/team-a"]
    assert rel(run, "airesource:code-review-plugin", "partOf") == [
        "system:default/artist-engagement-portal"]


def test_ownership_both_directions(run):
    assert rel(run, "component:artist-lookup", "ownedBy") == ["group:default/team-a"]
    assert "component:default/artist-lookup" in rel(run, "group:team-a", "ownerOf")


def test_system_and_domain_parts(run):
    assert rel(run, "component:artist-lookup", "partOf") == [
        "system:default/artist-engagement-portal"]
    assert rel(run, "system:audio-playback", "partOf") == ["domain:default/playback"]
    assert rel(run, "domain:artists", "partOf") == ["domain:default/audio"]
    assert "domain:default/artists" in rel(run, "domain:audio", "hasPart")


def test_api_provision_and_consumption(run):
    assert rel(run, "component:petstore", "providesApi") == [
        "api:default/hello-world", "api:default/petstore", "api:default/streetlights"]
    assert rel(run, "api:petstore", "apiProvidedBy") == ["component:default/petstore"]
    assert rel(run, "component:wayback-search", "consumesApi") == ["api:default/wayback-archive"]
    assert rel(run, "api:wayback-archive", "apiConsumedBy") == ["component:default/wayback-search"]


def test_depends_on_is_recorded_with_its_reverse(run):
    assert rel(run, "component:artist-lookup", "dependsOn") == ["resource:default/artists-db"]
    assert "component:default/artist-lookup" in rel(run, "resource:artists-db", "dependencyOf")


def test_group_hierarchy_and_membership(run):
    assert rel(run, "group:team-a", "childOf") == ["group:default/backstage"]
    assert rel(run, "group:backstage", "parentOf") == ["group:default/team-a",
                                                      "group:default/team-b"]
    assert rel(run, "group:backstage", "childOf") == ["group:default/infrastructure"]
    assert "user:default/breanna.davison" in rel(run, "group:team-a", "hasMember")
    assert rel(run, "user:breanna.davison", "memberOf") == ["group:default/team-a"]


def test_namespaces_are_kept_apart(run):
    guests = [str(r) for r in run.catalog.entities if r.name == "guest"]
    assert guests == ["user:default/guest", "user:development/guest"]
    assert rel(run, "user:development/guest", "memberOf") == ["group:default/team-a"]


def test_text_substitution_reads_the_definition(run):
    api = run.catalog.get(parse_ref("api:petstore-webhook"))
    expected = (EXAMPLES / "apis/petstore-webhook.oas.yaml").read_text()
    assert api.spec["definition"] == expected


def test_provenance_points_at_the_file(run):
    entity = run.catalog.get(parse_ref("group:team-a"))
    assert entity.provenance.path == "acme/team-a-group.yaml"
    assert entity.provenance.line == 1
    user = run.catalog.get(parse_ref("user:janelle.dawe"))
    assert user.provenance.line == 26


def test_the_invalid_example_is_reported_invalid(tmp_path):
    from generator.pipeline import load_paths
    from generator.sources import repository_for_path

    run = load_paths([repository_for_path(EXAMPLES / "components/invalid-component.yaml")])
    errors = [(p.code, p.line) for p in run.catalog.problems if p.severity is Severity.ERROR]
    assert ("invalid-name", 4) in errors
    assert ("invalid-tag", 11) in errors
    assert len(run.catalog) == 0


def test_legacy_top_level_files_report_missing_fields():
    from generator.pipeline import load_paths
    from generator.sources import repository_for_path

    run = load_paths([repository_for_path(EXAMPLES / "hello-world-api.yaml")])
    messages = [p.message for p in run.catalog.problems if p.code == "missing-field"]
    assert any("spec.lifecycle" in m for m in messages)
    assert any("spec.owner" in m for m in messages)


def test_whole_folder_reports_duplicates_without_crashing(tmp_path):
    from generator.pipeline import load_paths
    from generator.sources import Repository

    root = EXAMPLES.resolve()
    files = tuple(sorted(root.rglob("*.yaml")))
    run = load_paths([Repository("examples", root, str(EXAMPLES), files)])
    assert any(p.code == "duplicate-entity" for p in run.catalog.problems)
    assert len(run.catalog) > 60
    assert Path(EXAMPLES).is_dir()
