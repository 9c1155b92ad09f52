"""The parse cache: unchanged descriptors are not parsed again; damage is ignored."""

from __future__ import annotations

from pathlib import Path

from conftest import COMPONENT, GROUP

from generator.crawl import crawl
from generator.parsecache import KEEP_FILES, ParseCache, load_documents, parse_cache_path
from generator.pipeline import load_catalog
from generator.sources import Repository, cache_root, load_sources

GOOD = COMPONENT.format(name="svc", owner="team-a") + "---\n" + GROUP.format(name="team-a")
BROKEN = GROUP.format(name="team-b") + "---\nkind: [\n"


def _org(make_repo, tmp_path: Path) -> Path:
    make_repo({"catalog-info.yaml": GOOD}, name="repos/a")
    make_repo({"catalog-info.yaml": BROKEN, "x/catalog-info.yml": GROUP.format(name="team-c")},
              name="repos/b")
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - path: repos/*\n", encoding="utf-8")
    return path


def _summary(run) -> tuple:
    return (sorted(str(r) for r in run.catalog.entities),
            [(p.code, p.file, p.line, p.message) for p in run.catalog.problems])


def test_second_run_parses_nothing_and_builds_the_same_catalog(make_repo, tmp_path):
    path = _org(make_repo, tmp_path)
    cold = load_catalog(path, progress=False, memo=False)
    warm = load_catalog(path, progress=False, memo=False)
    assert (cold.files, cold.parsed) == (3, 3)
    assert (warm.files, warm.parsed) == (3, 0)
    assert _summary(warm) == _summary(cold)
    assert "yaml-syntax" in [p.code for p in warm.catalog.problems]  # errors are cached too


def test_a_changed_file_is_parsed_again(make_repo, tmp_path):
    path = _org(make_repo, tmp_path)
    load_catalog(path, progress=False, memo=False)
    (tmp_path / "repos/a/catalog-info.yaml").write_text(GOOD.replace("name: svc", "name: svc2"))
    run = load_catalog(path, progress=False, memo=False)
    assert run.parsed == 1
    assert "component:default/svc2" in {str(r) for r in run.catalog.entities}


def test_a_damaged_cache_file_is_ignored(make_repo, tmp_path):
    path = _org(make_repo, tmp_path)
    cold = load_catalog(path, progress=False, memo=False)
    stored = parse_cache_path(cache_root(load_sources(path)[0]), path)
    data = stored.read_bytes()
    for damaged in (b"", data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]),
                    b"not a cache at all"):
        stored.write_bytes(damaged)
        run = load_catalog(path, progress=False, memo=False)
        assert run.parsed == 3 and _summary(run) == _summary(cold)
    assert load_catalog(path, progress=False, memo=False).parsed == 0  # rewritten whole


def test_a_damaged_entry_is_parsed_again(tmp_path):
    cache = ParseCache(tmp_path / "c.marshal")
    key = cache.key("a: 1\n")
    cache.put(key, load_documents("a: 1\n"))
    cache._used[key] = b"\x00garbage"
    assert cache.get(key) is None and cache.misses == 1


def test_entries_round_trip_and_unused_ones_are_dropped(tmp_path):
    file = tmp_path / "c.marshal"
    cache = ParseCache.open(file)
    for text in ("a: 1\n", "b: [1, 2]\n---\nc: {d: e}\n", "x: [\n"):
        key = cache.key(text)
        assert cache.get(key) is None
        cache.put(key, load_documents(text))
    cache.save()
    again = ParseCache.open(file)
    docs, error = again.get(again.key("b: [1, 2]\n---\nc: {d: e}\n"))
    assert [d.data for d in docs] == [{"b": [1, 2]}, {"c": {"d": "e"}}] and error is None
    assert docs[1].lines == {("c",): 3, ("c", "d"): 3}
    docs, error = again.get(again.key("x: [\n"))
    assert docs == [] and error is not None and error.code == "yaml-syntax"
    again.save()
    assert ParseCache.open(file).get(cache.key("a: 1\n")) is None  # not used last run


def test_crawl_counts_parses(make_repo):
    root = make_repo({"catalog-info.yaml": GOOD, "b/catalog-info.yaml": GOOD})
    repo = Repository("r", root.resolve(), str(root))
    cache = ParseCache()
    assert crawl([repo], parse_cache=cache).parsed == 1  # the same text twice: parsed once
    assert crawl([repo], parse_cache=cache).parsed == 0
    assert crawl([repo]).parsed == 2


def test_old_cache_files_are_pruned(tmp_path):
    for i in range(KEEP_FILES + 5):
        cache = ParseCache(tmp_path / f"{i:03}.marshal")
        cache.put(cache.key("a: 1\n"), load_documents("a: 1\n"))
        cache.save()
    kept = sorted(p.name for p in tmp_path.glob("*.marshal"))
    assert len(kept) == KEEP_FILES and f"{KEEP_FILES + 4:03}.marshal" in kept
