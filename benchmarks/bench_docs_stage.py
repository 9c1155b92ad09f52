"""Time the docs stage alone (``collect_docs``): cold on one core and on every core, and
a rebuild with nothing changed, with and without the section memo.

    python benchmarks/bench_docs_stage.py --components 10000 --docs-pages 10 --runs 3

It generates the organisation with ``synth_org.py`` (``--docs-pages K`` per repository)
and, in a fresh process per run, loads the catalog and times ``collect_docs``. Cold: no
docs cache, every page is parsed for its links, the cold build's case;
``PAVEDROAD_WORKERS=1`` is the floor of one core, the other line uses every core
(``split_map``). Rebuild: the docs cache of a run before (no page is parsed), with the
section memo of that run (no section is read) or without it (every section is read), runs
of the two interleaved; its floor is reading every file under the repositories' ``docs/``
folders. Each line gives the median of ``--runs`` of the stage's own wall time, beside the
child's CPU time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from orgargs import HERE, ensure_org, org_parser

ROOT = HERE.parent

_CHILD = """
import sys, time
from pathlib import Path
from generator.docs import collect_docs
from generator.docs.cache import DocsCache, docs_cache_path
from generator.docs.sectionmemo import SectionMemo, section_memo_path
from generator.pipeline import load_catalog
sources, mode = Path(sys.argv[1]), sys.argv[2]
run = load_catalog(sources)
start, cpu = time.perf_counter(), time.process_time()
if mode == "floor":
    pages = 0
    for repo in run.repositories:
        for path in sorted((repo.root / "docs").rglob("*")):
            if path.is_file():
                path.read_bytes()
                pages += 1
else:
    cache = memo = None
    if mode != "cold":
        cache = DocsCache.open(docs_cache_path(run.cache_dir, sources))
    if mode in ("memo", "prime"):
        memo = SectionMemo.open(section_memo_path(run.cache_dir, sources))
    docs = collect_docs(run.catalog, run.repositories, max_file_size=run.max_file_size,
                        cache=cache, memo=memo)
    pages = sum(len(site.pages) for site in docs.sites.values())
    if mode == "prime":
        cache.save()
        memo.save()
print(time.perf_counter() - start, time.process_time() - cpu, pages)
"""


def stage(sources: Path, workers: str, cache: Path, mode: str = "cold"
          ) -> tuple[float, float, int]:
    """One run of the docs stage in a fresh process: wall seconds, this process's CPU seconds
    (the forked part's not counted), pages (files, for the floor)."""
    env = {**os.environ, "PAVEDROAD_WORKERS": workers, "PAVEDROAD_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(sources), mode], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def _line(label: str, runs: list[tuple[float, float, int]], count: int, what: str) -> None:
    wall = median([r[0] for r in runs])
    cpu = median([r[1] for r in runs])
    print(f"docs stage, {runs[0][2]:,} {what}, {label:<28} {wall:6.2f} s wall "
          f"{cpu:6.2f} s cpu (this process), median of {count}", flush=True)


def main() -> None:
    parser = org_parser(__doc__, runs=3)
    parser.add_argument("--docs-pages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        org = ensure_org(args, tmp, args.docs_pages)
        cores = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                    else os.cpu_count() or 1)
        sources = org / "sources.yaml"
        for workers in ("1", cores):
            runs = [stage(sources, workers, Path(tmp) / f"cache-{workers}-{i}")
                    for i in range(args.runs)]
            label = "cold, one core (floor)" if workers == "1" else f"cold, {workers} cores"
            _line(label, runs, args.runs, "pages")
        warm = Path(tmp) / "cache-warm"
        stage(sources, cores, warm, "prime")
        modes: dict[str, list] = {"memo": [], "read": [], "floor": []}
        for _ in range(args.runs):
            for mode, found in modes.items():
                found.append(stage(sources, cores, warm, mode))
        _line("rebuild, section memo", modes["memo"], args.runs, "pages")
        _line("rebuild, every section read", modes["read"], args.runs, "pages")
        _line("reading every docs file (floor)", modes["floor"], args.runs, "files")


if __name__ == "__main__":
    main()
