"""Two real builds with known differences: the changes page, the feeds, the sections."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT
from sitecheck import broken_links

TEAMS = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-b}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop}
spec: {owner: team-b}
"""
BEFORE = TEAMS + """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: svc-a, description: A}
spec: {type: service, lifecycle: experimental, owner: team-a, dependsOn: [resource:db]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: svc-b}
spec: {type: service, lifecycle: production, owner: team-b}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: db, description: D}
spec: {type: database, owner: team-b}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: old-name, description: O}
spec: {type: service, lifecycle: production, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: gone, description: G}
spec: {type: service, lifecycle: production, owner: team-a}
"""
AFTER = TEAMS + """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: svc-a, description: A}
spec: {type: service, lifecycle: production, owner: team-a, dependsOn: [component:svc-b]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: svc-b, description: now described, labels: {tier: "1"}}
spec: {type: service, lifecycle: production, owner: team-b, system: shop}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: db, description: D}
spec: {type: database, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: new-name
  description: O
  annotations: {pavedroad.dev/previous-names: old-name}
spec: {type: service, lifecycle: production, owner: team-a}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: fresh, description: F}
spec: {type: service, lifecycle: production, owner: team-b}
"""
RULES = "levels: [Bronze]\nrules:\n  - {id: described, level: Bronze, check: has-description}\n"
DAY1, DAY2 = 1764633600, 1764720000  # 2025-12-02 and 2025-12-03, 00:00 UTC


def build(tmp: Path, descriptor: str, name: str, epoch: int, history: Path | None = None
          ) -> Path:
    repo = tmp / f"{name}-src" / "repo"
    repo.mkdir(parents=True)
    (repo / "catalog-info.yaml").write_text(descriptor)
    (repo.parent / "sources.yaml").write_text("sources:\n  - path: repo\n")
    (repo.parent / "scorecards.yaml").write_text(RULES)
    site = tmp / name
    extra = ["--history", str(history)] if history else []
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(repo.parent / "sources.yaml"), "--site-dir", str(site),
                             *extra], cwd=ROOT, capture_output=True, text=True, check=False,
                            env=env)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("changes")
    first = build(tmp, BEFORE, "first", DAY1)
    second = build(tmp, AFTER, "second", DAY2, first / "history.json")
    return first, second


EXPECTED = [
    ("component:default/fresh", "added", "", ""),
    ("component:default/gone", "removed", "", ""),
    ("component:default/new-name", "renamed", "component:default/old-name", ""),
    ("component:default/svc-a", "lifecycle", "experimental", "production"),
    ("component:default/svc-a", "dependency-added", "", "component:default/svc-b"),
    ("component:default/svc-a", "dependency-removed", "", "resource:default/db"),
    ("component:default/svc-b", "system", "", "system:default/shop"),
    ("component:default/svc-b", "tier", "", "1"),
    ("component:default/svc-b", "level-gained", "", "Bronze"),
    ("resource:default/db", "owner", "group:default/team-b", "group:default/team-a"),
]


def test_a_first_build_records_facts_and_no_changes(sites):
    history = json.loads((sites[0] / "history.json").read_text())
    assert history["changes"] == {"build": 1, "log": []}
    svc_a = next(e for e in history["entities"] if e["ref"] == "component:default/svc-a")
    assert svc_a["relations"] == {"dependsOn": ["resource:default/db"]}
    assert (svc_a["owner"], svc_a["lifecycle"], svc_a["level"]) == (
        "group:default/team-a", "experimental", "Bronze")


def test_the_second_build_logs_exactly_the_differences(sites):
    log = json.loads((sites[1] / "history.json").read_text())["changes"]
    assert log["build"] == 2
    found = [(c["ref"], c["kind"], c.get("before", ""), c.get("after", "")) for c in log["log"]]
    assert found == EXPECTED
    assert {c["at"] for c in log["log"]} == {"2025-12-03T00:00:00Z"}


def test_the_organisation_feed_is_valid_atom_with_an_entry_per_change(sites):
    feed = feedparser.parse((sites[1] / "changes/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(EXPECTED)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    entry = next(e for e in feed.entries if e.title.startswith("db: owner changed"))
    assert entry.link == "../catalog/default/resource/db/"
    assert entry.updated == "2025-12-03T00:00:00Z"


def test_team_feeds_cover_what_they_own_and_new_dependents(sites):
    def titles(team: str) -> list[str]:
        feed = feedparser.parse((sites[1] / f"catalog/default/group/{team}/feed.xml").read_bytes())
        assert not feed.bozo
        return sorted(e.title.split(": ", 1)[1] for e in feed.entries)

    team_b = titles("team-b")
    assert "now dependsOn component:default/svc-b" in team_b  # svc-b, owned by team-b
    assert "added to the catalog" in team_b  # fresh
    assert "reached scorecard level Bronze" in team_b
    assert "owner changed from group:default/team-b to group:default/team-a" in team_b
    team_a = titles("team-a")
    assert "removed from the catalog" in team_a and "renamed from component:default/old-name" \
        in team_a
    assert "added to the catalog" not in team_a


def test_entity_feeds_and_sections_show_the_entitys_own_changes(sites):
    feed = feedparser.parse(
        (sites[1] / "catalog/default/component/svc-a/feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 3
    assert {e.link for e in feed.entries} == {"./"}
    page = (sites[1] / "catalog/default/component/svc-a/index.html").read_text()
    assert "Recent changes" in page and "no longer dependsOn resource:default/db" in page
    assert '<a href="feed.xml" type="application/atom+xml">' in page
    assert 'rel="alternate"' not in page.split("</head>")[0]  # Material would fetch a sitemap
    gone = feedparser.parse((sites[1] / "catalog/default/component/gone/feed.xml").read_bytes())
    assert [e.title for e in gone.entries] == ["gone: removed from the catalog"]


def test_the_changes_page_lists_days_newest_first_and_links_resolve(sites):
    page = (sites[1] / "changes/index.html").read_text()
    assert 'id="day-2025-12-03"' in page and "renamed from component:default/old-name" in page
    assert broken_links(sites[1]) == []


def test_the_log_carries_on_and_same_input_gives_same_feeds(sites, tmp_path):
    third = build(tmp_path, AFTER, "third", DAY2 + 3600, sites[1] / "history.json")
    log = json.loads((third / "history.json").read_text())["changes"]
    assert log["build"] == 3 and len(log["log"]) == len(EXPECTED)
    again = build(tmp_path, AFTER, "again", DAY2 + 3600, sites[1] / "history.json")
    assert (again / "changes/feed.xml").read_bytes() == (third / "changes/feed.xml").read_bytes()
    org = feedparser.parse((third / "changes/feed.xml").read_bytes())
    second = feedparser.parse((sites[1] / "changes/feed.xml").read_bytes())
    assert [e.id for e in org.entries] == [e.id for e in second.entries]
