"""Entity takeover: a new repository cannot take over an existing entity (issue 13, item 12)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import COMPONENT, GROUP, pavedroad

from generator.pipeline import load_catalog
from generator.portal import PortalOptions, build_portal
from generator.refs import EntityRef

API = EntityRef("component", "default", "payments-api")
LEGIT = COMPONENT.format(name="payments-api", owner="payments-team") + "---\n" + \
    GROUP.format(name="payments-team")
EVIL = COMPONENT.format(name="payments-api", owner="attacker").replace(
    "type: service", "type: service\n  dependsOn: [resource:default/attacker-db]")

MKDOCS = """\
site_name: Portal
theme: {name: material, font: false}
plugins:
  - search
  - pavedroad:
      sources: catalog-sources/sources.yaml
"""


def _project(tmp_path: Path, sources: str, evil: bool) -> Path:
    repos = tmp_path / "catalog-sources" / "repos"
    (repos / "payments").mkdir(parents=True, exist_ok=True)
    (repos / "payments" / "catalog-info.yaml").write_text(LEGIT)
    if evil:  # sorts first, so it is crawled first
        (repos / "aaa-evil").mkdir(exist_ok=True)
        (repos / "aaa-evil" / "catalog-info.yaml").write_text(EVIL)
    (tmp_path / "catalog-sources" / "sources.yaml").write_text(sources)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Portal\n")
    return tmp_path / "catalog-sources" / "sources.yaml"


def _history(portal) -> dict:
    return json.loads(portal.pages.assets["history.json"].decode("utf-8"))


def test_previous_build_decides_who_keeps_the_entity(tmp_path):
    sources = _project(tmp_path, "sources:\n  - path: repos/*\n", evil=False)
    first = build_portal(sources)
    history = tmp_path / "history.json"
    history.write_text(json.dumps(_history(first)))
    _project(tmp_path, "sources:\n  - path: repos/*\n", evil=True)
    second = build_portal(sources, PortalOptions(history=history))
    entity = second.run.catalog.entities[API]
    assert entity.provenance.repo == "payments"
    dup = [p for p in second.run.catalog.problems if p.code == "duplicate-entity"]
    assert len(dup) == 1 and dup[0].repo == "aaa-evil"
    assert "held this entity in the previous build" in dup[0].message
    text = second.pages.pages[f"{API.path}/index.md"].expanded()
    assert "Conflict:" in text and "repos/aaa-evil/catalog-info.yaml" in text
    assert "repos/payments/catalog-info.yaml" in text


def test_without_history_sources_order_then_path_decides(tmp_path):
    listed = "sources:\n  - path: repos/payments\n  - path: repos/aaa-evil\n"
    run = load_catalog(_project(tmp_path, listed, evil=True), progress=False)
    assert run.catalog.entities[API].provenance.repo == "payments"
    dup = next(p for p in run.catalog.problems if p.code == "duplicate-entity")
    assert dup.repo == "aaa-evil" and dup.file == "repos/aaa-evil/catalog-info.yaml"
    globbed = load_catalog(_project(tmp_path / "g", "sources:\n  - path: repos/*\n", evil=True),
                           progress=False)
    assert globbed.catalog.entities[API].provenance.repo == "aaa-evil"  # by path, as documented


def test_history_records_where_each_entity_was_found(tmp_path):
    portal = build_portal(_project(tmp_path, "sources:\n  - path: repos/*\n", evil=False))
    entries = {e["ref"]: e for e in _history(portal)["entities"]}
    assert entries[str(API)]["location"] == "payments:catalog-info.yaml"


def test_strict_build_fails_on_a_conflict(tmp_path):
    _project(tmp_path, "sources:\n  - path: repos/*\n", evil=True)
    result = pavedroad("build", "--strict", "--config-file", str(tmp_path / "mkdocs.yml"),
                       "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "duplicate-entity" in result.stderr or "already defined" in result.stderr
