"""Faults of the build machine: a cache that cannot be written, hanging remotes (item 6)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_demo

from generator.git import FetchOptions, GitRemote, sync
from generator.graph.diagrams import render_svgs
from generator.parsecache import ParseCache
from generator.problems import Problem, Severity, format_problems

DOT = {"a": "digraph { a -> b }", "b": "digraph { c -> d }"}


def _can_unshare() -> bool:
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                           capture_output=True, check=False) if shutil.which("unshare") else None
    return probe is not None and probe.returncode == 0


def _read_only_run(cache: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run pavedroad with ``cache`` read-only: a read-only mount (even root cannot write)."""
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
    command = [sys.executable, "-m", "generator.cli", *args]
    if os.geteuid() != 0:
        cache.chmod(0o555)
    elif _can_unshare():
        command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                   f'mount -t tmpfs -o ro tmpfs "{cache}" && exec "$@"', "sh", *command]
    else:
        pytest.skip("running as root without mount namespaces: cannot make a directory read-only")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_read_only_cache_builds_without_caching_and_one_warning(tmp_path):
    project = copy_demo(tmp_path / "project")
    result = _read_only_run(tmp_path / "cache", ["build", "--site-dir", str(tmp_path / "site")],
                            project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.count("cannot be written") == 1, result.stderr[-3000:]
    assert (tmp_path / "site" / "catalog" / "index.html").is_file()


def test_read_only_cache_check_goes_on(tmp_path):
    project = copy_demo(tmp_path / "project")
    result = _read_only_run(tmp_path / "cache", ["check"], project)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    assert "entities" in result.stderr


def test_parse_cache_that_cannot_be_written_is_ignored(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    cache = ParseCache(blocker / "parse" / "x.marshal")
    cache.put(ParseCache.key("a: 1"), ([], None))
    cache.save()  # no exception, nothing written
    assert blocker.read_text() == ""


def test_diagram_store_that_cannot_be_written_draws_anyway(tmp_path, caplog):
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz")
    blocker = tmp_path / "diagrams"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING):
        svgs = render_svgs(DOT, cache_dir=blocker, batch_size=1, workers=1)
    assert all(svg and "<svg" in svg for svg in svgs.values())
    assert sum("diagram cache" in r.getMessage() for r in caplog.records) == 1


# -- hanging remotes ------------------------------------------------------------------------


def test_all_fetches_share_one_deadline(tmp_path):
    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    remotes = [GitRemote(f"http://127.0.0.1:{port}/r{i}.git") for i in range(6)]
    options = FetchOptions(jobs=2, timeout=60, retries=2, backoff=0.1, deadline=3)
    start = time.monotonic()
    try:
        results = sync(remotes, tmp_path / "cache", options)
    finally:
        silent.close()
    elapsed = time.monotonic() - start
    assert elapsed < 15, elapsed  # one shared 3 s deadline: not 3 waves of 60 s timeouts
    assert all(r.path is None and r.error for r in results)
    assert sum("deadline" in r.error for r in results) >= 2, [r.error for r in results]


def test_default_fetch_settings_bound_a_hanging_remote():
    options = FetchOptions()
    worst = options.timeout * 2  # ls-remote, then fetch; a timeout is not retried
    assert worst <= 5 * 60 and options.deadline <= 15 * 60


# -- file-level problems (item 15) ------------------------------------------------------------


def test_file_level_problems_point_at_line_one_for_annotations():
    problem = Problem(Severity.ERROR, "binary-file", "'x.yaml' is a binary file", file="r/x.yaml")
    assert problem.line == 1
    assert format_problems([problem], "github") == \
        "::error file=r/x.yaml,line=1::'x.yaml' is a binary file"
    assert Problem(Severity.ERROR, "x", "whole catalog").line is None
