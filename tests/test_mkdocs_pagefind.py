"""The Pagefind index: a cap on huge pages, and the same bytes for the same pages."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path

from pagefind_index import fragments

from generator.mkdocs.pagefind import MAX_PAGE_HTML, PagefindSearch, index_site, indexed_part
from generator.mkdocs.pagefind_run import INPUTS_FILE, IndexRun
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


def _indexes(site: Path) -> dict[str, bytes]:
    """Both indexes' files and the list of those merged, by site path."""
    return {str(p.relative_to(site)): p.read_bytes() for folder in ("pagefind",
            "pagefind-entities", "search") for p in sorted((site / folder).rglob("*"))
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
        trees.append(_indexes(site))
    assert trees[0] == trees[1] == trees[2]
    assert any(name.startswith("pagefind-entities/filter/") for name in trees[0])
    assert any(name.startswith("pagefind/fragment/") for name in trees[0])


def test_the_entities_index_is_merged_into_the_pages_or_alone_is_the_index(tmp_path):
    document = SearchDocument("catalog/x/", '<html lang="en"><body><main data-pagefind-body>'
                              "<h1>X</h1><p>x</p></main></body></html>")
    both, alone = tmp_path / "both", tmp_path / "alone"
    index_site(both, [document], [_page(both, "handbook/", "<h1>Handbook</h1><p>one</p>")])
    assert json.loads((both / "search/indexes.json").read_text()) == {
        "merge": ["pagefind-entities/"]}
    assert set(fragments(both)) == {"catalog/x/", "handbook/"}
    assert len(list((both / "pagefind/fragment").iterdir())) == 1  # the handbook only
    index_site(alone, [document], [])
    assert json.loads((alone / "search/indexes.json").read_text()) == {"merge": []}
    assert not (alone / "pagefind-entities").exists()
    assert set(fragments(alone)) == {"catalog/x/"}


def test_an_entities_index_started_early_is_the_one_published(tmp_path):
    """Made while the pages render (PagefindSearch.start), and the same files as one made
    after them."""
    documents = [SearchDocument(f"catalog/{n}/", f'<html lang="en"><body><main '
                                f"data-pagefind-body><h1>{n}</h1><p>{n}</p></main></body>"
                                "</html>") for n in ("x", "y")]
    early, late = tmp_path / "early", tmp_path / "late"
    run = IndexRun([(d.url, d.html) for d in documents])
    run.start()
    index_site(early, documents, [_page(early, "handbook/", "<h1>H</h1>")], entities=run)
    assert run.made is not None  # this run made the published index
    index_site(late, documents, [_page(late, "handbook/", "<h1>H</h1>")])
    assert _indexes(early) == _indexes(late)


def test_a_pages_index_started_early_is_the_one_published_in_the_builds_order(tmp_path):
    """Started once the last page it reads is written (PagefindSearch.start_pages): the same
    files as one made after the build, the pages in the order of the build's files."""
    early, late = tmp_path / "early", tmp_path / "late"
    search = PagefindSearch(PageSet(), order={"b/index.html": 2, "a/index.html": 1})
    for site in (early, late):
        _page(site, "a/", "<h1>A</h1><p>alpha</p>")
        _page(site, "b/", "<h1>B</h1><p>beta</p>")
    search.indexed = [("b/", "b/index.html"), ("a/", "a/index.html")]  # b kept, noted first
    assert search.marked(early) == [("a/", early / "a/index.html"), ("b/", early / "b/index.html")]
    search.start_pages(early)
    run = search.early.run
    search.index(early, early)
    assert run.made is not None and search.early is None  # this run made the published index
    index_site(late, [], [("a/", late / "a/index.html"), ("b/", late / "b/index.html")])
    assert _indexes(early) == _indexes(late)


def test_a_pages_index_started_from_other_pages_is_made_again(tmp_path):
    search = PagefindSearch(PageSet(), indexed=[_page(tmp_path, "a/", "<h1>A</h1>")])
    search.indexed = [("a/", "a/index.html")]
    search.start_pages(tmp_path)
    stale = search.early.run
    _page(tmp_path, "b/", "<h1>B</h1><p>late</p>")
    search.indexed.append(("b/", "b/index.html"))  # marked after the start
    search.index(tmp_path, tmp_path)
    assert stale.made is None
    assert set(fragments(tmp_path)) == {"a/", "b/"}


def test_markup_in_a_document_is_text_in_the_index(tmp_path):
    html = ('<html lang="en"><body><main data-pagefind-body><h1>&lt;b&gt;Bold&lt;/b&gt; '
            '&amp; co</h1><p>x</p></main></body></html>')
    index_site(tmp_path, [SearchDocument("catalog/x/", html)], [])
    assert fragments(tmp_path)["catalog/x/"]["meta"]["title"] == "<b>Bold</b> & co"


def test_an_index_made_from_the_same_inputs_is_kept_and_any_change_indexes_again(tmp_path):
    """Each index on its own: a page's edit makes the pages' index again, not the entities'."""
    published, staged = tmp_path / "site", tmp_path / "staging"
    documents = [SearchDocument("catalog/x/", '<html lang="en"><body><main data-pagefind-body>'
                                "<h1>X</h1><p>x</p></main></body></html>")]
    pages = [_page(published, "handbook/", "<h1>Handbook</h1><p>one</p>")]
    assert index_site(published, documents, pages, reuse=published)[1] is False
    before = _indexes(published)
    staged.mkdir()
    kept: list[str] = []
    assert index_site(staged, documents, pages, reuse=published, keep=kept.append)[1] is True
    assert kept == ["pagefind", "pagefind-entities"]
    assert not (staged / "pagefind").exists()  # nothing indexed; the published ones stay
    assert _indexes(published) == before
    pages = [_page(published, "handbook/", "<h1>Handbook</h1><p>two</p>")]
    kept.clear()
    assert index_site(staged, documents, pages, reuse=published, keep=kept.append)[1] is False
    assert kept == ["pagefind-entities"] and not (staged / "pagefind-entities").exists()
    assert _tree(staged / "pagefind") != _tree(published / "pagefind")
    documents = [SearchDocument("catalog/x/", documents[0].html.replace("<p>x", "<p>z"))]
    kept.clear()
    pages = [_page(published, "handbook/", "<h1>Handbook</h1><p>one</p>")]
    assert index_site(staged, documents, pages, reuse=published, keep=kept.append)[1] is False
    assert kept == ["pagefind"] and (staged / "pagefind-entities").is_dir()


def _demo_pages(site: Path) -> list[tuple[str, str]]:
    """The demo's docs and hand-written pages that the pages' index reads, as built."""
    out = []
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html and not path.is_relative_to(site / "catalog"):
            rel = path.parent.relative_to(site).as_posix()
            out.append(("" if rel == "." else f"{rel}/", html))
    return out


def test_the_pages_index_is_the_same_made_from_their_article_alone(demo_site, tmp_path):
    pages = _demo_pages(demo_site)
    assert len(pages) > 20 and all(len(indexed_part(h)) < len(h) / 2 for _, h in pages)
    made = []
    for items in (pages, [(url, indexed_part(html)) for url, html in pages]):
        run = IndexRun(items)
        try:
            made.append({k: v for k, v in _tree(run.result()).items() if k != INPUTS_FILE})
        finally:
            run.close()
    assert made[0] == made[1]


def test_a_change_outside_the_indexed_part_keeps_the_pages_index(demo_site, tmp_path):
    pages = [(url, indexed_part(html)) for url, html in _demo_pages(demo_site)]
    run = IndexRun(pages)
    try:
        shutil.copytree(run.result(), tmp_path / "pagefind")
    finally:
        run.close()
    renamed = [(url, indexed_part(html.replace("Northwind", "Southwind")))
               for url, html in _demo_pages(demo_site)]
    assert IndexRun(pages, tmp_path / "pagefind").kept
    assert not IndexRun(renamed, tmp_path / "pagefind").kept  # the site name is in some text
    assert all('<footer class="md-footer">' in html for _, html in _demo_pages(demo_site))
    shell = [(url, indexed_part(html.replace('<footer class="md-footer">',
                                             '<footer class="md-footer">Changed</footer><footer>')))
             for url, html in _demo_pages(demo_site)]
    assert IndexRun(shell, tmp_path / "pagefind").kept


def test_the_build_stamp_is_on_every_page_but_in_no_search_result(demo_site):
    stamp = "Generated "  # the footer line: its date and commit change with every build
    pages = _demo_pages(demo_site)
    assert all(stamp in html for _, html in pages)
    found = fragments(demo_site)
    assert len(found) > 20
    assert not [url for url, fragment in found.items() if stamp in fragment["content"]]


def test_an_index_of_the_same_page_files_is_kept_without_reading_them(tmp_path):
    """start_pages with the site record's digests: the same files (by digest) as the build
    that made the published index keep it unread; another digest reads and indexes again."""
    from generator.mkdocs.pagefind_files import FilesMemo
    from generator.mkdocs.siterecord import content_digest

    site = tmp_path / "site"
    memo = FilesMemo(tmp_path / "cache" / "pagefind.marshal")
    for url in ("a/", "b/"):
        _page(site, url, f"<h1>{url}</h1><p>text of {url}</p>")
    indexed = [("a/", "a/index.html"), ("b/", "b/index.html")]

    def digests() -> dict[str, tuple]:
        return {dest: (0, 0, 0, 0, content_digest((site / dest).read_bytes()))
                for _, dest in indexed}

    first = PagefindSearch(PageSet(), indexed=list(indexed))
    first.start_pages(site, digests(), memo)
    assert not first.early.run.kept
    first.index(site, site)
    published = _indexes(site)
    kept = digests()
    moved = tmp_path / "moved"
    for _, dest in indexed:  # the pages are not where the build reads them: not read
        (moved / dest).parent.mkdir(parents=True, exist_ok=True)
        (site / dest).rename(moved / dest)
    second = PagefindSearch(PageSet(), indexed=list(indexed))
    second.start_pages(site, kept, memo)
    assert second.early.run.kept
    second.index(site, site)
    assert _indexes(site) == published
    for _, dest in indexed:
        (moved / dest).rename(site / dest)
    _page(site, "b/", "<h1>b/</h1><p>changed</p>")
    third = PagefindSearch(PageSet(), indexed=list(indexed))
    third.start_pages(site, digests(), memo)
    assert not third.early.run.kept
    third.index(site, site)
    assert "changed" in json.dumps(fragments(site)["b/"])
    fourth = PagefindSearch(PageSet(), indexed=list(indexed))
    fourth.start_pages(site, {}, memo)  # a file the record does not know: read, as before
    assert fourth.early.run.kept and fourth.early.items[0][1]
