"""The project's own markdown_extensions merged over TechDocs' (generator/docs/extensions.py)."""

from __future__ import annotations

import doctest

import generator.docs.extensions as extensions_module
from generator.docs import collect_docs, docs_dialect, render_markdown
from generator.docs.extensions import DOCS_EXTENSIONS, merge_extensions
from generator.docs.render import DocsRenderer
from generator.pipeline import load_paths
from generator.problems import Severity
from generator.refs import EntityRef
from generator.sources import Repository
from generator.yamlfile import PythonTag

CATALOG = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
           "  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
           "  lifecycle: production\n  owner: team-a\n")


def build(make_repo, files: dict[str, str]):
    root = make_repo({"catalog-info.yaml": CATALOG, **files}, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    docs = collect_docs(run.catalog, run.repositories)
    return docs, docs.sites.get(EntityRef("component", "default", "svc"))


def html(site, path: str = "index.md") -> str:
    page = site.pages[path]
    return render_markdown(page.markdown, docs_dialect(extensions=site.extensions or
                                                       DOCS_EXTENSIONS), links=page.links).html


def test_doctests():
    assert doctest.testmod(extensions_module).failed == 0


def test_blocks_admonition_from_mkdocs_yml_renders(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nmarkdown_extensions:\n  - pymdownx.blocks.admonition\n",
        "docs/index.md": "# I\n\n/// tip | Try it\nUse **this**.\n///\n"})
    out = html(site)
    assert '<div class="admonition tip">' in out and "<strong>this</strong>" in out
    assert "///" not in out
    assert not docs.problems


def test_without_the_extension_blocks_stay_text(make_repo):
    _docs, site = build(make_repo, {"docs/index.md": "# I\n\n/// tip\nUse it.\n///\n"})
    assert "///" in html(site)


def test_auto_append_abbreviations_and_references_apply_to_every_page(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": ("site_name: S\nmarkdown_extensions:\n  - abbr\n  - pymdownx.snippets:\n"
                       "      auto_append: [includes/abbreviations.md]\n"),
        "includes/abbreviations.md": "*[HTML]: Hyper Text Markup Language\n"
                                     "[ref]: https://example.com/ref\n",
        "docs/index.md": "# I\n\nWrite HTML, see [the spec][ref].\n",
        "docs/other.md": "# O\n\nMore HTML.\n"})
    out = html(site)
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in out
    assert '<a href="https://example.com/ref">the spec</a>' in out
    assert "<abbr" in html(site, "other.md")
    assert not docs.problems


def test_snippets_base_path_is_honoured_inside_the_repository_only(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": ("site_name: S\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
                       "      base_path: [snips, /etc, ../..]\n      check_paths: true\n"),
        "snips/part.md": "From the *snippet*.\n",
        "docs/index.md": '# I\n\n--8<-- "part.md"\n\n--8<-- "../../../etc/passwd"\n'})
    out = html(site)
    assert "<em>snippet</em>" in out and "root:" not in out
    outside = [p for p in docs.problems if p.code == "docs-outside-repository"]
    assert sorted(p.file.rsplit("/svc/", 1)[1] for p in outside) == [
        "docs/index.md", "mkdocs.yml", "mkdocs.yml"]


def test_unknown_extensions_give_one_info_problem_naming_them(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": ("site_name: S\nmarkdown_extensions:\n  - toc:\n      permalink: '#'\n"
                       "  - markdown_include.include:\n      base_path: /\n  - mkdocs-click\n"
                       "  - pymdownx.b64\n"),
        "docs/index.md": "# I\n\n## Part\n"})
    [problem] = docs.problems
    assert problem.severity is Severity.INFO and problem.code == "docs-extensions-ignored"
    assert problem.file.endswith("svc/mkdocs.yml") and problem.line == 2
    for name in ("markdown_include.include", "mkdocs-click", "pymdownx.b64"):
        assert name in problem.message
    assert 'class="headerlink" href="#part" title="Permanent link">#</a>' in html(site)


