"""The pre-commit hook (.pre-commit-hooks.yaml), through pre-commit's own ``try-repo``."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import COMPONENT, GROUP, ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
HOOK = next(h for h in HOOKS if h["id"] == "pavedroad-check")


def _git_repo(make_repo, files: dict[str, str]) -> Path:
    root = make_repo(files)
    for args in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def test_hook_runs_on_descriptor_changes_only_and_never_builds_the_site():
    import re

    files = re.compile(HOOK["files"])
    assert files.search("catalog-info.yaml") and files.search("services/a/catalog-info.yml")
    assert not files.search("README.md") and not files.search("catalog-info.yaml.bak")
    assert HOOK["entry"].split()[:2] == ["pavedroad", "check"]
    assert HOOK["language"] == "python" and HOOK["pass_filenames"] is False


def _cpu_seconds(command: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, result.stderr


def test_hook_entry_checks_one_repository_in_little_cpu_time(make_repo, tmp_path):
    descriptors = (ROOT / "catalog-sources/repos/checkout-service/catalog-info.yaml")
    root = _git_repo(make_repo, {"catalog-info.yaml": descriptors.read_text(encoding="utf-8")})
    program, *args = HOOK["entry"].split()
    command = [str(Path(sys.executable).parent / program), *args]
    # As installed by pre-commit, with bytecode: the first run writes it, the others use it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    _cpu_seconds(command, root, env)
    runs = [_cpu_seconds(command, root, env) for _ in range(3)]
    assert all("7 entities" in stderr for _, stderr in runs), runs[0][1]
    best = min(cpu for cpu, _ in runs)  # CPU time: the machine may be busy with other work
    # The target is 1 s; it takes about 0.8 s of CPU on the development machine (1.7 s before
    # check imported only what it needs, 0.4 s before it read API definitions too:
    # benchmarks/bench_check.py).
    assert best < 1.0, f"{best:.2f} s"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_fails_the_commit_on_a_bad_descriptor(make_repo, tmp_path):
    bad = COMPONENT.format(name="bad name", owner="team-a") + "---\n" + GROUP.format(name="team-a")
    root = _git_repo(make_repo, {"catalog-info.yaml": bad, "README.md": "hello\n"})
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT),
                             "pavedroad-check", "--all-files"], cwd=root, env=env,
                            capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Paved Road catalog check" in result.stdout
    assert "catalog-info.yaml:4: error: metadata.name 'bad name' is not a valid name" in \
        result.stdout
