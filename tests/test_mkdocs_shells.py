"""Page shells (generator/mkdocs/shells.py) must equal the theme's own pages."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator.mkdocs.shells import PageShells

PAGES = {
    "index.md": "# Home\n",
    "catalog/default/component/a/index.md": "---\ntitle: A &amp; B <i>co</i>\n---\n\n"
    "## About\n\ntext\n\n## Depends on\n\n### Deeper\n\nmore\n",
    "catalog/default/component/b/index.md": "---\ntitle: \"B's \\\"quoted\\\" one\"\n---\n\n"
    "## Other\n\nx\n",
    "catalog/default/api/c/index.md": "---\ntitle: C\n---\n\n## About\n\ny\n",
    "catalog/default/api/d/index.md": "---\ntitle: D%20<b>x</b>\n---\n\n## About\n\ny\n",
    "teams/t1/index.md": "---\ntitle: T1\n---\n\n## About\n\n1\n",
    "teams/t2/index.md": "---\ntitle: T2\n---\n\n## About\n\n2\n",
    "teams/t3/index.md": "---\ntitle: T3\n---\n\n## Members\n\n3\n",
    "catalog/default/api/e/index.md": "---\ntitle: E\n---\n\nNo headings at all.\n",
    "catalog/default/api/f/index.md": "---\ntitle: F\n---\n\n# An h1 of its own\n\nz\n",
    "docs/x/index.md": "---\ntitle: Docs X\n---\n\n## Start\n\nhi\n",
    "docs/y/index.md": "---\ntitle: Docs Y\n---\n\n## Start\n\nho\n",
    "docs/z/index.md": "---\ntitle: Docs Z\n---\n\n## Start\n\nhu\n",
}
EDIT = {"docs/x/index.md": "https://git.example/o/editor/edit/main/docs/index.md",
        "docs/y/index.md": "https://git.example/o/r/edit/main/docs/index.md",
        "docs/z/index.md": "https://git.example/o/r/blob/main/docs/index.md"}


def _site(tmp_path: Path, theme: str = "material"):
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "Shells & <Co>", "docs_dir": str(tmp_path / "docs"),
                      "site_dir": str(tmp_path / "site"), "site_url": "https://p.example/x/",
                      "theme": {"name": theme,
                                "features": ["content.action.edit", "content.action.view",
                                             "navigation.tabs"]},
                      "markdown_extensions": [{"toc": {"permalink": True}}]})
    errors, _ = config.validate()
    assert not errors
    for path, text in PAGES.items():
        (tmp_path / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / path).write_text(text)
    files = Files([File(path, config.docs_dir, config.site_dir, config.use_directory_urls,
                        inclusion=InclusionLevel.UNDEFINED if path == "index.md"
                        else InclusionLevel.NOT_IN_NAV) for path in PAGES])
    nav = get_navigation(files, config)
    pages = []
    for file in files.documentation_pages():
        page = file.page or Page(None, file, config)
        page.read_source(config)
        page.render(config, files)
        page.edit_url = EDIT.get(file.src_uri)
        pages.append(page)
    return config, files, nav, pages


def _render_all(config, files, nav, pages, shells: PageShells | None, env) -> dict[str, str]:
    out = {}
    for page in pages:
        context = get_context(nav, files, config, page)
        page.active = True
        out[page.file.src_uri] = (shells.render(page, context, "main.html") if shells
                                  else env.get_template("main.html").render(context))
        page.active = False
    return out


def test_material_pages_from_shells_equal_material_rendered_per_page(tmp_path):
    config, files, nav, pages = _site(tmp_path)
    env = config.theme.get_env()
    expected = _render_all(config, files, nav, pages, None, env)
    shells = PageShells(env)
    assert _render_all(config, files, nav, pages, shells, env) == expected
    for _ in range(2):  # a third and fourth round: every shape is trusted by now
        assert _render_all(config, files, nav, pages, shells, env) == expected
    assert shells.filled > len(pages)
    a = expected["catalog/default/component/a/index.md"]
    assert "<title>A &amp; B <i>co</i> - Shells & <Co></title>" in a  # as Material prints it
    assert 'href="https://git.example/o/r/raw/main/docs/index.md"' in expected["docs/z/index.md"]


@pytest.mark.parametrize(("theme", "drawn_from_shells"), [("mkdocs", True),
                                                         ("readthedocs", False)])
def test_other_themes_from_shells_equal_their_own_pages(tmp_path, monkeypatch, theme,
                                                        drawn_from_shells):
    """Their TOC is no Material partial: it becomes part of the shape (t1 and t2 share a
    shape and a TOC; t3, of the same shape, has another)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # as the plugin sets it; else a clock per page
    config, files, nav, pages = _site(tmp_path, theme)
    env = config.theme.get_env()
    expected = _render_all(config, files, nav, pages, None, env)
    shells = PageShells(env)
    for _ in range(3):
        assert _render_all(config, files, nav, pages, shells, env) == expected
    assert (shells.filled > 0) == drawn_from_shells  # readthedocs: pages differ beyond the slots


def _shells_for(tmp_path: Path, template: str) -> PageShells:
    """Shells for a one-template theme, after three rounds that must equal the theme."""
    config, files, nav, pages = _site(tmp_path)
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": template}))
    expected = _render_all(config, files, nav, pages, None, env)
    shells = PageShells(env)
    for _ in range(3):
        assert _render_all(config, files, nav, pages, shells, env) == expected
    return shells


def test_a_theme_showing_anything_else_per_page_is_rendered_per_page(tmp_path):
    shells = _shells_for(tmp_path, (
        "<title>{{ page.meta.title | striptags }}</title>{{ page.meta.title | e }}"
        "{{ page.meta.title | urlencode }}<a href='{{ page.url }}'>{{ page.content }}</a>"))
    assert shells.filled == 0  # page.url differs between pages of a shape


@pytest.mark.parametrize("template", [
    "{{ page.meta.title | upper }}|{{ page.content }}",  # a filter the shells cannot replay
    "{{ page.meta.title | truncate(3) }}|{{ page.content }}",
    "{{ page.meta.title | first }}|{{ page.meta.title }}|{{ page.content }}",
    "{% if page.meta.title | length > 40 %}long {% endif %}{{ page.meta.title }}|"
    "{{ page.content }}",
])
def test_unknown_filters_fall_back_to_the_theme(tmp_path, template):
    assert _shells_for(tmp_path, template).filled == 0


def test_title_filters_are_replayed_without_the_theme(tmp_path):
    shells = _shells_for(tmp_path, (
        "<title>{{ page.meta.title | striptags }}</title>{{ page.meta.title | e }}|"
        "{{ page.meta.title | urlencode }}|{{ page.meta.title }}|{{ page.content }}"))
    assert shells.filled > 0

