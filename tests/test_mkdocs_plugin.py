"""The MkDocs adapter (generator/mkdocs/): real MkDocs builds of a small portal in tmp_path.

The plugin's options are read one way by ``mkdocs build`` and ``pavedroad generate``; a
disabled plugin leaves the site alone; bad option values stop either with a clear error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP, ROOT, pavedroad
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.mkdocs import OptionsError, read_plugin_options, site_options
from generator.mkdocs.renderer import Link, Renderer
from generator.mkdocs.stamp import build_stamp, source_date_epoch


def _project(tmp_path: Path, options: str = "", plugins: str | None = None) -> Path:
    """A portal project: mkdocs.yml, the demo's theme overrides, a home page with the counts
    marker, a repository of three services in a chain."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "overrides", root / "overrides")
    repo = root / "catalog-sources" / "repos" / "shop"
    for name, depends in (("a", "component:b"), ("b", "component:c"), ("c", "")):
        (repo / name).mkdir(parents=True)
        (repo / name / "catalog-info.yaml").write_text(
            COMPONENT.format(name=name, owner="team-a") + f"  dependsOn: [{depends}]\n")
    (repo / "team.yaml").write_text(GROUP.format(name="team-a"))
    (repo / "catalog-info.yaml").write_text(textwrap.dedent("""\
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata: {name: shop}
        spec: {targets: [./a/catalog-info.yaml, ./b/catalog-info.yaml, ./c/catalog-info.yaml,
                         ./team.yaml]}
        """))
    (root / "catalog-sources" / "sources.yaml").write_text("sources:\n  - path: repos/*\n")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Shop\n\n<!-- pavedroad:stats -->\n")
    if plugins is None:
        plugins = "  - search\n  - pavedroad:\n" + textwrap.indent(
            options or "enabled: true\n", "      ")
    (root / "mkdocs.yml").write_text(
        "site_name: Shop\ntheme:\n  name: material\n  font: false\n  custom_dir: overrides\n"
        "markdown_extensions: [attr_list, toc]\n"
        f"plugins:\n{plugins}")
    return root


