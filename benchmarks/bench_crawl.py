"""Time ``pavedroad export`` over an organisation of git repositories: cold, warm, one changed.

    python benchmarks/bench_crawl.py --components 10000 --repos 1000 --runs 3

Generates the organisation with ``synth_org.py``, makes each repository
directory a git repository (one commit), and writes a sources file listing
the org descriptors plus one ``git: file:///…`` entry per repository. Each
run then runs ``pavedroad export`` (catalog.json to a file) in a fresh
process, three times:

* cold: empty cache, so every repository is copied (from its objects: one
  ``git cat-file --batch`` each) and every file parsed;
* warm: nothing changed, so every ref is checked (a local remote's ref files
  are read, no git process) and nothing is fetched, parsed or built;
* changed: one repository has a new commit, so only it is fetched and parsed.

It reports the median of: ``sources`` (expanding the sources: the git sync,
timed in the process), ``export`` (the whole command, process start to last
byte, wall) and ``cpu`` (CPU time of the command: Python and every git process
it ran; on a busy machine wall time exceeds CPU time / cores, so compare CPU
there), how many repositories were fetched, the peak memory (max RSS) of the
Python process and of the largest git child, and whether every export of a run
is byte-identical to the cold one where nothing changed (warm). Two floors,
git alone in the same run: ``git clone --depth 1`` of every repository (what a
multirepo plugin runs on every build, and this project ran before), and the
``git cat-file --batch`` reads the copies make (the same objects asked for).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
STAGES = ("sources", "export", "cpu")
_GIT = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
        "-c", "init.defaultBranch=main")

_CHILD = """
import contextlib, json, resource, sys, time
import generator.pipeline as pipeline
import generator.sources as sources
from generator.cli import main
seen = {"sources": 0.0, "fetched": 0, "stale": 0}
expand, sync = pipeline.expand_sources, sources.sync
def timed_expand(*args, **kwargs):
    start = time.perf_counter()
    try:
        return expand(*args, **kwargs)
    finally:
        seen["sources"] += time.perf_counter() - start
def counted_sync(*args, **kwargs):
    done = sync(*args, **kwargs)
    seen["fetched"] += sum(c.fetched for c in done)
    seen["stale"] += sum(c.stale or c.path is None for c in done)
    return done
pipeline.expand_sources, sources.sync = timed_expand, counted_sync
with open(sys.argv[2], "w", encoding="utf-8") as out, contextlib.redirect_stdout(out):
    code = main(["export", "--sources", sys.argv[1]])
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
git = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
sys.stderr.write(json.dumps({**seen, "code": code, "peak_bytes": me, "git_peak_bytes": git}))
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


