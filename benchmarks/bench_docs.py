"""Time the whole portal build with and without aggregated TechDocs.

    python benchmarks/bench_docs.py --components 1000 10000 --docs-pages 10 --runs 3 --warm 3

For each size it generates the organisation with ``synth_org.py`` twice, with
``--docs-pages 0`` and with ``--docs-pages K`` (an ``mkdocs.yml`` and K pages
in every repository), and builds each with ``pavedroad build --sources`` in
fresh processes: ``--runs`` cold builds (empty cache: no parsed descriptors,
no diagrams) and ``--warm`` warm rebuilds (the cache of the run before, as in
CI with a kept cache). Every build writes to a new site folder; the previous one is
deleted and the disk synced before the clock starts, so no run pays for
another's files. It reports median wall and CPU times (the build and its
worker processes), the docs pages built, and what the docs cost on top.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import timed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SETTLE = 5.0
"""Seconds to wait after deleting a site, so its deletion is not timed with the next build."""


def _build(org: Path, site: Path, cache: Path) -> tuple[float, float]:
    shutil.rmtree(site, ignore_errors=True)
    os.sync()
    time.sleep(SETTLE)
    run = timed([sys.executable, "-m", "generator.cli", "build", "--sources",
                 str(org / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT,
                env={**os.environ, "PAVEDROAD_CACHE": str(cache)})
    return run.wall, run.cpu


def _median(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def bench(components: int, repos: int, pages: int, runs: int, warm_runs: int,
          work: Path) -> str:
    lines = []
    base = None
    for docs in (0, pages):
        org = work / f"org-{components}-{docs}"
        subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                        str(components), "--repos", str(min(repos, components)),
                        "--docs-pages", str(docs)], check=True, stdout=subprocess.DEVNULL)
        site = work / f"site-{components}-{docs}"
        cold = []
        for run in range(runs):
            cache = work / f"cache-{components}-{docs}-{run}"
            cold.append(_build(org, site, cache))
        warm = _median([_build(org, site, cache) for _ in range(warm_runs)])
        built = len(list((site / "docs").glob("*/*/*/**/index.html"))) if docs else 0
        (wall, cpu), runs_text = _median(cold), ", ".join(f"{w:.1f}" for w, _ in cold)
        lines.append(f"{components:>6,} components, {min(repos, components):>5,} repos, "
                     f"{built:>6,} docs pages: cold {wall:6.1f} s (cpu {cpu:6.1f} s; runs "
                     f"{runs_text}), warm {warm[0]:6.1f} s (cpu {warm[1]:6.1f} s)")
        if base is None:
            base = wall
        elif built:
            lines.append(f"{'':>6}  docs cost {wall - base:+.1f} s wall cold, "
                         f"{(wall - base) / built * 1000:.1f} ms per docs page")
        shutil.rmtree(site, ignore_errors=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repos", type=int, nargs="+", default=None,
                        help="repositories per size (default: components / 10)")
    parser.add_argument("--docs-pages", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="cold builds per organisation")
    parser.add_argument("--warm", type=int, default=1, help="warm builds per organisation")
    args = parser.parse_args()
    repos = args.repos or [max(1, n // 10) for n in args.components]
    with tempfile.TemporaryDirectory() as tmp:
        for n, r in zip(args.components, repos, strict=False):
            print(bench(n, r, args.docs_pages, args.runs, max(1, args.warm), Path(tmp)),
                  flush=True)


if __name__ == "__main__":
    main()
