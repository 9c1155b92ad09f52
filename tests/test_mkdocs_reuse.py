"""Entity pages of the previous build kept without rendering (generator/mkdocs/reuse.py,
issue 16): a rebuild renders only the pages whose text changed, and its site is byte for
byte the site a build from an empty cache makes."""

from __future__ import annotations

import dataclasses
import filecmp
import re
from pathlib import Path

from conftest import COMPONENT, GROUP, init_portal, pavedroad

from generator.pages.model import GeneratedPage

SVC = "catalog/default/component/svc/index.html"
OTHER = "catalog/default/component/other/index.html"


def _portal(tmp_path: Path) -> Path:
    portal = init_portal(tmp_path, {
        "svc": {"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a") + "---\n"
                + GROUP.format(name="team-a")},
        "other": {"catalog-info.yaml": COMPONENT.format(name="other", owner="team-b") + "---\n"
                  + GROUP.format(name="team-b")}})
    config = portal / "mkdocs.yml"  # a sitemap lists every page, kept ones too
    config.write_text(f"site_url: https://portal.example.com/\n{config.read_text()}")
    return portal


def _build(portal: Path, site: Path, cache: Path) -> int:
    """Build ``site``; the number of entity pages it kept without rendering."""
    import os

    env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
    done = pavedroad("build", "--site-dir", str(site), cwd=portal, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(r"\((\d+) entity pages kept without rendering\)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1))


def _mtimes(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*")
            if p.is_file()}


def _same_trees(a: Path, b: Path) -> None:
    files_a = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    files_b = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, files_a, shallow=False)
    assert not mismatch and not errors, mismatch[:5]


def test_an_unchanged_rebuild_renders_no_entity_page_and_keeps_every_file(tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    assert _build(portal, site, cache) == 0
    before = _mtimes(site)
    kept = _build(portal, site, cache)
    assert kept >= 4  # two components, two groups
    assert _mtimes(site) == before
    assert "https://portal.example.com/catalog/default/component/svc/" in (
        site / "sitemap.xml").read_text()


def test_a_changed_entity_is_rendered_again_and_the_site_matches_a_build_from_scratch(
        tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    _build(portal, site, cache)
    _build(portal, site, cache)
    before = _mtimes(site)
    descriptor = portal / "catalog-sources" / "repos" / "svc" / "catalog-info.yaml"
    descriptor.write_text(descriptor.read_text().replace(
        "  name: svc\n", "  name: svc\n  description: Takes the <b>orders</b>\n"))
    kept = _build(portal, site, cache)
    after = _mtimes(site)
    assert after[SVC] != before[SVC] and after[OTHER] == before[OTHER]
    assert kept >= 1
    assert "Takes the &lt;b&gt;orders&lt;/b&gt;" in (site / SVC).read_text()
    fresh = tmp_path / "fresh"
    assert _build(portal, fresh, tmp_path / "empty-cache") == 0
    _same_trees(site, fresh)


def test_a_kept_page_edited_in_the_site_folder_is_rendered_again(tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    _build(portal, site, cache)
    original = (site / OTHER).read_bytes()
    (site / OTHER).write_text("<p>defaced</p>")
    _build(portal, site, cache)
    assert (site / OTHER).read_bytes() == original


def test_a_changed_theme_override_renders_every_page_again(tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    _build(portal, site, cache)
    overrides = portal / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Maintenance tonight{% endblock %}\n')
    config = portal / "mkdocs.yml"
    if "custom_dir" not in config.read_text():
        config.write_text(config.read_text().replace("  name: material\n",
                                                     "  name: material\n  custom_dir: overrides\n"))
    assert _build(portal, site, cache) == 0
    assert "Maintenance tonight" in (site / SVC).read_text()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}All clear{% endblock %}\n')
    assert _build(portal, site, cache) == 0
    assert "All clear" in (site / SVC).read_text()


def test_material_search_turns_reuse_off(tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    config = portal / "mkdocs.yml"
    text = config.read_text()
    assert "pavedroad:" in text
    config.write_text(text.replace("pavedroad:\n", "pavedroad:\n      search: material\n", 1))
    _build(portal, site, cache)
    assert _build(portal, site, cache) == 0


def test_a_plugin_it_does_not_know_turns_reuse_off(tmp_path):
    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    config = portal / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - tags\n", 1))
    _build(portal, site, cache)
    assert _build(portal, site, cache) == 0


def test_a_hand_written_link_to_a_kept_page_still_resolves_without_a_notice(tmp_path):
    import os

    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    (portal / "docs" / "oncall.md").write_text(
        "# On call\n\nSee [svc](catalog/default/component/svc/index.md).\n")
    _build(portal, site, cache)
    env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
    again = pavedroad("build", "--site-dir", str(site), cwd=portal, env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert re.search(r"\([1-9]\d* entity pages kept without rendering\)", again.stderr)
    assert "excluded from the built site" not in again.stderr
    page = (site / "oncall" / "index.html").read_text()
    assert 'href="../catalog/default/component/svc/"' in page


def test_a_page_made_from_another_has_its_own_digest():
    page = GeneratedPage("<!--pr:0-->", {"<!--pr:0-->": "<p>a</p>"})
    before = page.digest()
    changed = dataclasses.replace(page, blocks={"<!--pr:0-->": "<p>b</p>"})
    assert changed.digest() != before
    assert dataclasses.replace(changed, blocks=page.blocks).digest() == before
    assert dataclasses.replace(page, search=(("a", "A", "a"),)).digest() == before  # not shown
