"""Adoption of the paved road: a hand-made organisation with known shares and exceptions.

Two teams under one organisation group (one with a child team), two templates, a user who
approves; components on a path by template and by declaration, off-road with a valid, an
expired and a reasonless exception, and silent ones. Real `pavedroad build`s, three in a row
with history.json carried over, give exactly the figures, chart points and warnings expected.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, load_repo, pavedroad

from generator.adoption import Share, adoption_problems, analyse_adoption, build_date
from generator.portal import build_portal

DAY1, DAY2, DAY3 = "2026-03-01", "2026-03-02", "2026-03-05"


def _epoch(day: str) -> str:
    when = datetime.datetime.fromisoformat(day).replace(hour=12, tzinfo=datetime.UTC)
    return str(int(when.timestamp()))


def _doc(kind: str, name: str, spec: str, annotations: dict[str, str] | None = None,
         title: str | None = None, api: str = "backstage.io/v1alpha1") -> str:
    meta = f"  name: {name}\n" + (f"  title: {title}\n" if title else "")
    if annotations:
        meta += "  annotations:\n" + "".join(
            f"    {k}: {json.dumps(v)}\n" for k, v in annotations.items())
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}spec: {spec}\n"


def _component(name: str, owner: str, system: str | None = None, **notes: str) -> str:
    spec = f"{{type: service, lifecycle: production, owner: {owner}" + (
        f", system: {system}}}" if system else "}")
    keys = {"template": "backstage.io/source-template", "path": "pavedroad.dev/golden-path",
            "off": "pavedroad.dev/off-road", "by": "pavedroad.dev/off-road-approved-by",
            "until": "pavedroad.dev/off-road-until"}
    return _doc("Component", name, spec, {keys[k]: v for k, v in notes.items()})


BASE = [
    _doc("Group", "org", "{type: organization, children: [team-a, team-b]}"),
    _doc("Group", "team-a", "{type: team, parent: org, children: [team-c]}"),
    _doc("Group", "team-b", "{type: team, parent: org, children: []}"),
    _doc("Group", "team-c", "{type: team, parent: team-a, children: []}"),
    _doc("User", "alice", "{memberOf: [team-a]}"),
    _doc("System", "shop", "{owner: team-a}"),
    _doc("Template", "service", "{type: service, owner: team-a, steps: []}",
         title="Service", api="scaffolder.backstage.io/v1beta3"),
    _doc("Template", "site", "{type: website, owner: team-a, steps: []}",
         title="Static site", api="scaffolder.backstage.io/v1beta3"),
    _component("a1", "team-a", "shop", template="template:default/service"),
    _component("a2", "team-a", "shop", path="Service"),
    _component("c1", "team-c", path="site"),
    _component("c2", "team-c", off="Needs GPU nodes the platform lacks", by="user:alice",
               until="2030-01-01"),
    _component("b1", "team-b", "shop", off="Vendor appliance, cannot run our base image",
               by="group:org", until="2026-02-01"),
    _component("b2", "team-b", off="legacy", by="group:nobody"),
    _component("b3", "team-b"),
    _component("b4", "team-b", path="template:default/nonexistent"),
]
"""Day 1: 3 of 8 on a path; exceptions c2 (valid), b1 (expired), b2 (reasonless, unknown
approver); silent b3 and b4 (whose path is unknown)."""
DAY2_ADDED = [_component("n1", "team-b", template="template:default/service"),
              _component("n2", "team-b")]
DAY3_CHANGED = [_component("n3", "team-c", template="template:default/site")]
EXPECTED_WARNINGS = {("off-road-expired", "component:default/b1"),
                     ("off-road-reason-short", "component:default/b2"),
                     ("off-road-approver-unknown", "component:default/b2"),
                     ("unknown-golden-path", "component:default/b4")}


def _org(docs: list[str]) -> str:
    return "---\n".join(docs)


def _write(tmp: Path, docs: list[str]) -> Path:
    repo = tmp / "org" / "repo"
    repo.mkdir(parents=True, exist_ok=True)
    (repo / "catalog-info.yaml").write_text(_org(docs), encoding="utf-8")
    sources = repo.parent / "sources.yaml"
    sources.write_text("sources:\n  - path: repo\n", encoding="utf-8")
    return sources


def _build(sources: Path, site: Path, day: str, history: Path | None = None) -> Path:
    extra = ["--history", str(history)] if history else []
    env = {**os.environ, "SOURCE_DATE_EPOCH": _epoch(day)}
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(sources), "--site-dir", str(site), *extra], cwd=ROOT,
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    return site


def _ref(name: str, kind: str = "component") -> str:
    return f"{kind}:default/{name}"


# --------------------------------------------------------------------------- analysis


def test_shares_count_paths_by_template_and_declaration_teams_through_the_tree(make_repo):
    catalog = load_repo(make_repo({"catalog-info.yaml": _org(BASE)})).catalog
    a = analyse_adoption(catalog, datetime.date.fromisoformat(DAY1))
    assert a.overall == Share(3, 8)
    assert {str(r): s for r, s in a.teams.items()} == {
        _ref("org", "group"): Share(3, 8), _ref("team-a", "group"): Share(3, 4),
        _ref("team-b", "group"): Share(0, 4), _ref("team-c", "group"): Share(1, 2)}
    assert {str(r): s for r, s in a.systems.items()} == {_ref("shop", "system"): Share(2, 3)}
    assert {str(r): s for r, s in a.paths.items()} == {
        _ref("service", "template"): Share(2, 8), _ref("site", "template"): Share(1, 8)}
    assert [str(r.ref) for r in a.exceptions] == [_ref("b1"), _ref("b2"), _ref("c2")]
    assert [r.expired for r in a.exceptions] == [True, False, False]
    assert [str(r) for r in a.silent] == [_ref("b3"), _ref("b4")]
    assert a.new is None


def test_off_road_problems_are_warnings_for_expired_reasonless_and_unknown(make_repo):
    catalog = load_repo(make_repo({"catalog-info.yaml": _org(BASE)})).catalog
    problems = adoption_problems(catalog, datetime.date.fromisoformat(DAY1))
    assert {(p.code, p.entity) for p in problems} == EXPECTED_WARNINGS
    assert {p.severity.value for p in problems} == {"warning"}
    assert all(p.file and p.line for p in problems)
    # the day the exception ends it still holds; the day after it has expired
    def expired(day: datetime.date) -> bool:
        return "off-road-expired" in {p.code for p in adoption_problems(catalog, day)}

    assert (expired(datetime.date(2026, 2, 1)), expired(datetime.date(2026, 2, 2))) == (
        False, True)


def test_an_until_that_is_not_an_iso_date_is_a_warning(make_repo):
    docs = [_doc("Group", "t", "{type: team, children: []}"),
            _component("x", "t", off="A reason long enough", until="next spring")]
    catalog = load_repo(make_repo({"catalog-info.yaml": _org(docs)})).catalog
    assert [p.code for p in adoption_problems(catalog, datetime.date(2026, 1, 1))] == [
        "off-road-until-invalid"]


def test_build_date_comes_from_source_date_epoch(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(DAY2))
    assert build_date(tmp_path) == datetime.date(2026, 3, 2)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date(tmp_path) == datetime.date(1970, 1, 1)  # not a git repository


def test_check_and_build_report_the_same_adoption_warnings(tmp_path, monkeypatch):
    sources = _write(tmp_path, BASE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(DAY1))
    built = {(p.code, p.entity) for p in build_portal(sources).run.catalog.problems}
    result = pavedroad("check", "--format", "json", "--sources", str(sources), cwd=tmp_path,
                       env={**os.environ, "SOURCE_DATE_EPOCH": _epoch(DAY1)})
    checked = {(p["code"], p.get("entity")) for p in json.loads(result.stdout)}
    assert checked == built
    assert checked >= EXPECTED_WARNINGS


# --------------------------------------------------------------------------- three builds


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> list[Path]:
    """Three builds on three dates, each given the previous one's history.json."""
    tmp = tmp_path_factory.mktemp("adoption")
    sources = _write(tmp, BASE)
    first = _build(sources, tmp / "site1", DAY1)
    _write(tmp, BASE + DAY2_ADDED)
    second = _build(sources, tmp / "site2", DAY2, first / "history.json")
    day3 = [d.replace('"template:default/nonexistent"', '"template:default/service"')
            for d in BASE] + DAY2_ADDED + DAY3_CHANGED
    _write(tmp, day3)
    third = _build(sources, tmp / "site3", DAY3, second / "history.json")
    return [first, second, third]


