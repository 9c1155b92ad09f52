"""The graph memo: a build's diagrams, graph exports, sizes, cycles and loops come back only
for the key they were stored under, and an analysis made from them is the one made anew."""

from __future__ import annotations

import pytest
from test_graph import CYCLES, catalog_of, component

from generator.graph import analyse
from generator.graph.analysis import GraphParts
from generator.graph.memo import GraphMemo

ORG = [*CYCLES, component("lonely", dependsOn=["component:ghost"])]
"""Cycles of one, two and three entities (through an API), and a target not in the catalog."""


def _same_analysis(one, other) -> None:
    for name in ("sizes", "needs_sizes", "cycles", "loops", "cycle_of", "cycle_number", "svgs",
                 "exports", "graphviz", "problems"):
        assert getattr(one, name) == getattr(other, name), name
    assert list(one.sizes) == list(other.sizes)  # in the same order too


@pytest.fixture
def analysed(make_repo, tmp_path):
    catalog = catalog_of(make_repo, ORG)
    return catalog, analyse(catalog, cache_dir=tmp_path / "svgs")


def test_an_analysis_from_the_memo_is_the_analysis_made_anew(analysed, tmp_path):
    catalog, fresh = analysed
    assert fresh.cycles and fresh.loops and fresh.exports["graph.json"]
    memo = GraphMemo.of(tmp_path / "cache", tmp_path / "sources.yaml", (b"faces", b"1"))
    memo.save(GraphParts.of(fresh))
    earlier = GraphMemo.of(tmp_path / "cache", tmp_path / "sources.yaml",
                           (b"faces", b"1")).load()
    assert earlier == GraphParts.of(fresh)
    _same_analysis(analyse(catalog, cache_dir=None, earlier=earlier), fresh)


def test_parts_come_back_for_the_same_key_and_sources_file_only(analysed, tmp_path):
    parts = GraphParts.of(analysed[1])
    GraphMemo.of(tmp_path / "cache", tmp_path / "sources.yaml", (b"faces", b"1")).save(parts)
    assert GraphMemo.of(tmp_path / "cache", tmp_path / "sources.yaml",
                        (b"faces", b"2")).load() is None
    assert GraphMemo.of(tmp_path / "cache", tmp_path / "other.yaml",
                        (b"faces", b"1")).load() is None


def test_parts_that_do_not_fit_the_graph_are_measured_again(analysed, make_repo, tmp_path):
    """A memo of another graph under a matching key (it cannot happen but by damage) is not
    trusted for the sizes: every entity must have one."""
    catalog, fresh = analysed
    other = analyse(catalog_of(make_repo, CYCLES[:3], name="other"), cache_dir=None)
    again = analyse(catalog, cache_dir=None, earlier=GraphParts.of(other))
    assert again.sizes == fresh.sizes and again.loops == fresh.loops
    assert again.exports == fresh.exports


def test_what_the_memo_holds_is_taken_not_made_again(analysed):
    """Told apart by a memo whose every size is off by 1,000."""
    catalog, fresh = analysed
    parts = GraphParts.of(fresh)
    marked = GraphParts(parts.svgs, {"graph.json": "marked"},
                        {r: n + 1000 for r, n in parts.sizes.items()}, parts.needs_sizes,
                        parts.cycles, parts.loops)
    again = analyse(catalog, cache_dir=None, earlier=marked)
    assert again.sizes == {r: n + 1000 for r, n in fresh.sizes.items()}
    assert again.exports == {"graph.json": "marked"}


def test_no_cache_or_an_unknown_part_keeps_nothing(analysed, tmp_path):
    parts = GraphParts.of(analysed[1])
    GraphMemo.of(None, tmp_path / "sources.yaml", (b"faces",)).save(parts)
    GraphMemo.of(tmp_path, tmp_path / "sources.yaml", (None, b"1")).save(parts)
    assert not list(tmp_path.rglob("*.marshal"))


def test_a_damaged_memo_is_ignored(analysed, tmp_path):
    memo = GraphMemo.of(tmp_path, tmp_path / "sources.yaml", (b"faces",))
    memo.save(GraphParts.of(analysed[1]))
    assert memo.path is not None and memo.load() is not None
    data = bytearray(memo.path.read_bytes())
    data[-3] ^= 0xFF
    memo.path.write_bytes(bytes(data))
    assert memo.load() is None
