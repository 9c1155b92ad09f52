"""The diagram memo: a build's diagrams and graph exports come back only for the key they were
stored under."""

from __future__ import annotations

from generator.graph.memo import DiagramMemo


def test_diagrams_come_back_for_the_same_key_only(tmp_path):
    sources = tmp_path / "sources.yaml"
    svgs = {"component:default/a": "<svg>a</svg>", "overview": None}
    exports = {"graph.json": "{}\n"}
    DiagramMemo.of(tmp_path / "cache", sources, (b"faces", b"1")).save(svgs, exports)
    assert DiagramMemo.of(tmp_path / "cache", sources, (b"faces", b"1")).load() == (svgs,
                                                                                     exports)
    assert DiagramMemo.of(tmp_path / "cache", sources, (b"faces", b"2")).load() is None
    assert DiagramMemo.of(tmp_path / "cache", tmp_path / "other.yaml",
                          (b"faces", b"1")).load() is None


def test_no_cache_or_an_unknown_part_keeps_nothing(tmp_path):
    sources = tmp_path / "sources.yaml"
    DiagramMemo.of(None, sources, (b"faces",)).save({"x": "<svg/>"}, {})
    DiagramMemo.of(tmp_path, sources, (None, b"1")).save({"x": "<svg/>"}, {})
    assert not list(tmp_path.rglob("*.marshal"))


def test_a_damaged_memo_is_ignored(tmp_path):
    memo = DiagramMemo.of(tmp_path, tmp_path / "sources.yaml", (b"faces",))
    memo.save({"x": "<svg/>"}, {})
    assert memo.path is not None
    data = bytearray(memo.path.read_bytes())
    data[-3] ^= 0xFF
    memo.path.write_bytes(bytes(data))
    assert memo.load() is None
