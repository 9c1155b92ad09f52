"""Docs: TechDocs aggregated under their entities (generator/docs)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import DEMO_SOURCES, FIXTURES, ROOT, pavedroad
from pagefind_index import fragments
from sitecheck import broken_links, external_requests

from generator.check import check_problems
from generator.docs import collect_docs, docs_dialect, render_markdown
from generator.docs.config import parse_mkdocs_yml
from generator.docs.source import source_links
from generator.docs.static import sanitize_svg
from generator.pipeline import load_catalog, load_paths
from generator.portal import build_portal
from generator.problems import Severity
from generator.refs import EntityRef
from generator.sources import Repository

TECHDOCS_EXAMPLE = FIXTURES / "backstage-techdocs-example"


def component(name: str, annotations: str = "backstage.io/techdocs-ref: dir:.",
              extra: str = "") -> str:
    notes = "".join(f"\n    {line}" for line in annotations.splitlines() if line.strip())
    return (f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n"
            f"  annotations:{notes or ' {}'}\n{extra}spec:\n  type: service\n"
            "  lifecycle: production\n  owner: team-a\n")


def collect(*roots: Path):
    repos = [Repository(root.name, root.resolve(), str(root)) for root in roots]
    run = load_paths(repos)
    return run, collect_docs(run.catalog, run.repositories)


def ref(name: str) -> EntityRef:
    return EntityRef("component", "default", name)


def html_of(docs, entity: str, path: str = "index.md") -> str:
    """The page as published: rendered with its resolved links."""
    page = docs.sites[ref(entity)].pages[path]
    return render_markdown(page.markdown, docs_dialect(), links=page.links).html


def problems(docs, code: str | None = None):
    return [p for p in docs.problems if code is None or p.code == code]


# -- the docs stage -----------------------------------------------------------------


def test_mkdocs_yml_nav_pages_files_and_titles(make_repo):
    root = make_repo({
        "catalog-info.yaml": component("svc"),
        "mkdocs.yml": "site_name: Svc Docs\ndocs_dir: documentation\nnav:\n"
                      "  - Start: index.md\n  - Guides:\n      - guides/setup.md\n"
                      "  - Missing: nope.md\n",
        "documentation/index.md": "# Welcome\n",
        "documentation/guides/setup.md": "---\ntitle: Setting up\n---\n# Setup\n",
        "documentation/other.md": "No heading here.\n",
        "documentation/img/logo.png": b"\x89PNG\r\n",
        "documentation/.hidden.md": "# hidden\n",
    }, name="svc")
    _, docs = collect(root)
    site = docs.sites[ref("svc")]
    assert site.title == "Svc Docs" and site.docs_dir == "documentation"
    assert list(site.pages) == ["index.md", "other.md", "guides/setup.md"]
    assert list(site.files) == ["img/logo.png"]
    assert site.pages["guides/setup.md"].title == "Setting up"
    assert site.pages["other.md"].title == "Other"
    assert [n.title for n in site.nav] == ["Start", "Guides"]
    assert site.nav[1].children[0].title == "Setting up"
    [missing] = problems(docs, "docs-nav-missing")
    assert missing.file.endswith("svc/mkdocs.yml") and missing.line == 7
    assert docs.links[ref("svc")].page == "docs/default/component/svc/index.md"


def test_docs_folder_without_mkdocs_yml_uses_directory_order(make_repo):
    root = make_repo({
        "catalog-info.yaml": component("svc"),
        "docs/README.md": "# Read me\n",
        "docs/b.md": "# B\n",
        "docs/a.md": "# A\n",
        "docs/sub/README.md": "# Sub\n",
        "docs/sub/index.md": "# Sub index\n",
        "docs/sub/z.md": "# Z\n",
    }, name="svc")
    _, docs = collect(root)
    site = docs.sites[ref("svc")]
    assert list(site.pages) == ["index.md", "a.md", "b.md", "sub/index.md", "sub/z.md"]
    assert site.pages["index.md"].source == "docs/README.md"
    assert site.pages["sub/index.md"].source == "docs/sub/index.md"  # index.md beats README
    assert [n.title for n in site.nav] == ["Read me", "A", "B", "Sub"]
    assert [n.title for n in site.nav[3].children] == ["Sub index", "Z"]


def test_techdocs_ref_is_relative_to_the_descriptor(make_repo):
    root = make_repo({
        "apps/web/catalog-info.yaml": component("web", "backstage.io/techdocs-ref: dir:../.."),
        "mkdocs.yml": "site_name: Mono\n",
        "docs/index.md": "# Mono\n",
    }, name="mono")
    _, docs = collect(root)
    assert docs.sites[ref("web")].root == "."


def test_shared_folder_and_techdocs_entity(make_repo):
    root = make_repo({
        "catalog-info.yaml": component("b-lib") + "---\n" + component("a-api") + "---\n" +
        component("c", "backstage.io/techdocs-entity: component:b-lib\n"
                       "backstage.io/techdocs-entity-path: /inner") + "---\n" +
        component("d", "backstage.io/techdocs-entity: component:nobody") + "---\n" +
        component("e", "backstage.io/techdocs-ref: url:https://github.com/x/y"),
        "docs/index.md": "# Docs\n",
        "docs/inner/index.md": "# Inner\n",
    }, name="repo")
    _, docs = collect(root)
    assert list(docs.sites) == [ref("a-api")]  # components first, then by ref
    assert docs.sites[ref("a-api")].shared_with == [ref("b-lib")]
    assert docs.links[ref("b-lib")].shared
    assert docs.links[ref("c")].page == "docs/default/component/a-api/inner/index.md"
    assert [p.entity for p in problems(docs, "docs-entity-missing")] == [
        "component:default/d"]
    [remote] = problems(docs, "docs-remote-ref")
    assert remote.severity is Severity.INFO and remote.entity == "component:default/e"


def test_links_resolve_to_site_urls(make_repo, tmp_path):
    a = make_repo({
        "catalog-info.yaml": component("a", "backstage.io/techdocs-ref: dir:.\n"
                                            "backstage.io/source-location: "
                                            "url:https://github.com/org/a/tree/main/"),
        "docs/index.md": "# A\n[Guide](guide.md#step-2) [dir](sub/) [readme](sub/README.md)\n"
                         "[top](/sub/deep.md) ![logo](img/logo.svg) [self](#x)\n"
                         "[other repo](../../b/docs/page.md) [entity](entity:b)\n"
                         "[docs](docs:component:b) [docs page](docs:component:default/b/page.md)\n"
                         "[code](../src/main.py) [query](guide.md?x=1)\n"
                         '<img src="img/logo.svg"> <a href="guide.md">raw</a>\n',
        "docs/guide.md": "# Guide\n[back](index.md) ![logo](img/logo.svg)\n",
        "docs/sub/README.md": "# Sub\n[up](../index.md)\n",
        "docs/sub/deep.md": "# Deep\n",
        "docs/img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "src/main.py": "print()\n",
    }, name="a")
    b = make_repo({"catalog-info.yaml": component("b"), "docs/page.md": "# Page\n"}, name="b")
    _, docs = collect(a, b)
    assert problems(docs) == []
    index = html_of(docs, "a")
    for expected in ('href="guide/#step-2">Guide', 'href="sub/">dir', 'href="sub/">readme',
                     'href="sub/deep/">top', 'alt="logo" src="img/logo.svg"', 'href="#x">self',
                     'href="../b/page/">other repo',
                     'href="../../../../catalog/default/component/b/">entity',
                     'href="../b/page/">docs<', 'href="../b/page/">docs page',
                     'href="https://github.com/org/a/blob/main/src/main.py">code',
                     'href="guide/?x=1">query', '<img src="img/logo.svg">',
                     '<a href="guide/">raw</a>'):
        assert expected in index, expected
    guide = html_of(docs, "a", "guide.md")
    assert 'href="../">back' in guide and 'src="../img/logo.svg"' in guide
    assert 'href="../">up' in html_of(docs, "a", "sub/index.md")


def test_broken_links_are_problems_with_file_and_line(make_repo):
    root = make_repo({
        "catalog-info.yaml": component("svc"),
        "mkdocs.yml": "site_name: S\n",
        "docs/index.md": "---\ntitle: T\n---\n# T\n\nSee [gone](gone.md).\n"
                         "![missing](img/none.png)\n[out](../../../../etc/passwd)\n"
                         "[outside docs](../README.md) [ent](entity:nobody)\n"
                         '--8<-- "snip.md"\n',
        "snip.md": "line one\n[broken in snippet](nowhere.md)\n",
        "README.md": "# R\n",
    }, name="svc")
    _, docs = collect(root)
    found = {(p.code, Path(p.file).name, p.line) for p in docs.problems}
    assert ("docs-broken-link", "index.md", 6) in found
    assert ("docs-broken-link", "index.md", 7) in found
    assert ("docs-broken-link", "index.md", 8) in found
    assert ("docs-link-outside", "index.md", 9) in found
    assert ("docs-broken-link", "index.md", 9) in found  # entity:nobody
    assert ("docs-broken-link", "snip.md", 2) in found
    assert all(p.severity is Severity.WARNING and p.repo == "svc" and
               p.entity == "component:default/svc" for p in docs.problems)
    page = html_of(docs, "svc")
    assert "See <span>gone</span>." in page and "gone.md" not in page


def test_snippets_are_expanded_from_inside_the_docs_root(make_repo):
    root = make_repo({
        "catalog-info.yaml": component("svc"),
        "mkdocs.yml": "site_name: S\n",
        "docs/index.md": '# S\n--8<-- "parts/a.md"\n  --8<-- "parts/b.md:2:3"\n'
                         '--8<-- "parts/b.md:sec"\n;--8<-- "parts/a.md"\n'
                         "--8<--\nparts/a.md\n; parts/b.md\n--8<--\n"
                         '--8<-- "parts/loop.md"\n',
        "parts/a.md": "from a\n",
        "parts/b.md": "b1\nb2\nb3\n--8<-- [start:sec]\nin section\n--8<-- [end:sec]\n",
        "parts/loop.md": 'loop\n--8<-- "parts/loop.md"\n',
    }, name="svc")
    _, docs = collect(root)
    markdown = docs.sites[ref("svc")].pages["index.md"].markdown
    assert markdown.split("\n")[1:9] == ["from a", "  b2", "  b3", "in section",
                                         '--8<-- "parts/a.md"', "from a", "loop", ""]
    assert [p.code for p in docs.problems] == ["docs-snippet-loop"]


# -- escape attempts ----------------------------------------------------------------


def test_docs_dir_and_refs_cannot_leave_the_repository(make_repo, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "index.md").write_text("# TOP SECRET\n")
    root = make_repo({
        "one/catalog-info.yaml": component("dotdot"),
        "one/mkdocs.yml": "docs_dir: ../..\n",
        "two/catalog-info.yaml": component("absolute"),
        "two/mkdocs.yml": f"docs_dir: {secret}\n",
        "three/catalog-info.yaml": component("ref-out",
                                             "backstage.io/techdocs-ref: dir:../../secret"),
        "four/catalog-info.yaml": component("ref-abs", f"backstage.io/techdocs-ref: dir:{secret}"),
    }, name="evil")
    _, docs = collect(root)
    assert docs.sites == {}
    outside = problems(docs, "docs-outside-repository")
    assert sorted(p.entity for p in outside) == [
        "component:default/absolute", "component:default/dotdot", "component:default/ref-abs",
        "component:default/ref-out"]
    assert all(p.severity is Severity.ERROR for p in outside)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_repository_are_refused(make_repo, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.md").write_text("root:x:0:0:TOP SECRET\n")
    root = make_repo({
        "catalog-info.yaml": component("svc"),
        "docs/index.md": '# S\n--8<-- "/etc/passwd"\n--8<-- "../secret/passwd.md"\n'
                         '--8<-- "docs/linked.md"\n--8<-- "../../../../../../etc/passwd"\n',
        "docs/ok.md": "# ok\n",
    }, name="svc")
    os.symlink(secret / "passwd.md", root / "docs/linked.md")
    os.symlink(secret, root / "docs/folder")
    os.symlink(root / "docs/ok.md", root / "docs/inside.md")  # inside: fine
    _, docs = collect(root)
    site = docs.sites[ref("svc")]
    assert sorted(site.pages) == ["index.md", "inside.md", "ok.md"]
    markdown = site.pages["index.md"].markdown
    assert "root:" not in markdown and "SECRET" not in markdown
    outside = problems(docs, "docs-outside-repository")
    assert len(outside) == 6  # linked.md, folder/, and four snippets
    assert all(p.severity is Severity.ERROR for p in outside)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_mkdocs_yml_symlinked_out_is_not_read(make_repo, tmp_path):
    (tmp_path / "outside.yml").write_text("site_name: LEAKED\n")
    root = make_repo({"catalog-info.yaml": component("svc"), "docs/index.md": "# S\n"},
                     name="svc")
    os.symlink(tmp_path / "outside.yml", root / "mkdocs.yml")
    _, docs = collect(root)
    assert docs.sites[ref("svc")].title != "LEAKED"
    assert [p.code for p in docs.problems] == ["docs-outside-repository"]


def test_source_links_follow_techdocs():
    run = load_catalog(DEMO_SOURCES)
    entity = run.catalog.get(ref("design-system"))
    links = source_links(None, entity, "packages/design-system/docs")
    assert links.edit_url("index.md") == ("https://github.com/northwind/storefront/edit/main/"
                                          "packages/design-system/docs/index.md")
    assert links.view_url("../README.md") == ("https://github.com/northwind/storefront/blob/"
                                              "main/packages/design-system/README.md")
    config = parse_mkdocs_yml("repo_url: https://gitlab.com/g/p\nedit_uri: -/edit/dev/docs/\n")
    links = source_links(config, entity, "docs")
    assert links.edit_url("a b.md") == "https://gitlab.com/g/p/-/edit/dev/docs/a%20b.md"
    assert links.view_url("a.md") == "https://gitlab.com/g/p/-/blob/dev/docs/a.md"


# -- real builds ---------------------------------------------------------------------


def test_demo_docs_live_under_their_entities(demo_site):
    base = demo_site / "docs/default/component"
    for name in ("checkout-service", "payments-gateway", "design-system", "storefront-web",
                 "legacy-erp-connector"):
        assert (base / name / "index.html").is_file(), name
    assert (base / "checkout-service/runbook/index.html").is_file()
    assert (base / "legacy-erp-connector/jobs/nightly/index.html").is_file()
    image = base / "checkout-service/images/order-flow.svg"
    source = ROOT / "catalog-sources/repos/checkout-service/docs/images/order-flow.svg"
    assert image.read_bytes() == sanitize_svg(source.read_bytes())  # published as SVG, cleaned
    assert b"<title>Placing an order" in image.read_bytes()
    assert not (base / "checkout-worker").exists()  # shares checkout-service's docs


def test_demo_docs_pages_have_their_section_nav(demo_site):
    html = (demo_site / "docs/default/component/checkout-service/runbook/index.html").read_text()
    nav = html[html.index('class="md-nav md-nav--primary pr-docs-nav"'):]
    nav = nav[:nav.index("</nav>")]
    assert re.findall(r'<span class="md-ellipsis">([^<]+)</span>', nav) == [
        "Overview", "Architecture", "Runbook"]
    assert 'md-nav__link--active" href="./"' in nav
    assert "catalog/default/component/checkout-service/" in nav
    assert "Payments Gateway" not in html  # no other section's pages in the sidebar
    assert 'class="md-nav md-nav--secondary"' in html  # the page's own table of contents
    assert 'href="https://github.com/northwind/checkout-service/edit/main/docs/runbook.md"' in html


def test_site_nav_has_one_docs_entry_and_no_docs_pages(demo_site):
    home = (demo_site / "index.html").read_text()
    assert home.count('href="docs/"') >= 1
    assert "docs/default/" not in home
    index = (demo_site / "docs/index.html").read_text()
    assert "Checkout Service" in index and "default/component/checkout-service/" in index


def test_entity_pages_link_to_docs_and_back(demo_site):
    page = (demo_site / "catalog/default/component/checkout-service/index.html").read_text()
    assert ('<tr><th>Docs</th> <td><a href="../../../../docs/default/component/'
            'checkout-service/">Checkout Service</a></td></tr>') in page
    worker = (demo_site / "catalog/default/component/checkout-worker/index.html").read_text()
    assert 'href="../../../../docs/default/component/checkout-service/"' in worker
    docs = (demo_site / "docs/default/component/checkout-service/index.html").read_text()
    assert 'href="../../../../catalog/default/component/checkout-service/"' in docs
    assert 'href="../../../../catalog/default/component/checkout-worker/"' in docs


def test_demo_docs_features(demo_site):
    base = demo_site / "docs/default/component"
    architecture = (base / "checkout-service/architecture/index.html").read_text()
    assert '<img alt="Placing an order: reserve, authorise, commit, publish" ' \
           'src="../images/order-flow.svg">' in architecture
    assert 'href="../../inventory-service/architecture/"' in architecture
    assert 'href="../../payments-gateway/runbook/"' in architecture
    runbook = (base / "checkout-service/runbook/index.html").read_text()
    assert '<div class="admonition warning">' in runbook
    usage = (base / "pyservice-kit/usage/index.html").read_text()
    assert "Add the kit to your service" in usage and "8&lt;" not in usage
    assert broken_links(demo_site / "docs") == []
    assert external_requests(demo_site / "docs") == []


def test_search_finds_docs_by_entity_title_and_name(demo_site):
    docs = {url: f for url, f in fragments(demo_site).items() if url.startswith("docs/default/")}
    assert set(docs) >= {"docs/default/component/checkout-service/",
                         "docs/default/component/checkout-service/runbook/"}
    home = docs["docs/default/component/payments-gateway/"]
    assert home["meta"]["title"] == "Payments Gateway"
    assert home["meta"]["entity"] == "Payments Gateway"
    assert home["meta"]["entity_url"] == "catalog/default/component/payments-gateway/"
    assert home["filters"]["section"] == ["Docs"]
    assert any("OutboxLagHigh" in d["content"] for d in docs.values())
    assert not any("¶" in d["meta"]["title"] or "¶" in d["content"] for d in docs.values())


def _sources(tmp_path: Path, *repos: Path) -> Path:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n" + "".join(f"  - path: {r}\n" for r in repos))
    return sources


def test_backstage_techdocs_example_builds_with_problems_not_crashes(tmp_path):
    repo = tmp_path / "documented-component"
    shutil.copytree(TECHDOCS_EXAMPLE, repo)
    site = tmp_path / "site"
    result = pavedroad("build", "--sources", str(_sources(tmp_path, repo)),
                       "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    log = result.stderr
    for image in ("wide-diagram.png", "tall-diagram.png", "square-diagram.png",
                  "backstage-logo-cncf.svg"):
        assert re.search(rf"docs/image-gallery\.md:\d+: warning: image 'images/{image}'", log)
    assert re.search(r"docs/index\.md:44: warning: image 'images/backstage-logo-cncf.svg'", log)
    assert "inner-component-docs/index.md:5: warning: link '../../../../../../docs/" in log
    base = site / "docs/default/component/documented-component"
    for page in ("index.html", "sub-page/index.html", "code/code-sample/index.html",
                 "deeper-nav/even-deeper/index.html", "inner-component-docs/index.html"):
        assert (base / page).is_file(), page
    index = (base / "index.html").read_text()
    assert re.findall(r'<span class="pr-docs-nav__heading">([^<]+)</span>', index) == [
        "Deeper Nav", "Inner Deeper Nav"]
    assert "\U0001f44d" in (base / "extensions/index.html").read_text()
    other = (site / "catalog/default/component/techdocs-entity-documented-component/"
                    "index.html").read_text()
    assert 'href="../../../../docs/default/component/documented-component/' \
           'inner-component-docs/"' in other
    assert broken_links(site / "docs") == []
    assert external_requests(site / "docs") == []


def test_hostile_docs_are_sanitised_in_the_site_and_in_generate(tmp_path):
    (tmp_path / "secret.txt").write_text("TOP-SECRET-VALUE\n")
    repo = tmp_path / "repos" / "evil"
    (repo / "docs").mkdir(parents=True)
    (repo / "catalog-info.yaml").write_text(component("evil"))
    (repo / "mkdocs.yml").write_text("site_name: Evil\n")
    (repo / "docs" / "index.md").write_text(
        "---\ntitle: 'x\"><script>alert(1)</script>'\n"
        "description: '\"><script>alert(2)</script>'\ntemplate: 404.html\n---\n"
        "# Evil <img src=x onerror=alert(3)>\n\n<script>alert(4)</script>\n\n"
        "[click](javascript:alert(5)) [attr](x.md){onclick=\"alert(6)\"}\n\n"
        '<iframe src="https://evil.example"></iframe>\n\n'
        '--8<-- "../../secret.txt"\n\n'
        '<div onmouseover="alert(7)" style="background:url(https://evil.example)">x</div>\n')
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - path: repos/*\n")
    site = tmp_path / "site"
    result = pavedroad("build", "--sources", str(sources), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert "snippet '../../secret.txt' points outside" in result.stderr
    html = (site / "docs/default/component/evil/index.html").read_text()
    content = html[html.index("<article"):html.index("</article>")]
    nav = html[html.index('class="md-nav md-nav--primary pr-docs-nav"'):]
    tags = " ".join(re.findall(r"<[^>]*>", content + nav[:nav.index("</nav>")]))
    for needle in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "evil.example",
                   "<iframe", "style="):
        assert needle not in tags, needle
    assert "TOP-SECRET" not in html
    assert not any("TOP-SECRET" in json.dumps(f) for f in fragments(site).values())
    title = html.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and '"><script' not in html
    assert '<meta name="description" content="Services, APIs' in html  # not the page's own
    out = tmp_path / "project"
    result = pavedroad("generate", "--sources", str(sources), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "docs/docs/default/component/evil/index.md").read_text()
    tags = " ".join(re.findall(r"<[^>]*>", page.split("\n---\n", 1)[1]))
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert needle not in tags, needle
    assert "TOP-SECRET" not in page


@pytest.mark.parametrize("limit, kept", [(None, False), (2_000_000, True)])
def test_max_file_size_from_sources_applies_to_docs_pages(tmp_path, limit, kept):
    repo = tmp_path / "repos" / "big"
    (repo / "docs").mkdir(parents=True)
    (repo / "catalog-info.yaml").write_text(component("big"))
    (repo / "docs" / "index.md").write_text("# Big\n\n" + "Lorem ipsum dolor.\n" * 58_000)
    assert 1_050_000 < (repo / "docs" / "index.md").stat().st_size < 1_200_000
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - path: repos/*\n" +
                       (f"max_file_size: {limit}\n" if limit else ""))
    portal = build_portal(sources)
    check = check_problems(load_catalog(sources, progress=False))
    for found in (portal.run.catalog.problems, check):
        too_large = [p for p in found if p.code == "file-too-large"]
        assert bool(too_large) is not kept, too_large
    site = portal.docs.sites.get(ref("big"))
    assert (site is not None and "index.md" in site.pages) is kept
