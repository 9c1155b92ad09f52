"""pavedroad export --format backstage: valid descriptors that crawl back to the same catalog."""

from __future__ import annotations

import json
import shutil

from conftest import pavedroad
from formats_helpers import copy_org, load

from generator.export import entity_json
from generator.formats import file_names
from generator.formats.export import converted
from generator.formats.options import FormatOptions


def _catalog(run) -> dict:
    return {str(ref): entity_json(run.catalog, e) for ref, e in run.catalog.entities.items()}


def _migrate(tmp_path, out):
    """The organisation as it is after migrating: vendor files and replaced descriptors gone,
    the export in their place."""
    sources = copy_org(tmp_path)
    run = load(sources)
    root = sources.parent
    replaced = {(e.provenance.repo, e.provenance.path)
                for e in converted(run.catalog.entities.values())}
    for repo, path in replaced:
        (root / repo / path).unlink(missing_ok=True)
    for name in file_names(FormatOptions()):
        for found in root.rglob(name):
            found.unlink()
    for exported in out.iterdir():
        shutil.copy(exported / "catalog-info.yaml",
                    root / exported.name / "exported-catalog-info.yaml")
    sources.write_text(sources.read_text()
                       + "descriptor_names: [catalog-info.yaml, exported-catalog-info.yaml]\n")
    return run, load(sources)


def test_second_crawl_of_the_export_gives_the_same_catalog(tmp_path):
    out = tmp_path / "export"
    done = pavedroad("export", "--format", "backstage", "--out", str(out), "--sources",
                     str(copy_org(tmp_path / "first")))
    assert done.returncode == 0, done.stderr
    assert len(list(out.iterdir())) == 8  # every repository with converted entities
    before, after = _migrate(tmp_path / "second", out)
    assert _catalog(after) == _catalog(before)
    assert {e.provenance.format for e in after.catalog.entities.values()} == {"backstage"}


def test_check_accepts_the_export(tmp_path):
    sources = copy_org(tmp_path)
    out = tmp_path / "all.yaml"
    done = pavedroad("export", "--format", "backstage", "--out", str(out), "--sources",
                     str(sources))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("# Backstage descriptors") and "opslevel-shop: opslevel.yml" in text
    check = pavedroad("check", "--format", "json", str(out))
    problems = json.loads(check.stdout)
    assert check.returncode == 0, check.stdout
    # only references to entities defined elsewhere in the organisation are left
    assert {p["code"] for p in problems} <= {"missing-ref"}


def test_export_to_stdout_lists_only_converted_entities(tmp_path):
    done = pavedroad("export", "--format", "backstage", "--sources", str(copy_org(tmp_path)))
    assert done.returncode == 0
    assert "name: shopping-cart" in done.stdout and "kind: Group" not in done.stdout


def test_out_needs_the_backstage_format(tmp_path):
    done = pavedroad("export", "--out", str(tmp_path / "x"), "--sources",
                     str(copy_org(tmp_path)))
    assert done.returncode == 2 and "--format backstage" in done.stderr
