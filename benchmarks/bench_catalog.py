"""Time the catalog stage (sources → crawl → entities → catalog) on a synthetic org.

    python benchmarks/bench_catalog.py --components 10000 --runs 5

Generates the organisation with ``synth_org.py`` into a temporary directory
(or uses ``--org DIR``), then loads it ``--runs`` times in fresh processes and
reports the median wall time, the median CPU time (the process and the crawl's forked half:
the figure to compare on a shared machine) and the peak memory (max RSS) of those runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from orgargs import ensure_org, org_parser

HERE = Path(__file__).resolve().parent

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from generator.pipeline import load_catalog
t = time.perf_counter()
run = load_catalog(Path(sys.argv[1]))
elapsed = time.perf_counter() - t
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in usage)  # from start: imports too
rss = usage[0].ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_bytes": rss, "entities": len(run.catalog),
                  "relations": sum(len(v) for v in run.catalog.relations.values()),
                  "problems": len(run.catalog.problems), "files": run.files}))
"""


def main() -> None:
    parser = org_parser(__doc__, runs=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        org = ensure_org(args, tmp)
        results = []
        for run in range(args.runs):  # each with an empty parse cache: a cold load
            env = {**os.environ, "PAVEDROAD_CACHE": str(Path(tmp) / f"cache-{run}")}
            out = subprocess.run([sys.executable, "-c", _CHILD, str(org / "sources.yaml")],
                                 check=True, capture_output=True, text=True, env=env).stdout
            results.append(json.loads(out))
    seconds = statistics.median(r["seconds"] for r in results)
    cpu = statistics.median(r["cpu"] for r in results)
    peak = max(r["peak_bytes"] for r in results)
    last = results[-1]
    print(f"catalog stage: {last['entities']:,} entities, {last['relations']:,} relations, "
          f"{last['files']:,} files, {last['problems']} problems")
    print(f"median {seconds:.2f} s over {args.runs} runs "
          f"(min {min(r['seconds'] for r in results):.2f}, "
          f"max {max(r['seconds'] for r in results):.2f}), {cpu:.2f} s CPU (with the imports); "
          f"peak memory {peak / 2**20:.0f} MiB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
