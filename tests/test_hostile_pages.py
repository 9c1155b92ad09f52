"""Hostile repository docs (issue 13): no live script from static files, no scheme-like URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.docs import collect_docs
from generator.docs.paths import unsafe_name_reason
from generator.docs.static import SvgRefused, refused_reason, sanitize_svg
from generator.pages.docs_pages import section_nav_html
from generator.pipeline import load_paths
from generator.refs import EntityRef
from generator.sources import Repository
from generator.urls import relative_url

DESCRIPTOR = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n"
              "  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
              "  lifecycle: production\n  owner: team-a\n")
WEB = EntityRef("component", "default", "web")


def repo_with_docs(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir()
    (root / "catalog-info.yaml").write_text(DESCRIPTOR)
    for rel, content in {"docs/index.md": "# Home\n", **files}.items():
        path = root / "docs" / rel if not rel.startswith("docs/") else root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def collect(root: Path, html: str = "sanitize"):
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    return collect_docs(run.catalog, run.repositories, html=html)


ACTIVE_FILES = ["page.html", "page.HTM", "x.xhtml", "x.shtml", "app.js", "mod.mjs", "a.cjs",
                "dir/index.html", "feed.xml", "style.xsl", "x.xslt", "b.htc", "movie.swf",
                "code.wasm", "Makefile", "LICENSE", "evil.html.png", "evil.js.txt", "x.php",
                "a.svgz", "x.css", "evil.html.", "x.mht", "app.webmanifest"]


@pytest.mark.parametrize("html", ["sanitize", "escape"])
def test_active_static_files_are_not_published_and_each_is_named(tmp_path, html):
    root = repo_with_docs(tmp_path / "web",
                          dict.fromkeys(ACTIVE_FILES, "<script>alert(1)</script>"))
    docs = collect(root, html)
    site = docs.sites[WEB]
    assert site.files == {} and site.contents == {}
    named = {p.file.rsplit("docs/", 1)[1] for p in docs.problems if p.code == "docs-unsafe-file"}
    assert named == set(ACTIVE_FILES)


def test_trusted_docs_publish_static_files_as_they_are(tmp_path):
    root = repo_with_docs(tmp_path / "web", {"page.html": "<script>1</script>", "a.js": "1"})
    docs = collect(root, "trust")
    assert set(docs.sites[WEB].files) == {"page.html", "a.js"}
    assert not [p for p in docs.problems if p.code == "docs-unsafe-file"]


@pytest.mark.parametrize("name", ["a.png", "photo.JPEG", "font.woff2", "spec.pdf", "data.json",
                                  "table.csv", "notes.txt", "conf.yaml", "arch.v2.png",
                                  "release-1.2.3.zip"])
def test_images_fonts_pdfs_and_data_files_are_published(name):
    assert refused_reason(name) is None


SVG_ATTACKS = [
    '<script>alert(1)</script>',
    '<script xlink:href="https://evil.example/x.js"/>',
    '<rect onload="alert(1)" width="1"/>',
    '<g onmouseover="alert(1)"><rect width="1"/></g>',
    '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/>'
    '</foreignObject>',
    '<a href="javascript:alert(1)"><rect width="1"/></a>',
    '<a xlink:href="javascript:alert(1)"><rect width="1"/></a>',
    '<use href="https://evil.example/x.svg#a"/>',
    '<use xlink:href="data:image/svg+xml;base64,PHN2Zz4="/>',
    '<image href="https://evil.example/track.png"/>',
    '<style>@import url(https://evil.example/x.css);</style>',
    '<rect style="fill:url(https://evil.example/x)" width="1"/>',
    '<rect fill="url(https://evil.example/x#a)" width="1"/>',
    '<rect style="behavior:url(x.htc)" width="1"/>',
    '<animate attributeName="href" values="javascript:alert(1)"/>',
    '<set attributeName="onclick" to="alert(1)"/>',
    '<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/>',
    '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    '<rect width="1" xml:base="https://evil.example/"/>',
]


@pytest.mark.parametrize("payload", SVG_ATTACKS)
def test_svg_is_published_only_as_static_drawing(payload):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<defs><linearGradient id="g"/></defs>{payload}<rect fill="url(#g)" width="2"/></svg>')
    out = sanitize_svg(svg.encode()).decode().lower()
    for bad in ("script", "onload", "onmouse", "onclick", "foreignobject", "javascript",
                "evil.example", "data:", "iframe", "@import", "behavior", "<animate", "<set",
                "<a ", "<image", "xml:base"):
        assert bad not in out
    assert 'fill="url(#g)"' in out and "<rect" in out


@pytest.mark.parametrize("svg", [
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    b'<svg><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
])
def test_svg_with_a_dtd_or_not_svg_is_refused(svg):
    with pytest.raises(SvgRefused):
        sanitize_svg(svg)


def test_a_scripted_svg_in_docs_is_published_sanitised(tmp_path):
    root = repo_with_docs(tmp_path / "web", {
        "img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                        '<script>alert(1)</script><circle r="3"/></svg>',
        "img/bad.svg": "<!DOCTYPE x><svg/>",
        "index.md": "# Home\n\n![logo](img/logo.svg) ![bad](img/bad.svg)\n"})
    docs = collect(root)
    site = docs.sites[WEB]
    assert site.contents == {"img/logo.svg":
                             b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="3" /></svg>'}
    assert "img/bad.svg" not in site.files
    assert "](img/logo.svg)" in site.pages["index.md"].markdown
    assert [p.file.rsplit("web/", 1)[1] for p in docs.problems
            if p.code == "docs-unsafe-file"] == ["docs/img/bad.svg"]


# -- item 2: names that make URLs ----------------------------------------------------------


NAMES = ["javascript:alert(1)%2F%2F.md", "a?b.md", "a#b.md", "100%.md", "tab\there.md",
         "-rf.md", "bell\x07.png", "data:text.png"]


def test_docs_files_with_url_characters_are_refused_with_a_problem(tmp_path):
    root = repo_with_docs(tmp_path / "web", dict.fromkeys(NAMES, "# x\n")
                          | {"javascript:x/page.md": "# y\n"})
    docs = collect(root)
    site = docs.sites[WEB]
    assert list(site.pages) == ["index.md"] and site.files == {}
    flagged = [p for p in docs.problems if p.code == "docs-unsafe-name"]
    assert len(flagged) == len(NAMES) + 1
    nav = section_nav_html(site, "index.md", "Web")
    assert "javascript:" not in nav


@pytest.mark.parametrize("target", ["docs/a/javascript:alert(1)/index.md",
                                    "docs/a/b:c.md", "docs/a/vbscript:x.png"])
def test_relative_urls_never_start_with_a_scheme(target):
    url = relative_url("docs/a/index.md", target)
    first = url.split("/", 1)[0]
    assert ":" not in first and url.startswith("./")


@pytest.mark.parametrize("name", ["guide.md", "Über uns.md", "a b.png", "v1.2.md"])
def test_ordinary_names_are_kept(name):
    assert unsafe_name_reason(name) is None


# -- item 13: previous names are entity names, and redirects replace nothing -----------------


def organisation(tmp_path: Path, descriptors: dict[str, str]) -> Path:
    for name, text in descriptors.items():
        (tmp_path / "repos" / name).mkdir(parents=True)
        (tmp_path / "repos" / name / "catalog-info.yaml").write_text(text)
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - path: repos/*\n")
    return sources


def entity(kind: str, name: str, previous: str = "") -> str:
    notes = f"\n  annotations:\n    pavedroad.dev/previous-names: {previous!r}" if previous else ""
    spec = ("  type: team\n" if kind == "Group" else
            "  type: service\n  lifecycle: production\n  owner: group:team-a\n")
    return (f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}"
            f"{notes}\nspec:\n{spec}")


TRAVERSALS = ["teams:../evil", "component:default/..", "component:../x", "component:./x",
              "component:default/.", "group:..", "component:a..b/c", "component:%2e%2e/x",
              "component:default/a\\b", "component:default/" + "x" * 80, "..:x", "-x"]


def test_previous_names_that_are_not_entity_names_write_nothing(tmp_path):
    from generator.portal import build_portal

    sources = organisation(tmp_path, {
        "a": entity("Component", "svc", ", ".join(TRAVERSALS)),
        "t": entity("Group", "team-a")})
    portal = build_portal(sources)
    written = {*portal.pages.assets, *portal.pages.pages}
    catalog_pages = {p for p in written if p.startswith("catalog/default/")}
    for path in written:
        parts = path.split("/")
        assert ".." not in parts and "." not in parts and "" not in parts[:-1]
    assert not [p for p in written if p.startswith("teams/") and "evil" in p]
    assert {p for p in catalog_pages if p.endswith("index.html")} == set()
    warned = [p.message for p in portal.run.catalog.problems if p.code == "invalid-previous-name"]
    assert len(warned) == len(TRAVERSALS)


def test_a_redirect_never_replaces_a_page(tmp_path):
    from generator.pages.model import PageSet

    pages = PageSet()
    pages.add_asset("catalog/default/component/old/index.md", b"page")
    assert pages.occupied("catalog/default/component/old/index.html")
    assert not pages.occupied("catalog/default/component/other/index.html")


# -- item 9: snippets fan out to a bounded size ---------------------------------------------


def test_snippets_that_include_each_other_hundreds_of_times_stop_at_a_cap(tmp_path):
    import time

    from generator.docs.snippets import MAX_INCLUSIONS

    fan = "\n".join(['--8<-- "docs/b.txt"'] * 200)
    root = repo_with_docs(tmp_path / "web", {
        "index.md": "# Home\n\n" + "\n".join(['--8<-- "docs/a.txt"'] * 200) + "\n",
        "a.txt": fan.replace("b.txt", "b.txt") + "\n",
        "b.txt": fan.replace("b.txt", "c.txt") + "\n",
        "c.txt": "x\n" * 10 + fan.replace("b.txt", "a.txt") + "\n"})
    start = time.process_time()  # CPU time: a loaded machine must not fail a capped stage
    docs = collect(root)
    assert time.process_time() - start < 30
    markdown = docs.sites[WEB].pages["index.md"].markdown
    assert markdown.count("x") <= 10 * MAX_INCLUSIONS
    capped = [p for p in docs.problems if p.code == "docs-snippet-too-large"]
    assert len(capped) == 1 and "left out" in capped[0].message
