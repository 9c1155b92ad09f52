"""Two real MkDocs projects' docs (tests/fixtures/real-docs/) published as entities' TechDocs.

Their pages must read as their authors' own MkDocs site shows them: every link
and image in the portal leads somewhere (never to a ``.md`` file), and each
page's text is what Python-Markdown renders from the same source with the same
extensions; only link targets differ.
"""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from conftest import FIXTURES, pavedroad
from mkdocs.utils.meta import get_data
from sitecheck import broken_links, links_of

from generator.docs import collect_docs, docs_dialect, render_markdown
from generator.docs.extensions import DOCS_EXTENSIONS
from generator.docs.render import resolve_setting
from generator.pipeline import load_catalog

PROJECTS = ("httpx", "mkdocs")
DESCRIPTOR = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {name}
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: library
  lifecycle: production
  owner: docs-team
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: docs-team
spec:
  type: team
  children: []
"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The two projects as crawled repositories, each with a descriptor beside mkdocs.yml."""
    root = tmp_path_factory.mktemp("real-docs")
    for name in PROJECTS:
        shutil.copytree(FIXTURES / "real-docs" / name, root / "repos" / name)
        text = DESCRIPTOR.format(name=name)
        if name != PROJECTS[0]:
            text = text.split("---\n")[0]
        (root / "repos" / name / "catalog-info.yaml").write_text(text)
    (root / "sources.yaml").write_text("sources:\n  - path: repos/*\n")
    return root / "sources.yaml"


@pytest.fixture(scope="module")
def built(sources, tmp_path_factory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("real-site") / "site"
    env = {**os.environ, "PAVEDROAD_CACHE": str(site.parent / "cache")}
    done = pavedroad("build", "--sources", str(sources), "--site-dir", str(site), env=env)
    assert done.returncode == 0, done.stderr
    return site, done.stderr


def test_every_page_of_both_projects_is_published(built):
    site, _ = built
    for name in PROJECTS:
        sources = list((FIXTURES / "real-docs" / name / "docs").rglob("*.md"))
        pages = list((site / "docs/default/component" / name).rglob("index.html"))
        assert len(pages) == len(sources), name


def test_no_link_or_image_points_at_markdown_or_at_nothing(built):
    site, _ = built
    to_markdown = []
    for page in sorted((site / "docs").rglob("*.html")):
        for tag, attr, url in links_of(page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if not parts.scheme and not url.startswith("//") and \
                    parts.path.lower().endswith((".md", ".markdown")):
                to_markdown.append(f"{page.relative_to(site)}: <{tag} {attr}={url}>")
    assert to_markdown == []
    assert [b for b in broken_links(site) if b.startswith("docs/")] == []


def test_only_real_mistakes_are_reported(built):
    _, log = built
    warnings = [line for line in log.splitlines() if "docs-" in line or "link '" in line]
    broken = [line for line in warnings if "link '" in line]
    # MkDocs' theme ships img/favicon.ico; the docs link to it, but it is not in docs/.
    assert len(broken) == 1 and "getting-started.md:138" in broken[0], broken
    assert "mkautodoc is not run" in log and "callouts, mdx_gh_links, mkdocs-click are" in log
    assert "macros" not in log


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _python_markdown(site) -> markdown.Markdown:
    """Python-Markdown with the section's extensions and its own snippets extension."""
    extensions = site.extensions or DOCS_EXTENSIONS
    configs = {name: {key: resolve_setting(value) for key, value in config.items()}
               for name, config in extensions}
    options = site.snippets
    folder = site.repo.root / site.root
    configs["pymdownx.snippets"] = {
        "base_path": [str(folder / base) for base in (options.base_path if options else ["."])],
        "auto_append": list(options.auto_append) if options else [], "check_paths": True}
    return markdown.Markdown(extensions=[*(name for name, _ in extensions), "pymdownx.snippets"],
                             extension_configs=configs)


def test_page_text_is_python_markdowns_rendering_of_the_same_source(sources):
    run = load_catalog(sources, progress=False)
    docs = collect_docs(run.catalog, run.repositories)
    compared = 0
    for site in docs.sites.values():
        dialect = docs_dialect(extensions=site.extensions or DOCS_EXTENSIONS)
        for page in site.pages.values():
            ours = render_markdown(page.markdown, dialect, links=page.links)
            assert ours.error is None, page.source
            source = (site.repo.root / page.source).read_text(encoding="utf-8")
            theirs = _python_markdown(site).convert(get_data(source)[0])
            assert _text(ours.html) == _text(theirs), page.source
            compared += 1
    assert compared == 42
