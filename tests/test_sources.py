"""sources.yaml: what to crawl, read into Sources and expanded into repositories.

Git sources are tested in test_git.py with real repositories; these are the
local ones: ``path`` globs, ``file`` entries and the file's own settings.
"""

from __future__ import annotations

from pathlib import Path

from generator.sources import (
    DEFAULT_DESCRIPTOR_NAMES,
    DEFAULT_MAX_FILE_SIZE,
    Sources,
    expand_sources,
    load_sources,
    repository_for_path,
)

DEFAULTS = (DEFAULT_DESCRIPTOR_NAMES, DEFAULT_MAX_FILE_SIZE)


def _settings(sources: Sources) -> tuple[tuple[str, ...], int]:
    return sources.descriptor_names, sources.max_file_size


def _sources(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _dirs(tmp_path: Path, *names: str) -> None:
    for name in names:
        (tmp_path / name).mkdir(parents=True)


def test_entries_keep_file_order_type_and_line(tmp_path):
    path = _sources(tmp_path, "# the organisation\nsources:\n"
                              "  - file: org/catalog-info.yaml\n"
                              "  - path: repos/*\n"
                              "  - path: one\n    name: renamed\n")
    sources, problems = load_sources(path)
    assert problems == []
    assert [(s.type, s.value, s.line, s.name) for s in sources.entries] == [
        ("file", "org/catalog-info.yaml", 3, None), ("path", "repos/*", 4, None),
        ("path", "one", 5, "renamed")]
    assert sources.base == tmp_path.resolve()
    assert _settings(sources) == DEFAULTS


def test_settings_are_read_and_bad_ones_reported_keeping_the_defaults(tmp_path):
    good = _sources(tmp_path, "sources: []\ndescriptor_names: [backstage.yaml]\n"
                              "max_file_size: 2048\ncache_dir: ../cache\n")
    sources, problems = load_sources(good)
    assert problems == []
    assert _settings(sources) == (("backstage.yaml",), 2048)
    assert sources.cache_dir == (tmp_path.parent / "cache").resolve()
    bad = _sources(tmp_path, "sources: []\ndescriptor_names: catalog-info.yaml\n"
                             "max_file_size: -1\n")
    sources, problems = load_sources(bad)
    assert [p.code for p in problems] == ["sources-shape", "sources-shape"]
    assert "'descriptor_names' must be a list" in problems[0].message
    assert "'max_file_size' must be a positive number" in problems[1].message
    assert _settings(sources) == DEFAULTS


def test_a_bad_entry_is_reported_at_its_line_and_the_others_kept(tmp_path):
    path = _sources(tmp_path, "sources:\n  - path: a\n  - just-a-string\n"
                              "  - {path: b, file: c}\n  - path: d\n")
    sources, problems = load_sources(path)
    assert [s.value for s in sources.entries] == ["a", "d"]
    assert [(p.code, p.line) for p in problems] == [("sources-shape", 3), ("sources-shape", 4)]
    assert problems[0].file.endswith("sources.yaml")


def test_unusable_files_give_one_problem_and_no_entries(tmp_path):
    cases = {"sources: [path: a\n": ("sources-yaml", 2), "- path: a\n": ("sources-shape", 1),
             "sources: {path: a}\n": ("sources-shape", 1)}
    for text, expected in cases.items():
        sources, problems = load_sources(_sources(tmp_path, text))
        assert sources.entries == [] and [(p.code, p.line) for p in problems] == [expected], text
    sources, problems = load_sources(tmp_path / "missing.yaml")
    assert sources.entries == [] and [p.code for p in problems] == ["sources-unreadable"]


def test_a_glob_gives_each_directory_once_in_name_order(tmp_path):
    _dirs(tmp_path, "repos/zeta", "repos/alpha", "repos/mid", "one")
    (tmp_path / "repos/not-a-dir.txt").write_text("x")
    path = _sources(tmp_path, "sources:\n  - path: repos/*\n  - path: repos/alpha\n"
                              "  - path: one\n    name: renamed\n")
    repos, problems = expand_sources(load_sources(path)[0], progress=False)
    assert problems == []
    assert [(r.name, r.root) for r in repos] == [
        ("alpha", (tmp_path / "repos/alpha").resolve()),
        ("mid", (tmp_path / "repos/mid").resolve()),
        ("zeta", (tmp_path / "repos/zeta").resolve()),
        ("renamed", (tmp_path / "one").resolve())]
    assert all(r.entry_files == () for r in repos)


def test_a_file_source_crawls_only_that_file_in_its_directory(tmp_path):
    _dirs(tmp_path, "org")
    (tmp_path / "org/catalog-info.yaml").write_text("kind: Location\n")
    path = _sources(tmp_path, "sources:\n  - file: org/catalog-info.yaml\n")
    [repo], problems = expand_sources(load_sources(path)[0], progress=False)
    assert problems == []
    assert (repo.name, repo.root) == ("org", (tmp_path / "org").resolve())
    assert repo.entry_files == ((tmp_path / "org/catalog-info.yaml").resolve(),)


def test_what_matches_nothing_is_reported_at_its_line(tmp_path):
    _dirs(tmp_path, "real")
    path = _sources(tmp_path, "sources:\n  - path: real\n  - path: gone/*\n"
                              "  - file: nowhere.yaml\n")
    repos, problems = expand_sources(load_sources(path)[0], progress=False)
    assert [r.name for r in repos] == ["real"]
    assert [(p.code, p.line) for p in problems] == [("source-missing", 3), ("source-missing", 4)]
    assert "'gone/*' matches no directory" in problems[0].message


def test_a_path_on_the_command_line_belongs_to_its_work_tree(tmp_path):
    _dirs(tmp_path, "work/.git", "work/services/api", "loose")
    descriptor = tmp_path / "work/services/api/catalog-info.yaml"
    descriptor.write_text("kind: Component\n")
    repo = repository_for_path(descriptor)
    assert (repo.name, repo.root) == ("work", (tmp_path / "work").resolve())
    assert repo.entry_files == (descriptor.resolve(),)
    alone = tmp_path / "loose/catalog-info.yaml"
    alone.write_text("kind: Component\n")
    assert repository_for_path(alone).root == (tmp_path / "loose").resolve()
    whole = repository_for_path(tmp_path / "work")
    assert (whole.name, whole.entry_files) == ("work", ())
