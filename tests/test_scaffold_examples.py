"""The example command on each golden-path page, and that it runs."""

from __future__ import annotations

import shlex

import pytest
from conftest import DEMO_SOURCES, pavedroad

from generator.pages import build_pages
from generator.pages.golden_path_pages import GoldenPathFeature
from generator.pipeline import load_catalog
from generator.refs import parse_ref
from generator.scaffold.examples import example_command, example_values, pattern_example


@pytest.fixture(scope="module")
def demo():
    return load_catalog(DEMO_SOURCES, progress=False).catalog


@pytest.mark.parametrize(("pattern", "expected"), [
    ("^[a-z][a-z0-9-]{2,40}$", "my-service"),
    ("^[a-z][a-z0-9-]{2,40}-db$", "my-service-db"),
    ("^[A-Z]{3}[0-9]{2}$", "AAA00"),
    ("^(foo|bar)-[0-9]+$", "foo-0"),
])
def test_pattern_examples_match_their_pattern(pattern, expected):
    assert pattern_example(pattern, ["my-service"]) == expected


def test_example_values_fill_required_fields_from_the_catalog(demo):
    template = demo.entities[parse_ref("template:python-service")]
    values = example_values(template, demo)
    assert set(values) == {"name", "description", "owner", "repoUrl"}
    assert values["repoUrl"] == "github.com?owner=northwind&repo=my-service"
    assert parse_ref(values["owner"], default_kind="group") in demo.entities


def test_golden_path_page_shows_the_command(demo):
    pages = build_pages(demo, [GoldenPathFeature(demo)])
    page = pages.pages[f"{parse_ref('template:python-service').path}/index.md"].expanded()
    assert "Run it locally" in page
    assert "<pre><code>pavedroad new python-service \\\n    --set name=my-service" in page
    assert "--set &#x27;repoUrl=github.com?owner=northwind&amp;repo=my-service&#x27;" in page


@pytest.mark.parametrize("name", ["python-service", "static-website", "postgres-database"])
def test_example_command_runs_as_shown(demo, tmp_path, name):
    command = example_command(demo.entities[parse_ref(f"template:{name}")], demo)
    args = shlex.split(command.replace("\\\n", " "))
    assert args[:3] == ["pavedroad", "new", name]
    result = pavedroad(*args[1:], "--dry-run", "--sources", str(DEMO_SOURCES), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
