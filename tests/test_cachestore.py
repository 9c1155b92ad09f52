"""The stores the parse and docs caches are made of (generator/cachestore.py)."""

from __future__ import annotations

import marshal

from generator.cachestore import CacheStore, read_checked, store_path, write_checked
from generator.docs.cache import DocsCache
from generator.parsecache import ParseCache


class Numbers(CacheStore):
    """A store of whole numbers, version 1."""

    MAGIC = b"TESTNUM1"
    KEEP_FILES = 3
    version = 1

    @classmethod
    def stamp(cls) -> object:
        return ("numbers", cls.version)

    @staticmethod
    def accepts(value: object) -> bool:
        return isinstance(value, int)


def test_a_store_keeps_only_the_entries_its_run_used(tmp_path):
    file = tmp_path / "n.marshal"
    store = Numbers.open(file)
    store.put(b"a", 1)
    store.put(b"b", 2)
    store.save()
    again = Numbers.open(file)
    assert again.find(b"a") == 1 and again.find(b"b") == 2
    again.keep(b"a", again.find(b"a"))
    again.save()
    assert Numbers.open(file).find(b"a") == 1
    assert Numbers.open(file).find(b"b") is None


def test_nothing_is_written_when_nothing_changed(tmp_path):
    file = tmp_path / "n.marshal"
    store = Numbers.open(file)
    store.put(b"a", 1)
    store.save()
    again = Numbers.open(file)
    again.keep(b"a", again.find(b"a"))
    file.unlink()
    again.save()
    assert not file.exists()


def test_another_stamp_magic_or_damage_reads_as_empty(tmp_path, monkeypatch):
    file = tmp_path / "n.marshal"
    store = Numbers(file)
    store.put(b"a", 1)
    store.save()
    data = file.read_bytes()
    for damaged in (b"", data[:-1] + bytes([data[-1] ^ 1]), b"TESTNUM2" + data[8:]):
        file.write_bytes(damaged)
        assert Numbers.open(file).find(b"a") is None
    file.write_bytes(data)
    monkeypatch.setattr(Numbers, "version", 2)
    assert Numbers.open(file).find(b"a") is None


def test_values_of_the_wrong_shape_are_dropped_on_reading(tmp_path):
    file = tmp_path / "n.marshal"
    write_checked(file, Numbers.MAGIC, marshal.dumps((Numbers.stamp(), {b"a": "one", b"b": 2,
                                                                        "c": 3})))
    store = Numbers.open(file)
    assert (store.find(b"a"), store.find(b"b"), store.find("c")) == (None, 2, None)


def test_a_value_marshal_cannot_store_saves_nothing(tmp_path):
    file = tmp_path / "n.marshal"
    store = Numbers(file)
    store.put(b"a", object())
    store.save()
    assert not file.exists()


def test_the_most_recently_written_files_are_kept(tmp_path):
    for i in range(5):
        store = Numbers(tmp_path / f"{i}.marshal")
        store.put(b"a", i)
        store.save()
    assert sorted(p.name for p in tmp_path.glob("*.marshal")) == [
        "2.marshal", "3.marshal", "4.marshal"]


def test_checked_files_refuse_foreign_magic(tmp_path):
    file = tmp_path / "x"
    assert write_checked(file, b"MAGIC", b"payload")
    assert bytes(read_checked(file.read_bytes(), b"MAGIC")) == b"payload"
    assert read_checked(file.read_bytes(), b"OTHER") is None


def test_each_cache_has_its_own_folder_and_format(tmp_path):
    sources = tmp_path / "sources.yaml"
    parse, docs = store_path(tmp_path, "parse", sources), store_path(tmp_path, "docs", sources)
    assert parse.parent.name == "parse" and docs.parent.name == "docs"
    assert parse.name == docs.name
    assert ParseCache.MAGIC != DocsCache.MAGIC
