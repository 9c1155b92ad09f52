"""Time crawling an organisation of real git repositories: cold, warm, one changed.

    python benchmarks/bench_crawl.py --components 10000 --repos 1000 --runs 3

Generates the organisation with ``synth_org.py``, makes each repository
directory a git repository (one commit), and writes a sources file listing
the org descriptors plus one ``git: file:///…`` entry per repository. Each
run then loads the catalog in fresh processes, three times:

* cold: empty cache, so every repository is cloned and every file parsed;
* warm: nothing changed, so every ref is checked (``git ls-remote``) and
  nothing is fetched or parsed;
* changed: one repository has a new commit, so only it is fetched and parsed.

It reports the median of each stage (``sources`` is the git sync), the CPU
time of the whole load (Python and git processes; on a busy machine wall time
exceeds CPU time / cores), and the peak memory (max RSS) of the Python process
and of the largest git child.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = ("cold", "warm", "changed")
STAGES = ("sources", "crawl", "entities", "catalog", "total", "cpu")
_GIT = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
        "-c", "init.defaultBranch=main")

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from generator.pipeline import load_catalog
start = time.perf_counter()
run = load_catalog(Path(sys.argv[1]), progress=False)
total = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
usage, children = me.ru_maxrss * 1024, kids.ru_maxrss * 1024
print(json.dumps({**run.timings, "total": total, "cpu": cpu, "peak_bytes": usage,
                  "git_peak_bytes": children, "entity_count": len(run.catalog),
                  "files": run.files, "parsed": run.parsed,
                  "repositories": len(run.repositories),
                  "stale": sum(r.stale for r in run.repositories),
                  "problems": sorted({p.code for p in run.catalog.problems})}))
"""


def _git(*args: str, cwd: Path) -> None:
    subprocess.run([*_GIT, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def _make_repository(path: Path) -> None:
    _git("init", "--quiet", "--template=", ".", cwd=path)
    _git("add", "--all", cwd=path)
    _git("commit", "--quiet", "--no-verify", "-m", "synthetic organisation", cwd=path)


def prepare(work: Path, components: int, repos: int, jobs: int) -> tuple[Path, list[Path]]:
    """The organisation as git repositories, and a sources file listing them."""
    org = work / "org"
    subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                    str(components), "--repos", str(repos)], check=True,
                   stdout=subprocess.DEVNULL)
    dirs = sorted(p for p in (org / "repos").iterdir() if p.is_dir())
    start = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(_make_repository, dirs))
    print(f"made {len(dirs):,} git repositories in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    lines = ["sources:", "  - file: org/catalog-info.yaml"]
    lines += [f"  - git: {d.as_uri()}\n    ref: main" for d in dirs]
    lines += [f"cache_dir: {work / 'cache'}", f"fetch: {{jobs: {jobs}}}"]
    sources = org / "sources-git.yaml"
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sources, dirs


def change(repo: Path, run: int) -> None:
    """A new commit in ``repo`` that changes one descriptor."""
    descriptor = repo / "catalog-info.yaml"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("description: ", f"description: (edit {run}) ", 1),
                          encoding="utf-8")
    _git("commit", "--quiet", "--no-verify", "-am", f"edit {run}", cwd=repo)


def load(sources: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(sources)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--repos", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8, help="parallel git fetches")
    parser.add_argument("--work", type=Path, help="keep the repositories and cache here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sources, dirs = prepare(work, args.components, args.repos, args.jobs)
        results: dict[str, list[dict]] = {s: [] for s in SCENARIOS}
        for run in range(args.runs):
            shutil.rmtree(work / "cache", ignore_errors=True)
            results["cold"].append(load(sources))
            results["warm"].append(load(sources))
            change(dirs[run * 7 % len(dirs)], run)
            results["changed"].append(load(sources))
    last = results["cold"][-1]
    print(f"{last['repositories']:,} repositories, {last['files']:,} descriptor files, "
          f"{last['entity_count']:,} entities, {args.jobs} parallel fetches, "
          f"{os.cpu_count()} CPUs, medians of {args.runs} runs (seconds):")
    print(f"{'':8}" + "".join(f"{s:>10}" for s in STAGES) + f"{'parsed':>8}{'peak MiB':>10}")
    for scenario in SCENARIOS:
        rows = results[scenario]
        cells = "".join(f"{statistics.median(r[s] for r in rows):10.2f}" for s in STAGES)
        peak = max(r["peak_bytes"] for r in rows) / 2**20
        parsed = statistics.median(r["parsed"] for r in rows)
        print(f"{scenario:8}{cells}{parsed:8.0f}{peak:10.0f}")
    git_peak = max(r["git_peak_bytes"] for rows in results.values() for r in rows) / 2**20
    problems = sorted({c for rows in results.values() for r in rows for c in r["problems"]})
    print(f"largest git process {git_peak:.0f} MiB; problem codes: {', '.join(problems) or '-'}")


if __name__ == "__main__":
    main()
