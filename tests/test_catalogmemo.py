"""The catalog stage's memo: an unchanged organisation loads the catalog of the run before;
any change to what the crawl read builds it again; a damaged memo is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP

from generator.catalog import Catalog
from generator.catalogmemo import CatalogMemo, decode_catalog, encode_catalog, memo_path
from generator.entities import Entity, Provenance
from generator.export import export_json
from generator.pipeline import load_catalog, load_product
from generator.problems import Problem
from generator.sources import cache_root, load_sources

API = """\
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./api/orders.yaml
"""

LOCATION = """\
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: more
spec:
  targets: [./more/team.yaml, ./extra/*.yaml]
"""


def _org(make_repo, tmp_path: Path) -> Path:
    make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a") + "---\n"
               + API + "---\n" + LOCATION,
               "api/orders.yaml": "openapi: 3.0.0\n",
               "more/team.yaml": GROUP.format(name="team-a"),
               "extra/one.yaml": GROUP.format(name="team-b")}, name="repos/a")
    make_repo({"catalog-info.yaml": GROUP.format(name="team-c") + "---\nkind: [\n",
               "deep/x/catalog-info.yaml": COMPONENT.format(name="lib", owner="team-c")},
              name="repos/b")
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - path: repos/*\n", encoding="utf-8")
    return path


def _same(run, fresh) -> None:
    assert export_json(run.catalog) == export_json(fresh.catalog)
    assert run.catalog.problems == fresh.catalog.problems
    assert encode_catalog(run.catalog) == encode_catalog(fresh.catalog)
    assert run.files == fresh.files


def test_an_unchanged_organisation_loads_the_same_catalog_from_the_memo(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    cold = load_catalog(sources, progress=False)
    warm = load_catalog(sources, progress=False)
    assert not cold.memoised and warm.memoised
    _same(warm, cold)
    assert {"yaml-syntax"} <= {p.code for p in warm.catalog.problems}
    entity = warm.catalog.entities[next(r for r in warm.catalog.entities if r.kind == "api")]
    assert entity.spec["definition"] == "openapi: 3.0.0\n"


CHANGES = {
    "descriptor edited": lambda root: (root / "repos/a/catalog-info.yaml").write_text(
        COMPONENT.format(name="svc2", owner="team-a")),
    "descriptor added": lambda root: (root / "repos/b/new/catalog-info.yaml").parent.mkdir()
    or (root / "repos/b/new/catalog-info.yaml").write_text(GROUP.format(name="team-d")),
    "descriptor removed": lambda root: (root / "repos/b/deep/x/catalog-info.yaml").unlink(),
    "$text target edited": lambda root: (root / "repos/a/api/orders.yaml").write_text(
        "openapi: 3.1.0\n"),
    "$text target removed": lambda root: (root / "repos/a/api/orders.yaml").unlink(),
    "Location target edited": lambda root: (root / "repos/a/more/team.yaml").write_text(
        GROUP.format(name="team-z")),
    "Location target removed": lambda root: (root / "repos/a/more/team.yaml").unlink(),
    "Location glob gains a file": lambda root: (root / "repos/a/extra/two.yaml").write_text(
        GROUP.format(name="team-e")),
    "repository added": lambda root: (root / "repos/c").mkdir()
    or (root / "repos/c/catalog-info.yaml").write_text(GROUP.format(name="team-f")),
    "sources file edited": lambda root: (root / "sources.yaml").write_text(
        "sources:\n  - path: repos/a\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_to_what_the_crawl_read_builds_the_catalog_again(make_repo, tmp_path,
                                                                    change):
    sources = _org(make_repo, tmp_path)
    before = load_catalog(sources, progress=False)
    assert load_catalog(sources, progress=False).memoised
    CHANGES[change](tmp_path)
    after = load_catalog(sources, progress=False)
    assert not after.memoised
    assert export_json(after.catalog) != export_json(before.catalog) \
        or after.catalog.problems != before.catalog.problems
    _same(after, load_catalog(sources, progress=False, memo=False))
    assert load_catalog(sources, progress=False).memoised  # and the new one is kept


def test_a_file_that_keeps_its_size_and_time_but_not_its_text_is_noticed(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    load_catalog(sources, progress=False)
    target = tmp_path / "repos/a/api/orders.yaml"
    stat = target.stat()
    target.write_text("openapi: 3.9.0\n")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    run = load_catalog(sources, progress=False)
    assert not run.memoised
    api = next(e for r, e in run.catalog.entities.items() if r.kind == "api")
    assert api.spec["definition"] == "openapi: 3.9.0\n"


def _memo_file(sources: Path) -> Path:
    return memo_path(cache_root(load_sources(sources)[0]), sources)


def test_a_damaged_or_foreign_memo_is_ignored(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    cold = load_catalog(sources, progress=False)
    stored = _memo_file(sources)
    data = stored.read_bytes()
    for damaged in (b"", data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]),
                    b"PRPARSE1" + data[8:], b"not a memo at all"):
        stored.write_bytes(damaged)
        run = load_catalog(sources, progress=False)
        assert not run.memoised
        _same(run, cold)
    assert load_catalog(sources, progress=False).memoised  # rewritten whole


def test_a_memo_of_another_key_is_not_used(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    load_catalog(sources, progress=False)
    assert not CatalogMemo.open(_memo_file(sources), b"another key").valid


def test_a_product_is_made_once_while_nothing_changes(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    made: list[int] = []

    def make(run) -> str:
        made.append(len(run.catalog))
        return export_json(run.catalog)

    first = load_product(sources, "export@2026-01-01", make, progress=False)
    assert load_product(sources, "export@2026-01-01", make, progress=False) == first
    assert len(made) == 1
    load_product(sources, "export@2026-01-02", make, progress=False)  # another date
    assert len(made) == 2
    (tmp_path / "repos/b/deep/x/catalog-info.yaml").unlink()
    assert load_product(sources, "export@2026-01-02", make, progress=False) != first
    assert made[-1] == made[0] - 1


def test_memo_false_neither_reads_nor_writes_it(make_repo, tmp_path):
    sources = _org(make_repo, tmp_path)
    run = load_catalog(sources, progress=False, memo=False)
    assert not run.memoised and not _memo_file(sources).exists()


def test_the_codec_carries_every_field_of_what_it_stores():
    """A new field on these classes must be carried (or the codec extended)."""
    assert [f for f in Catalog.__dataclass_fields__ if not f.startswith("_")] == [
        "entities", "relations", "problems", "conflicts"]
    assert next(iter(Entity.__dataclass_fields__)) == "ref"
    assert next(iter(Problem.__dataclass_fields__)) == "severity"
    assert all(f.init for f in Provenance.__dataclass_fields__.values())
    assert encode_catalog(decode_catalog(encode_catalog(Catalog()))) == encode_catalog(Catalog())


def test_a_product_made_in_a_forked_process_is_the_same(make_repo, tmp_path, monkeypatch):
    from generator import pipeline

    sources = _org(make_repo, tmp_path)
    here = load_product(sources, "export@2026-01-01", lambda run: export_json(run.catalog),
                        progress=False)
    _memo_file(sources).unlink()
    monkeypatch.setattr(pipeline, "PARALLEL_ENTITIES", 1)
    monkeypatch.setenv("PAVEDROAD_WORKERS", "2")
    pids: list[int] = []

    def make(run) -> str:
        pids.append(os.getpid())  # in the child: this list stays empty here
        return export_json(run.catalog)

    assert load_product(sources, "export@2026-01-01", make, progress=False) == here
    assert pids == []
    monkeypatch.setenv("PAVEDROAD_WORKERS", "1")  # a make now would run here
    assert load_product(sources, "export@2026-01-01", make, progress=False) == here
    assert pids == []  # it came from the memo the forked run's process wrote
