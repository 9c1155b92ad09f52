"""``pavedroad check --format sarif``: SARIF 2.1.0, validated against the published schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import COMPONENT, DEMO_SOURCES, FIXTURES, GROUP, ROOT, pavedroad

from generator.problem_help import PROBLEM_HELP
from generator.problems import Problem, Severity
from generator.sarif import sarif_log

SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _assert_valid_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA,
                                           format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: e.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def broken_repo(make_repo):
    bad = COMPONENT.format(name="svc", owner="ghost-team").replace(
        "metadata:\n", "metadata:\n  tags: [Not A Tag]\n")
    return make_repo({"catalog-info.yaml": bad + "---\n" + GROUP.format(name="bad name")},
                     name="a repo")


def test_check_sarif_output_validates_against_the_sarif_2_1_0_schema(broken_repo):
    result = pavedroad("check", "--format", "sarif", str(broken_repo))
    assert result.returncode == 1
    log = json.loads(result.stdout)
    _assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "Paved Road"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"invalid-tag", "invalid-name", "missing-ref"} <= set(rules)
    assert rules["invalid-tag"]["help"]["text"] == PROBLEM_HELP["invalid-tag"]
    tag = next(r for r in run["results"] if r["ruleId"] == "invalid-tag")
    assert tag["level"] == "error"
    assert run["tool"]["driver"]["rules"][tag["ruleIndex"]]["id"] == "invalid-tag"
    where = tag["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("a%20repo/catalog-info.yaml")
    assert where["region"] == {"startLine": 4}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["missing-ref"] == "warning"


def test_sarif_maps_severities_and_places_problems_without_a_file():
    problems = [Problem(Severity.INFO, "history-missing", "no history yet"),
                Problem(Severity.WARNING, "unsafe-link", "x", file="/abs/catalog-info.yaml",
                        line=3, entity="component:default/a")]
    log = sarif_log(problems, version="1.2.3", default_file="catalog-sources/sources.yaml")
    _assert_valid_sarif(log)
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["note", "warning"]
    assert results[0]["locations"][0]["physicalLocation"] == {"artifactLocation": {
        "uri": "catalog-sources/sources.yaml", "uriBaseId": "%SRCROOT%"}}
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/catalog-info.yaml"}
    assert results[1]["message"]["text"] == "x [component:default/a]"


def test_every_problem_the_demo_and_fixtures_raise_has_help_text():
    demo = pavedroad("check", "--format", "json", "--sources", str(DEMO_SOURCES))
    repos = sorted(p for p in (FIXTURES / "real-world").iterdir())
    fixtures = pavedroad("check", "--format", "json", *map(str, repos),
                         str(FIXTURES / "backstage-examples"), cwd=ROOT)
    codes = {p["code"] for out in (demo, fixtures) for p in json.loads(out.stdout)}
    assert len(codes) > 10
    assert codes <= set(PROBLEM_HELP), codes - set(PROBLEM_HELP)


def test_sarif_of_a_clean_repository_has_no_results(make_repo):
    root = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a")
                      + "---\n" + GROUP.format(name="team-a")})
    result = pavedroad("check", "--format", "sarif", str(root))
    assert result.returncode == 0 and result.stderr == ""
    log = json.loads(result.stdout)
    _assert_valid_sarif(log)
    assert log["runs"][0]["results"] == []
