"""Time the whole portal build with and without aggregated TechDocs.

    python benchmarks/bench_docs.py --components 1000 10000 --docs-pages 10 --runs 1

For each size it generates the organisation with ``synth_org.py`` twice, with
``--docs-pages 0`` and with ``--docs-pages K`` (an ``mkdocs.yml`` and K pages
in every repository), builds each with ``pavedroad build --sources`` in a
fresh process, and reports the wall and CPU time (the build and its worker
processes), the docs pages built, and what the docs cost on top.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _build(org: Path, site: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                    str(org / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench(components: int, repos: int, pages: int, runs: int, work: Path) -> str:
    results = {}
    for docs in (0, pages):
        org = work / f"org-{components}-{docs}"
        subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                        str(components), "--repos", str(min(repos, components)),
                        "--docs-pages", str(docs)], check=True, stdout=subprocess.DEVNULL)
        site = work / f"site-{components}-{docs}"
        times = [_build(org, site) for _ in range(runs)]
        built = len(list((site / "docs").glob("*/*/*/**/index.html"))) if docs else 0
        results[docs] = (statistics.median(t[0] for t in times),
                         statistics.median(t[1] for t in times), built)
    (base_wall, base_cpu, _), (wall, cpu, built) = results[0], results[pages]
    per_page = (wall - base_wall) / built * 1000 if built else 0.0
    return (f"{components:>6,} components, {min(repos, components):>5,} repos: "
            f"without docs {base_wall:6.1f} s (cpu {base_cpu:6.1f} s); "
            f"with {built:,} docs pages {wall:6.1f} s (cpu {cpu:6.1f} s); "
            f"docs cost {wall - base_wall:+.1f} s wall, {per_page:.1f} ms per page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repos", type=int, nargs="+", default=None,
                        help="repositories per size (default: components / 10)")
    parser.add_argument("--docs-pages", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    repos = args.repos or [max(1, n // 10) for n in args.components]
    with tempfile.TemporaryDirectory() as tmp:
        for n, r in zip(args.components, repos, strict=False):
            print(bench(n, r, args.docs_pages, args.runs, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
