"""Docs pages parsed and rendered once, kept between builds (generator/docs/cache.py)."""

from __future__ import annotations

import os
import re

from conftest import DEMO_SOURCES, TECHDOCS_SVC, pavedroad

from generator.docs import collect_docs, docs_dialect
from generator.docs import render as render_module
from generator.docs.cache import DocsCache
from generator.docs.render import DocsRenderer
from generator.pipeline import load_paths
from generator.sources import Repository

FILES = {"catalog-info.yaml": TECHDOCS_SVC,
         "docs/index.md": "# Home\n\nSee [the guide](guide.md).\n\n--8<-- \"parts/note.md\"\n",
         "docs/guide.md": "# Guide\n\n```dot\ndigraph { a -> b }\n```\n",
         "parts/note.md": "A *note*.\n"}
FENCED_DEMO_PAGES = 1
"""The demo's docs pages with a Graphviz fence (checkout-service's architecture): drawn when
rendered, so the docs stage keeps no draft of them."""


class Counter:
    """Counts the real parses of the docs stage."""

    def __init__(self, monkeypatch) -> None:
        self.calls = 0
        real = render_module._page_links

        def counted(*args):
            self.calls += 1
            return real(*args)
        monkeypatch.setattr(render_module, "_page_links", counted)


def build(root, cache_file):
    """Collect and render one repository's docs with the cache at ``cache_file``."""
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    docs = collect_docs(run.catalog, run.repositories, cache=DocsCache.open(cache_file))
    site = next(iter(docs.sites.values()))
    pages = {path: page.markdown for path, page in site.pages.items()}
    renderer = DocsRenderer(docs_dialect(), pages, workers=0, cache=docs.cache,
                            links={path: page.links for path, page in site.pages.items()})
    renderer.start()
    out = {path: renderer.get(path).html for path in sorted(pages)}
    renderer.close()
    return out, renderer.rendered


def test_warm_rebuild_parses_and_renders_no_page(make_repo, tmp_path, monkeypatch):
    root = make_repo(FILES, name="svc")
    parses = Counter(monkeypatch)
    cold, rendered = build(root, tmp_path / "docs.marshal")
    assert (rendered, parses.calls) == (2, 2)
    warm, rendered = build(root, tmp_path / "docs.marshal")
    assert (rendered, parses.calls) == (0, 2)
    assert warm == cold and "<svg" in warm["guide.md"]


def test_a_changed_snippet_renders_only_the_page_that_includes_it(make_repo, tmp_path):
    root = make_repo(FILES, name="svc")
    build(root, tmp_path / "docs.marshal")
    (root / "parts" / "note.md").write_text("A *changed* note.\n", encoding="utf-8")
    out, rendered = build(root, tmp_path / "docs.marshal")
    assert rendered == 1 and "<em>changed</em>" in out["index.md"]


def test_a_new_link_target_renders_the_page_linking_to_it_again(make_repo, tmp_path):
    root = make_repo({**FILES, "docs/guide.md": "# Guide\n"}, name="svc")
    (root / "docs" / "guide.md").unlink()
    before, _ = build(root, tmp_path / "docs.marshal")
    assert 'href="guide/"' not in before["index.md"]
    (root / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    after, rendered = build(root, tmp_path / "docs.marshal")
    assert rendered == 2 and 'href="guide/"' in after["index.md"]


def test_damaged_cache_is_ignored(make_repo, tmp_path):
    root = make_repo(FILES, name="svc")
    cold, _ = build(root, tmp_path / "docs.marshal")
    data = bytearray((tmp_path / "docs.marshal").read_bytes())
    data[-5] ^= 0xFF
    (tmp_path / "docs.marshal").write_bytes(bytes(data))
    out, rendered = build(root, tmp_path / "docs.marshal")
    assert rendered == 2 and out == cold


def test_second_site_build_renders_no_docs_page(tmp_path):
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    logs = []
    for site in ("one", "two"):
        done = pavedroad("build", "--sources", str(DEMO_SOURCES), "--site-dir",
                          str(tmp_path / site), env=env)
        assert done.returncode == 0, done.stderr
        logs.append(done.stdout + done.stderr)
    assert "0 from the cache" in logs[0] and " 0 docs pages rendered" in logs[1]
    # The first build finished the pages the docs stage parsed; it parsed none again.
    rendered, drafted = map(int, re.search(
        r"(\d+) docs pages rendered \((\d+) from the docs stage's parse\)", logs[0]).groups())
    assert rendered > 0 and drafted == rendered - FENCED_DEMO_PAGES
    first = {p.relative_to(tmp_path / "one"): p.read_bytes()
             for p in (tmp_path / "one").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "two"): p.read_bytes()
              for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert first == second


def test_pages_parsed_on_both_cores_resolve_as_on_one(make_repo, monkeypatch):
    """A cold docs stage parses its pages on every core (split_map); the links and their
    problems are those of one core."""
    files = {"catalog-info.yaml": TECHDOCS_SVC,
             "parts/note.md": "See [a missing page](nowhere.md).\n"}
    for i in range(260):
        files[f"docs/p{i:03}.md"] = (
            f"# Page {i}\n\n[next](p{(i + 1) % 260:03}.md) [gone](gone-{i}.md) "
            f"![img](img-{i}.png)\n\n" + ('--8<-- "parts/missing.md"\n' if i % 50 == 0 else "")
            + ('--8<-- "parts/note.md"\n' if i % 7 == 0 else ""))
    root = make_repo(files, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])

    def collected(workers: str):
        monkeypatch.setenv("PAVEDROAD_WORKERS", workers)
        docs = collect_docs(run.catalog, run.repositories)
        site = next(iter(docs.sites.values()))
        return ({path: page.links for path, page in site.pages.items()},
                [(p.code, p.file, p.line, p.message) for p in docs.problems])

    one, two = collected("1"), collected("2")
    assert two == one
    links, problems = one
    assert links["p007.md"][("md", "p008.md")] != "p008.md"  # resolved to its site place
    codes = [code for code, *_ in problems]
    assert "docs-broken-link" in codes and "docs-snippet-missing" in codes


def test_a_page_that_recurs_is_parsed_once(make_repo, tmp_path, monkeypatch):
    boilerplate = "# Support\n\nAsk in [the channel](https://chat.example), see [home](index.md).\n"
    root = make_repo({"catalog-info.yaml": TECHDOCS_SVC, "docs/index.md": "# Home\n",
                      **{f"docs/support-{i}.md": boilerplate for i in range(3)}}, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    for cache in (None, DocsCache.open(tmp_path / "docs.marshal")):
        parses = Counter(monkeypatch)
        docs = collect_docs(run.catalog, run.repositories, cache=cache)
        assert parses.calls == 2  # the home page and one of the three copies
        site = next(iter(docs.sites.values()))
        assert len({str(site.pages[f"support-{i}.md"].links) for i in range(3)}) == 1
