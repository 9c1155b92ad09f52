"""Hostile dependency cycles (issue 13 item 8): one problem per member, linear in the cycle."""

from __future__ import annotations

import sys

import networkx as nx
from conftest import ROOT

from generator.graph import cycle_loops
from generator.graph.cycles import SHOWN_HOPS
from generator.refs import EntityRef


def dependency_cycles(graph: nx.DiGraph) -> list[list[EntityRef]]:
    return [sorted(c, key=str) for c in nx.strongly_connected_components(graph)
            if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))]


def ring(n: int, chords: int = 0) -> nx.DiGraph:
    refs = [EntityRef("component", "default", f"c{i:05d}") for i in range(n)]
    graph = nx.DiGraph()
    for i, ref in enumerate(refs):
        graph.add_edge(ref, refs[(i + 1) % n], type="dependsOn")
        if chords and i % chords == 0:
            graph.add_edge(ref, refs[(i - 2) % n], type="dependsOn")
    return graph


def test_each_member_of_a_small_cycle_gets_its_shortest_loop():
    a, b, c = (EntityRef("component", "default", x) for x in "abc")
    graph = nx.DiGraph([(a, b), (b, a), (b, c), (c, a)])
    loops = cycle_loops(graph, dependency_cycles(graph))
    assert loops[a].path == (a, b, a) and loops[a].complete
    assert loops[c].path == (c, a, b, c) and loops[c].length == 3
    assert loops[c].text() == "component:default/c → component:default/a → " \
        "component:default/b → component:default/c"


def test_a_self_dependency_is_a_loop_of_one_hop():
    a = EntityRef("component", "default", "a")
    graph = nx.DiGraph([(a, a)])
    loop = cycle_loops(graph, dependency_cycles(graph))[a]
    assert loop.path == (a, a) and loop.length == 1


def test_loops_in_a_huge_ring_are_cut_short_and_their_length_kept():
    graph = ring(5000)
    cycles = dependency_cycles(graph)
    loops = cycle_loops(graph, cycles)
    assert len(loops) == 5000
    for loop in loops.values():
        assert loop.length == 5000 and len(loop.path) <= SHOWN_HOPS + 1
        assert loop.text().endswith(f"→ … → {loop.path[0]}")
        for here, nxt in zip(loop.path, loop.path[1:], strict=False):
            assert graph.has_edge(here, nxt)


def test_chords_give_short_loops_that_really_are_loops():
    graph = ring(3000, chords=3)
    loops = cycle_loops(graph, dependency_cycles(graph))
    for ref, loop in loops.items():
        assert loop.path[0] == ref
        for here, nxt in zip(loop.path, loop.path[1:], strict=False):
            assert graph.has_edge(here, nxt)
        if loop.complete:
            assert loop.path[-1] == ref


def test_a_7000_member_cycle_gives_one_short_problem_per_member(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_cycle import build_organisation, run_stages

    problems, _ = run_stages(build_organisation(tmp_path, 7000))
    cycle = [p for p in problems if p.code == "dependency-cycle"]
    assert len(cycle) == 7000
    assert len({p.entity for p in cycle}) == 7000
    assert max(len(p.message) for p in cycle) < 1000
    assert "7,000 entities" in cycle[0].message and "graph/#cycle-1" in cycle[0].message
