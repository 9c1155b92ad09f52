"""The in-memory workspace: safe paths, globs, the dry-run tree and writing."""

from __future__ import annotations

import pytest

from generator.scaffold.workspace import PathError, Workspace, glob_regex, safe_path, target_problem


@pytest.mark.parametrize(("base", "path", "expected"), [
    ("", "./a/b", "a/b"), ("sub", "../x", "x"), ("", ".", ""), ("", "a//b/", "a/b"),
])
def test_safe_paths_are_normalised(base, path, expected):
    assert safe_path(base, path, "p") == expected


@pytest.mark.parametrize("path", ["..", "../a", "a/../../b", "/abs", "C:\\x", "a\\..\\..\\b",
                                  ".git/hooks/x", "a/.GIT/config", "nul\0"])
def test_unsafe_paths_are_refused(path):
    with pytest.raises(PathError):
        safe_path("", path, "p")


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    (".github/workflows/*", ".github/workflows/ci.yml", True),
    (".github/workflows/*", ".github/workflows/sub/ci.yml", False),
    ("**/*.png", "a/b/c.png", True), ("**/*.png", "c.png", True),
    ("docs/", "docs", True), ("*.{js,ts}", "x.ts", True), ("file?.txt", "file1.txt", True),
])
def test_globs_follow_globby(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


def test_tree_lists_directories_first_level_by_name_with_sizes():
    ws = Workspace()
    ws.write("b.txt", b"x" * 2048)
    ws.write("a/one.txt", b"1")
    ws.mkdir("empty")
    assert ws.tree("out") == ["out/", "├── a/", "│   └── one.txt  (1 B)",
                              "├── b.txt  (2.0 KiB)", "└── empty/"]


def test_written_files_keep_the_executable_bit_and_never_follow_links(tmp_path):
    ws = Workspace()
    ws.write("bin/run", b"#!/bin/sh\n", executable=True)
    ws.write("a.txt", b"a")
    ws.write_to(tmp_path / "out")
    assert (tmp_path / "out/bin/run").stat().st_mode & 0o111
    assert (tmp_path / "out/a.txt").read_bytes() == b"a"


def test_target_must_be_new_or_empty(tmp_path):
    assert target_problem(tmp_path / "new") is None
    (tmp_path / "empty").mkdir()
    assert target_problem(tmp_path / "empty") is None
    (tmp_path / "full").mkdir()
    (tmp_path / "full/x").write_text("x")
    assert "is not empty" in target_problem(tmp_path / "full")
    (tmp_path / "file").write_text("x")
    assert "is not a directory" in target_problem(tmp_path / "file")


def test_a_file_cannot_replace_a_directory_or_sit_under_a_file():
    ws = Workspace()
    ws.write("a/b.txt", b"")
    with pytest.raises(PathError):
        ws.write("a", b"")
    with pytest.raises(PathError):
        ws.write("a/b.txt/c", b"")
