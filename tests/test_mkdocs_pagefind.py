"""The Pagefind index: a cap on huge pages, and the same bytes for the same pages."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pagefind_index import fragments

from generator.mkdocs.pagefind import MAX_PAGE_HTML, PagefindSearch, index_site
from generator.pages.model import PageSet, SearchContext, SearchDocument
from generator.pages.search_pages import context_html


def _page(site: Path, url: str, body: str) -> tuple[str, Path]:
    path = site / url / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<html lang="en"><body><nav>Home Catalog</nav><article data-pagefind-body>'
                    f"{body}</article></body></html>", encoding="utf-8")
    return url, path


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_a_huge_page_is_indexed_up_to_the_cap_with_a_warning(tmp_path, caplog):
    words = " ".join(f"word{i}" for i in range(600_000))  # about 5 MB of text
    huge = _page(tmp_path, "docs/api/", f"<h1>API reference</h1><p>firstword {words}</p>"
                 "<p>lastword</p>")
    small = _page(tmp_path, "docs/guide/", "<h1>Guide</h1><p>a small page</p>")
    assert huge[1].stat().st_size > 5_000_000
    search = PagefindSearch(PageSet(), indexed=[huge, small])
    start = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.pavedroad"):
        search.index(tmp_path)
    assert time.perf_counter() - start < 120
    found = fragments(tmp_path)
    assert "firstword" in found["docs/api/"]["content"]
    assert "lastword" not in found["docs/api/"]["content"]
    assert len(found["docs/api/"]["content"]) <= MAX_PAGE_HTML
    assert found["docs/guide/"]["content"] == "Guide. a small page."
    assert "Home Catalog" not in found["docs/guide/"]["content"]  # only the article
    [warning] = caplog.records
    assert warning.getMessage().startswith(
        "docs/api/: warning: search reads only the first 1,000,000 characters of this page's "
        f"{huge[1].stat().st_size:,} (split the page")


def test_the_same_pages_give_a_byte_identical_index(tmp_path):
    documents = []
    for i in range(40):
        context = SearchContext((("kind", "component"),),
                                (("section", "Entities"), ("owner", f"Team {i % 9}"),
                                 ("tier", str(i % 3)), ("tag", f"tag{i % 7}")))
        documents.append(SearchDocument(
            f"catalog/default/component/svc-{i}/",
            f'<html lang="en"><body><main data-pagefind-body><h1>Service {i}</h1>'
            f"<p>svc-{i}</p>{context_html(context)}</main></body></html>"))
    trees = []
    for run in ("a", "b", "c"):
        site = tmp_path / run
        site.mkdir()
        index_site(site, documents, [_page(site, "handbook/", "<h1>Handbook</h1><p>x</p>")])
        trees.append(_tree(site / "pagefind"))
    assert trees[0] == trees[1] == trees[2]
    assert any(name.startswith("filter/") for name in trees[0])


def test_markup_in_a_document_is_text_in_the_index(tmp_path):
    html = ('<html lang="en"><body><main data-pagefind-body><h1>&lt;b&gt;Bold&lt;/b&gt; '
            '&amp; co</h1><p>x</p></main></body></html>')
    index_site(tmp_path, [SearchDocument("catalog/x/", html)], [])
    assert fragments(tmp_path)["catalog/x/"]["meta"]["title"] == "<b>Bold</b> & co"


def test_an_index_made_from_the_same_inputs_is_kept_and_any_change_indexes_again(tmp_path):
    published, staged = tmp_path / "site", tmp_path / "staging"
    documents = [SearchDocument("catalog/x/", '<html lang="en"><body><main data-pagefind-body>'
                                "<h1>X</h1><p>x</p></main></body></html>")]
    pages = [_page(published, "handbook/", "<h1>Handbook</h1><p>one</p>")]
    assert index_site(published, documents, pages, reuse=published)[1] is False
    before = _tree(published / "pagefind")
    staged.mkdir()
    assert index_site(staged, documents, pages, reuse=published)[1] is True
    assert not (staged / "pagefind").exists()  # nothing indexed; the published one stays
    assert _tree(published / "pagefind") == before
    pages = [_page(published, "handbook/", "<h1>Handbook</h1><p>two</p>")]
    assert index_site(staged, documents, pages, reuse=published)[1] is False
    assert _tree(staged / "pagefind") != before
