"""The page-set memo: an unchanged rebuild loads the pages of the build before; any change to
what the pages are made from builds them again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP

from generator.pages.model import PageSet
from generator.parallel import wait_background
from generator.portal import PortalOptions, build_portal
from generator.portalmemo import portal_memo_path, slice_names, tree_digest
from generator.sources import cache_root, load_sources


def _org(make_repo, tmp_path: Path) -> Path:
    make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a").replace(
                   "  name: svc\n", "  name: svc\n  annotations:\n"
                   "    backstage.io/techdocs-ref: dir:.\n")
               + "  dependsOn: [component:web]\n"
               "---\n" + COMPONENT.format(name="web", owner="team-a")
               + "  dependsOn: [component:svc]\n",
               "docs/index.md": "# Service\n\nHow it works.\n",
               "mkdocs.yml": "site_name: svc\n"}, name="repos/a")
    make_repo({"catalog-info.yaml": GROUP.format(name="team-a")}, name="repos/b")
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - path: repos/*\n", encoding="utf-8")
    return path


def _build(sources, options=None):
    """A build as MkDocs' ends it: its memo, saved beside it on the other core, is on disk."""
    portal = build_portal(sources, options)
    wait_background()
    return portal


def _same(one: PageSet, other: PageSet) -> None:
    assert one.pages == other.pages
    # The digest the MkDocs side keys reuse by is stored with each page, not computed again.
    assert {k: p._digest for k, p in other.pages.items()} == {
        k: p.digest() for k, p in one.pages.items()}
    assert one.assets == other.assets
    for name in ("nav", "extra_css", "extra_javascript", "listed", "stats", "inserts",
                 "authored", "files", "twins", "search", "search_context"):
        assert getattr(one, name) == getattr(other, name), name


def test_an_unchanged_rebuild_loads_the_pages_and_problems_of_the_build_before(make_repo,
                                                                               tmp_path):
    sources = _org(make_repo, tmp_path)
    cold = _build(sources)
    warm = _build(sources)
    assert not cold.memoised and warm.memoised
    _same(warm.pages, cold.pages)
    assert warm.run.catalog.problems == cold.run.catalog.problems
    assert "dependency-cycle" in {p.code for p in warm.run.catalog.problems}  # the graph's
    assert warm.docs is None and warm.pages.authored  # the docs stage was not run again


