"""Time the docs stage alone (``collect_docs``, no cache) on one core and on every core.

    python benchmarks/bench_docs_stage.py --components 10000 --docs-pages 10 --runs 3

It generates the organisation with ``synth_org.py`` (``--docs-pages K`` per repository)
and, in a fresh process per run, loads the catalog and times ``collect_docs`` with no docs
cache: every page is parsed for its links, the cold build's case. ``PAVEDROAD_WORKERS=1``
is the floor of one core; the other line uses every core (``split_map``). Each line gives
the median of ``--runs`` of the stage's own wall time, beside the child's CPU time.
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
from generator.pipeline import load_catalog
run = load_catalog(Path(sys.argv[1]))
start, cpu = time.perf_counter(), time.process_time()
docs = collect_docs(run.catalog, run.repositories, max_file_size=run.max_file_size)
pages = sum(len(site.pages) for site in docs.sites.values())
print(time.perf_counter() - start, time.process_time() - cpu, pages)
"""


def stage(sources: Path, workers: str, cache: Path) -> tuple[float, float, int]:
    """One run of the docs stage in a fresh process: wall seconds, this process's CPU seconds
    (the forked part's not counted), pages."""
    env = {**os.environ, "PAVEDROAD_WORKERS": workers, "PAVEDROAD_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(sources)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = org_parser(__doc__, runs=3)
    parser.add_argument("--docs-pages", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        org = ensure_org(args, tmp, args.docs_pages)
        cores = str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                    else os.cpu_count() or 1)
        for workers in ("1", cores):
            runs = [stage(org / "sources.yaml", workers, Path(tmp) / f"cache-{workers}-{i}")
                    for i in range(args.runs)]
            wall = median([r[0] for r in runs])
            cpu = median([r[1] for r in runs])
            label = "one core (floor)" if workers == "1" else f"{workers} cores"
            print(f"docs stage, {runs[0][2]:,} pages, {label:<16} {wall:6.1f} s wall "
                  f"{cpu:6.1f} s cpu (this process), median of {args.runs}", flush=True)


if __name__ == "__main__":
    main()
