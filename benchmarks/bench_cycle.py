"""Time catalog, graph and problems for one dependency cycle of N members.

    python benchmarks/bench_cycle.py --sizes 1000 4000 8000

Each organisation is one repository whose components form a ring (each
depends on the next; every third also on the one two back), so the whole
organisation is one strongly connected component. Every stage must be linear
in its size: compare the ratios of the times, not the times (a shared,
loaded machine varies).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.graph import build_graph, cycle_loops, dependency_cycles, dependency_graph
from generator.pipeline import load_paths
from generator.policies import catalog_problems
from generator.sources import Repository


def build_organisation(root: Path, n: int) -> Repository:
    """A repository of ``n`` components that all need each other, in a ring."""
    repo = root / f"ring-{n}"
    repo.mkdir(parents=True)
    docs = []
    for i in range(n):
        needs = [f"component:c{(i + 1) % n}"]
        if i % 3 == 0:
            needs.append(f"component:c{(i - 2) % n}")
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                    f"  name: c{i}\nspec:\n  type: service\n  lifecycle: production\n"
                    f"  owner: group:team\n  dependsOn: [{', '.join(needs)}]\n")
    docs.append("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\n"
                "spec:\n  type: team\n  children: []\n")
    for part in range(0, len(docs), 500):  # files stay under the default size limit
        folder = repo / f"part-{part // 500:03d}"
        folder.mkdir()
        (folder / "catalog-info.yaml").write_text("---\n".join(docs[part:part + 500]))
    return Repository(repo.name, repo.resolve(), str(repo))


def run_stages(repo: Repository) -> tuple[list, dict[str, float]]:
    """The problems of the organisation and the seconds each stage took."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    catalog = load_paths([repo]).catalog
    times["catalog"] = time.perf_counter() - t
    t = time.perf_counter()
    deps = dependency_graph(build_graph(catalog))
    cycles = dependency_cycles(deps)
    loops = cycle_loops(deps, cycles)
    times["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    problems = catalog_problems(catalog, cycles,
                                loops={r: loop.text() for r, loop in loops.items()})
    times["problems"] = time.perf_counter() - t
    return problems, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 8000])
    args = parser.parse_args()
    first: dict[str, float] | None = None
    print(f"{'members':>8} {'catalog s':>10} {'graph s':>8} {'problems s':>11} "
          f"{'log bytes':>10}  ratio to the first (time / size)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            problems, times = run_stages(build_organisation(Path(tmp), n))
            size = sum(len(p.message) for p in problems)
            first = first or {**times, "n": n}
            ratios = " ".join(f"{k} {times[k] / first[k] / (n / first['n']):.2f}"
                              for k in times)
            print(f"{n:>8} {times['catalog']:>10.2f} {times['graph']:>8.2f} "
                  f"{times['problems']:>11.3f} {size:>10,}  {ratios}")


if __name__ == "__main__":
    main()
