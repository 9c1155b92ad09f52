"""Bad input in every format: a located problem, and nothing else is lost."""

from __future__ import annotations

import pytest
from conftest import COMPONENT, GROUP, load_repo

GOOD = COMPONENT.format(name="good-service", owner="team-a") + "---\n" + GROUP.format(name="team-a")

# (file name, text with a wrong type, the key of the wrong type)
WRONG_TYPES = {
    "opslevel.yml": "version: 1\ncomponent:\n  name: cart\n  owner: team-a\n  tags: 12\n",
    "cortex.yaml": "openapi: 3.0.1\ninfo:\n  title: Cart\n  x-cortex-tag: cart\n"
                   "  x-cortex-groups: 12\n",
    "compass.yml": "configVersion: 1\nname: cart\ntypeId: SERVICE\nlinks: 12\n",
    "entity.datadog.yaml": "apiVersion: v3\nkind: service\nmetadata:\n  name: cart\n"
                           "  links: 12\n",
}
UNKNOWN_KEYS = {
    "opslevel.yml": "version: 1\ncomponent:\n  name: cart\n  ownr: team-a\n",
    "cortex.yaml": "openapi: 3.0.1\ninfo:\n  title: Cart\n  x-cortex-tag: cart\n"
                   "  x-cortex-ownrs: []\n",
    "compass.yml": "configVersion: 1\nname: cart\ntypeId: SERVICE\nownr: x\n",
    "service.datadog.yaml": "schema-version: v2.2\ndd-service: cart\nteem: team-a\n",
}
BACKSTAGE = COMPONENT.format(name="misnamed", owner="team-a")


def _only(run, code):
    found = [p for p in run.catalog.problems if p.code == code]
    assert found, f"no {code} in {[(p.code, p.message) for p in run.catalog.problems]}"
    return found[0]


def _good_survives(run):
    assert any(r.name == "good-service" for r in run.catalog.entities)


@pytest.mark.parametrize("name", sorted(WRONG_TYPES))
def test_wrong_type_is_located_and_the_entity_kept(make_repo, name):
    root = make_repo({f"svc/{name}": WRONG_TYPES[name], "catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _only(run, "wrong-type")
    assert problem.file.endswith(name)
    assert problem.line == WRONG_TYPES[name].count("\n")  # the last line holds the mistake
    assert "cart" in {r.name for r in run.catalog.entities}
    _good_survives(run)


@pytest.mark.parametrize("name", sorted(UNKNOWN_KEYS))
def test_unknown_key_is_a_located_warning(make_repo, name):
    root = make_repo({f"svc/{name}": UNKNOWN_KEYS[name], "catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _only(run, "unknown-field")
    assert problem.severity == "warning" and problem.file.endswith(name)
    assert problem.line == UNKNOWN_KEYS[name].count("\n")  # the last line holds the typo
    assert "cart" in {r.name for r in run.catalog.entities}
    _good_survives(run)


@pytest.mark.parametrize("name", ["opslevel.yml", "cortex.yaml", "compass.yml",
                                  "entity.datadog.yaml"])
def test_file_of_another_format_under_this_name(make_repo, name):
    root = make_repo({f"svc/{name}": BACKSTAGE, "catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _only(run, "wrong-format")
    assert problem.file.endswith(name) and problem.line == 1 and "Backstage" in problem.message
    assert "misnamed" not in {r.name for r in run.catalog.entities}
    _good_survives(run)


def test_opslevel_text_in_a_compass_file_names_the_format(make_repo):
    root = make_repo({"compass.yml": UNKNOWN_KEYS["opslevel.yml"], "catalog-info.yaml": GOOD})
    assert "OpsLevel" in _only(load_repo(root), "wrong-format").message


@pytest.mark.parametrize("name", ["opslevel.yml", "cortex.yaml", "compass.yml",
                                  "entity.datadog.yaml"])
def test_huge_file_is_refused(make_repo, name):
    root = make_repo({f"svc/{name}": "a: b\n" * 300_000, "catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _only(run, "file-too-large")
    assert problem.file.endswith(name)
    _good_survives(run)


@pytest.mark.parametrize("text", ["version: 1\ncomponent: [\n", "- a\n- b\n", "just text\n",
                                  "version: 1\ncomponent:\n  description: no name\n"])
def test_malformed_opslevel_file(make_repo, text):
    root = make_repo({"opslevel.yml": text, "catalog-info.yaml": GOOD})
    run = load_repo(root)
    assert any(p.file.endswith("opslevel.yml") and p.line for p in run.catalog.problems)
    _good_survives(run)


def test_unresolved_owner_and_dependency_are_named(make_repo):
    root = make_repo({"opslevel.yml": "version: 1\ncomponent:\n  name: cart\n"
                                      "  owner: nobody_team\n  dependencies:\n"
                                      "    - alias: ghost\n", "catalog-info.yaml": GOOD})
    run = load_repo(root)
    owner = _only(run, "unresolved-owner")
    assert "'nobody_team'" in owner.message and owner.line == 4
    dep = _only(run, "unresolved-dependency")
    assert "'ghost'" in dep.message and dep.line == 6
    _good_survives(run)


def test_plain_openapi_document_named_cortex_yaml(make_repo):
    root = make_repo({"cortex.yaml": "openapi: 3.0.1\ninfo:\n  title: Cart\npaths: {}\n",
                      "catalog-info.yaml": GOOD})
    problem = _only(load_repo(root), "wrong-format")
    assert "x-cortex-tag" in problem.message and problem.line == 1


def test_what_people_also_write_is_read(make_repo):
    root = make_repo({
        "a/opslevel.yaml": "version: 1\ncomponent:\n  name: cart\n  owner: team-a\n"
                           "  tags: {db: mongo}\n",
        "b/cortex.yaml": "openapi: 3.0.1\ninfo:\n  title: Pay\n  x-cortex-tag: pay\n"
                         "  x-cortex-dependency:\n    cortex:\n      - tag: cart\n",
        "c/service.datadog.yaml": "schema-version: '2.2'\ndd-service: ship\nteam: team-a\n",
        "catalog-info.yaml": GOOD})
    run = load_repo(root)
    cart = next(e for r, e in run.catalog.entities.items() if r.name == "cart")
    assert cart.tags == ["db:mongo"]
    pay = next(e for r, e in run.catalog.entities.items() if r.name == "pay")
    assert pay.spec["dependsOn"] == ["component:default/cart"]
    assert "unknown-version" not in {p.code for p in run.catalog.problems}
    assert "ship" in {r.name for r in run.catalog.entities}
