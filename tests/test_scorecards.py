"""Scorecards: built-in checks, levels, rollups, rule files, badges and pages."""

from __future__ import annotations

import os
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_SOURCES, ROOT, load_repo, pavedroad
from sitecheck import broken_links, links_of

from generator.pages import build_pages
from generator.pages.scorecard_pages import (
    SCORECARDS_PAGE,
    ScorecardFeature,
    badge_svg,
    level_colour,
)
from generator.pipeline import load_catalog
from generator.portal import PortalOptions, build_portal
from generator.refs import parse_ref
from generator.scorecards import (
    CHECKS,
    DEFAULT_LEVELS,
    CheckContext,
    Rule,
    RuleResult,
    cycle_members,
    default_ruleset,
    find_rules,
    level_of,
    load_rules,
    owned_by,
    parse_rules,
    rollup,
    score_catalog,
)
from generator.urls import badge_path

# --------------------------------------------------------------------------- a small org

ORG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: platform}
spec: {type: department, children: [team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, parent: platform, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: alice}
spec: {memberOf: [team-a]}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop}
spec: {owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: good
  description: Does everything right.
  labels: {tier: "1", team: a}
  annotations:
    backstage.io/techdocs-ref: dir:.
    pagerduty.com/service-id: PGOOD01
    backstage.io/kubernetes-id: good
  links:
    - {url: "https://example.com/runbook", title: Runbook, type: runbook}
    - {url: "https://example.com/dash", title: Dash, type: dashboard}
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: shop
  dependsOn: [component:library]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bare
spec:
  type: service
  lifecycle: production
  owner: user:alice
  system: nowhere
  dependsOn: [component:old, component:ghost]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: old
  description: Going away.
  annotations: {tier: "3", opsgenie.com/team: Payments}
  links:
    - {url: "https://example.com/ops", title: "Ops RUNBOOK", type: docs}
    - {url: "https://example.com/pager", title: Rota, type: oncall}
spec: {type: service, lifecycle: deprecated, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: library, description: Shared code., tags: [python]}
spec: {type: library, lifecycle: production, owner: team-a, system: shop}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: ping}
spec: {type: service, lifecycle: experimental, owner: ghost-team, dependsOn: [component:pong]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: pong}
spec: {type: service, lifecycle: experimental, owner: team-a, dependsOn: [component:ping]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: narcissus}
spec: {type: service, lifecycle: experimental, owner: team-a, dependsOn: [component:narcissus]}
---
# kept in the catalog despite its missing owner and lifecycle (both are problems)
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orphan}
spec: {type: service}
"""


@pytest.fixture
def org(make_repo):
    # CODEOWNERS names no team of the catalog, so it gives the orphan no owner
    root = make_repo({"catalog-info.yaml": ORG, ".github/CODEOWNERS": "* @org/elsewhere\n"},
                     name="shop")
    run = load_repo(root, "shop")
    return run


def ctx_of(run) -> CheckContext:
    from generator.graph import build_graph, dependency_cycles

    roots = {r.name: r.root for r in run.repositories}
    return CheckContext(run.catalog, cycle_members(dependency_cycles(build_graph(run.catalog))),
                        roots)


def check(run, name: str, ref: str, **params) -> str | None:
    entity = run.catalog.get(parse_ref(ref, default_kind="component"))
    assert entity is not None, ref
    return CHECKS[name].fn(entity, ctx_of(run), params)


# --------------------------------------------------------------------------- every check

CASES = [
    # check, params, passing entity, failing entity, words in the failure reason
    ("has-owner", {}, "good", "orphan", "spec.owner is not set"),
    ("owner-is-group", {}, "good", "bare", "is a user, not a group"),
    ("owner-is-group", {}, "good", "ping", "not in the catalog"),
    ("has-description", {}, "good", "bare", "metadata.description"),
    ("has-docs", {}, "good", "bare", "backstage.io/techdocs-ref"),
    ("has-runbook", {}, "good", "bare", "runbook"),
    ("has-runbook", {}, "old", "library", "runbook"),  # title mentions a runbook
    ("has-oncall", {}, "good", "bare", "PagerDuty"),
    ("has-oncall", {}, "old", "library", "oncall"),  # Opsgenie annotation, oncall link
    ("has-lifecycle", {}, "good", "orphan", "spec.lifecycle"),
    ("has-system", {}, "good", "bare", "system:nowhere is not in the catalog"),
    ("has-system", {}, "library", "old", "spec.system is not set"),
    ("has-tier", {}, "good", "bare", "tier"),
    ("has-tier", {}, "old", "library", "tier"),  # tier as an annotation
    ("no-deprecated-dependencies", {}, "good", "bare", "component:old"),
    ("not-in-dependency-cycle", {}, "good", "ping", "component:pong"),
    ("not-in-dependency-cycle", {}, "library", "narcissus", "depends on itself"),
    ("has-annotation", {"key": "backstage.io/kubernetes-id"}, "good", "bare",
     "backstage.io/kubernetes-id"),
    ("has-annotation", {"key": "pagerduty.com/service-id", "value": "PGOOD01"}, "good", "bare",
     "pagerduty"),
    ("has-label", {"key": "team"}, "good", "old", "label team"),
    ("has-label", {"key": "tier", "value": "1"}, "good", "library", "label tier"),
    ("has-link", {"type": "dashboard"}, "good", "bare", "dashboard"),
    ("file-exists", {"path": [".github/CODEOWNERS", "CODEOWNERS"]}, "good", None, None),
    ("file-exists", {"path": "README.md"}, None, "good", "no README.md"),
]


@pytest.mark.parametrize(("name", "params", "passing", "failing", "words"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_builtin_check_passes_and_fails(org, name, params, passing, failing, words):
    if passing:
        assert check(org, name, passing, **params) is None
    if failing:
        reason = check(org, name, failing, **params)
        assert reason, f"{failing} should fail {name}"
        assert words.lower() in reason.lower()


def test_every_builtin_check_is_covered_by_a_case():
    assert {c[0] for c in CASES} == set(CHECKS)


def test_file_check_never_leaves_the_repository(make_repo, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("top secret")
    root = make_repo({"catalog-info.yaml": ORG}, name="shop")
    (root / "LINK").symlink_to(outside)
    (root / "docs").mkdir()
    run = load_repo(root, "shop")
    ctx = ctx_of(run)
    (root / "NEXT").symlink_to(make_repo({"README.md": "x"}, name="shop-evil") / "README.md")
    (root / "LOOP").symlink_to(root / "LOOP")  # and the sibling's name starts with the root's
    for path in ("LINK", "../secret.txt", "docs", "NEXT", "../shop-evil/README.md", "LOOP",
                 "/etc/hostname", "bad\0name"):  # "docs": a directory is not a file
        assert ctx.file_exists("shop", path) is False, path
    assert ctx.file_exists("shop", "catalog-info.yaml") is True
    assert ctx.file_exists("shop", str(root / "catalog-info.yaml")) is True  # absolute, inside
    assert ctx.file_exists("elsewhere", "catalog-info.yaml") is None


def test_file_check_without_the_repository_says_so(org):
    entity = org.catalog.get(parse_ref("component:good"))
    ctx = CheckContext(org.catalog)  # no repository roots
    reason = CHECKS["file-exists"].fn(entity, ctx, {"path": "CODEOWNERS"})
    assert reason and "not available" in reason


# --------------------------------------------------------------------------- levels


def _result(level: str, passed: bool) -> RuleResult:
    return RuleResult(Rule(f"r-{level}-{passed}", "R", level, "has-docs"), passed)


@pytest.mark.parametrize(("results", "expected"), [
    ([], "Gold"),
    ([_result("Bronze", True), _result("Silver", True), _result("Gold", True)], "Gold"),
    ([_result("Bronze", True), _result("Silver", True), _result("Gold", False)], "Silver"),
    ([_result("Bronze", True), _result("Silver", False), _result("Gold", True)], "Bronze"),
    ([_result("Bronze", False), _result("Silver", True), _result("Gold", True)], None),
    ([_result("Silver", True), _result("Gold", False)], "Silver"),  # no Bronze rule applies
])
def test_level_needs_every_rule_of_it_and_of_the_levels_below(results, expected):
    assert level_of(results, DEFAULT_LEVELS) == expected


def test_scores_of_the_small_org(org):
    scores = score_catalog(org.catalog, default_ruleset(), repositories=org.repositories)
    good = scores.get(parse_ref("component:good"))
    assert good.level == "Gold" and not good.failed and good.next_level is None
    bare = scores.get(parse_ref("component:bare"))
    assert bare.level is None and bare.next_level == "Bronze"
    assert {r.rule.id for r in bare.blocking()} == {"owner-is-team", "description"}
    ping = scores.get(parse_ref("component:ping"))
    assert "no-dependency-cycles" in {r.rule.id for r in ping.failed}
    library = scores.get(parse_ref("component:library"))
    assert "tier" not in {r.rule.id for r in library.results}  # filtered by type
    for kind in ("group", "user", "system"):  # no default rule applies to them
        assert not any(ref.kind == kind for ref in scores.entities)


def test_filters_by_kind_type_lifecycle_and_tag(org):
    ruleset, problems = parse_rules({"rules": [
        {"id": "a", "level": "Bronze", "check": "has-docs",
         "filter": {"kind": "Component", "type": ["SERVICE"], "lifecycle": "production"}},
        {"id": "b", "level": "Bronze", "check": "has-docs", "filter": {"tag": "python"}},
    ]})
    assert problems == []
    scores = score_catalog(org.catalog, ruleset, repositories=org.repositories)
    by_rule = {r: sorted(ref.name for ref, s in scores.entities.items()
                         if any(x.rule.id == r for x in s.results)) for r in ("a", "b")}
    assert by_rule == {"a": ["bare", "good"], "b": ["library"]}


# --------------------------------------------------------------------------- rollups


def test_rollup_counts_levels_and_orders_failed_rules(org):
    scores = score_catalog(org.catalog, default_ruleset(), repositories=org.repositories)
    team = parse_ref("group:team-a")
    owned = owned_by(org.catalog, team)
    assert parse_ref("component:good") in owned and parse_ref("component:bare") not in owned
    summary = rollup(scores, owned)
    assert summary.total == len([r for r in owned if r in scores])
    levels = dict(summary.levels)
    assert list(levels) == ["Gold", "Silver", "Bronze", None]
    assert sum(levels.values()) == summary.total and levels["Gold"] >= 1
    worst = summary.most_failed()
    assert worst == sorted(worst, key=lambda s: -len(s.failing))
    assert all(s.failing for s in worst)
    assert 0 < summary.pass_rate < 1
    everything = rollup(scores)
    assert everything.total == len(scores)
    assert everything.checks == sum(len(s.results) for s in scores.entities.values())


def test_department_rollup_includes_child_teams(org):
    platform = parse_ref("group:platform")
    assert owned_by(org.catalog, platform, through_children=False) == []
    assert owned_by(org.catalog, platform) == owned_by(org.catalog, parse_ref("group:team-a"))


# --------------------------------------------------------------------------- rule files


def test_default_rules_load_cleanly_and_each_has_a_fix():
    ruleset = default_ruleset()
    assert ruleset.levels == ("Bronze", "Silver", "Gold")
    assert {r.level for r in ruleset.rules} == set(ruleset.levels)
    for rule in ruleset.rules:
        assert rule.fix and rule.title and rule.check in CHECKS, rule.id


def test_demo_rules_file_is_clean_and_used():
    ruleset, problems = find_rules(DEMO_SOURCES)
    assert problems == []
    assert ruleset.source.endswith("scorecards.yaml") and len(ruleset.rules) >= 12
    for rule in ruleset.rules:
        assert rule.fix and rule.description, rule.id


def _problems(text: str, tmp_path: Path):
    path = tmp_path / "scorecards.yaml"
    path.write_text(textwrap.dedent(text))
    return load_rules(path)


BAD = """\
levels: [Bronze, Silver, Gold]
rules:
  - id: fine
    level: Bronze
    check: has-owner
  - id: typo
    level: Bronze
    check: has-runbok
  - id: platinum
    level: Platinum
    check: has-docs
  - level: Silver
    check: has-docs
  - id: fine
    level: Silver
    check: has-docs
  - id: filtered
    level: Silver
    check: has-docs
    filter: {kinds: component}
  - id: escape
    level: Gold
    check: file-exists
    params: {path: ../../etc/passwd}
  - id: no-key
    level: Gold
    check: has-annotation
  - id: extra-param
    level: Gold
    check: has-owner
    params: {key: x}
  - id: misspelt
    level: Gold
    check: has-docs
    descripton: oops
  - id: bad-title
    level: Gold
    check: has-docs
    title: [not, text]
