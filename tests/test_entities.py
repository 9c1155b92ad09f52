"""Entities: crawled documents become typed entities, or problems when their identity fails."""

from __future__ import annotations

from conftest import MakeRepo

from generator.crawl import crawl
from generator.entities import Entity, parse_entities, parse_entity
from generator.problems import Problem, Severity
from generator.refs import EntityRef
from generator.sources import Repository

SERVICE = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Payments
  title: "  "
  description: [not, text]
  tags: [java, "Not A Tag!", payments]
  labels: {tier: "1", replicas: 3}
  annotations: {pagerduty.com/service-id: PX1, broken: {nested: true}}
  links:
    - {url: https://runbooks.example.com/payments, title: Runbook, type: runbook, icon: 7}
    - {title: no url}
    - just text
spec:
  type: service
  lifecycle: "  "
  owner: team-a
  dependsOn:
    - component:ledger
    - 42
    - resource:payments-db
status: {items: []}
relations: [{type: ownedBy, targetRef: group:default/someone-else}]
x-extra: kept
"""


def _parse(make_repo: MakeRepo, text: str) -> tuple[list[Entity], list[Problem]]:
    root = make_repo({"catalog-info.yaml": text}).resolve()
    found = crawl([Repository("repo", root, "repo")])
    assert found.problems == []
    return parse_entities(found.documents)


def test_a_valid_identity_keeps_the_entity_despite_other_problems(make_repo):
    [entity], problems = _parse(make_repo, SERVICE)
    assert entity.ref == EntityRef("component", "default", "payments")
    assert (entity.kind, entity.name, entity.namespace) == ("Component", "Payments", "default")
    assert entity.metadata["namespace"] == "default"  # filled in, as Backstage does
    tag = [p for p in problems if "Not A Tag!" in p.message]
    assert tag and all(p.entity == "component:default/payments" for p in problems)
    assert tag[0].line == SERVICE.splitlines().index('  tags: [java, "Not A Tag!", payments]') + 1


def test_accessors_return_only_well_typed_values(make_repo):
    [entity], _ = _parse(make_repo, SERVICE)
    assert entity.title == "Payments"  # a blank title falls back to the name
    assert entity.description == ""
    assert entity.tags == ["java", "payments"]
    assert entity.labels == {"tier": "1"}
    assert entity.annotations == {"pagerduty.com/service-id": "PX1"}
    assert entity.links == [{"url": "https://runbooks.example.com/payments",
                             "title": "Runbook", "type": "runbook"}]
    assert (entity.type, entity.lifecycle) == ("service", None)
    assert entity.spec_list("dependsOn") == ["component:ledger", "resource:payments-db"]
    assert entity.spec_list("owner") == [] and entity.spec_str("dependsOn") is None


def test_lines_point_at_the_field_or_its_nearest_parent(make_repo):
    [entity], _ = _parse(make_repo, SERVICE)
    lines = SERVICE.splitlines()
    assert entity.line_of(("spec", "dependsOn", 2)) == lines.index("    - resource:payments-db") + 1
    assert entity.line_of(("spec", "owner")) == lines.index("  owner: team-a") + 1
    assert entity.line_of(("spec", "nothing", 0)) == lines.index("spec:") + 1
    assert entity.line_of(("metadata", "name")) == entity.provenance.line == 1


def test_provenance_names_the_repository_file_and_document_line(make_repo):
    entities, _ = _parse(make_repo, SERVICE + "---\n" + SERVICE.replace("Payments", "ledger"))
    assert [(e.provenance.repo, e.provenance.path, e.provenance.line) for e in entities] == [
        ("repo", "catalog-info.yaml", 1),
        ("repo", "catalog-info.yaml", SERVICE.count("\n") + 2)]
    assert entities[1].provenance.file.endswith("repo/catalog-info.yaml")


def test_backstage_shape_keeps_extra_fields_and_drops_relations_and_status(make_repo):
    [entity], _ = _parse(make_repo, SERVICE)
    shape = entity.to_backstage()
    assert list(shape) == ["apiVersion", "kind", "metadata", "x-extra", "spec"]
    assert shape["x-extra"] == "kept" and shape["spec"]["owner"] == "team-a"
    [location], _ = _parse(make_repo, "apiVersion: backstage.io/v1alpha1\nkind: Location\n"
                                      "metadata: {name: here}\n")
    assert "spec" not in location.to_backstage()


def test_a_broken_identity_leaves_the_entity_out_with_a_reason(make_repo):
    text = SERVICE.replace("name: Payments", "name: -bad-") + "---\n- a list\n---\n" + \
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {}\n"
    entities, problems = _parse(make_repo, text)
    assert entities == []
    codes = [(p.code, p.severity) for p in problems if p.code in (
        "invalid-name", "entity-skipped", "not-a-mapping")]
    assert codes == [("invalid-name", Severity.ERROR), ("entity-skipped", Severity.ERROR),
                     ("not-a-mapping", Severity.ERROR), ("entity-skipped", Severity.ERROR)]
    skipped = [p for p in problems if p.code == "entity-skipped"]
    assert skipped[0].message.startswith("Component '-bad-' is left out of the catalog")
    assert skipped[1].message.startswith("this document is left out")
    assert all(p.entity is None for p in problems)


def test_one_document_parses_alone(make_repo):
    root = make_repo({"catalog-info.yaml": SERVICE}).resolve()
    [doc] = crawl([Repository("repo", root, "repo")]).documents
    entity, problems = parse_entity(doc)
    assert entity is not None and entity.ref.name == "payments"
    assert problems == _parse(make_repo, SERVICE)[1]


def test_entities_pickle_with_every_field():
    """Entity and Provenance pickle as their fields (the crawl's forked half sends them):
    a new field must be added to their ``__reduce__``."""
    import dataclasses
    import pickle

    from generator.entities import Entity, Provenance
    from generator.refs import EntityRef

    provenance = Provenance("r", "p.yaml", 3, "repos/r/p.yaml", "u", "main", "c0ffee", True,
                            "opslevel", (("owner", "CODEOWNERS", 1, "from CODEOWNERS"),))
    entity = Entity(EntityRef("component", "default", "a"), "v1", "Component",
                    {"name": "a"}, {"owner": "t"}, provenance, {"status": 1},
                    {("spec", "owner"): 4})
    for value in (provenance, entity):
        copy = pickle.loads(pickle.dumps(value))
        for f in dataclasses.fields(value):
            default = f.default if f.default_factory is dataclasses.MISSING else \
                f.default_factory()
            assert getattr(value, f.name) != default, f"{f.name}: set a non-default value here"
            assert getattr(copy, f.name) == getattr(value, f.name), f.name
