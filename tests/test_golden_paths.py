"""Golden paths: template pages, the services on each path, the guides and their index."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from conftest import DEMO_SOURCES, FIXTURES, ROOT, load_repo, pavedroad

from generator.golden_paths import (
    created_from,
    source_template,
    template_outputs,
    template_parameters,
    template_steps,
)
from generator.pages import build_pages
from generator.pages.golden_path_pages import (
    GOLDEN_PATHS_MARKER,
    GOLDEN_PATHS_PAGE,
    GoldenPathFeature,
)
from generator.pipeline import load_catalog
from generator.portal import build_portal
from generator.refs import parse_ref

DOCS_TEMPLATE = "backstage__software-templates__scaffolder-templates__docs-template__template.yaml"
JANUS_TEMPLATE = ("janus-idp__software-templates__templates__github__register-component__"
                  "template.yaml")
GUIDES = ("create-a-service.md", "add-a-postgres-database.md", "on-call-and-runbooks.md",
          "publish-docs.md", "deprecate-a-service.md")


@pytest.fixture(scope="module")
def demo():
    return load_catalog(DEMO_SOURCES).catalog


@pytest.fixture(scope="module")
def demo_pages(demo):
    return build_pages(demo, [GoldenPathFeature(demo)])


def _fixture_template(make_repo, name: str):
    root = make_repo({"catalog-info.yaml": (FIXTURES / "real-world" / name).read_text()},
                     name="templates")
    run = load_repo(root)
    (template,) = run.catalog.of_kind("template")
    return run.catalog, template


def _page(pages, ref: str) -> str:
    return pages.pages[f"{parse_ref(ref).path}/index.md"].expanded()


# --------------------------------------------------------------------------- parsing


def test_demo_template_parameters_across_pages(demo):
    template = demo.get(parse_ref("template:python-service"))
    params = template_parameters(template)
    assert [p.name for p in params] == ["name", "description", "owner", "system",
                                         "pythonVersion", "database", "tier", "repoUrl"]
    by_name = {p.name: p for p in params}
    assert by_name["name"].page == "Service details" and by_name["name"].required
    assert not by_name["system"].required
    assert by_name["repoUrl"].page == "Repository" and by_name["repoUrl"].required
    assert by_name["tier"].default == "3" and by_name["tier"].choices == ("1", "2", "3")
    assert by_name["pythonVersion"].title == "Python version"
    assert by_name["database"].type == "string"
    multi_az = {p.name: p for p in template_parameters(
        demo.get(parse_ref("template:postgres-database")))}["multiAz"]
    assert multi_az.type == "boolean" and multi_az.default == "false"


def test_parameters_as_a_single_object(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata: {name: single}
        spec:
          type: service
          parameters:
            required: [name]
            properties:
              name: {title: Name, type: string, description: The name.}
              count: {type: [integer, "null"], default: 2}
              odd: just a string
          steps: [{id: a, name: A, action: debug:log}]
        """})
    template = load_repo(root).catalog.of_kind("template")[0]
    params = template_parameters(template)
    assert [(p.page, p.name, p.required, p.type, p.default) for p in params] == [
        ("", "name", True, "string", None), ("", "count", False, "integer or null", "2"),
        ("", "odd", False, "", None)]


def test_docs_template_fixture(make_repo):
    _catalog, template = _fixture_template(make_repo, DOCS_TEMPLATE)
    params = template_parameters(template)
    assert [(p.page, p.name, p.required) for p in params] == [
        ("Fill in some steps", "name", True), ("Fill in some steps", "description", True),
        ("Fill in some steps", "owner", False), ("Choose a location", "repoUrl", True)]
    assert [(s.id, s.action) for s in template_steps(template)] == [
        ("fetch", "fetch:template"), ("publish", "publish:github"),
        ("register", "catalog:register")]
    outputs = template_outputs(template)
    assert [(o.kind, o.title, o.value) for o in outputs] == [
        ("link", "Repository", "${{ steps.publish.output.remoteUrl }}"),
        ("entity", "Open in catalog", "${{ steps.register.output.entityRef }}")]


def test_janus_template_fixture(make_repo):
    _catalog, template = _fixture_template(make_repo, JANUS_TEMPLATE)
    params = {p.name: p for p in template_parameters(template)}
    assert len(params) == 7
    assert params["githubHost"].default == "github.com" and params["githubHost"].required
    assert params["componentName"].page == "Provide information about the new component"
    assert not params["componentName"].required and params["componentType"].default == "other"
    assert len(template_steps(template)) == 4
    (output,) = template_outputs(template)
    assert output.title == "Open PR #${{ steps.publishPR.output.pullRequestNumber }}"


