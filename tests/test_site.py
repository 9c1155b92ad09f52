"""Real MkDocs builds of the demo portal and of hostile input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from conftest import DEMO_SOURCES, ROOT, pavedroad
from pagefind_index import fragments
from sitecheck import broken_links, external_requests, tree_hashes

from generator.pipeline import load_catalog
from generator.refs import parse_ref


def test_every_entity_has_a_page_at_its_stable_url(demo_site):
    catalog = load_catalog(DEMO_SOURCES).catalog
    for ref in catalog.entities:
        page = demo_site / "catalog" / ref.namespace / ref.kind / ref.name / "index.html"
        assert page.is_file(), ref


def test_no_broken_links(demo_site):
    assert broken_links(demo_site) == []


def test_site_requests_nothing_from_outside(demo_site):
    assert external_requests(demo_site) == []


def test_nav_does_not_list_entity_pages(demo_site):
    home = (demo_site / "index.html").read_text()  # its content links to no entity
    assert "catalog/default/" not in home
    assert 'href="catalog/"' in home and 'href="teams/"' in home


def test_component_page_content(demo_site):
    html = (demo_site / "catalog/default/component/checkout-service/index.html").read_text()
    assert "<h1" in html and "Checkout Service" in html
    assert 'href="../../group/checkout-team/"' in html
    assert 'href="../../system/checkout/"' in html
    assert "Provided APIs" in html and 'href="../../api/checkout-api/"' in html
    assert "Depends on" in html


def test_api_page_shows_highlighted_definition(demo_site):
    definition = load_catalog(DEMO_SOURCES).catalog.entities[
        parse_ref("api:checkout-api")].spec["definition"]
    html = (demo_site / "catalog/default/api/checkout-api/index.html").read_text()
    blocks = re.findall(r'<div class="highlight"><pre><span></span><code>(.*?)</code></pre>',
                        html, re.S)
    assert len(blocks) == 1, "the definition is one highlighted code block"
    assert '<span class="nt">openapi</span><span class="p">:</span>' in blocks[0]  # YAML tokens
    shown = unescape(re.sub(r"<[^>]+>", "", blocks[0]))
    assert shown.strip() == definition.strip()  # all of it, nothing else


def test_group_page_aggregates_ownership(demo_site):
    catalog = load_catalog(DEMO_SOURCES).catalog
    html = (demo_site / "catalog/default/group/engineering/index.html").read_text()
    assert "Owned through child groups" in html
    owned_by_children = [e for e in catalog.entities.values()
                         if any(str(o) == "group:default/checkout-team"
                                for o in catalog.related(e.ref, "ownedBy"))]
    for entity in owned_by_children:
        assert f"/{entity.ref.kind}/{entity.ref.name}/" in html


def test_indexes_exist_and_catalog_json_is_complete(demo_site):
    for page in ("catalog", "teams", "systems", "health"):
        assert (demo_site / page / "index.html").is_file()
    rows = json.loads((demo_site / "catalog/entities.json").read_text())
    assert len(rows) == len(load_catalog(DEMO_SOURCES).catalog)
    for row in rows:
        target = (demo_site / "catalog" / row["url"] / "index.html").resolve()
        assert target.is_file(), row["url"]


def test_home_page_has_generated_counts(demo_site):
    html = (demo_site / "index.html").read_text()
    counts = load_catalog(DEMO_SOURCES).catalog.kind_counts()
    assert f"<strong>{counts['component']}</strong> <span>components</span>" in html


def test_search_finds_entities_by_name_title_tag_and_owner(demo_site):
    entity = fragments(demo_site)["catalog/default/component/checkout-service/"]
    text = entity["content"].lower()
    for needle in ("checkout-service", "checkout service", "kotlin", "pchk7q2"):
        assert needle in text
    assert entity["meta"]["title"] == "Checkout Service"
    assert entity["filters"]["owner"] == ["Checkout"]  # the team as its page shows it
    assert "depends on" not in text  # relation tables are not what the entity is found by


def test_builds_are_byte_identical(demo_site, tmp_path):
    again = tmp_path / "again"
    result = pavedroad("build", "--site-dir", str(again))
    assert result.returncode == 0, result.stderr
    assert tree_hashes(again) == tree_hashes(demo_site)


def test_plain_mkdocs_build_uses_the_plugin(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                             str(site)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (site / "catalog/default/component/checkout-service/index.html").is_file()


def test_generate_writes_a_plain_mkdocs_project(tmp_path, demo_site):
    out = tmp_path / "project"
    result = pavedroad("generate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    config = (out / "mkdocs.yml").read_text()
    assert "- pavedroad" not in config and "pavedroad:" not in config
    page = out / "docs/catalog/default/component/checkout-service/index.md"
    assert "Checkout Service" in page.read_text()
    assert not (ROOT / "docs/catalog").exists(), "generated pages must not land in docs/"
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                            str(out / "mkdocs.yml"), "-d", str(site)],
                           capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    assert broken_links(site) == []
    built = (site / "catalog/default/component/checkout-service/index.html").read_text()
    assert 'href="../../group/checkout-team/"' in built
    toc = built[built.index('data-md-component="toc"'):]
    assert 'href="#about"' in toc and 'href="#blast-radius"' in toc  # headings in its TOC
    assert built.count('id="about"') == 1


def _variant(tmp_path: Path, name: str, *, shells: bool) -> Path:
    """The portal's mkdocs.yml with absolute paths, a site URL and edit buttons shown."""
    text = (ROOT / "mkdocs.yml").read_text()
    for old, new in [
        ("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}"),
        ("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}"),
        ("sources: catalog-sources/sources.yaml",
         f"sources: {DEMO_SOURCES}\n      page_shells: {'true' if shells else 'false'}"),
        ("    - content.code.copy",
         "    - content.code.copy\n    - content.action.edit\n    - content.action.view"),
        ("site_dir: site", "site_dir: site\nsite_url: https://portal.example.com/dev/"),
    ]:
        assert old in text
        text = text.replace(old, new)
    config = tmp_path / f"{name}.yml"
    config.write_text(text)
    return config


def test_page_shells_give_the_themes_own_output_byte_for_byte(tmp_path):
    sites = {}
    for shells in (True, False):
        site = tmp_path / f"site-{shells}"
        result = pavedroad("build", "-f", str(_variant(tmp_path, f"c{shells}", shells=shells)),
                           "--site-dir", str(site))
        assert result.returncode == 0, result.stdout + result.stderr
        sites[shells] = tree_hashes(site)
    assert sites[True] == sites[False]
    page = (tmp_path / "site-True/docs/default/component/checkout-service/index.html")
    html = page.read_text()
    assert 'rel="edit"' in html and "/raw/" in html  # the edit and view buttons were filled
    assert ('<link rel="canonical" href="https://portal.example.com/dev/docs/default/'
            'component/checkout-service/">') in html
