"""Names too long and full disks (issue 13, item 7): a problem, or one clear error and exit 1."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_demo, load_repo

from generator.docs import collect_docs

LONG = "a" * 300  # longer than any file system's 255-byte name limit


def _descriptor() -> str:
    return f"""\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: team-a
  definition:
    $text: ./{LONG}.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {{name: l}}
spec:
  targets: [./{LONG}.yaml, ./{LONG}/*.yaml]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc2
  annotations:
    backstage.io/techdocs-ref: dir:./{LONG}
spec: {{type: service, lifecycle: production, owner: team-a}}
"""


def test_names_too_long_are_problems_naming_the_file(make_repo):
    root = make_repo({
        "catalog-info.yaml": _descriptor(),
        "docs/index.md": f"# S\n[x]({LONG}.md)\n![i]({LONG}.png)\n--8<-- \"{LONG}.md\"\n"
                         f"[y](sub/{LONG}/x.md)\n"})
    deep = root / "docs"
    for _ in range(6):  # a docs path of 6 × 201 bytes: over the limit, under the file system's
        deep = deep / ("d" * 200)
    deep.mkdir(parents=True)
    (deep / "page.md").write_text("# deep\n")
    (deep / "data.csv").write_text("a,b\n")
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    problems = [*run.catalog.problems, *docs.problems]
    assert all(p.file and p.line for p in problems)
    assert {"svc", "svc2"} <= {r.name for r in run.catalog.entities}
    site = docs.sites[next(iter(docs.sites))]
    assert sorted(site.pages) == ["index.md"] and site.files == {}
    too_long = [p for p in docs.problems if p.code == "name-too-long"]
    files = sorted(Path(p.file).name for p in too_long)
    assert files == ["data.csv", "index.md", "page.md"]  # index.md: its snippet, at line 4
    located = {(Path(p.file).name, p.line) for p in docs.problems}
    assert {("index.md", 2), ("index.md", 3), ("index.md", 4), ("index.md", 5)} <= located


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True,
                           check=False)
    return probe.returncode == 0


@pytest.mark.parametrize("size", ["1m", "7m"])
def test_full_disk_is_one_clear_error_and_exit_1(tmp_path, size):
    if not _can_mount():
        pytest.skip("no mount namespace for a small file system; see the RLIMIT_FSIZE test")
    project = copy_demo(tmp_path / "project")
    full = tmp_path / "full"
    full.mkdir()
    command = (f'mount -t tmpfs -o size={size} tmpfs "{full}" && exec "{sys.executable}" '
               f'-m generator.cli build --site-dir "{full}/site"')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    scratch = set(Path("/dev/shm").glob("pavedroad-search-*"))
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                             command], cwd=project, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    # The entities' search index, started beside the build, is stopped and its folder gone.
    assert set(Path("/dev/shm").glob("pavedroad-search-*")) <= scratch
    errors = [line for line in result.stderr.splitlines() if line.startswith("pavedroad: error")]
    assert len(errors) == 1 and "No space left on device" in errors[0]


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_file_size_limit_is_one_clear_error_and_exit_1(tmp_path):
    project = copy_demo(tmp_path / "project")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site-dir",
                             str(tmp_path / "site")], cwd=project, env=env,
                            capture_output=True, text=True, check=False,
                            preexec_fn=_limit_file_size)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.count("pavedroad: error") == 1