def test_malformed_templates_do_not_break_anything(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata: {name: odd}
        spec:
          type: service
          parameters: [just text, {title: P, properties: [not, a, map]}, {properties: {a: 1}}]
          steps: [{action: debug:log, id: [1]}, nonsense]
          output: {links: [{title: x}, 3, {url: "javascript:alert(1)", title: bad}],
                   text: [{title: T, content: {nested: true}}], extra: 42}
        """})
    catalog = load_repo(root).catalog
    template = catalog.of_kind("template")[0]
    assert [p.name for p in template_parameters(template)] == ["a"]
    assert [(s.id, s.action) for s in template_steps(template)] == [("", "debug:log")]
    assert [(o.kind, o.value) for o in template_outputs(template)] == [
        ("link", "javascript:alert(1)"), ("text", '{"nested": true}'), ("value", "42")]
    page = _page(build_pages(catalog, [GoldenPathFeature(catalog)]), "template:odd")
    assert 'href="javascript' not in page and "link hidden" in page


def test_created_from_reads_the_source_template_annotation(demo):
    made = created_from(demo)
    python = parse_ref("template:python-service")
    assert [r.name for r in made[python]] == ["recommendations-service", "returns-service",
                                              "search-service"]
    assert [str(r) for r in made[parse_ref("template:postgres-database")]] == [
        "resource:default/returns-db"]
    assert parse_ref("template:static-website") not in made
    assert source_template(demo.get(parse_ref("component:search-service"))) == python
    assert source_template(demo.get(parse_ref("component:checkout-service"))) is None


# --------------------------------------------------------------------------- rendering


def heading(title: str) -> str:
    """How a section heading appears on a generated page."""
    return f'>{title}<a class="headerlink"'


def test_demo_template_page(demo_pages):
    page = _page(demo_pages, "template:python-service")
    assert '>3 services on this path<a class="headerlink"' in page
    for name in ("recommendations-service", "returns-service", "search-service"):
        assert f'href="../../component/{name}/"' in page
    assert page.index("on this path") < page.index(heading("Parameters")) \
        < page.index(heading("Steps")) < page.index(heading("Outputs"))
    assert "Service details" in page and "Runtime" in page and "Repository" in page
    assert "Python version" in page and "pythonVersion" in page
    assert "one of: 3.12, 3.11" in page
    assert "publish:github" in page and "catalog:register" in page
    # an output URL that is an expression is text, never a link
    assert "${{ steps[&#x27;publish&#x27;].output.remoteUrl }}" in page
    assert "filled in when the template runs" in page
    assert 'href="${{' not in page


def test_template_with_nothing_on_its_path(demo_pages):
    page = _page(demo_pages, "template:static-website")
    assert heading("On this path") in page and "Nothing in the catalog was created" in page
    postgres = _page(demo_pages, "template:postgres-database")
    assert '>1 resource on this path<a class="headerlink"' in postgres


def test_created_entities_name_their_golden_path(demo_pages):
    page = _page(demo_pages, "component:returns-service")
    assert "<th>Golden path</th>" in page
    assert 'href="../../template/python-service/">Python service (FastAPI)</a>' in page
    assert "<th>Golden path</th>" not in _page(demo_pages, "component:checkout-service")


@pytest.mark.parametrize("name", [DOCS_TEMPLATE, JANUS_TEMPLATE])
def test_fixture_template_pages(make_repo, name):
    catalog, template = _fixture_template(make_repo, name)
    page = _page(build_pages(catalog, [GoldenPathFeature(catalog)]), str(template.ref))
    for title in ("Parameters", "Steps", "Outputs"):
        assert heading(title) in page
    assert '>On this path<a class="headerlink"' in page
    for param in template_parameters(template):
        assert param.name in page


def test_templates_index_is_inserted_at_the_marker(demo_pages, demo):
    html = demo_pages.inserts[GOLDEN_PATHS_PAGE][GOLDEN_PATHS_MARKER]
    assert 'markdown="0"' in html
    assert 'href="../catalog/default/template/python-service/"' in html
    assert "3: " in html and 'href="../catalog/default/component/search-service/"' in html
    filled = demo_pages.fill_inserts(GOLDEN_PATHS_PAGE, f"# x\n\n{GOLDEN_PATHS_MARKER}\n")
    assert GOLDEN_PATHS_MARKER not in filled and "PostgreSQL database (RDS)" in filled
    assert demo_pages.fill_inserts("other.md", GOLDEN_PATHS_MARKER) == GOLDEN_PATHS_MARKER


def test_hostile_template_text_is_escaped(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata:
          name: evil
          title: "<script>alert('t')</script>"
          description: "<img src=x onerror=alert(1)>"
        spec:
          type: "<b>service</b>"
          owner: team
          parameters:
            - title: "<script>page</script>"
              properties:
                "<i>x</i>": {title: "<svg onload=alert(1)>", default: "<b>d</b>",
                             enum: ["<u>e</u>"], description: "[md](javascript:alert(1))"}
          steps: [{id: "<s>", name: "</td></tr><script>", action: "<x>"}]
          output:
            links: [{title: "<a href=x>", url: "https://ok.example/?q=<script>"}]
            text: [{title: t, content: "</div><script>alert(2)</script>"}]
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: made
          annotations: {backstage.io/source-template: "template:default/evil"}
        spec: {type: service, lifecycle: production, owner: team}
        """})
    catalog = load_repo(root).catalog
    pages = build_pages(catalog, [GoldenPathFeature(catalog)])
    page = _page(pages, "template:evil")
    index = pages.inserts[GOLDEN_PATHS_PAGE][GOLDEN_PATHS_MARKER]
    for text in (page, index):
        assert not re.search(r"<(script|img|svg|i|u|s|b|x)[\s>]", text), text
        assert 'href="javascript' not in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