def _history(site: Path) -> dict:
    return json.loads((site / "history.json").read_text(encoding="utf-8"))


def test_three_builds_append_one_trend_point_each(builds):
    points = _history(builds[2])["adoption"]["points"]
    assert [(p["date"], p["on_path"], p["components"], p["off_road"], p["silent"])
            for p in points] == [(DAY1, 3, 8, 3, 2), (DAY2, 4, 10, 3, 3),
                                 (DAY3, 6, 11, 3, 2)]
    assert [p["teams"][_ref("team-b", "group")] for p in points] == [[0, 4], [1, 6], [2, 6]]


def test_exceptions_age_from_the_build_that_first_saw_them(builds):
    section = _history(builds[2])["adoption"]
    assert section["off_road_since"] == {_ref("b1"): DAY1, _ref("b2"): DAY1,
                                         _ref("c2"): DAY1}
    page = (builds[2] / "adoption/index.html").read_text(encoding="utf-8")
    assert "4 days" in page and "since 2026-03-01" in page


def test_new_components_are_counted_from_the_previous_build(builds):
    pages = [(site / "adoption/index.html").read_text(encoding="utf-8") for site in builds]
    assert "New components are counted from the next build on" in pages[0]
    assert f"New since the build of {DAY1}: 1 of 2 (50%) started from a template" in pages[1]
    assert f"New since the build of {DAY2}: 1 of 1 (100%) started from a template" in pages[2]
    added = {e["ref"]: e["added"] for e in _history(builds[2])["entities"]}
    assert (added[_ref("a1")], added[_ref("n1")], added[_ref("n3")]) == (DAY1, DAY2, DAY3)


