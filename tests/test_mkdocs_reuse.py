"""Entity and docs pages of the previous build kept without rendering
(generator/mkdocs/reuse.py, issue 16): a rebuild renders only the pages whose text changed,
and its site is byte for byte the site a build from an empty cache makes."""

from __future__ import annotations

import dataclasses
import filecmp
import re
from pathlib import Path

from conftest import COMPONENT, DOCUMENTED, GROUP, init_portal, pavedroad
from pagefind_index import fragments

from generator.pages.model import GeneratedPage

SVC = "catalog/default/component/svc/index.html"
OTHER = "catalog/default/component/other/index.html"
DOCS = "docs/default/component/svc/"
KEPT = re.compile(r"\((\d+) entity pages and (\d+) docs pages kept without rendering\)")


def _portal(tmp_path: Path) -> Path:
    portal = init_portal(tmp_path, {
        "svc": {"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a") + "---\n"
                + GROUP.format(name="team-a")},
        "other": {"catalog-info.yaml": COMPONENT.format(name="other", owner="team-b") + "---\n"
                  + GROUP.format(name="team-b")}})
    config = portal / "mkdocs.yml"  # a sitemap lists every page, kept ones too
    config.write_text(f"site_url: https://portal.example.com/\n{config.read_text()}")
    return portal


def _docs_portal(tmp_path: Path) -> Path:
    """A service with three docs pages: the index links to the runbook's section."""
    return init_portal(tmp_path, {"svc": {
        "catalog-info.yaml": DOCUMENTED, "mkdocs.yml": "site_name: svc\n",
        "docs/index.md": "# Svc\n\nSee the [runbook](runbook.md#restart).\n",
        "docs/runbook.md": "# Runbook\n\n## Restart\n\nRestart the pods.\n",
        "docs/design.md": "# Design\n\nQueues all the way down.\n"}})


def _built(portal: Path, site: Path, cache: Path) -> tuple[int, int]:
    """Build ``site``; the numbers of entity and docs pages it kept without rendering."""
    import os

    env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
    done = pavedroad("build", "--site-dir", str(site), cwd=portal, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    found = KEPT.search(done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1)), int(found.group(2))


def _build(portal: Path, site: Path, cache: Path) -> int:
    """Build ``site``; the number of entity pages it kept without rendering."""
    return _built(portal, site, cache)[0]


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
    assert int(KEPT.search(again.stderr).group(1)) >= 1
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


def test_an_unchanged_rebuild_renders_no_docs_page_and_keeps_the_search_index(tmp_path):
    portal, site, cache = _docs_portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    assert _built(portal, site, cache)[1] == 0
    before = _mtimes(site)
    assert _built(portal, site, cache)[1] == 3
    assert _mtimes(site) == before
    assert f"{DOCS}runbook/" in fragments(site)


def test_the_pages_search_index_starts_once_the_docs_pages_are_written(tmp_path):
    import os

    portal, site = _docs_portal(tmp_path), tmp_path / "site"
    config = portal / "mkdocs.yml"  # the sitemap lists the pages in the build's order
    config.write_text(f"site_url: https://portal.example.com/\n{config.read_text()}")
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    done = pavedroad("build", "--site-dir", str(site), cwd=portal, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    started = re.search(r"search index of (\d+) pages started while", done.stderr)
    assert started, done.stderr[-2000:]
    # Every page of the pages' index (not the entities'): they were all written by then.
    assert int(started.group(1)) == len(list((site / "pagefind" / "fragment").iterdir()))
    assert int(started.group(1)) >= 3  # the three docs pages at least
    # The docs pages are drawn (and listed) before the entities' pages.
    urls = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text())
    docs = [n for n, url in enumerate(urls) if "/docs/default/" in url]
    entities = [n for n, url in enumerate(urls) if "/catalog/default/" in url]
    assert docs and entities and max(docs) < min(entities), urls