# --------------------------------------------------------------------------- guides and site


def test_guides_are_in_the_nav_and_complete():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    section = next(item["Golden paths"] for item in config["nav"]
                   if isinstance(item, dict) and "Golden paths" in item)
    assert section == ["golden-paths/index.md", *(f"golden-paths/{g}" for g in GUIDES)]
    for guide in GUIDES:
        text = (ROOT / "docs/golden-paths" / guide).read_text()
        assert "**Purpose.**" in text, guide
        for heading in ("## Prerequisites", "## Steps", "## What you get", "## Off-road",
                        "## Support"):
            assert heading in text, (guide, heading)
        assert re.search(r"^1\. ", text, re.MULTILINE), guide
        assert "```" in text, guide  # real commands or files, not just prose
    index = (ROOT / "docs/golden-paths/index.md").read_text()
    assert GOLDEN_PATHS_MARKER in index
    for guide in GUIDES:
        assert f"({guide})" in index


def test_guides_reference_real_template_parameters(demo):
    guide = (ROOT / "docs/golden-paths/create-a-service.md").read_text()
    for param in template_parameters(demo.get(parse_ref("template:python-service"))):
        assert param.title in guide, param.title
    postgres = (ROOT / "docs/golden-paths/add-a-postgres-database.md").read_text()
    for size in ("db.t4g.medium", "db.r6g.large", "db.r6g.2xlarge"):
        assert size in postgres


def test_built_golden_paths_index_lists_the_templates(demo_site):
    html = (demo_site / "golden-paths/index.html").read_text()
    assert GOLDEN_PATHS_MARKER not in html
    assert 'href="../catalog/default/template/python-service/"' in html
    assert "<table>" in html and "On this path" in html
    for guide in GUIDES:
        assert (demo_site / "golden-paths" / guide.removesuffix(".md") / "index.html").is_file()
    template = (demo_site / "catalog/default/template/python-service/index.html").read_text()
    assert "3 services on this path" in template and "Parameters" in template


def test_generate_fills_the_marker_too(tmp_path, demo_site):
    out = tmp_path / "project"
    result = pavedroad("generate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    index = (out / "docs/golden-paths/index.md").read_text()
    assert GOLDEN_PATHS_MARKER not in index
    assert "catalog/default/template/python-service/" in index
    assert (out / "docs/scorecards/index.md").is_file()
    assert (out / "docs/badges/default/component/checkout-service.svg").is_file()
    assert GOLDEN_PATHS_MARKER in (ROOT / "docs/golden-paths/index.md").read_text()


def test_portal_without_templates_says_so(make_repo):
    root = make_repo({"repo/catalog-info.yaml": """\
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: team}
        spec: {type: team, children: []}
        """, "sources.yaml": "sources:\n  - path: repo\n"}, name="org")
    pages = build_portal(root / "sources.yaml").pages
    assert "no scaffolder templates" in pages.inserts[GOLDEN_PATHS_PAGE][GOLDEN_PATHS_MARKER]
    shutil.rmtree(root)
