"""The crawl of many repositories in two processes finds what one process finds."""

from __future__ import annotations

from conftest import COMPONENT, GROUP

from generator.crawl import PARALLEL_REPOS, crawl
from generator.formats import FormatHook
from generator.parsecache import ParseCache
from generator.sources import Repository


def _repos(make_repo, count: int) -> list[Repository]:
    repos = []
    for i in range(count):
        files = {"catalog-info.yaml": COMPONENT.format(name=f"svc-{i}", owner="team-a")}
        if i % 7 == 0:  # a problem, located, in some of them
            files["sub/catalog-info.yaml"] = "kind: [\n"
        if i % 11 == 0:
            files[".github/CODEOWNERS"] = "* @team-a\n"
            files["more/catalog-info.yaml"] = GROUP.format(name=f"team-{i}")
        root = make_repo(files, name=f"repo-{i:03}").resolve()
        repos.append(Repository(f"repo-{i:03}", root, f"repos/repo-{i:03}"))
    return repos


def _crawled(repos, monkeypatch, workers: str):
    monkeypatch.setenv("PAVEDROAD_WORKERS", workers)
    cache, hook = ParseCache(), FormatHook()
    out = crawl(repos, parse_cache=cache, hook=hook, record=True)
    docs = [(d.repo, d.path, d.line, d.data, d.lines) for d in out.documents]
    # not out.parsed: a text both halves meet is parsed by each (here, "kind: [")
    return (docs, out.problems, out.files, out.probes, cache.state()[0],
            sorted(hook.finds.codeowners))


def test_two_processes_crawl_what_one_crawls(make_repo, monkeypatch):
    repos = _repos(make_repo, PARALLEL_REPOS + 6)
    alone = _crawled(repos, monkeypatch, "1")
    both = _crawled(repos, monkeypatch, "2")
    assert both == alone
    assert [d[0] for d in both[0]] == sorted((d[0] for d in both[0]), key=repos.index)
    assert both[0][0][0] is repos[0]  # the caller's repositories, not copies
    assert any(p.code == "yaml-syntax" for p in both[1]) and both[5]


def test_a_warm_parse_cache_is_used_and_kept_by_both(make_repo, monkeypatch):
    repos = _repos(make_repo, PARALLEL_REPOS + 6)
    monkeypatch.setenv("PAVEDROAD_WORKERS", "2")
    cache = ParseCache()
    first = crawl(repos, parse_cache=cache)
    again = crawl(repos, parse_cache=cache)
    assert 0 < first.parsed <= first.files and again.parsed == 0
    assert cache.hits >= again.files and cache.misses == first.parsed
