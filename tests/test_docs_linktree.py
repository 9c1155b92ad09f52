"""Links found and resolved on the parsed page (generator/docs/linktree.py)."""

from __future__ import annotations

import time

import pytest

from generator.docs import collect_docs, docs_dialect, render_markdown
from generator.docs.linktree import html_urls
from generator.pipeline import load_paths
from generator.refs import EntityRef
from generator.sources import Repository

CATALOG = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
           "  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
           "  lifecycle: production\n  owner: team-a\n")


def build(make_repo, files: dict[str, str]):
    root = make_repo({"catalog-info.yaml": CATALOG, **files}, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    docs = collect_docs(run.catalog, run.repositories)
    return docs, docs.sites[EntityRef("component", "default", "svc")]


def html(site, path: str = "index.md") -> str:
    page = site.pages[path]
    return render_markdown(page.markdown, docs_dialect(), links=page.links).html


def test_link_with_inline_code_label_is_resolved_and_checked(make_repo):
    docs, site = build(make_repo, {
        "docs/index.md": "# I\n\n[`Client`](api.md#client) and [`Gone`](gone.md)\n",
        "docs/api.md": "# API\n"})
    out = html(site)
    assert '<a href="api/#client"><code>Client</code></a>' in out
    assert ".md" not in out
    [problem] = docs.problems
    assert problem.code == "docs-broken-link" and problem.line == 3 and "gone.md" in problem.message


def test_text_outside_link_targets_is_rendered_as_python_markdown_renders_it(make_repo):
    source = ("# I\n\nSee the note.[^1] And [GitHub Pages\nsites]: wrapped.\n\n"
              "    <img src=\"shot.png\"> in an indented code sample\n\n"
              "[^1]: [Release notes](https://example.com/notes)\n\n[^2]: Lorem ipsum\n")
    _docs, site = build(make_repo, {"docs/index.md": source})
    expected = render_markdown(source, docs_dialect()).html
    assert html(site) == expected
    assert "<h1" not in expected.split("</h1>", 1)[1]
    assert '&lt;img src="shot.png"&gt;' in expected


def test_raw_html_relative_to_the_page_url_resolves_as_on_mkdocs(make_repo):
    docs, site = build(make_repo, {
        "docs/guide/page.md": '# P\n\n<img src="../../img/shot.png"> <a href="../../api/">API</a>\n'
                              '<a href="../api.md">by file</a>\n',
        "docs/usage.md": '# U\n\n<a href="../api/">API</a>\n',
        "docs/api.md": "# API\n", "docs/img/shot.png": "png", "docs/index.md": "# I\n"})
    assert '<a href="../api/">API</a>' in html(site, "usage.md")
    out = html(site, "guide/page.md")
    assert '<img src="../../img/shot.png">' in out and '<a href="../../api/">API</a>' in out
    assert '<a href="../../api/">by file</a>' in out
    assert docs.problems == []


def test_angle_bracket_targets_are_links_without_warnings(make_repo):
    docs, site = build(make_repo, {
        "docs/index.md": "# I\n\n[packages](<https://en.wikipedia.org/wiki/Npm_(software)>)\n"})
    assert '<a href="https://en.wikipedia.org/wiki/Npm_(software)">packages</a>' in html(site)
    assert docs.problems == []


def test_attr_list_on_a_heading_is_an_id_not_title_text(make_repo):
    _, site = build(make_repo, {"docs/index.md": "# API { #api-ref }\n", "docs/b.md": "# B\n"})
    assert site.pages["index.md"].title == "API"
    assert '<h1 id="api-ref">API' in html(site)


def test_macros_stay_text_with_one_info_problem_per_page(make_repo):
    docs, site = build(make_repo, {
        "docs/index.md": "# I\n\nVersion {{ config.version }} at [x]({{ url }}) {{ y }}\n"})
    assert [(p.code, p.severity.value) for p in docs.problems] == [("docs-macros", "info")]
    assert "{{ config.version }}" in html(site)


def test_raw_html_urls_are_found_in_tags_only():
    assert html_urls("<p>&lt;img src=x&gt;</p><img src='y.png' alt=z>") == [("img", "y.png", 24)]


def test_unclosed_tags_scan_in_linear_time():
    assert html_urls("<a " * 40_000 + '<a href="z">') == [("a", "z", 120_000)]




@pytest.mark.parametrize("page", ["[a](((" * 1366, "<a " * 40_000, "[" * 20_000,
                                  "![](" * 4000])
def test_hostile_pages_are_collected_and_rendered_in_linear_time(make_repo, page):
    started = time.process_time()  # CPU time: a loaded machine must not fail a linear stage
    _, site = build(make_repo, {"docs/index.md": page})
    rendered = html(site)
    assert time.process_time() - started < 10  # the patterns fixed took minutes
    assert rendered.count("&lt;a") == 40_000 if page.startswith("<a") else rendered


def test_links_and_raw_html_still_parse_with_the_bounds():
    text = ('[a [nested [link]]](<x y.md> "t (1)") ![i](b.png)\n\n'
            '<a href="x"\n   title="t">x</a>\n')
    out = render_markdown(text, docs_dialect()).html
    assert '<a href="x y.md" title="t (1)">a [nested [link]]</a>' in out
    assert '<img alt="i" src="b.png">' in out and '<a href="x" title="t">x</a>' in out


def test_obfuscated_autolink_email_stays_as_python_markdown_writes_it(make_repo):
    source = "# I\n\nWrite to <tom@example.com>.\n"
    docs, site = build(make_repo, {"docs/index.md": source})
    assert docs.problems == []
    assert html(site) == render_markdown(source, docs_dialect()).html
    assert '<a href="mailto:tom@example.com">tom@example.com</a>' in html(site)


def test_link_written_relative_to_the_page_url_resolves_as_on_mkdocs_site(make_repo):
    docs, site = build(make_repo, {
        "docs/index.md": "# I\n", "docs/async.md": "# A\n\n[t](../advanced/transports#asgi)\n",
        "docs/advanced/transports.md": "# T\n"})
    assert docs.problems == []
    assert 'href="../advanced/transports/#asgi"' in html(site, "async.md")


def test_jinja_in_code_or_without_the_macros_plugin_gives_no_macros_problem(make_repo):
    docs, _ = build(make_repo, {
        "mkdocs.yml": "site_name: S\nplugins:\n  - search\n",
        "docs/index.md": "# I\n\nfavicon | {{ base_url }}/img/favicon.ico\n"})
    assert docs.problems == []
    docs, _ = build(make_repo, {
        "mkdocs.yml": "site_name: S\nplugins:\n  - search\n  - macros\n",
        "docs/index.md": "# I\n\nUse `{{ x }}`:\n\n```jinja\n{{ y }}\n```\n"})
    assert docs.problems == []
