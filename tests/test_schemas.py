"""The JSON Schemas agree with the parsers: what a parser rejects for its shape, the
schema rejects too, and every demo and fixture file the parser accepts validates."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DEMO_SOURCES, FIXTURES, ROOT

from generator.crawl import crawl
from generator.formats.options import parse_options
from generator.problems import Severity
from generator.schemas import SCHEMA_NAMES, load_schema, schema_text
from generator.scorecards import CHECKS, DEFAULT_RULES, parse_rules
from generator.sources import Repository, load_sources
from generator.validation import validate_entity

REPLACEMENTS = [None, 1, True, 2.5, [], {}, "", " ", "Bad Name!", ["x y"], [1], {"a b": 1},
                "component", "a" * 70, "../x", "/abs", "-x", "a..b", "*"]
"""Values every field of a valid file is replaced with, one at a time."""


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(name))


def _paths(value: object, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _mutations(data: object, depth: int = 4, replacements: list = REPLACEMENTS
               ) -> Iterator[tuple[tuple, object]]:
    """``data`` with one field replaced by each of ``replacements``, or deleted."""
    for path in _paths(data):
        if not path or len(path) > depth:
            continue
        for value in [*replacements, KeyError]:
            copied = copy.deepcopy(data)
            parent = copied
            for key in path[:-1]:
                parent = parent[key]
            if value is KeyError:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            yield path, copied


def _descriptor_rejected(data: object) -> bool:
    return not isinstance(data, dict) or any(
        f.severity is Severity.ERROR for f in validate_entity(data))


def _documents(*roots: Path, every_fixture: bool = False) -> list:
    """The documents of descriptors under ``roots``; with ``every_fixture``, of every YAML
    file in the fixtures, whatever its name."""
    repos = [Repository(r.name, r.resolve(), str(r)) for r in roots]
    if every_fixture:
        files = tuple(p.resolve() for p in sorted(FIXTURES.rglob("*.y*ml"))
                      if "formats" not in p.relative_to(FIXTURES).parts[:1])  # other vendors
        repos.append(Repository("fixtures", FIXTURES.resolve(), "fixtures", files))
    return crawl(repos).documents


def test_every_schema_is_a_valid_draft_2020_12_schema():
    for name in SCHEMA_NAMES:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)
        assert json.loads(schema_text(name)) == schema


def test_demo_and_fixture_descriptors_get_the_parsers_verdict_from_the_schema():
    validator = _validator("catalog-info")
    documents = _documents(DEMO_SOURCES.parent, FIXTURES, every_fixture=True)
    accepted = 0
    for doc in documents:
        rejected = _descriptor_rejected(doc.data)
        accepted += not rejected
        assert validator.is_valid(doc.data) is not rejected, (doc.file, doc.line)
    assert accepted > 100, accepted  # the demo and Backstage's examples, not just broken files


def test_schema_rejects_every_descriptor_mutation_the_parser_rejects():
    validator = _validator("catalog-info")
    one_per_kind = {}
    for doc in _documents(DEMO_SOURCES.parent):
        if not _descriptor_rejected(doc.data):
            one_per_kind.setdefault(doc.data["kind"].lower(), doc.data)
    assert len(one_per_kind) == 9  # every kind Paved Road knows
    checked = 0
    for data in one_per_kind.values():
        for path, mutated in _mutations(data):
            if _descriptor_rejected(mutated):
                checked += 1
                assert not validator.is_valid(mutated), (path, mutated)
    assert checked > 1000


def test_descriptor_with_a_text_substitution_validates_as_written():
    api = {"apiVersion": "backstage.io/v1alpha1", "kind": "API", "metadata": {"name": "orders"},
           "spec": {"type": "openapi", "lifecycle": "production", "owner": "team-a",
                    "definition": {"$text": "./openapi.yaml"}}}
    assert _validator("catalog-info").is_valid(api)
    api["spec"]["definition"] = {"$yaml": "./openapi.yaml"}  # would become a mapping
    assert not _validator("catalog-info").is_valid(api)


def test_schema_documents_the_pavedroad_annotations():
    annotations = load_schema("catalog-info")["$defs"]["metadata"]["properties"]["annotations"]
    assert "pavedroad.dev/previous-names" in annotations["properties"]
    assert "redirect" in annotations["properties"]["pavedroad.dev/previous-names"]["description"]


def _sources_rejected(tmp_path: Path, data: object) -> bool:
    """The parsers' verdict: sources.yaml's own, and the formats' settings in it."""
    path = tmp_path / "sources.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    sources, problems = load_sources(path)
    return bool(problems or parse_options(sources.settings, sources.settings_lines, None)[1])