"""


def test_bad_rules_name_the_rule_the_field_and_the_line(tmp_path):
    ruleset, problems = _problems(BAD, tmp_path)
    assert [r.id for r in ruleset.rules] == ["fine"]
    messages = {p.message.split(":")[0]: (p.message, p.line) for p in problems}
    expected = {
        "rule 'typo' (rules[1])": ("check", "unknown check 'has-runbok'", 8),
        "rule 'platinum' (rules[2])": ("level", "'Platinum' is not a level", 10),
        "rules[3]": ("id", "required", 12),
        "rule 'fine' (rules[4])": ("id", "already used by rules[0]", 14),
        "rule 'filtered' (rules[5])": ("filter.kinds", "unknown filter", 20),
        "rule 'escape' (rules[6])": ("params.path", "inside the repository", 24),
        "rule 'no-key' (rules[7])": ("params", "needs the parameter 'key'", 25),
        "rule 'extra-param' (rules[8])": ("params.key", "unknown parameter", 31),
        "rule 'misspelt' (rules[9])": ("descripton", "unknown field", 35),
        "rule 'bad-title' (rules[10])": ("title", "non-empty string", 39),
    }
    for name, (field, words, line) in expected.items():
        assert name in messages, (name, sorted(messages))
        message, got_line = messages[name]
        assert f": {field}: " in message and words in message, message
        assert got_line == line, (name, got_line)
    for problem in problems:
        assert problem.code == "scorecard-config" and problem.severity == "error"
        assert problem.file.endswith("scorecards.yaml")


@pytest.mark.parametrize(("text", "words"), [
    ("rules: [\n  {id: a\n", "not valid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
    ("rules: {id: a}\n", "'rules' must be a list"),
    ("levels: [Gold, gold]\nrules: []\n", "names a level twice"),
    ("levels: []\nrules: []\n", "non-empty list"),
    ("rules: []\nextra: 1\n", "unknown key 'extra'"),
])
def test_bad_files_are_problems_not_crashes(tmp_path, text, words):
    ruleset, problems = _problems(text, tmp_path)
    assert any(words in p.message for p in problems), [p.message for p in problems]
    assert ruleset.levels


def test_unreadable_file_falls_back_to_the_defaults(tmp_path):
    ruleset, problems = load_rules(tmp_path / "missing.yaml")
    assert ruleset == default_ruleset() and len(problems) == 1
    assert "cannot read the scorecards file" in problems[0].message


def test_rules_file_beside_sources_is_found(tmp_path):
    sources = tmp_path / "sources.yaml"
    assert find_rules(sources) == (default_ruleset(), [])
    (tmp_path / "scorecards.yaml").write_text(
        "levels: [Basic, Great]\nrules:\n  - {id: docs, level: great, check: has-docs}\n")
    ruleset, problems = find_rules(sources)
    assert problems == [] and ruleset.levels == ("Basic", "Great")
    assert ruleset.rules[0].level == "Great"  # spelt as the levels list spells it
    assert ruleset.rules[0].title == "Has documentation"  # from the check


def test_bad_rules_file_does_not_stop_the_portal(make_repo):
    root = make_repo({"repo/catalog-info.yaml": ORG,
                      "sources.yaml": "sources:\n  - path: repo\n",
                      "scorecards.yaml": "rules:\n  - {id: x, level: Bronze, check: nope}\n"},
                     name="org")
    portal = build_portal(root / "sources.yaml")
    problems = [p for p in portal.run.catalog.problems if p.code == "scorecard-config"]
    assert len(problems) == 1 and problems[0].line == 2 and "rule 'x'" in problems[0].message
    assert SCORECARDS_PAGE in portal.pages.pages
    other = build_portal(root / "sources.yaml",
                         PortalOptions(scorecards=root / "no-such-file.yaml"))
    assert any("cannot read" in p.message for p in other.run.catalog.problems)


# --------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo_portal():
    return build_portal(DEMO_SOURCES)


def test_demo_shows_a_spread_of_levels(demo_portal):
    levels = dict(rollup(demo_portal.scores).levels)
    assert all(levels[level] >= 1 for level in ("Gold", "Silver", "Bronze", None)), levels
    assert demo_portal.run.catalog.problems == []


def test_demo_expected_levels(demo_portal):
    expected = {"component:checkout-service": "Gold", "component:product-catalog-service":
                "Silver", "component:returns-service": "Bronze", "component:size-advisor": None,
                "resource:returns-db": "Gold"}
    for ref, level in expected.items():
        assert demo_portal.scores.get(parse_ref(ref)).level == level, ref


# --------------------------------------------------------------------------- badges


def test_badges_are_valid_self_contained_svg_with_escaped_text():
    svg = badge_svg("paved road", "<script>&'\"\x01 Gold", "#8a6d0b")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["paved road", "<script>&'\" Gold"]
    assert "<script>" not in svg
    assert "href=\"http" not in svg and "@import" not in svg and "<image" not in svg
    assert badge_svg("a", "b", "red;background:url(x)").count("url(x)") == 0


def test_badges_exist_for_every_scored_entity(demo_portal):
    assets = demo_portal.pages.assets
    for ref, score in demo_portal.scores.entities.items():
        svg = assets[badge_path(ref)].decode()
        ET.fromstring(svg)
        assert f">{score.level or 'No level'}</text>" in svg


def test_hostile_rule_text_and_level_names_are_escaped(org):
    ruleset, problems = parse_rules({
        "levels": ["<b>Low</b>", "High & <i>mighty</i>"],
        "rules": [{"id": "x", "level": "<b>Low</b>", "check": "has-docs",
                   "title": "<script>alert(1)</script>", "description": "<img src=x>",
                   "fix": "Use `<svg onload=alert(1)>` and <a href=javascript:x>"}]})
    assert problems == []
    scores = score_catalog(org.catalog, ruleset, repositories=org.repositories)
    pages = build_pages(org.catalog, [ScorecardFeature(scores)])
    for path, page in pages.pages.items():
        text = page.expanded()
        for bad in ("<script>", "<img src=x", "<svg", "<a href=javascript", "<b>Low",
                    "<i>mighty"):
            assert bad not in text, (path, bad)
    bare = pages.pages["catalog/default/component/bare/index.md"].expanded()
    assert "<code>&lt;svg onload=alert(1)&gt;</code>" in bare
    for ref in scores.entities:
        ET.fromstring(pages.assets[badge_path(ref)])
    assert level_colour(ruleset, "High & <i>mighty</i>").startswith("#")


def test_fix_hints_show_backticks_as_code_alike_on_entity_and_organisation_pages(org):
    ruleset, problems = parse_rules({"rules": [
        {"id": "docs", "level": "Bronze", "check": "has-docs",
         "fix": 'Set `backstage.io/techdocs-ref` to "dir:."'},
        {"id": "desc", "level": "Silver", "check": "has-description",
         "fix": "An odd ` backtick stays <as is>"}]})
    assert problems == []
    scores = score_catalog(org.catalog, ruleset, repositories=org.repositories)
    pages = build_pages(org.catalog, [ScorecardFeature(scores)])
    bare = pages.pages["catalog/default/component/bare/index.md"].expanded()
    organisation = pages.pages[SCORECARDS_PAGE].expanded()
    code = "Set <code>backstage.io/techdocs-ref</code> to &quot;dir:.&quot;"
    odd = "An odd ` backtick stays &lt;as is&gt;"
    for page in (bare, organisation):
        assert f"<td>{code}</td>" in page and f"<td>{odd}</td>" in page


def test_entity_section_lists_failing_rules_with_fixes(org):
    scores = score_catalog(org.catalog, default_ruleset(), repositories=org.repositories)
    pages = build_pages(org.catalog, [ScorecardFeature(scores)])
    bare = pages.pages["catalog/default/component/bare/index.md"].expanded()
    assert '>Scorecard<a class="headerlink"' in bare and "✗ Fails" in bare and "How to fix" in bare
    assert 'src="../../../../badges/default/component/bare.svg"' in bare
    assert "To reach" in bare and "Owned by a team" in bare
    good = pages.pages["catalog/default/component/good/index.md"].expanded()
    assert "This is the highest level." in good and "✗ Fails" not in good
    team = pages.pages["catalog/default/group/platform/index.md"].expanded()
    assert "owned by this group and its child groups" in team and "Most failed rules" in team
    alice = pages.pages["catalog/default/user/alice/index.md"].expanded()
    assert '>Scorecard<a class="headerlink"' not in alice


def test_organisation_page_links_relative_to_itself(demo_portal):
    page = demo_portal.pages.pages[SCORECARDS_PAGE].expanded()
    assert 'href="../catalog/default/component/checkout-service/"' in page
    assert "By team" in page and "Rules" in page and "Entities" in page


# --------------------------------------------------------------------------- a real build


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return pavedroad(*args, env={**os.environ, **(env or {})})


def test_built_site_has_the_scorecard_page_in_the_nav(demo_site):
    page = (demo_site / "scorecards/index.html").read_text()
    assert "<h1" in page and "By team" in page and "Checkout" in page
    assert 'class="pr-level"' in page
    home = (demo_site / "index.html").read_text()
    assert 'href="scorecards/"' in home
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert {"Scorecards": "scorecards/index.md"} in config["nav"]


def test_built_entity_and_team_pages_have_scorecards(demo_site):
    service = (demo_site / "catalog/default/component/returns-service/index.html").read_text()
    assert 'id="scorecard"' in service and "No deprecated dependencies" in service
    assert "component:legacy-erp-connector" in service
    team = (demo_site / "catalog/default/group/engineering/index.html").read_text()
    assert "Most failed rules" in team
    badge = demo_site / "badges/default/component/checkout-service.svg"
    assert ">Gold</text>" in badge.read_text()
    images = [url for tag, _attr, url in links_of(service) if tag == "img" and "badges/" in url]
    assert images == ["../../../../badges/default/component/returns-service.svg"]
    assert (demo_site / "catalog/default/component/returns-service" / images[0]).resolve() \
        .is_file()
    assert broken_links(demo_site) == []


def test_catalog_still_builds_with_an_empty_ruleset(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    catalog = load_catalog(DEMO_SOURCES).catalog
    ruleset, problems = load_rules(rules)
    assert problems == [] and not score_catalog(catalog, ruleset).entities
    portal = build_portal(DEMO_SOURCES, PortalOptions(scorecards=rules))
    assert "0 scored entities" in portal.pages.pages[SCORECARDS_PAGE].expanded()


def test_check_reports_a_bad_rules_file(make_repo):
    root = make_repo({"repo/catalog-info.yaml": ORG.split("---\n# kept")[0],
                      "sources.yaml": "sources:\n  - path: repo\n",
                      "scorecards.yaml": "rules:\n  - {id: x, level: Gold, check: nope}\n"},
                     name="org")
    result = _run("check", "--sources", str(root / "sources.yaml"))
    assert result.returncode == 1
    assert "scorecards.yaml:2: error: rule 'x' (rules[0]): check: unknown check 'nope'" \
        in result.stdout
