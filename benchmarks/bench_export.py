"""Time ``pavedroad export`` (process start to last byte) beside its floor.

    python benchmarks/bench_export.py --components 10000 --runs 3

Generates the organisation with ``synth_org.py`` (or uses ``--org DIR``), then runs
``pavedroad export --sources`` in fresh processes: *cold* with an empty cache
directory each time, *warm* with the cache of the run before (nothing changed, so the
catalog stage's memo answers). The floor is a fresh Python process that parses the
same descriptor files with libyaml (``yaml.CSafeLoader``, PyYAML's constructor) and does
nothing else: every ``catalog-info.yaml`` and the org files its Location names; the second
floor only reads libyaml's events of the same files (no values built: the issue's floor,
what any loader on PyYAML costs at least). Each
figure is the median wall time, the median CPU time (user + system: comparable on a
loaded machine) and the peak memory (max RSS) of the runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from orgargs import ensure_org, org_parser
from timing import Timed, median, timed

HERE = Path(__file__).resolve().parent

# The files export parses: every catalog-info.yaml and the org descriptors its Location
# names. Not the API definitions (apis/*.yaml): export reads them as text ($text), it does
# not parse them; an earlier floor parsed those 1,200 files too.
_FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
n = 0
for path in sorted({*root.rglob("catalog-info.yaml"), *(root / "org").glob("*.yaml")}):
    if ".cache" in path.parts:
        continue
    text = path.read_text(encoding="utf-8")
    if EVENTS:
        parser = yaml.CSafeLoader(text)
        while parser.get_event().__class__ is not yaml.StreamEndEvent:
            n += 1
        parser.dispose()
    else:
        n += sum(1 for _ in yaml.load_all(text, Loader=yaml.CSafeLoader))
print(n)
"""


def _summary(name: str, runs: list[Timed]) -> str:
    m = median(runs)
    return f"{name:<28} {m.wall:7.2f} s wall  {m.cpu:7.2f} s cpu  {m.peak / 2**20:7.0f} MiB peak"


def main() -> None:
    parser = org_parser(__doc__, runs=3)
    args = parser.parse_args()
    pavedroad = [sys.executable, "-m", "generator.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        org = ensure_org(args, tmp)
        sources = str(org / "sources.yaml")
        floor, events, cold, warm = [], [], [], []
        for run in range(args.runs):
            env = {**os.environ, "PAVEDROAD_CACHE": str(Path(tmp) / f"cache-{run}")}
            floor.append(timed([sys.executable, "-c", "EVENTS = 0\n" + _FLOOR, str(org)], env=env))
            events.append(timed([sys.executable, "-c", "EVENTS = 1\n" + _FLOOR, str(org)],
                                env=env))
            # 1: problems found, still exported
            cold.append(timed([*pavedroad, "export", "--sources", sources], env=env, ok=(0, 1)))
            warm.append(timed([*pavedroad, "export", "--sources", sources], env=env, ok=(0, 1)))
    print(f"pavedroad export, {args.components} components in {args.repos} repositories, "
          f"medians of {args.runs} (load average {os.getloadavg()[0]:.1f})")
    print(_summary("floor (libyaml, same files)", floor))
    print(_summary("floor (libyaml events only)", events))
    print(_summary("export, cold parse cache", cold))
    print(_summary("export, warm (memo)", warm))


if __name__ == "__main__":
    main()