def test_the_chart_draws_one_point_per_build_spaced_by_date(builds):
    page = (builds[2] / "adoption/index.html").read_text(encoding="utf-8")
    line = re.search(r'<polyline class="pr-chart-line" fill="none" points="([^"]+)"', page)
    points = [tuple(map(float, p.split(","))) for p in line.group(1).split()]
    # x from the left edge (40) to the right (468) by date: days 0, 1 and 4 of 4
    assert [x for x, _ in points] == [40.0, 147.0, 468.0]
    # y: 100 % at 10, 0 % at 134; shares 37.5 %, 40 %, 54.5 %
    assert [y for _, y in points] == [round(10 + (100 - v) / 100 * 124, 1)
                                      for v in (37.5, 40.0, 600 / 11)]
    assert '<title id="adoption-trend-title">Share of components on a golden path: ' \
           "6 of 11 (55%) on 2026-03-05</title>" in page
    assert "<tr><td>2026-03-01</td><td>3 of 8 (38%)</td></tr>" in page


def test_team_pages_show_their_own_figures_and_trend(builds):
    page = (builds[2] / "catalog/default/group/team-a/index.html").read_text(encoding="utf-8")
    assert "<strong>4 of 5 (80%)</strong> components owned here" in page
    assert "<tr><td>2026-03-01</td><td>3 of 4 (75%)</td></tr>" in page
    assert 'class="pr-chart-svg"' in page


def test_warnings_go_away_when_fixed_and_stay_when_not(builds):
    health = [(site / "health/index.html").read_text(encoding="utf-8") for site in builds]
    unknown = "&#x27;template:default/nonexistent&#x27; is not a golden path this portal knows"
    expired = "the off-road exception ended on 2026-02-01 (build date 2026-03-05)"
    assert unknown in health[0] and unknown not in health[2]
    assert expired in health[2]


def test_entity_pages_show_the_declared_trade_off_and_path(builds):
    page = (builds[0] / "catalog/default/component/c2/index.html").read_text(encoding="utf-8")
    assert "<tr><th>Off-road</th> <td>Needs GPU nodes the platform lacks</td></tr>" in page
    assert '<tr><th>Approved by</th> <td><a href="../../user/alice/">alice</a></td></tr>' in page
    assert "<tr><th>Until</th> <td>2030-01-01</td></tr>" in page
    expired = (builds[0] / "catalog/default/component/b1/index.html").read_text(encoding="utf-8")
    assert '2026-02-01 <span class="pr-note">(expired)</span>' in expired
    declared = (builds[0] / "catalog/default/component/a2/index.html").read_text(encoding="utf-8")
    assert '<tr><th>Golden path</th> <td><a href="../../template/service/">Service</a> ' \
           '<span class="pr-note">(declared)</span></td></tr>' in declared


def test_golden_path_pages_show_their_adoption(builds):
    page = (builds[2] / "catalog/default/template/service/index.html").read_text(
        encoding="utf-8")
    assert "<strong>4 of 11 (36%)</strong> components are on this path: 2 created from it, " \
           "2 declaring it." in page


def test_adoption_csv_has_a_row_per_component(builds):
    rows = list(csv.DictReader(io.StringIO((builds[0] / "adoption.csv").read_text())))
    assert [r["ref"] for r in rows] == [_ref(n) for n in
                                        ("a1", "a2", "b1", "b2", "b3", "b4", "c1", "c2")]
    by_ref = {r["ref"]: r for r in rows}
    assert by_ref[_ref("a1")]["status"] == "on-path" and by_ref[_ref("a1")][
        "from_template"] == "yes"
    assert (by_ref[_ref("b1")]["status"], by_ref[_ref("b1")]["expired"]) == ("off-road", "yes")
    assert by_ref[_ref("b4")]["status"] == "silent"


def test_same_builds_give_the_same_bytes(builds, tmp_path):
    again = _build(_write(tmp_path, BASE), tmp_path / "again", DAY1)
    for name in ("history.json", "adoption.csv", "adoption/index.html"):
        assert (again / name).read_bytes() == (builds[0] / name).read_bytes(), name


def test_the_trend_keeps_one_point_per_day(builds, tmp_path):
    sources = _write(tmp_path, BASE + DAY2_ADDED)
    rebuilt = _build(sources, tmp_path / "rebuilt", DAY2, builds[1] / "history.json")
    points = _history(rebuilt)["adoption"]["points"]
    assert [p["date"] for p in points] == [DAY1, DAY2]