def test_an_edited_docs_page_alone_is_rendered_again_and_the_site_matches_a_fresh_build(
        tmp_path):
    portal, site, cache = _docs_portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    _built(portal, site, cache)
    before = _mtimes(site)
    design = portal / "catalog-sources" / "repos" / "svc" / "docs" / "design.md"
    design.write_text("# Design\n\nQueues, then a <b>ledger</b>.\n")
    assert _built(portal, site, cache)[1] == 2
    after = _mtimes(site)
    assert after[f"{DOCS}design/index.html"] != before[f"{DOCS}design/index.html"]
    assert after[f"{DOCS}runbook/index.html"] == before[f"{DOCS}runbook/index.html"]
    found = fragments(site)
    assert "ledger" in found[f"{DOCS}design/"]["content"]
    assert "Restart the pods" in found[f"{DOCS}runbook/"]["content"]  # kept, still indexed
    fresh = tmp_path / "fresh"
    assert _built(portal, fresh, tmp_path / "empty-cache")[1] == 0
    _same_trees(site, fresh)


def test_a_docs_page_whose_link_target_went_away_is_rendered_again(tmp_path):
    portal, site, cache = _docs_portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    docs = portal / "catalog-sources" / "repos" / "svc" / "docs"
    (docs / "design.md").write_text("# Design\n\n[The queues](queues.txt).\n")
    (docs / "queues.txt").write_text("orders, payments\n")
    _built(portal, site, cache)
    assert 'href="../queues.txt"' in (site / DOCS / "design" / "index.html").read_text()
    (docs / "queues.txt").unlink()
    assert _built(portal, site, cache)[1] == 2  # the same Markdown, not the same link
    assert 'href="../queues.txt"' not in (site / DOCS / "design" / "index.html").read_text()
    fresh = tmp_path / "fresh"
    _built(portal, fresh, tmp_path / "empty-cache")
    _same_trees(site, fresh)


def test_a_renamed_entity_renders_its_docs_pages_again(tmp_path):
    portal, site, cache = _docs_portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    _built(portal, site, cache)
    descriptor = portal / "catalog-sources" / "repos" / "svc" / "catalog-info.yaml"
    descriptor.write_text(descriptor.read_text().replace(
        "  name: svc\n", "  name: svc\n  title: Checkout service\n", 1))
    assert _built(portal, site, cache)[1] == 0  # each page's header names the entity
    assert "Checkout service" in (site / DOCS / "runbook" / "index.html").read_text()


def _in_process(portal: Path, site: Path, cache: Path, monkeypatch) -> list[str]:
    """Build ``site`` in this process; the slices whose stored pages it read."""
    from generator import memopages
    from generator.parallel import wait_background
    from generator.site import build_site

    read: list[str] = []
    fill = memopages.Shelf.fill
    monkeypatch.setattr(memopages.Shelf, "fill", lambda self: (
        read.append(self.name) if self.pages else None, fill(self))[1])
    monkeypatch.setenv("PAVEDROAD_CACHE", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # else the plugin sets it, for good
    monkeypatch.chdir(portal)
    build_site(portal / "mkdocs.yml", site_dir=site)
    wait_background()
    return read


def _stored(cache: Path) -> dict[str, list[str]]:
    """The page slices of the memo in ``cache``: name → the pages it holds."""
    from generator.portalmemo import _head

    memo, = (cache / "portal").glob("*.marshal")
    with open(memo, "rb") as handle:
        return {name: [row[0] for row in rows]
                for kind, name, _, rows in _head(handle)[1][2] if kind == "pages"}


def test_an_unchanged_rebuild_reads_no_stored_entity_page_and_a_lost_site_reads_them(
        tmp_path, monkeypatch):
    from generator.urls import is_entity_page

    portal, site, cache = _portal(tmp_path), tmp_path / "site", tmp_path / "cache"
    assert _in_process(portal, site, cache, monkeypatch) == []  # nothing stored yet
    before = _mtimes(site)
    read = _in_process(portal, site, cache, monkeypatch)
    stored = _stored(cache)
    entities = {name for name, paths in stored.items() if any(map(is_entity_page, paths))}
    assert entities and read and not set(read) & entities  # only the nav's pages: drawn
    assert _mtimes(site) == before
    lost = tmp_path / "lost"  # the same cache, no site folder: every page drawn from it
    assert entities <= set(_in_process(portal, lost, cache, monkeypatch))
    _same_trees(site, lost)