FULL_SOURCES = {
    "sources": [{"path": "repos/*", "name": "x"}, {"file": "org/catalog-info.yaml"},
                {"git": "https://github.com/acme/payments.git", "ref": "v2.3.0",
                 "paths": ["services/api"], "name": "payments"},
                {"discover": "/srv/mirrors", "ref": "main", "paths": "docs"}],
    "descriptor_names": ["catalog-info.yaml"], "max_file_size": 1024,
    "cache_dir": "../.cache/pavedroad",
    "fetch": {"jobs": 8, "timeout": 300, "retries": 2, "keep_days": 30, "deadline": 600},
    "formats": ["backstage", "opslevel"], "owners_from_codeowners": "check",
    "kinds": {"AiResource": {"spec.model": {"type": "dependsOn", "kind": "resource"},
                             "dataset": "dependsOn"},
              "Pipeline": {"relations": {"spec.runsOn": "dependsOn"}}},
}


def test_sources_schema_accepts_the_demo_and_the_documented_example(tmp_path):
    validator = _validator("sources")
    assert validator.is_valid(yaml.safe_load(DEMO_SOURCES.read_text(encoding="utf-8")))
    assert not _sources_rejected(tmp_path, FULL_SOURCES)
    assert validator.is_valid(FULL_SOURCES)


def test_sources_schema_takes_every_setting_the_parsers_take(tmp_path):
    validator = _validator("sources")
    for extra in ({"formats": "cortex"}, {"owners_from_codeowners": False},
                  {"owners_from_codeowners": "off"}, {"kinds": {"Model": {}}}):
        data = {**FULL_SOURCES, **extra}
        assert not _sources_rejected(tmp_path, data) and validator.is_valid(data), extra
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = set(load_schema("sources")["properties"])
    for key in ("formats", "owners_from_codeowners", "kinds", "fetch", "cache_dir"):
        assert key in settings and f"{key}:" in readme, key  # documented and in the schema


def test_schema_rejects_every_sources_mutation_the_parser_rejects(tmp_path):
    validator = _validator("sources")
    checked = 0
    values = [None, 0, True, [], {}, " ", ["x y"], "../x", "-x", "*"]  # the parser's are slow
    for path, mutated in _mutations(FULL_SOURCES, replacements=values):
        if _sources_rejected(tmp_path, mutated):
            checked += 1
            assert not validator.is_valid(mutated), (path, mutated)
    assert checked > 100


def _rules_rejected(data: object) -> bool:
    return bool(parse_rules(data)[1])


def test_scorecards_schema_accepts_the_default_rules():
    data = yaml.safe_load(DEFAULT_RULES)
    assert not _rules_rejected(data)
    assert _validator("scorecards").is_valid(data)


def test_scorecards_schema_lists_every_check_with_its_parameters():
    rule = load_schema("scorecards")["$defs"]["rule"]
    assert rule["properties"]["check"]["enum"] == list(CHECKS)
    for condition in rule["allOf"]:
        check = CHECKS[condition["if"]["properties"]["check"]["const"]]
        params = condition["then"]["properties"]["params"]
        assert set(params["properties"]) == set(check.params)
        assert set(params.get("required", [])) == {k for k, req in check.params.items() if req}


@pytest.mark.parametrize("rule", [
    {"id": "codeowners", "level": "Gold", "check": "file-exists",
     "params": {"path": [".github/CODEOWNERS", "CODEOWNERS"]}},
    {"id": "tier", "level": "Silver", "check": "has-label", "params": {"key": "tier"},
     "title": "Has a tier", "description": "d", "fix": "f",
     "filter": {"kind": "component", "type": ["service", "website"], "lifecycle": "production",
                "tag": ["java"]}},
])
def test_schema_rejects_every_scorecards_mutation_the_parser_rejects(rule):
    validator = _validator("scorecards")
    data = {"rules": [rule]}  # with levels of its own, a rule's level is not a shape rule
    assert validator.is_valid(data) and not _rules_rejected(data)
    checked = 0
    for path, mutated in _mutations(data, depth=5):
        if _rules_rejected(mutated):
            checked += 1
            assert not validator.is_valid(mutated), (path, mutated)
    assert checked > 50


def test_schema_command_prints_the_shipped_schema(capsys):
    from generator.cli import main

    assert main(["schema", "sources"]) == 0
    assert json.loads(capsys.readouterr().out) == load_schema("sources")


def test_schema_command_names_the_schemas_when_the_name_is_wrong(capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["schema", "mkdocs"])
    assert exc.value.code == 2
    assert "catalog-info" in capsys.readouterr().err


def test_schemas_ship_in_the_package_data():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schemas/*.json"' in pyproject
