"""``pavedroad init``: a new portal repository that builds at once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml
from conftest import pavedroad

from generator.init import portal_files
from generator.schemas import load_schema


def test_init_then_build_gives_a_portal_that_says_how_to_add_the_first_source(tmp_path):
    result = pavedroad("init", "portal", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "portal"
    assert (root / ".github/workflows/portal.yml").is_file()
    assert "cd portal && pavedroad build" in result.stderr
    build = pavedroad("build", "--strict", cwd=root)
    assert build.returncode == 0, build.stderr
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "Add the first source" in home and "catalog-sources/sources.yaml" in home
    published_catalog = json.loads((root / "site/catalog.json").read_text(encoding="utf-8"))
    assert published_catalog["entities"] == []
    assert published_catalog["adoption"]["overall"] == {"on": 0, "total": 0, "share": None}
    published = json.loads((root / "site/schemas/catalog-info.schema.json").read_text("utf-8"))
    assert published == load_schema("catalog-info")
    assert pavedroad("check", cwd=root).returncode == 0


def test_init_files_validate_against_the_schemas_their_first_line_names(tmp_path):
    assert pavedroad("init", str(tmp_path / "p")).returncode == 0
    root = tmp_path / "p"
    checked = 0
    for path in (root / "catalog-sources").iterdir():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        schema_path = (path.parent / match[1]).resolve()
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
        checked += 1
    assert checked == 2


def test_init_workflow_builds_with_the_action_keeps_the_cache_and_publishes(tmp_path):
    workflow = yaml.safe_load(portal_files("x")[".github/workflows/portal.yml"])
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/cache@") for u in uses)
    action = next(s for s in steps if "paved-road@" in s.get("uses", ""))
    assert action["with"]["command"] == "build"
    assert action["with"]["catalog-url"].endswith("/catalog.json")  # history.json beside it
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_init_refuses_a_non_empty_directory_without_force(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = pavedroad("init", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not empty (notes.txt)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_with_force_names_every_file_it_replaces(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    (tmp_path / "notes.txt").write_text("mine")
    result = pavedroad("init", "--force", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "pavedroad: replaced mkdocs.yml" in result.stderr
    assert result.stderr.count("replaced ") == 1
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert "pavedroad" in (tmp_path / "mkdocs.yml").read_text()


def test_init_into_a_file_is_one_clear_line_and_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    result = pavedroad("init", str(tmp_path / "file"))
    assert result.returncode == 2
    assert result.stderr == f"pavedroad: error: {tmp_path / 'file'} is a file, not a " \
        "directory; name a new or empty directory\n"


def test_init_where_nothing_can_be_written_is_one_clear_line_and_exit_2():
    # /sys refuses new directories even to root, which chmod cannot arrange.
    result = pavedroad("init", "/sys/pavedroad-portal")
    assert result.returncode == 2
    assert result.stderr.startswith("pavedroad: error: cannot write /sys/pavedroad-portal")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not Path("/sys/pavedroad-portal").exists()
