"""Time the graph stage and the diagrams on a synthetic org.

    python benchmarks/bench_graph.py --components 10000 --runs 3
    python benchmarks/bench_graph.py --components 2500,5000,10000,20000 --skip-diagrams

For each size, generates the organisation with ``synth_org.py`` (or uses
``--org DIR``), loads the catalog once, then times, as the median of
``--runs`` runs:

* the graph: ``build_graph``, ``dependency_graph``, ``dependency_cycles``,
  ``lifecycle_problems``;
* blast radius for every component, resource and API: the totals for all at
  once (``blast_radius_sizes``), the list up to ``--blast-depth`` hops for
  each (what a page shows), and the unbounded list for a sample of
  ``--blast-sample`` entities (per-query time, extrapolated; ``--full-blast``
  runs it for all of them, which is quadratic when most entities need each
  other);
* a depth-1 neighbourhood diagram for every entity: ``neighbourhood`` +
  ``neighbourhood_dot`` + ``render_svgs``, cold (empty cache) and warm (full
  cache, so only the DOT is made and hashed);
* the system/domain diagrams and the organisation overview, cold.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.graph import (  # noqa: E402
    blast_radius,
    blast_radius_sizes,
    build_graph,
    dependency_cycles,
    dependency_graph,
    neighbourhood,
    system_overview,
    system_view,
)
from generator.graph.diagrams import (  # noqa: E402
    graphviz_available,
    neighbourhood_dot,
    overview_dot,
    render_svgs,
    system_dot,
)
from generator.pipeline import load_catalog  # noqa: E402
from generator.policies import lifecycle_problems  # noqa: E402

IMPACT_KINDS = ("component", "resource", "api")


def url_for(ref) -> str:
    return f"../../../../{ref.path}/"


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def diagrams(graph, cache: Path | None) -> tuple[dict[str, float], dict[str, str | None]]:
    """Neighbourhood diagrams for every entity; seconds per step and the SVGs."""
    times: dict[str, float] = {}
    times["neighbourhood"], nhs = timed(lambda: {str(r): neighbourhood(graph, r) for r in graph})
    times["dot"], sources = timed(lambda: {k: neighbourhood_dot(nh, url_for)
                                           for k, nh in nhs.items()})
    cpu = child_cpu()
    times["render"], svgs = timed(lambda: render_svgs(sources, cache))
    times["dot cpu"] = child_cpu() - cpu
    times["total"] = times["neighbourhood"] + times["dot"] + times["render"]
    return times, svgs


def one_run(catalog, args: argparse.Namespace) -> dict[str, float]:
    gc.collect()
    t: dict[str, float] = {}
    t["build_graph"], graph = timed(lambda: build_graph(catalog))
    t["dependency_graph"], deps = timed(lambda: dependency_graph(graph))
    t["dependency_cycles"], _ = timed(lambda: dependency_cycles(deps))
    t["lifecycle_problems"], _ = timed(lambda: lifecycle_problems(catalog))
    targets = [r for r in deps if r.kind in IMPACT_KINDS]
    t["blast_radius_sizes (all)"], _ = timed(lambda: blast_radius_sizes(deps))
    t[f"blast_radius depth<={args.blast_depth} (each)"], _ = timed(
        lambda: [blast_radius(deps, r, max_distance=args.blast_depth) for r in targets])
    if args.full_blast:
        t["blast_radius unbounded (each)"], _ = timed(
            lambda: [blast_radius(deps, r) for r in targets])
    else:
        sample = targets[::max(1, len(targets) // args.blast_sample)][:args.blast_sample]
        seconds, _ = timed(lambda: [blast_radius(deps, r) for r in sample])
        t["blast_radius unbounded, per query"] = seconds / max(1, len(sample))
        t["blast_radius unbounded (each, extrapolated)"] = seconds / max(1, len(sample)) * \
            len(targets)
    if args.skip_diagrams:
        return t
    with tempfile.TemporaryDirectory() as tmp:
        cold, first = diagrams(graph, Path(tmp))
        warm, second = diagrams(graph, Path(tmp))
        assert first == second
        failed = sum(svg is None for svg in first.values())
    t.update({f"diagrams cold: {k}": v for k, v in cold.items()})
    t.update({f"diagrams warm: {k}": v for k, v in warm.items()})
    t["diagrams failed"] = failed
    groups = [r for r in graph if r.kind in ("system", "domain")]
    t[f"system+domain diagrams ({len(groups)}): views + DOT"], views = timed(
        lambda: {str(r): system_dot(system_view(graph, r), url_for) for r in groups})
    t[f"system+domain diagrams ({len(groups)}): render cold"], _ = timed(
        lambda: render_svgs(views, None))
    t["overview diagram: view + DOT"], overview = timed(
        lambda: {"overview": overview_dot(system_overview(graph), url_for)})
    t["overview diagram: render cold"], _ = timed(lambda: render_svgs(overview, None))
    return t


def bench(components: int, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        org = args.org
        if org is None:
            org = Path(tmp) / "org"
            subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org),
                            "--components", str(components)], check=True,
                           stdout=subprocess.DEVNULL)
        seconds, run = timed(lambda: load_catalog(org / "sources.yaml", progress=False))
    catalog = run.catalog
    graph = build_graph(catalog)
    deps = dependency_graph(graph)
    targets = sum(1 for r in deps if r.kind in IMPACT_KINDS)
    cycles = dependency_cycles(deps)
    print(f"\n== {components:,} components: {len(catalog):,} entities, "
          f"{graph.number_of_edges():,} relation edges, {deps.number_of_edges():,} "
          f"dependency edges, {targets:,} blast-radius targets, largest cycle "
          f"{max(map(len, cycles), default=0):,} (catalog loaded in {seconds:.1f}s)")
    runs = [one_run(catalog, args) for _ in range(args.runs)]
    for name in runs[0]:
        value = statistics.median(r[name] for r in runs)
        shown = f"{value:10.0f}  " if name == "diagrams failed" else f"{value:10.3f}s "
        print(f"{shown} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", default="10000",
                        help="size, or comma-separated sizes (default 10000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--org", type=Path, help="use an organisation generated earlier")
    parser.add_argument("--blast-depth", type=int, default=2)
    parser.add_argument("--blast-sample", type=int, default=200)
    parser.add_argument("--full-blast", action="store_true",
                        help="unbounded blast radius for every target (slow: quadratic)")
    parser.add_argument("--skip-diagrams", action="store_true",
                        help="time the graph and blast radius only (for scaling runs)")
    args = parser.parse_args()
    if not args.skip_diagrams and not graphviz_available():
        sys.exit("Graphviz is not installed (apt-get install graphviz)")
    for size in (int(s) for s in args.components.split(",")):
        bench(size, args)


if __name__ == "__main__":
    main()
