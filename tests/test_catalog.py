"""The catalog: entities by ref, relations in both directions, and the queries over them."""

from __future__ import annotations

import pytest
from conftest import MakeRepo

from generator.catalog import Catalog, build_catalog
from generator.crawl import crawl
from generator.entities import Entity, parse_entities
from generator.problems import Severity
from generator.refs import parse_ref
from generator.relations import Relation
from generator.sources import Repository

ORG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: engineering
spec:
  type: department
  children: [payments, checkout]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  parent: engineering
  children: [fraud]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: fraud
spec:
  type: team
  parent: payments
  children: [engineering]   # a cycle back to the top
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: checkout
spec:
  type: team
  parent: engineering
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: website
  lifecycle: production
  owner: checkout
  dependsOn: [component:cart, resource:ghost-db]
  consumesApis: [cart-api]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  type: service
  lifecycle: production
  owner: group:default/checkout
  providesApis: [cart-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: cart-api
spec:
  type: openapi
  lifecycle: production
  owner: fraud
  definition: "openapi: 3.0.0"
"""


def _entities(make_repo: MakeRepo, text: str, name: str = "repo") -> list[Entity]:
    root = make_repo({"catalog-info.yaml": text}, name=name).resolve()
    found = crawl([Repository(name, root, name)])
    entities, problems = parse_entities(found.documents)
    assert found.problems == [] and problems == []
    return entities


@pytest.fixture
def catalog(make_repo) -> Catalog:
    return build_catalog(_entities(make_repo, ORG))


def _line(text: str) -> int:
    """The 1-based line of ``text`` in :data:`ORG`."""
    return ORG.splitlines().index(text) + 1


def R(text: str):
    return parse_ref(text, default_kind="component")


def test_entities_are_indexed_in_ref_order(catalog):
    assert [str(r) for r in catalog.entities] == [
        "api:default/cart-api", "component:default/cart", "component:default/web",
        "group:default/checkout", "group:default/engineering", "group:default/fraud",
        "group:default/payments"]
    assert len(catalog) == 7 and R("web") in catalog and catalog.get(R("nope")) is None
    assert [e.name for e in catalog.of_kind("Group")] == [
        "checkout", "engineering", "fraud", "payments"]
    assert catalog.kind_counts() == {"api": 1, "component": 2, "group": 4}


def test_every_relation_is_recorded_in_both_directions(catalog):
    assert catalog.related(R("web"), "ownedBy") == [R("group:checkout")]
    assert catalog.related(R("group:checkout"), "ownerOf") == [R("cart"), R("web")]
    assert catalog.related(R("cart"), "dependencyOf") == [R("web")]
    assert catalog.related(R("api:cart-api"), "apiConsumedBy") == [R("web")]
    assert catalog.related(R("api:cart-api"), "apiProvidedBy") == [R("cart")]
    for ref, relations in catalog.relations.items():
        assert relations == sorted(relations)
        for rel in relations:
            assert rel.source == ref
            assert rel.reverse() in catalog.relations[rel.target]


def test_a_reference_to_nothing_is_a_warning_at_its_line_and_kept_dangling(catalog):
    [missing] = catalog.problems
    assert (missing.code, missing.severity, missing.line, missing.entity) == (
        "missing-ref", Severity.WARNING, _line("  dependsOn: [component:cart, resource:ghost-db]"),
        "component:default/web")
    assert missing.message.startswith("spec.dependsOn.1: resource:default/ghost-db does not")
    assert Relation(R("resource:ghost-db"), "dependencyOf", R("web")) in \
        catalog.relations[R("resource:ghost-db")]


def test_missing_refs_can_be_errors_or_known_elsewhere(make_repo):
    entities = _entities(make_repo, ORG)
    strict = build_catalog(entities, missing_ref_severity=Severity.ERROR)
    assert [(p.code, p.severity) for p in strict.problems] == [("missing-ref", Severity.ERROR)]
    assert build_catalog(entities, known=[R("resource:ghost-db")]).problems == []


def test_the_first_definition_wins_and_the_second_is_an_error_naming_the_first(make_repo):
    first = _entities(make_repo, ORG, name="one")
    again = _entities(make_repo, ORG.split("---\n")[4].replace("website", "service"),
                      name="two")
    catalog = build_catalog([*first, *again])
    assert catalog.entities[R("web")].type == "website"
    [duplicate] = [p for p in catalog.problems if p.code == "duplicate-entity"]
    web_starts = _line("  name: web") - 3  # its document's first line
    assert duplicate.severity is Severity.ERROR and duplicate.repo == "two"
    assert f"already defined at {first[0].provenance.file}:{web_starts}, which keeps it" \
        in duplicate.message
    assert first[0].provenance.file.endswith("one/catalog-info.yaml")
    assert duplicate.file.endswith("two/catalog-info.yaml") and duplicate.line == 1


def test_an_unparsable_reference_is_an_error_and_no_relation(make_repo):
    text = ORG.replace("owner: group:default/checkout", "owner: 'group:'")
    catalog = build_catalog(_entities(make_repo, text))
    invalid = [p for p in catalog.problems if p.code == "invalid-ref"]
    assert [(p.severity, p.entity) for p in invalid] == [
        (Severity.ERROR, "component:default/cart")]
    assert invalid[0].message.startswith("spec.owner: ")
    assert catalog.related(R("cart"), "ownedBy") == []


def test_earlier_problems_are_carried_along(make_repo, catalog):
    before = catalog.problems
    carried = build_catalog(_entities(make_repo, ORG), problems=before)
    assert carried.problems == [*before, *before]


def test_descendant_groups_walk_breadth_first_and_survive_a_cycle(catalog):
    assert catalog.descendant_groups(R("group:engineering")) == [
        R("group:checkout"), R("group:payments"), R("group:fraud")]
    assert catalog.descendant_groups(R("group:payments")) == [
        R("group:fraud"), R("group:engineering"), R("group:checkout")]
    assert catalog.descendant_groups(R("group:checkout")) == []
    assert catalog.descendant_groups(R("group:unknown")) == []
