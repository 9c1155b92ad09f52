"""Real-world descriptors: each loads or gets a precise problem, never a crash.

Fixtures: tests/fixtures/real-world (see fixtures/PROVENANCE.md).
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from generator.pipeline import load_paths
from generator.problems import Severity
from generator.sources import repository_for_path

REAL = sorted((FIXTURES / "real-world").iterdir())


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_loads_or_reports(path):
    run = load_paths([repository_for_path(path)])
    for problem in run.catalog.problems:
        assert problem.file and problem.message
        assert problem.line is None or problem.line >= 1
        assert problem.file.endswith(path.name) or problem.code == "missing-ref"
    failed = any(p.severity is Severity.ERROR for p in run.catalog.problems)
    assert len(run.catalog) > 0 or failed or "comments-only" in path.name


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