def test_an_unchanged_rebuild_hands_the_renderer_the_stored_docs_pages(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    ready = []
    options = PortalOptions(docs_ready=lambda pages, cache, drafts: ready.append(
        (dict(pages), cache, drafts)))
    cold = _build(sources, options)
    warm = _build(sources, options)
    assert warm.memoised and len(ready) == 2
    (cold_pages, _, drafts), (warm_pages, cache, no_drafts) = ready
    assert warm_pages == cold_pages == cold.pages.authored and drafts and not no_drafts
    assert cache is not None and cache is warm.docs_cache


def _cache_dir(sources: Path) -> Path:
    return cache_root(load_sources(sources)[0])


CHANGES = {
    # The default scorecard checks for CODEOWNERS: a file no descriptor names.
    "a file a scorecard checks for is added": lambda root: (
        root / "repos/a/CODEOWNERS").write_text("* @team-a\n"),
    "a docs page is edited": lambda root: (root / "repos/a/docs/index.md").write_text(
        "# Service\n\nHow it works now.\n"),
    "a file is only touched": lambda root: os.utime(root / "repos/b/catalog-info.yaml",
                                                     ns=(1, 1)),
    "a descriptor is edited": lambda root: (root / "repos/a/catalog-info.yaml").write_text(
        COMPONENT.format(name="svc", owner="team-b")),
    "the sources file is edited": lambda root: (root / "sources.yaml").write_text(
        "sources:\n  - path: repos/*\n# a comment\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_to_what_the_pages_are_made_from_builds_them_again(make_repo, tmp_path,
                                                                      change):
    sources = _org(make_repo, tmp_path)
    _build(sources)
    CHANGES[change](tmp_path)
    again = _build(sources)
    assert not again.memoised
    fresh = _build(sources)
    assert fresh.memoised
    _same(fresh.pages, again.pages)


def test_a_new_build_date_or_history_builds_the_pages_again(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    _build(sources, PortalOptions(epoch=1_700_000_000))
    assert _build(sources, PortalOptions(epoch=1_700_000_000)).memoised
    assert not _build(sources, PortalOptions(epoch=1_800_000_000)).memoised
    history = tmp_path / "history.json"
    history.write_text('{"version": 1, "entities": {}}', encoding="utf-8")
    options = PortalOptions(epoch=1_800_000_000, history=history)
    assert not _build(sources, options).memoised
    history.write_text('{"version": 1, "entities": {}} ', encoding="utf-8")
    assert not _build(sources, options).memoised


def test_the_scorecard_shows_a_new_file_after_a_memoised_build(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    _build(sources)
    page = next(p for path, p in _build(sources).pages.pages.items()
                if "/component/svc/" in path)
    (tmp_path / "repos/a/CODEOWNERS").write_text("* @team-a\n", encoding="utf-8")
    after = next(p for path, p in _build(sources).pages.pages.items()
                 if "/component/svc/" in path)
    assert after != page


def test_a_damaged_memo_is_ignored_and_written_again(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    cold = _build(sources)
    memo = portal_memo_path(_cache_dir(sources), sources)
    data = bytearray(memo.read_bytes())
    data[len(data) // 2] ^= 0xFF
    memo.write_bytes(bytes(data))
    again = _build(sources)
    assert not again.memoised
    _same(again.pages, cold.pages)
    memo.write_bytes(memo.read_bytes()[:100])
    assert not _build(sources).memoised
    assert _build(sources).memoised


def test_the_tree_digest_sees_types_sizes_times_and_links_but_not_git(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "a.txt").write_text("a", encoding="utf-8")
    os.symlink("a.txt", root / "link")
    first = tree_digest([root])
    (root / ".git" / "index").write_bytes(b"x")
    assert tree_digest([root]) == first
    os.remove(root / "link")
    os.symlink("b.txt", root / "link")
    assert tree_digest([root]) != first
    assert tree_digest([root], limit=1) is None


def test_the_tree_digest_sees_what_a_folder_holds_not_its_own_time(tmp_path):
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "page.md").write_text("one", encoding="utf-8")
    skip = {root: {"/docs/page.md"}}
    first = tree_digest([root], skip=skip)
    saved = root / "docs" / ".page.md.swp"  # saved as an editor does: by renaming over it
    saved.write_text("two", encoding="utf-8")
    os.replace(saved, root / "docs" / "page.md")
    assert tree_digest([root], skip=skip) == first
    assert tree_digest([root]) != tree_digest([root], skip=skip)
    (root / "docs" / "new.md").write_text("three", encoding="utf-8")
    assert tree_digest([root], skip=skip) != first


def test_the_key_text_is_the_same_in_every_process(tmp_path):
    import subprocess
    import sys
    code = ("from generator.portalmemo import canonical\n"
            "from generator.scorecards.rules import default_ruleset\n"
            "from generator.refs import EntityRef\n"
            "ref = EntityRef('component', 'default', 'svc')\n"  # its cached hash is per process
            "print(canonical((default_ruleset(), {'b': {2, 1}, 'a': frozenset('xyz')},"
            " {ref: [ref]})))\n")
    texts = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
             for seed in (1, 2, 3)}
    assert len(texts) == 1
    text = texts.pop()
    assert "'x', 'y', 'z'" in text and "name='svc'" in text and "_hash" not in text


def _slices(sources: Path) -> dict[Path, int]:
    """The slice files this sources file's memo names (the cache is the session's)."""
    memo = portal_memo_path(_cache_dir(sources), sources)
    paths = [memo.parent / "slices" / f"{name}.marshal" for name in slice_names(memo)]
    return {p: p.stat().st_mtime_ns for p in paths if p.exists()}


def _page_slices(sources: Path) -> set[str]:
    """The file names of the memo's slices of pages."""
    memo = portal_memo_path(_cache_dir(sources), sources)
    return {f"{name}.marshal" for name in slice_names(memo, "pages")}


def test_a_rebuild_writes_only_the_slices_whose_pages_changed(make_repo, tmp_path,
                                                               monkeypatch):
    monkeypatch.setattr("generator.portalmemo._SLICE", 2)  # a few slices of this small site
    sources = _org(make_repo, tmp_path)
    _build(sources)
    before = _slices(sources)
    assert before
    (tmp_path / "repos/b/catalog-info.yaml").write_text(
        GROUP.format(name="team-a").replace("spec:", "  description: Renamed team\nspec:"),
        encoding="utf-8")
    again = _build(sources)
    after = _slices(sources)
    kept = {p for p in before if p in after}
    assert kept and all(after[p] == before[p] for p in kept)  # not written again
    assert set(after) != set(before)  # the changed pages' slice is new, the old one gone
    assert _build(sources).memoised
    _same(_build(sources).pages, again.pages)


def test_a_slice_damaged_in_place_fails_clearly_when_read_and_is_made_again(make_repo,
                                                                           tmp_path):
    from generator.memopages import StoredPageError

    sources = _org(make_repo, tmp_path)
    cold = _build(sources)
    pages = [p for p in _slices(sources) if p.name in _page_slices(sources)]
    data = bytearray(pages[0].read_bytes())
    data[-1] ^= 0xFF  # same size: only reading it can tell
    pages[0].write_bytes(bytes(data))
    damaged = _build(sources)
    assert damaged.memoised  # the pages are read when asked for, not before
    with pytest.raises(StoredPageError, match="build again"):
        _same(damaged.pages, cold.pages)
    again = _build(sources)
    assert not again.memoised
    _same(again.pages, cold.pages)
    assert _build(sources).memoised


def test_a_missing_or_resized_slice_is_a_miss_and_is_written_again(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    cold = _build(sources)
    first, *_ = sorted(_slices(sources))
    first.write_bytes(first.read_bytes() + b"x")
    again = _build(sources)
    assert not again.memoised
    _same(again.pages, cold.pages)
    assert _build(sources).memoised
    for path in _slices(sources):
        path.unlink()
    assert not _build(sources).memoised
    assert _build(sources).memoised


def test_the_key_text_tells_apart_values_that_differ():
    from generator.portalmemo import canonical

    values = [1, "1", True, 1.5, None, "None", [1, 2], [2, 1], {"a": 1}, {"a": "1"},
              "moved at 0x1f", "moved at 0x2f", {"a": {"b": [1]}}, {"a": {"b": [2]}}]
    assert len({canonical(v) for v in values}) == len(values)
    assert canonical({"b": 2, "a": 1}) == canonical({"a": 1, "b": 2})
