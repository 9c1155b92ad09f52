"""Time the full portal build (catalog → pages → MkDocs) on synthetic organisations.

    python benchmarks/bench_site.py --components 1000 10000 --runs 3

For each size it generates the organisation with ``synth_org.py``, runs
``pavedroad build`` ``--runs`` times cold (fresh processes, empty caches) and
once warm (parsed descriptors and diagrams cached), and reports the median cold
wall time, the warm time, peak memory, the site's size and the average size of
an entity page.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench(components: int, repos: int, runs: int, work: Path) -> str:
    org = work / f"org-{components}"
    subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                    str(components), "--repos", str(min(repos, components))], check=True,
                   stdout=subprocess.DEVNULL)
    site = work / f"site-{components}"
    times = []
    for run in range(runs + 1):
        # Cold runs get an empty cache (no parsed descriptors, no diagrams);
        # the last run reuses the cache of the one before: a warm rebuild.
        cache = work / f"cache-{components}-{min(run, runs - 1)}"
        env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                        str(org / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        times.append(time.perf_counter() - start)
    warm = times.pop()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    entity_pages = list((site / "catalog").glob("*/*/*/index.html"))
    average = sum(p.stat().st_size for p in entity_pages) / max(1, len(entity_pages))
    index = site / "search/search_index.json"
    return (f"{components:>6,} components, {len(entity_pages):>6,} entity pages: "
            f"cold median {statistics.median(times):6.1f} s (runs: "
            f"{', '.join(f'{t:.1f}' for t in times)}), warm {warm:.1f} s, peak {peak:,.0f} MiB, "
            f"site {_size(site) / 2**20:,.0f} MiB, entity page {average / 1024:.1f} KB avg, "
            f"search index {index.stat().st_size / 2**20:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repos", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.components:
            print(bench(n, args.repos, args.runs, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
