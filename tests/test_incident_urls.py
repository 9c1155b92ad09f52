"""Stable URLs for incident tools: lookups, renames, removed entities, exports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from sitecheck import broken_links

ORG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: payments-team}
spec: {type: team, children: [], profile: {email: payments@example.com}}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  title: Ledger Service
  annotations:
    pagerduty.com/service-id: PLEDG01
    pavedroad.dev/previous-names: "ledger-v1, component:default/old-ledger"
spec: {type: service, lifecycle: production, owner: payments-team}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ledger
spec: {type: openapi, lifecycle: production, owner: payments-team, definition: "openapi: 3.0.0"}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken-pd
  annotations:
    pagerduty.com/service-id: "../../etc"
spec: {type: service, lifecycle: production, owner: payments-team}
"""

EXTRA = """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: fraud-check, title: Fraud Check}
spec: {type: service, lifecycle: production, owner: payments-team}
"""


def build(tmp: Path, descriptor: str, name: str, history: Path | None = None) -> Path:
    repo = tmp / f"{name}-src" / "repo"
    repo.mkdir(parents=True)
    (repo / "catalog-info.yaml").write_text(descriptor)
    sources = repo.parent / "sources.yaml"
    sources.write_text("sources:\n  - path: repo\n")
    site = tmp / name
    env_history = ["--history", str(history)] if history else []
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(sources), "--site-dir", str(site), *env_history], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return site


def _redirect_target(page: Path) -> Path:
    html = page.read_text()
    url = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)
    return (page.parent / url / "index.html").resolve()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("incident"), ORG + EXTRA, "site")


def test_pagerduty_lookup_lands_on_the_entity(site):
    target = _redirect_target(site / "lookup/pagerduty/PLEDG01/index.html")
    assert target == (site / "catalog/default/component/ledger/index.html").resolve()
    assert not (site / "lookup/pagerduty/etc").exists()


def test_malformed_pagerduty_id_is_a_problem(site):
    health = (site / "health/index.html").read_text()
    assert "is not a PagerDuty service ID" in health


def test_name_lookup_unique_redirects_and_ambiguous_lists(site):
    target = _redirect_target(site / "lookup/name/fraud-check/index.html")
    assert target == (site / "catalog/default/component/fraud-check/index.html").resolve()
    ambiguous = (site / "lookup/name/ledger/index.html").read_text()
    assert "component:default/ledger" in ambiguous and "api:default/ledger" in ambiguous
    assert "http-equiv" not in ambiguous


def test_previous_names_redirect_to_the_new_page(site):
    new = (site / "catalog/default/component/ledger/index.html").resolve()
    for old in ("ledger-v1", "old-ledger"):
        assert _redirect_target(site / f"catalog/default/component/{old}/index.html") == new


def test_catalog_and_entity_json_are_exported_in_backstage_shape(site):
    entities = json.loads((site / "catalog.json").read_text())["entities"]
    refs = [f"{e['kind'].lower()}:{e['metadata']['namespace']}/{e['metadata']['name']}"
            for e in entities]
    assert refs == sorted(refs) and "component:default/ledger" in refs
    one = json.loads((site / "catalog/default/component/ledger/entity.json").read_text())
    assert one["metadata"]["title"] == "Ledger Service"
    assert {"type": "ownedBy", "targetRef": "group:default/payments-team"} in one["relations"]


def test_every_page_shows_when_and_from_which_commit(site):
    html = (site / "catalog/default/component/ledger/index.html").read_text()
    assert re.search(r'class="pr-stamp" data-pagefind-ignore>Generated '
                     r'\d{4}-\d\d-\d\d \d\d:\d\d UTC', html)


def test_removed_entities_leave_a_page(tmp_path, site):
    history = tmp_path / "history.json"
    history.write_text((site / "history.json").read_text())
    after = build(tmp_path, ORG, "after", history)  # fraud-check is gone
    removed = after / "catalog/default/component/fraud-check/index.html"
    text = removed.read_text()
    assert "is no longer in the catalog" in text and "Fraud Check" in text
    kept = json.loads((after / "history.json").read_text())["entities"]
    entry = next(e for e in kept if e["ref"] == "component:default/fraud-check")
    assert entry == {"ref": "component:default/fraud-check", "kind": "Component",
                     "title": "Fraud Check", "owner": "group:default/payments-team",
                     "lifecycle": "production", "system": "", "tier": "", "level": "",
                     "relations": {}, "location": entry["location"], "added": entry["added"],
                     "removed": True}
    assert entry["location"].endswith(":catalog-info.yaml")  # where it last was
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["added"])  # the build that first showed it
    assert broken_links(after) == []
