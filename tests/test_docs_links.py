"""Docs link resolution (generator/docs/links.py): plain data in, a URL or a problem out."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from generator.docs.links import LinkIndex, PageLinks, link_index, resolve_link
from generator.docs.model import DocPage, Docs, DocSite, DocsLink, SourceLinks
from generator.refs import EntityRef
from generator.sources import Repository

SVC = EntityRef("component", "default", "svc")
OTHER = EntityRef("component", "default", "other")


def _site(root: Path, ref: EntityRef, pages: tuple[str, ...], files: tuple[str, ...] = (),
          source: SourceLinks | None = None) -> DocSite:
    repo = Repository(ref.name, root, str(root))
    site = DocSite(ref=ref, repo=repo, root=".", docs_dir="docs", title=ref.name, source=source)
    for path in pages:
        site.pages[path] = DocPage(path=path, source=f"docs/{path}", title=path)
    for path in files:
        site.files[path] = root / "docs" / path
    return site


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Docs, DocSite]:
    svc_root, other_root = tmp_path / "svc", tmp_path / "other"
    (svc_root / "docs" / "guide").mkdir(parents=True)
    (svc_root / "src").mkdir()
    (svc_root / "src" / "main.py").write_text("print()\n")
    (other_root / "docs").mkdir(parents=True)
    svc = _site(svc_root, SVC, ("index.md", "guide/setup.md"), ("img/a.png",))
    other = _site(other_root, OTHER, ("index.md", "runbook.md"))
    found = Docs(sites={SVC: svc, OTHER: other},
                 links={SVC: DocsLink(SVC, svc.index), OTHER: DocsLink(OTHER, other.index)})
    return found, svc


def _resolve(docs: Docs, site: DocSite, page: str, url: str, kind: str = "link"):
    index = link_index(docs, frozenset({SVC, OTHER}))
    return resolve_link(index, PageLinks.of(site, site.pages[page]), url, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(("page", "url", "expected"), [
    ("index.md", "guide/setup.md#step-2", "guide/setup/#step-2"),
    ("guide/setup.md", "../index.md", "../../"),
    ("guide/setup.md", "/img/a.png", "../../img/a.png"),
    ("guide/setup.md", "../../../other/docs/runbook.md", "../../../other/runbook/"),
    ("index.md", "entity:component:default/other", "../../../../catalog/default/component/other/"),
    ("index.md", "docs:component:default/other/runbook.md", "../other/runbook/"),
    ("index.md", "https://example.com/a.md", "https://example.com/a.md"),
    ("index.md", "#top", "#top"),
])
def test_links_resolve_to_their_place_in_the_site(docs, page, url, expected):
    found, site = docs
    assert _resolve(found, site, page, url) == (expected, None)


def test_link_to_a_missing_file_is_a_problem_naming_it(docs):
    found, site = docs
    url, problem = _resolve(found, site, "index.md", "gone.md", "image")
    assert url is None and problem is not None
    assert problem[0] == "docs-broken-link" and "image 'gone.md'" in problem[1]
    assert "'docs/gone.md'" in problem[1]


def test_link_outside_the_docs_folder_goes_to_the_repository_browser(docs):
    found, site = docs
    assert _resolve(found, site, "index.md", "../src/main.py")[1][0] == "docs-link-outside"
    site.source = SourceLinks("https://git.example/svc/blob/main/docs/", None)
    assert _resolve(found, site, "index.md", "../src/main.py#L2") == (
        "https://git.example/svc/blob/main/src/main.py#L2", None)


def test_unknown_entity_link_is_a_problem(docs):
    found, site = docs
    url, problem = _resolve(found, site, "index.md", "entity:component:default/nobody")
    assert url is None and problem and problem[0] == "docs-broken-link"


def test_link_index_is_plain_data_that_pickles(docs):
    """Worker processes can resolve links with nothing but the index and the page."""
    found, site = docs
    index = link_index(found, frozenset({SVC, OTHER}))
    again = pickle.loads(pickle.dumps(index))
    assert isinstance(again, LinkIndex) and again.targets == index.targets
    page = pickle.loads(pickle.dumps(PageLinks.of(site, site.pages["index.md"])))
    assert resolve_link(again, page, "guide/setup.md", "link") == ("guide/setup/", None)
