"""The previous build's record of the site folder answers for unchanged files
(generator/mkdocs/siterecord.py, issue 16): they are not read back, and a file changed
behind the record's back is still rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.mkdocs import publish
from generator.mkdocs.publish import SiteOutput
from generator.mkdocs.siterecord import SiteRecord


def _build(cache: Path, site: Path, files: dict[str, bytes]) -> SiteOutput:
    """One build's generated files, published as the plugin publishes them."""
    output = SiteOutput(site, SiteRecord.open(cache, site))
    for rel, data in files.items():
        output.write(rel, data)
    staging = site.parent / "staging"
    staging.mkdir(exist_ok=True)
    output.publish(staging)
    return output


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files :class:`SiteOutput` read back to compare."""
    seen: list[Path] = []
    real = publish._holds

    def counting(dest: str | Path, data: bytes) -> bool:
        seen.append(Path(dest))
        return real(dest, data)

    monkeypatch.setattr(publish, "_holds", counting)
    return seen


FILES = {"a/entity.json": b'{"a": 1}', "a/diagram.svg": b"<svg>" + b"x" * 5000 + b"</svg>",
         "b/index.html": b"<p>b</p>"}


def test_an_unchanged_rebuild_reads_back_no_file_the_record_vouches_for(tmp_path, reads):
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = _build(cache, site, FILES)
    assert (first.wrote, first.kept) == (3, 0)
    reads.clear()
    second = _build(cache, site, FILES)
    assert (second.wrote, second.kept) == (0, 3)
    assert reads == []  # answered from the record, not by reading the files
    assert all((site / rel).read_bytes() == data for rel, data in FILES.items())


def test_a_file_changed_behind_the_records_back_is_compared_and_rewritten(tmp_path, reads):
    cache, site = tmp_path / "cache", tmp_path / "site"
    _build(cache, site, FILES)
    target = site / "a" / "entity.json"
    info = target.stat()
    target.write_bytes(b'{"a": 2}')  # same size; its mtime put back, its ctime cannot be
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    reads.clear()
    again = _build(cache, site, FILES)
    assert reads == [target]
    assert (again.wrote, again.kept) == (1, 2)
    assert target.read_bytes() == b'{"a": 1}'


def test_new_bytes_at_a_recorded_path_are_written(tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    _build(cache, site, FILES)
    changed = {**FILES, "b/index.html": b"<p>B</p>"}
    again = _build(cache, site, changed)
    assert (again.wrote, again.kept) == (1, 2)
    assert (site / "b" / "index.html").read_bytes() == b"<p>B</p>"
    third = _build(cache, site, changed)  # the new file is recorded in its turn
    assert (third.wrote, third.kept) == (0, 3)


def test_a_damaged_record_means_comparing_every_file_not_a_wrong_site(tmp_path, reads):
    cache, site = tmp_path / "cache", tmp_path / "site"
    _build(cache, site, FILES)
    (record,) = (cache / "site").glob("*.marshal")
    record.write_bytes(record.read_bytes()[:-3] + b"bad")
    (site / "a" / "entity.json").write_bytes(b'{"a": 3}')
    reads.clear()
    again = _build(cache, site, FILES)
    assert len(reads) == 3
    assert (again.wrote, again.kept) == (1, 2)
    assert (site / "a" / "entity.json").read_bytes() == b'{"a": 1}'


def test_without_a_cache_folder_nothing_is_recorded_and_files_are_compared(tmp_path, reads):
    site = tmp_path / "site"
    output = SiteOutput(site, SiteRecord.open(None, site))
    output.write("x.txt", b"x")
    assert output.record.current == {}
    again = SiteOutput(site, SiteRecord.open(None, site))
    again.write("x.txt", b"x")
    assert again.kept == 1 and reads == [site / "x.txt", site / "x.txt"]


def test_a_link_put_where_a_recorded_file_was_is_replaced_not_vouched_for(tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    _build(cache, site, FILES)
    outside = tmp_path / "outside.json"
    outside.write_bytes(FILES["a/entity.json"])  # the same bytes, elsewhere
    target = site / "a" / "entity.json"
    target.unlink()
    target.symlink_to(outside)
    again = _build(cache, site, FILES)
    assert (again.wrote, again.kept) == (1, 2)
    assert not target.is_symlink() and target.read_bytes() == FILES["a/entity.json"]
    assert outside.read_bytes() == FILES["a/entity.json"]