def test_python_tags_are_never_constructed_and_well_known_ones_are_mapped(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": """\
            site_name: S
            markdown_extensions:
              - toc:
                  slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
              - pymdownx.emoji:
                  emoji_index: !!python/name:material.extensions.emoji.twemoji
                  emoji_generator: !!python/name:material.extensions.emoji.to_png
                  options:
                    custom_icons: [/etc]
              - pymdownx.superfences:
                  custom_fences:
                    - name: mermaid
                      class: mermaid
                      format: !!python/name:pymdownx.superfences.fence_code_format
                    - name: evil
                      class: evil
                      format: !!python/object/apply:os.system ["touch /tmp/pr-pwned"]
              - pymdownx.tabbed:
                  slugify: !!python/name:os.getcwd
            """,
        "docs/index.md": ("# I\n\n## Big Part\n\n:smile: :material-check:\n\n"
                          "```mermaid\ngraph LR\n  a --> b\n```\n\n```evil\nx\n```\n")})
    out = html(site)
    assert 'id="big-part"' in out
    assert "😄" in out and "<svg" in out and "<img" not in out
    assert '<pre class="mermaid"><code>graph LR' in out
    assert 'class="evil"' not in out
    [problem] = docs.problems
    assert problem.code == "docs-extensions-ignored"
    for dropped in ("custom_icons", "os.system", "os.getcwd"):
        assert dropped in problem.message


def test_bad_options_fall_back_to_techdocs_dialect_with_a_problem(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nmarkdown_extensions:\n  - toc:\n      no_such_option: 1\n",
        "docs/index.md": "# I\n\n!!! note\n    Still rendered.\n"})
    [problem] = docs.problems
    assert problem.severity is Severity.WARNING and problem.line == 2
    assert "TechDocs' dialect" in problem.message
    assert site.extensions is None and "admonition note" in html(site)


def test_broken_mkdocs_yml_is_a_problem_and_docs_render_in_the_default_dialect(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nmarkdown_extensions:\n  - toc\n   - bad: [\n",
        "docs/index.md": "# I\n\n!!! note\n    Text.\n"})
    [problem] = docs.problems
    assert problem.code == "docs-config" and problem.file.endswith("svc/mkdocs.yml")
    assert problem.line == 4
    assert "admonition note" in html(site)


def test_extra_does_not_replace_superfences():
    settings = merge_extensions([("markdown.extensions.extra", None),
                                 ("fenced_code", None)])
    names = [name for name, _ in settings.extensions]
    assert "fenced_code" not in names and "extra" not in names
    out = render_markdown("```dot\ndigraph { a -> b }\n```\n",
                          docs_dialect(extensions=settings.extensions)).html
    assert "<svg" in out


FORMAT = "object/apply:pymdownx.arithmatex.arithmatex_fenced_format"


def test_python_tag_factory_of_a_safe_module_is_called_with_its_keywords():
    settings = merge_extensions([("pymdownx.arithmatex", {"generic": True}),
                                 ("pymdownx.superfences", {"custom_fences": [
                                     {"name": "math", "class": "arithmatex",
                                      "format": PythonTag(FORMAT, {"kwds": {"mode": "generic",
                                                                            "tag": "pre"}})}]})])
    fences = dict(settings.extensions)["pymdownx.superfences"]["custom_fences"]
    assert [f["name"] for f in fences] == ["dot", "graphviz", "mermaid", "math"]
    assert not settings.ignored
    out = render_markdown("```math\nx^2\n```\n", docs_dialect(extensions=settings.extensions))
    assert 'class="arithmatex"' in out.html


def test_renderer_renders_each_page_in_its_sections_dialect():
    blocks = merge_extensions([("pymdownx.blocks.admonition", None)]).extensions
    pages = {"a.md": "/// note\nA\n///\n", "b.md": "/// note\nB\n///\n"}
    renderer = DocsRenderer(docs_dialect(), pages, extensions={"a.md": blocks, "b.md": None},
                            workers=0)
    assert "admonition note" in renderer.get("a.md").html
    assert "///" in renderer.get("b.md").html
