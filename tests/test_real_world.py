"""Real-world descriptors: each loads or gets a precise problem, never a crash.

Fixtures: tests/fixtures/real-world (see fixtures/PROVENANCE.md).
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import FIXTURES

from generator.pipeline import load_paths
from generator.sources import repository_for_path

REAL = sorted((FIXTURES / "real-world").iterdir())


OUTCOMES: dict[str, tuple[int, dict[str, int]]] = {
    # file: (entities in the catalog, {"severity:code": how many problems})
    "1-Platform__one-platform__catalog-info.yaml": (1, {"error:missing-file": 21}),
    "7K-Group__backstage-catalog__catalog-info.yaml": (1, {"info:remote-location": 2}),
    "Geotab__mygeotab-api-adapter__catalog-info.yml":
        (2, {"error:missing-field": 1, "warning:missing-ref": 1}),
    "Invoca__process_settings__catalog-info.yml": (1, {"warning:missing-ref": 1}),
    "LLNL__radiuss-shared-ci__catalog-info.yml":
        (0, {"error:entity-skipped": 1, "error:missing-field": 3}),
    "LedgerHQ__device-sdk-ts__catalog-info.yml":
        (4, {"error:duplicate-entity": 1, "warning:missing-ref": 8}),
    "OctopusDeploy__mssql-docker__.backstage__catalog-info.yaml":
        (0, {"error:entity-skipped": 1, "error:invalid-name": 1}),
    "PagerDuty__backstage-plugin__catalog-info.yaml": (1, {"warning:missing-ref": 1}),
    "RoadieHQ__roadie-backstage-plugins__catalog-info.yaml": (2, {"warning:missing-ref": 1}),
    "RoadieHQ__sample-service__broken-catalog-info.yaml": (1, {"warning:missing-ref": 2}),
    "RoadieHQ__sample-service__org.yaml": (5, {}),
    "ScaCap__action-surefire-report__catalog-info.yml": (1, {"warning:missing-ref": 1}),
    "Tradeshift__elements__catalog-info.yml": (1, {"warning:missing-ref": 1}),
    "Zenika__sensei__.backstage__catalog-info.yaml": (1, {"warning:missing-ref": 1}),
    "backstage__community-plugins__catalog-info.yaml": (1, {"warning:missing-ref": 1}),
    "backstage__demo__catalog-info.yaml":
        (2, {"info:remote-substitution": 1, "warning:missing-ref": 2}),
    "backstage__mkdocs-techdocs-core__catalog-info.yaml":
        (1, {"error:missing-field": 1, "warning:missing-ref": 1}),
    "backstage__software-templates__scaffolder-templates__docs-template__template.yaml":
        (1, {"warning:missing-ref": 1}),
    "backstage__software-templates__scaffolder-templates__react-ssr-template__skeleton__"
    "catalog-info.yaml": (0, {"error:yaml-syntax": 1}),
    "dpatel-crest__catalog-json-non-mono-repo__catalog-info.json": (1, {"warning:missing-ref": 1}),
    "einride__aip-go__.backstage__catalog-info.yaml": (1, {"warning:missing-ref": 1}),
    "im-open__validate-catalog-info__test__catalog-infos__comments-only.yml": (0, {}),
    "im-open__validate-catalog-info__test__catalog-infos__invalid-entities.yml":
        (10, {"error:entity-skipped": 7, "error:invalid-name": 2, "error:missing-field": 22,
              "error:unknown-api-version": 1, "error:wrong-type": 2, "warning:unsafe-link": 4}),
    "janus-idp__software-templates__templates__github__register-component__template.yaml":
        (1, {"warning:missing-ref": 1}),
    "navikt__g__.backstage__catalog-info.yaml": (2, {"warning:missing-ref": 3}),
    "redhat-developer__rhdh__catalog-entities__marketplace__packages__"
    "pagerduty-backstage-plugin.yaml": (1, {}),  # a custom kind (Package): no warning
    "redhat-developer__rhdh__catalog-info.yaml": (2, {"warning:missing-ref": 2}),
    "repaygithub__cactus__.backstage__catalog-info.yaml": (15, {"warning:missing-ref": 1}),
    "tyriis__home-ops__.backstage__api__locking-service__catalog-info.yaml":
        (1, {"error:missing-field": 1, "error:unknown-substitution": 1,
             "warning:missing-ref": 1}),
    "tyriis__home-ops__.backstage__catalog-info.yaml": (1, {"info:remote-location": 32}),
    "webgrip__organisation-public__catalog-info.yaml": (3, {"error:missing-file": 4}),
    "webgrip__organisation-public__catalog__groups__c-level-group.yaml":
        (1, {"warning:missing-ref": 1}),
}
"""What each real-world file gives today; a change in crawling or validation shows here."""


def test_every_fixture_has_an_expected_outcome():
    assert sorted(OUTCOMES) == [p.name for p in REAL]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_loads_its_entities_and_reports_its_exact_problems(path):
    run = load_paths([repository_for_path(path)])
    for problem in run.catalog.problems:
        assert problem.file and problem.message
        assert problem.line is None or problem.line >= 1
        assert problem.file.endswith(path.name) or problem.code == "missing-ref"
    found = Counter(f"{p.severity.value}:{p.code}" for p in run.catalog.problems)
    assert (len(run.catalog), dict(found)) == OUTCOMES[path.name]


EXPECTED = {
    "OctopusDeploy__mssql-docker__.backstage__catalog-info.yaml": ("invalid-name", 4),
    "backstage__software-templates__scaffolder-templates__react-ssr-template__skeleton__"
    "catalog-info.yaml": ("yaml-syntax", 5),
    "backstage__mkdocs-techdocs-core__catalog-info.yaml": ("missing-field", 5),
    "LedgerHQ__device-sdk-ts__catalog-info.yml": ("duplicate-entity", 58),
    "LLNL__radiuss-shared-ci__catalog-info.yml": ("entity-skipped", 3),
    "tyriis__home-ops__.backstage__api__locking-service__catalog-info.yaml":
        ("unknown-substitution", 12),
    "Geotab__mygeotab-api-adapter__catalog-info.yml": ("missing-field", 9),
}


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_precise_problems(name, expected):
    run = load_paths([repository_for_path(FIXTURES / "real-world" / name)])
    assert expected in [(p.code, p.line) for p in run.catalog.problems]


def test_crlf_file_lines_are_right():
    path = (FIXTURES / "real-world"
            / "im-open__validate-catalog-info__test__catalog-infos__invalid-entities.yml")
    assert b"\r\n" in path.read_bytes()
    run = load_paths([repository_for_path(path)])
    lines = {p.line for p in run.catalog.problems}
    assert {5, 22, 30, 37} <= lines


def test_json_descriptor_loads():
    path = FIXTURES / "real-world/dpatel-crest__catalog-json-non-mono-repo__catalog-info.json"
    run = load_paths([repository_for_path(path)])
    assert [r.kind for r in run.catalog.entities] == ["component"]