def _build(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    monkeypatch.setenv("PAVEDROAD_COMMIT", "0123456789abcdef")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    return root / "site"


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def test_build_adds_entity_pages_counts_and_search_entries(tmp_path, monkeypatch):
    site = _build(_project(tmp_path, "search: material\n"), monkeypatch)
    assert (site / "catalog/default/component/a/index.html").is_file()
    home = (site / "index.html").read_text()
    assert '<a class="pr-stat" href="catalog/?kind=component"><strong>3</strong> ' \
           "<span>components</span></a>" in home
    assert "pavedroad:stats" not in home
    index = json.loads((site / "search/search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("catalog/default/component/a/#") for loc in locations)
    assert len(locations) == len(set(locations))  # found once, not by the plugin again


def test_entity_pages_show_only_the_sections_in_their_nav(tmp_path, monkeypatch):
    site = _build(_project(tmp_path), monkeypatch)
    page = (site / "catalog/default/component/a/index.html").read_text()
    assert '<nav class="md-nav md-nav--primary" aria-label="Sections">' in page
    nav = page.split('aria-label="Sections">')[1].split("</nav>")[0]
    link = '<a class="md-nav__link" href="{}"><span class="md-ellipsis">{}</span>'
    assert link.format("../../../../", "Shop") in nav  # the home page's title is its heading
    assert link.format("../../../", "Catalog") in nav
    assert "component/b/" not in nav


def test_pages_carry_the_build_stamp(tmp_path, monkeypatch):
    site = _build(_project(tmp_path), monkeypatch)
    assert "Generated 2025-12-01 00:00 UTC from commit <code>0123456789ab</code>." in (
        site / "catalog/default/component/a/index.html").read_text()


def test_disabled_plugin_builds_the_site_mkdocs_would(tmp_path, monkeypatch):
    disabled = _build(_project(tmp_path / "off", "enabled: false\n"), monkeypatch)
    plain = _build(_project(tmp_path / "plain", plugins="  - search\n"), monkeypatch)
    assert not (disabled / "catalog").exists()
    assert _tree(disabled) == _tree(plain)


def test_page_shells_change_nothing_in_the_site(tmp_path, monkeypatch):
    drawn = _build(_project(tmp_path / "on"), monkeypatch)
    themed = _build(_project(tmp_path / "off", "page_shells: false\n"), monkeypatch)
    assert _tree(drawn) == _tree(themed)


@pytest.mark.parametrize(("option", "named"), [
    ("docs_html: allow\n", "'docs_html': Expected one of"),
    ("diagram_depth: -1\n", "'diagram_depth': Expected a whole number of hops"),
    ("diagram_depth: two\n", "'diagram_depth': Expected a whole number of hops"),
    ("page_shells: sometimes\n", "'page_shells': Expected type"),
    ("graphviz: {page_seconds: 0}\n", "'page_seconds': Expected a number of seconds"),
    ("graphviz: {build_seconds: soon}\n", "'build_seconds': Expected a number of seconds"),
])
def test_bad_option_values_stop_the_build_with_a_clear_error(tmp_path, option, named):
    root = _project(tmp_path, option)
    result = pavedroad("build", "-f", str(root / "mkdocs.yml"), cwd=root)
    assert result.returncode == 1
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("option", ["docs_html: allow\n", "diagram_depth: -1\n"])
def test_generate_refuses_a_bad_option_before_touching_its_output(tmp_path, option):
    root = _project(tmp_path, option)
    kept = root / "out" / "docs" / "kept.md"
    kept.parent.mkdir(parents=True)
    kept.write_text("still here")
    result = pavedroad("generate", "-f", str(root / "mkdocs.yml"), "--out", str(root / "out"),
                       cwd=root)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "plugin 'pavedroad' option" in result.stderr
    assert "Traceback" not in result.stderr
    assert kept.read_text() == "still here"
    assert sorted(p.name for p in (root / "out").rglob("*")) == ["docs", "kept.md"]


def test_generate_honours_diagram_depth(tmp_path):
    pages = {}
    for depth in (1, 2):
        root = _project(tmp_path / str(depth), f"diagram_depth: {depth}\n")
        result = pavedroad("generate", "--out", "out", cwd=root)
        assert result.returncode == 0, result.stderr
        pages[depth] = (root / "out/docs/catalog/default/component/a/index.md").read_text()
    assert "component:default/c" not in pages[1]  # a → b is one hop, a → b → c two
    assert "component:default/c" in pages[2]


def test_generate_honours_history(tmp_path):
    root = _project(tmp_path, "history: published/history.json\n")
    (root / "published").mkdir()
    (root / "published/history.json").write_text(json.dumps({"entities": [
        {"ref": "component:default/gone", "title": "Gone", "owner": "group:default/team-a",
         "kind": "Component"}]}))
    result = pavedroad("generate", "--out", "out", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "removed" in (root / "out/docs/catalog/default/component/gone/index.md").read_text()


def test_options_resolve_against_mkdocs_yml_and_the_environment(tmp_path):
    root = _project(tmp_path, "history: h.json\nscorecards: rules.yaml\ndiagram_depth: 3\n"
                              "graphviz: {build_seconds: 5}\n")
    config, warnings = read_plugin_options(root / "mkdocs.yml")
    assert warnings == []
    options = site_options(config, root, env={"PAVEDROAD_SOURCES": "other/sources.yaml"})
    assert options.sources == root / "other/sources.yaml"
    assert (options.history, options.scorecards) == (root / "h.json", root / "rules.yaml")
    assert (options.diagram_depth, options.docs_html, options.page_shells) == (3, "sanitize", True)
    assert (options.graphviz_budget.page, options.graphviz_budget.build) == (10, 5)
    given = site_options(config, root, sources=tmp_path / "s.yaml",
                         env={"PAVEDROAD_SOURCES": "x", "PAVEDROAD_HISTORY": "old.json"})
    assert (given.sources, given.history) == (tmp_path / "s.yaml", root / "old.json")


def test_options_read_env_tags_like_mkdocs(tmp_path, monkeypatch):
    root = _project(tmp_path, "docs_html: !ENV [PR_POLICY, sanitize]\n")
    monkeypatch.setenv("PR_POLICY", "escape")
    assert read_plugin_options(root / "mkdocs.yml")[0].docs_html == "escape"


def test_unknown_options_are_warnings(tmp_path):
    root = _project(tmp_path, "diagram_dpeth: 2\n")
    _, warnings = read_plugin_options(root / "mkdocs.yml")
    assert len(warnings) == 1 and "'diagram_dpeth'" in warnings[0]


def test_unreadable_mkdocs_yml_is_an_options_error(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins: [\n")
    with pytest.raises(OptionsError, match=r"mkdocs\.yml: .*parsing"):
        read_plugin_options(tmp_path / "mkdocs.yml")


def test_build_stamp_names_the_projects_commit(tmp_path, monkeypatch):
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, text=True,
                              capture_output=True).stdout.strip()

    git("init", "-q", "--template=")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    git("add", "mkdocs.yml")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "@1700000000 +0000")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    monkeypatch.delenv("PAVEDROAD_COMMIT", raising=False)
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(tmp_path))
    assert build_stamp(tmp_path) == {"generated": "2023-11-14 22:13 UTC",
                                     "commit": git("rev-parse", "HEAD")[:12]}


def test_build_stamp_outside_a_repository_is_empty(tmp_path, monkeypatch):
    monkeypatch.delenv("PAVEDROAD_COMMIT", raising=False)
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert source_date_epoch(tmp_path) == "0"
    assert build_stamp(tmp_path)["commit"] == ""


def test_sections_nav_escapes_titles_and_links():
    html = Renderer().sections_nav([Link("<b>Teams</b> & co", '../"x"/')])
    assert "&lt;b&gt;Teams&lt;/b&gt; &amp; co" in html
    assert 'href="../&#34;x&#34;/"' in html
