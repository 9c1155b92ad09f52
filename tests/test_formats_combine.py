"""One catalog from every format: merging, conflicts, owners across formats, CODEOWNERS."""

from __future__ import annotations

import pytest
from conftest import COMPONENT, GROUP, load_repo
from formats_helpers import entity, load

from generator.formats.combine import INFERRED


@pytest.fixture(scope="module")
def run():
    return load()


def test_backstage_wins_field_by_field_and_the_other_fills(run):
    inv = entity(run, "component:default/inventory")
    assert len([r for r in run.catalog.entities if r.name == "inventory"]) == 1
    assert inv.provenance.path == "catalog-info.yaml"
    assert inv.description == "Counts what is in the warehouse"  # Backstage's
    assert inv.spec["owner"] == "platform"  # Backstage's, against opslevel's orders_team
    assert inv.labels["tier"] == "1"  # only opslevel.yml sets it
    assert inv.annotations["pagerduty.com/service-id"] == "PINV001"
    assert [link["url"] for link in inv.links] == ["https://wiki.example.com/inventory/runbook"]
    fields = {f[0]: f[1] for f in inv.provenance.fields}
    assert fields["spec.owner"] == "catalog-info.yaml"
    assert fields["metadata.labels.tier"] == "opslevel.yml"
    assert fields["metadata.links"] == "opslevel.yml"


def test_two_owners_are_a_warning(run):
    conflict = [p for p in run.catalog.problems if p.code == "format-conflict"]
    assert len(conflict) == 1 and conflict[0].severity == "warning"
    assert conflict[0].file.endswith("mixed/opslevel.yml") and conflict[0].line == 6
    assert "catalog-info.yaml says 'platform'" in conflict[0].message


def test_page_shows_which_file_each_value_came_from(run):
    from generator.pages import build_pages
    from generator.pages.origin_pages import OriginFeature

    pages = build_pages(run.catalog, [OriginFeature()])
    page = pages.pages["catalog/default/component/inventory/index.md"]
    html = "".join(str(v) for v in page.blocks.values())
    assert "mixed: opslevel.yml:7" in html and "metadata.labels.tier" in html
    assert "mixed: catalog-info.yaml:9" in html
    worker = pages.pages["catalog/default/component/cart-worker/index.md"]
    assert INFERRED in "".join(str(v) for v in worker.blocks.values())


def test_codeowners_fills_a_missing_owner_last_match_wins(run):
    worker = entity(run, "component:default/cart-worker")
    # "*" says platform, the later "/services/" says orders-team: the last match wins
    assert worker.spec["owner"] == "group:default/orders-team"
    assert ("spec.owner", ".github/CODEOWNERS", 3, INFERRED) in worker.provenance.fields
    assert not [p for p in run.catalog.problems
                if p.entity == "component:default/cart-worker" and p.code == "missing-field"]


CODEOWNERS_REPO = {
    "catalog-info.yaml": COMPONENT.format(name="a", owner="team-a") + "---\n"
    + GROUP.format(name="team-a") + "---\n" + GROUP.format(name="team-b"),
    "b/catalog-info.yaml": COMPONENT.format(name="b", owner="team-a").replace(
        "  owner: team-a\n", ""),
}


@pytest.mark.parametrize("where", ["CODEOWNERS", "docs/CODEOWNERS", ".github/CODEOWNERS"])
def test_codeowners_is_read_from_each_place_github_reads(make_repo, where):
    root = make_repo({**CODEOWNERS_REPO, where: "* @acme/team-b\n"})
    b = load_repo(root).catalog.entities
    assert next(e for r, e in b.items() if r.name == "b").spec["owner"] == "group:default/team-b"


def test_github_directory_wins_over_the_root(make_repo):
    root = make_repo({**CODEOWNERS_REPO, "CODEOWNERS": "* @acme/team-a\n",
                      ".github/CODEOWNERS": "* @acme/team-b\n"})
    b = next(e for r, e in load_repo(root).catalog.entities.items() if r.name == "b")
    assert b.spec["owner"] == "group:default/team-b"


