"""Catalog policies: lookups, renames, unstable dependencies, cycles; build and check agree."""

from __future__ import annotations

import json

from conftest import GROUP, load_repo, pavedroad

from generator.policies import (
    catalog_problems,
    cycle_problems,
    lifecycle_problems,
    lookup_problems,
    renames,
)
from generator.portal import build_portal
from generator.problems import Problem, Severity
from generator.refs import parse_ref

LIFECYCLE = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: prod
spec:
  type: service
  lifecycle: production
  owner: team-a
  dependsOn:
    - component:stable
    - component:beta
    - component:ghost
  consumesApis:
    - old-api
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: beta
spec:
  type: service
  lifecycle: experimental
  owner: team-a
  dependsOn: [component:retired]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: stable
spec:
  type: service
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: retired
spec:
  type: service
  lifecycle: deprecated
  owner: team-a
  dependencyOf: [component:stable]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: old-api
spec:
  type: openapi
  lifecycle: Deprecated
  owner: team-a
  definition: x
"""


class TestLifecycleProblems:
    def test_each_unstable_dependency_is_warned_where_it_is_declared(self, make_repo):
        catalog = load_repo(make_repo({"catalog-info.yaml": LIFECYCLE})).catalog
        lines = LIFECYCLE.splitlines()
        found = sorted(lifecycle_problems(catalog), key=lambda p: (p.entity, p.line))
        assert [(p.entity, p.line, p.severity.value, p.code) for p in found] == [
            ("component:default/prod", lines.index("    - component:beta") + 1, "warning",
             "production-depends-on-unstable"),
            ("component:default/prod", lines.index("    - old-api") + 1, "warning",
             "production-depends-on-unstable"),
            # declared by retired's dependencyOf: located at stable's document start
            ("component:default/stable", lines.index("  name: stable") - 2, "warning",
             "production-depends-on-unstable"),
        ]
        assert found[0].message.startswith("spec.dependsOn.1: this production component "
                                           "depends on component:beta, whose lifecycle is "
                                           "experimental")
        assert "consumes api:old-api, whose lifecycle is deprecated" in found[1].message
        assert found[0].file.endswith("catalog-info.yaml") and found[0].repo == "repo"

    def test_missing_is_left_to_the_catalog(self, make_repo):
        catalog = load_repo(make_repo({"catalog-info.yaml": LIFECYCLE})).catalog
        assert not any("ghost" in p.message for p in lifecycle_problems(catalog))
        assert any(p.code == "missing-ref" and "ghost" in p.message for p in catalog.problems)



RENAMED = GROUP.format(name="team-a") + """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations:
    pavedroad.dev/previous-names: "ledger-v1, component:default/old-ledger, a/b/c, b"
    pagerduty.com/service-id: "../etc"
spec: {type: service, lifecycle: production, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: b
  annotations: {pavedroad.dev/previous-names: ledger-v1, pagerduty.com/service-id: PB1}
spec: {type: service, lifecycle: production, owner: team-a}
"""


class TestLookups:
    def test_bad_service_ids_and_unusable_previous_names_are_warned(self, make_repo):
        catalog = load_repo(make_repo({"catalog-info.yaml": RENAMED})).catalog
        found = [(p.entity, p.code, p.message) for p in lookup_problems(catalog)]
        assert [(e, c) for e, c, _ in found] == [
            ("component:default/ledger", "invalid-pagerduty-id"),
            ("component:default/ledger", "invalid-previous-name"),
            ("component:default/ledger", "invalid-previous-name"),
        ]
        assert "'../etc' is not a PagerDuty service ID" in found[0][2]
        assert "'a/b/c' is not an entity name or ref" in found[1][2]
        assert "'b' is still a current entity (component:default/b)" in found[2][2]

    def test_renames_map_each_free_old_name_to_its_first_claimant(self, make_repo):
        catalog = load_repo(make_repo({"catalog-info.yaml": RENAMED})).catalog
        assert {str(old): str(new) for old, new in renames(catalog).items()} == {
            "component:default/ledger-v1": "component:default/b",
            "component:default/old-ledger": "component:default/ledger",
        }


class TestCycles:
    def test_every_member_of_a_cycle_is_warned_and_dangling_refs_are_skipped(self, make_repo):
        catalog = load_repo(make_repo({"catalog-info.yaml": RENAMED})).catalog
        cycle = [parse_ref("component:b"), parse_ref("component:ghost"),
                 parse_ref("component:ledger")]
        found = cycle_problems(catalog, [cycle])
        assert [p.entity for p in found] == ["component:default/b", "component:default/ledger"]
        assert found[0].message.startswith("component:default/b is in a dependency cycle of 3 "
                                           "entities")
        assert "graph/#cycle-1" in found[0].message


def test_catalog_problems_lists_lookups_history_lifecycles_then_cycles(make_repo):
    catalog = load_repo(make_repo({"catalog-info.yaml": LIFECYCLE})).catalog
    history = Problem(Severity.INFO, "history-missing", "no history")
    cycle = [parse_ref("component:prod"), parse_ref("component:stable")]
    codes = [p.code for p in catalog_problems(catalog, [cycle], history=[history])]
    assert codes == ["history-missing", *["production-depends-on-unstable"] * 3,
                     "dependency-cycle", "dependency-cycle"]


ORG = GROUP.format(name="team-a") + """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
  annotations:
    backstage.io/techdocs-ref: "dir:."
    pagerduty.com/service-id: "not an id"
    pavedroad.dev/previous-names: b
spec: {type: service, lifecycle: production, owner: team-a, dependsOn: [component:b]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: b}
spec:
  type: service
  lifecycle: deprecated
  owner: team-a
  dependsOn: [component:a, component:ghost]
"""


def test_check_and_build_report_the_same_problems(make_repo, tmp_path):
    make_repo({"catalog-info.yaml": ORG, "mkdocs.yml": "site_name: A\n",
               "docs/index.md": "# A\n\nSee [the runbook](runbook.md).\n"}, name="repos/a")
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - path: repos/*\n", encoding="utf-8")
    (tmp_path / "scorecards.yaml").write_text("rules:\n  - id: 1\n", encoding="utf-8")

    built = sorted((p.code, p.entity, p.line) for p in build_portal(sources).run.catalog.problems)
    result = pavedroad("check", "--format", "json", "--sources", str(sources), cwd=tmp_path)
    checked = sorted((p["code"], p.get("entity"), p.get("line"))
                     for p in json.loads(result.stdout))
    assert checked == built
    assert {code for code, _, _ in built} == {
        "invalid-pagerduty-id", "invalid-previous-name", "production-depends-on-unstable",
        "dependency-cycle", "missing-ref", "scorecard-config", "docs-broken-link"}
