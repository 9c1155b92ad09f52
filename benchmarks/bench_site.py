"""Time the whole portal build (catalog → pages → MkDocs) beside the bare Material floor.

    python benchmarks/bench_site.py --components 1000 10000 --runs 3

For each size it generates the organisation with ``synth_org.py`` and runs
``pavedroad build`` in fresh processes:

* *cold*: empty cache and empty site folder, ``--runs`` times;
* *warm*: nothing changed since the build before (the first rebuild after a cold
  build is not timed: it is the first to find a previous ``history.json``, so its
  change pages differ), ``--runs`` times;
* *one repository changed*: one component's description edited in one repository;
* *one docs page edited* (with ``--docs-pages``): a sentence added to one docs page of
  another repository;
* *floor*: ``mkdocs build`` of a bare Material site with one trivial page per
  entity and docs page (``--no-floor`` skips it).

``--docs-pages K`` gives each repository K docs pages (the issue's organisation has 10).

Each line gives the median wall and CPU time (user + system, comparable on a
loaded machine) and the peak memory; the rebuilds also give how many files of the
site changed (by modification time, counted here, not taken from the log). With
two sizes or more it projects 100,000 components from the slope of the two largest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import Timed, median, timed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _snapshot(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*")
            if p.is_file()}


def _changed(before: dict[str, int], after: dict[str, int]) -> str:
    wrote = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
    deleted = sum(1 for path in before if path not in after)
    return f"{wrote:,} files written, {len(after) - wrote:,} kept, {deleted:,} deleted"


def _line(name: str, run: Timed, extra: str = "") -> str:
    return (f"  {name:<26} {run.wall:7.1f} s wall {run.cpu:7.1f} s cpu "
            f"{run.peak / 2**20:7,.0f} MiB peak{'  ' + extra if extra else ''}")


def _floor(pages: int, work: Path) -> Timed:
    """``mkdocs build`` of a bare Material site with ``pages`` trivial pages."""
    site = work / "floor"
    shutil.rmtree(site, ignore_errors=True)
    docs = site / "docs"
    for i in range(pages):
        page = docs / f"p{i // 1000}" / f"page-{i}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# Page {i}\n\nOne paragraph of text for page {i}.\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: floor\ntheme:\n  name: material\n"
                                     "nav:\n  - Home: p0/page-0.md\n", encoding="utf-8")
    return timed([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site)


def bench(components: int, repos: int, runs: int, work: Path, floor: bool, docs_pages: int = 0
          ) -> tuple[list[str], Timed]:
    org = work / f"org-{components}"
    repos = min(repos, components)
    subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                    str(components), "--repos", str(repos), "--docs-pages", str(docs_pages)],
                   check=True, stdout=subprocess.DEVNULL)
    site = work / f"site-{components}"

    def build(cache: Path) -> Timed:
        env = {**os.environ, "PAVEDROAD_CACHE": str(cache)}
        return timed([sys.executable, "-m", "generator.cli", "build", "--sources",
                      str(org / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT, env=env,
                     ok=(0, 1))

    cold = []
    for run in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        cold.append(build(work / f"cache-{components}-{run}"))
    cache = work / f"cache-{components}-{runs - 1}"
    build(cache)  # the first rebuild: it finds the previous history.json
    warm, counts = [], ""
    for _ in range(runs):
        before = _snapshot(site)
        warm.append(build(cache))
        counts = _changed(before, _snapshot(site))
    descriptor = org / "repos" / "repo-0001" / "catalog-info.yaml"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace('description: "', 'description: "Changed: ', 1),
                          encoding="utf-8")
    before = _snapshot(site)
    one = build(cache)
    one_counts = _changed(before, _snapshot(site))
    edited = []
    if docs_pages:
        page = sorted((org / "repos" / "repo-0002" / "docs").glob("*.md"))[1]
        page.write_text(page.read_text(encoding="utf-8") + "\nOne sentence more.\n",
                        encoding="utf-8")
        before = _snapshot(site)
        edited = [_line("one docs page edited", build(cache), _changed(before, _snapshot(site)))]
    pages = sum(1 for _ in (site / "catalog").glob("*/*/*/index.html"))
    docs = docs_pages * repos
    lines = [f"{components:,} components, {pages:,} entity pages, {docs:,} docs pages, "
             f"site {sum(p.stat().st_size for p in site.rglob('*') if p.is_file()) / 2**20:,.0f}"
             f" MiB, medians of {runs} (load average {os.getloadavg()[0]:.1f})",
             _line("cold", median(cold)),
             _line("warm, nothing changed", median(warm), counts),
             _line("one repository changed", one, one_counts), *edited]
    if floor:
        lines.append(_line(f"floor: Material, {pages + docs:,} pages",
                           _floor(pages + docs, work)))
    return lines, median(cold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repos", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument("--docs-pages", type=int, default=0,
                        help="docs pages per repository (synth_org.py --docs-pages)")
    args = parser.parse_args()
    sizes: list[tuple[int, Timed]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.components:
            lines, cold = bench(n, args.repos, args.runs, Path(tmp), args.floor,
                                args.docs_pages)
            print("\n".join(lines), flush=True)
            sizes.append((n, cold))
    if len(sizes) >= 2:
        (n1, a), (n2, b) = sorted(sizes)[-2:]
        per = (b.wall - a.wall) / (n2 - n1)
        mem = (b.peak - a.peak) / (n2 - n1)
        print(f"projected 100,000 components, cold: {b.wall + per * (100_000 - n2):,.0f} s, "
              f"{(b.peak + mem * (100_000 - n2)) / 2**30:,.1f} GiB peak "
              f"(slope of {n1:,} → {n2:,}: {per * 1000:.1f} ms and "
              f"{mem / 2**10:,.0f} KiB per component)")


if __name__ == "__main__":
    main()