def _sources(root, mode):
    (root / "sources.yaml").write_text(f"sources:\n  - path: .\nowners_from_codeowners: {mode}\n")
    from generator.pipeline import load_catalog
    return load_catalog(root / "sources.yaml", progress=False)


def test_check_mode_reports_disagreement(make_repo):
    root = make_repo({**CODEOWNERS_REPO, "CODEOWNERS": "* @acme/team-b\n"})
    run = _sources(root, "check")
    mismatch = [p for p in run.catalog.problems if p.code == "codeowners-mismatch"]
    assert [p.entity for p in mismatch] == ["component:default/a"]
    assert "CODEOWNERS:1" in mismatch[0].message and mismatch[0].line == 8


def test_off_mode_ignores_codeowners(make_repo):
    root = make_repo({**CODEOWNERS_REPO, "CODEOWNERS": "* @acme/team-b\n"})
    run = _sources(root, "off")
    b = next(e for r, e in run.catalog.entities.items() if r.name == "b")
    assert "owner" not in b.spec
    assert any(p.code == "missing-field" and p.entity == "component:default/b"
               for p in run.catalog.problems)


def test_unknown_codeowners_team_is_reported(make_repo):
    root = make_repo({**CODEOWNERS_REPO, "CODEOWNERS": "# owners\n* @acme/ghosts\n"})
    run = load_repo(root)
    problem = next(p for p in run.catalog.problems if p.code == "unresolved-owner")
    assert "@acme/ghosts" in problem.message and problem.line == 2
    assert problem.file.endswith("CODEOWNERS")


def test_formats_setting_limits_what_is_read(tmp_path):
    from formats_helpers import copy_org

    sources = copy_org(tmp_path)
    sources.write_text(sources.read_text() + "formats: [backstage, datadog]\n")
    run = load(sources)
    assert {e.provenance.format for e in run.catalog.entities.values()} == {"backstage",
                                                                           "datadog"}


def test_bad_formats_setting_is_located(tmp_path):
    from formats_helpers import copy_org

    sources = copy_org(tmp_path)
    sources.write_text(sources.read_text() + "formats: [backstage, yaml]\n"
                       "owners_from_codeowners: always\n")
    run = load(sources)
    bad = [p for p in run.catalog.problems if p.code == "sources-shape"]
    assert [p.line for p in bad] == [11, 12]
    assert len(run.catalog) == 17  # the defaults apply


def test_two_vendor_files_merge_and_a_default_is_no_value(make_repo):
    root = make_repo({
        "opslevel.yml": "version: 1\ncomponent:\n  name: cart\n  owner: team-a\n",
        "cortex.yaml": "openapi: 3.0.1\ninfo:\n  title: Cart\n  x-cortex-tag: cart\n"
                       "  x-cortex-groups: [tier-2]\n",
        "entity.datadog.yaml": "apiVersion: v3\nkind: service\nmetadata:\n  name: cart\n"
                               "spec:\n  lifecycle: production\n",
        "catalog-info.yaml": GROUP.format(name="team-a")})
    run = load_repo(root)
    carts = [e for r, e in run.catalog.entities.items() if r.name == "cart"]
    assert len(carts) == 1 and carts[0].provenance.format == "opslevel"
    cart = carts[0]
    assert cart.lifecycle == "production"  # opslevel.yml sets none; Datadog's fills it
    assert cart.labels["tier"] == "2" and cart.spec["owner"] == "group:default/team-a"
    origin = {f[0]: f[1] for f in cart.provenance.fields}
    assert origin["spec.lifecycle"] == "entity.datadog.yaml"
    assert origin["metadata.labels.tier"] == "cortex.yaml"
    assert not [p for p in run.catalog.problems if p.code == "duplicate-entity"]
