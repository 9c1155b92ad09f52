"""No path of the build machine in the site or a problem (issue 13, item 4).

The demo, with a broken repository and a git source added, is built by the
real ``pavedroad build`` from two project folders, two working directories and
two cache directories: the sites are byte-identical and name none of them.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_demo

BROKEN = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken-service
  annotations:
    backstage.io/techdocs-ref: dir:./nowhere
spec:
  type: service
  lifecycle: production
  owner: group:default/nobody
  definition:
    $text: ../../../../etc/hostname
"""


def _project(dest: Path) -> Path:
    copy_demo(dest)
    repos = dest / "catalog-sources" / "repos"
    (repos / "zz-broken").mkdir()
    (repos / "zz-broken" / "catalog-info.yaml").write_text(BROKEN)
    (repos / "zz-broken" / "notes" / "catalog-info.yaml").parent.mkdir()
    (repos / "zz-broken" / "notes" / "catalog-info.yaml").write_bytes(b"\x00\x01binary")
    mirror = dest / "mirror"
    subprocess.run(["git", "init", "-q", "-b", "main", str(mirror)], check=True)
    (mirror / "catalog-info.yaml").write_text(BROKEN.replace("broken-service", "from-git"))
    git = ["git", "-C", str(mirror), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
                        "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z"})
    sources = dest / "catalog-sources" / "sources.yaml"
    sources.write_text(sources.read_text() + f"  - git: {mirror.as_uri()}\n    name: mirror\n"
                       f"  - git: {(dest / 'gone.git').as_uri()}\n")
    return dest


def _build(project: Path, cwd: Path, cache: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAVEDROAD_CACHE": str(cache), "PAVEDROAD_COMMIT": "000000000000",
           "SOURCE_DATE_EPOCH": "1764547200", "PYTHONPATH": str(ROOT)}
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "generator.cli", "build",
                           "--config-file", os.path.relpath(project / "mkdocs.yml", cwd),
                           "--site-dir", str(site)],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _differences(a: Path, b: Path) -> list[str]:
    found: list[str] = []
    compare = filecmp.dircmp(a, b)
    stack = [(compare, "")]
    while stack:
        node, prefix = stack.pop()
        found += [prefix + n for n in node.left_only + node.right_only + node.diff_files]
        found += [prefix + n for n in node.funny_files]
        stack.extend((sub, f"{prefix}{name}/") for name, sub in node.subdirs.items())
    return found


def test_site_does_not_depend_on_project_folder_working_directory_or_cache(tmp_path):
    one = _project(tmp_path / "first" / "portal")
    two = _project(tmp_path / "second" / "deeper" / "portal")
    first = _build(one, one, tmp_path / "cache-one", tmp_path / "site-one")
    second = _build(two, tmp_path / "elsewhere" / "cwd", tmp_path / "c2" / "cache",
                    tmp_path / "site-two")
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert _differences(tmp_path / "site-one", tmp_path / "site-two") == []
    page = (tmp_path / "site-one" / "catalog" / "default" / "component" / "broken-service"
            / "index.html").read_text(encoding="utf-8")
    assert "repos/zz-broken/catalog-info.yaml" in page
    leaks = [str(tmp_path), "/tmp/", str(ROOT)]
    for path in (tmp_path / "site-one").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".dot", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [leak for leak in leaks if leak in text], path


def test_check_never_prints_an_absolute_path(tmp_path):
    project = _project(tmp_path / "portal")
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    (tmp_path / "cwd").mkdir()
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--format", "json",
                             "--sources", str(project / "catalog-sources" / "sources.yaml")],
                            cwd=tmp_path / "cwd", env=env, capture_output=True, text=True,
                            check=False)
    assert "broken-service" in result.stdout and "cannot fetch gone (" in result.stdout
    assert str(tmp_path) not in result.stdout


def test_history_and_sources_problems_name_files_without_their_folders(tmp_path):
    from generator.history import load_history
    from generator.sources import load_sources

    _, problems = load_history(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{")
    _, more = load_history(tmp_path / "broken.json")
    (tmp_path / "sources.yaml").mkdir()
    _, unreadable = load_sources(tmp_path / "sources.yaml")
    for problem in [*problems, *more, *unreadable]:
        assert str(tmp_path) not in f"{problem.file} {problem.message}"
    assert [p.file for p in [*problems, *more, *unreadable]] == [
        "missing.json", "broken.json", "sources.yaml"]


def test_check_shows_local_files_from_the_working_directory_for_annotations(tmp_path):
    project = _project(tmp_path / "portal")
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--format",
                             "github"], cwd=project, env=env, capture_output=True, text=True,
                            check=False)
    assert "file=catalog-sources/repos/zz-broken/notes/catalog-info.yaml,line=1::" \
        in result.stdout
    assert "file=mirror/catalog-info.yaml,line=11::" in result.stdout  # a git copy: its name
    assert str(tmp_path) not in result.stdout