def _cpu() -> float:
    """CPU seconds of the children this process has waited for (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(sources: Path, out: Path) -> dict:
    """One ``pavedroad export`` in a new process: wall and CPU measured from outside."""
    cpu, start = _cpu(), time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "PAVEDROAD_CACHE"}  # cache_dir: ours
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(sources), str(out)], cwd=ROOT,
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    try:
        seen = json.loads(proc.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        seen = {"code": proc.returncode}
    if proc.returncode or seen.get("code"):
        raise SystemExit(f"pavedroad export failed:\n{proc.stderr[-3000:]}")
    return {**seen, "export": wall, "cpu": cpu}


def floor(dirs: list[Path], work: Path, jobs: int) -> dict:
    """The same repositories cloned by git alone (``git clone --depth 1``, ``jobs`` at a
    time, what a multirepo plugin runs on every build): wall and CPU."""
    target = work / "floor"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()

    def clone(repo: Path) -> None:
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--single-branch",
                        "--branch", "main", "--no-tags", "--", repo.as_uri(),
                        str(target / repo.name)], check=True, stdout=subprocess.DEVNULL)

    cpu, start = _cpu(), time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(clone, dirs))
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    shutil.rmtree(target, ignore_errors=True)
    return {"export": wall, "cpu": cpu}


def object_lists(dirs: list[Path]) -> dict[Path, bytes]:
    """Each repository's commit, tree and blob ids (one a line), what the crawl's copy
    asks ``git cat-file --batch`` for (listed here by ``git ls-tree``, not timed)."""
    lists = {}
    for repo in dirs:
        git_dir = str(repo / ".git")
        commit = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "main"],
                                check=True, capture_output=True, text=True).stdout.strip()
        tree = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-t",
                               "--format=%(objectname)", "main"], check=True,
                              capture_output=True, text=True).stdout.split()
        lists[repo] = "\n".join([commit, f"{commit}^{{tree}}", *tree, ""]).encode()
    return lists


def read_floor(lists: dict[Path, bytes], jobs: int) -> dict:
    """The git side of the crawl's copy alone: one ``git cat-file --batch`` per repository
    reading its commit, trees and blobs in place, ``jobs`` at a time: wall and CPU."""
    def read(repo: Path) -> None:
        subprocess.run(["git", "--git-dir", str(repo / ".git"), "cat-file", "--batch"],
                       input=lists[repo], check=True, stdout=subprocess.DEVNULL)

    cpu, start = _cpu(), time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(read, lists))
    return {"export": time.perf_counter() - start, "cpu": _cpu() - cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--repos", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8, help="parallel git fetches")
    parser.add_argument("--work", type=Path, help="keep the repositories and cache here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sources, dirs = prepare(work, args.components, args.repos, args.jobs)
        results: dict[str, list[dict]] = {s: [] for s in SCENARIOS}
        same, floors, reads = True, [], []
        for run in range(args.runs):
            shutil.rmtree(work / "cache", ignore_errors=True)
            outs = {s: work / f"export-{s}.json" for s in SCENARIOS}
            results["cold"].append(load(sources, outs["cold"]))
            results["warm"].append(load(sources, outs["warm"]))
            same = same and outs["cold"].read_bytes() == outs["warm"].read_bytes()
            change(dirs[run * 7 % len(dirs)], run)
            results["changed"].append(load(sources, outs["changed"]))
            floors.append(floor(dirs, work, args.jobs))
            reads.append(read_floor(object_lists(dirs), args.jobs))
    print(f"{len(dirs):,} git repositories over file://, {args.jobs} parallel git commands, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end, "
          f"medians of {args.runs} runs (seconds):")
    print(f"{'':8}" + "".join(f"{s:>10}" for s in STAGES) + f"{'fetched':>9}{'peak MiB':>10}")
    for scenario in SCENARIOS:
        rows = results[scenario]
        cells = "".join(f"{statistics.median(r[s] for r in rows):10.2f}" for s in STAGES)
        peak = max(r["peak_bytes"] for r in rows) / 2**20
        fetched = statistics.median(r["fetched"] for r in rows)
        print(f"{scenario:8}{cells}{fetched:9.0f}{peak:10.0f}")
    print(f"floor: git clone --depth 1 of the same repositories, {args.jobs} at a time, "
          f"no Python: {statistics.median(f['export'] for f in floors):.2f} s wall, "
          f"{statistics.median(f['cpu'] for f in floors):.2f} s CPU")
    print(f"floor: git cat-file --batch of each repository's commit, trees and blobs (what "
          f"the crawl's copy reads), {args.jobs} at a time, no Python: "
          f"{statistics.median(f['export'] for f in reads):.2f} s wall, "
          f"{statistics.median(f['cpu'] for f in reads):.2f} s CPU")
    git_peak = max(r["git_peak_bytes"] for rows in results.values() for r in rows) / 2**20
    failed = max(r["stale"] for rows in results.values() for r in rows)
    print(f"largest child process (git, parse workers) {git_peak:.0f} MiB; "
          f"repositories not fetched: {failed}; "
          f"warm export byte-identical to cold: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
