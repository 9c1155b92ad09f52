"""CPU time of the pre-commit hook's command, ``pavedroad check .``, on one repository.

    python benchmarks/bench_check.py [--runs 5] [--repo catalog-sources/repos/checkout-service]

The repository's descriptors are copied into a fresh git repository and the
hook's entry (``.pre-commit-hooks.yaml``) runs there, with bytecode compiled
as pre-commit installs it (one warm-up run writes it). The figure is CPU
time (user + system of the child), not wall time, so a machine loaded by
other work still gives a fair number; beside it the floor, ``python -c pass``
measured the same way.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from timing import timed

ROOT = Path(__file__).resolve().parent.parent


def median_cpu(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    timed(command, cwd=cwd, env=env, ok=None)  # writes the bytecode, as pre-commit's first run
    return statistics.median(timed(command, cwd=cwd, env=env, ok=None).cpu for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", type=Path,
                        default=ROOT / "catalog-sources/repos/checkout-service")
    args = parser.parse_args()
    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
                if h["id"] == "pavedroad-check")
    program, *rest = hook["entry"].split()
    command = [str(Path(sys.executable).parent / program), *rest]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        for descriptor in args.repo.glob("catalog-info.y*ml"):
            shutil.copy(descriptor, repo / descriptor.name)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env["PAVEDROAD_CACHE"] = str(Path(tmp) / "cache")
        check = median_cpu(command, repo, env, args.runs)
        floor = median_cpu([sys.executable, "-c", "pass"], repo, env, args.runs)
    print(f"{hook['entry']} on {args.repo.name}: {check:.2f} s CPU "
          f"(median of {args.runs}); floor python -c pass: {floor:.2f} s")


if __name__ == "__main__":
    main()
