"""Backstage's own validator test tables, replayed value by value.

The rows come from ``KubernetesValidatorFunctions.test.ts`` and
``CommonValidatorFunctions.test.ts`` of backstage/backstage (see
``tests/fixtures/PROVENANCE.md``). Each is checked against the predicate and,
for the fields of a descriptor, through the validation a real check runs.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from generator import validation
from generator.validation import validate_entity

TABLES = json.loads((FIXTURES / "backstage-validators" / "validator-tables.json")
                    .read_text(encoding="utf-8"))["tables"]

PREDICATES = {
    "KubernetesValidatorFunctions.isValidApiVersion": validation.is_valid_api_version,
    "KubernetesValidatorFunctions.isValidKind": validation.is_valid_kind,
    "KubernetesValidatorFunctions.isValidObjectName": validation.is_valid_name,
    "KubernetesValidatorFunctions.isValidNamespace": validation.is_valid_namespace,
    "KubernetesValidatorFunctions.isValidLabelKey": validation.is_valid_label_key,
    "KubernetesValidatorFunctions.isValidLabelValue": validation.is_valid_label_value,
    "KubernetesValidatorFunctions.isValidAnnotationKey": validation.is_valid_annotation_key,
    "KubernetesValidatorFunctions.isValidAnnotationValue": validation.is_valid_annotation_value,
    "CommonValidatorFunctions.isValidDnsSubdomain": validation.is_valid_dns_subdomain,
    "CommonValidatorFunctions.isValidDnsLabel": validation.is_valid_dns_label,
    "CommonValidatorFunctions.isValidUrl": validation.is_valid_url,
    "CommonValidatorFunctions.isValidString": validation.is_valid_string,
    "CommonValidatorFunctions.isValidPrefixAndOrSuffix (always-true checks)":
        lambda v: validation.is_valid_prefix_and_or_suffix(v, "/", bool, bool),
}

ROWS = [(table, value, expected) for table, data in TABLES.items()
        for value, expected in data["rows"]]


def _id(row: tuple) -> str:
    table, value, expected = row
    shown = repr(value) if len(repr(value)) < 40 else f"{repr(value)[:30]}…({len(value)})"
    return f"{table.split('.')[-1]}-{shown}-{expected}"


def test_every_table_has_a_predicate():
    assert set(TABLES) == set(PREDICATES)
    assert len(ROWS) >= 180


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_predicate_agrees_with_backstage(row):
    table, value, expected = row
    assert PREDICATES[table](value) is expected


def _entity(**metadata) -> dict:
    return {"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
            "metadata": {"name": "svc", **metadata},
            "spec": {"type": "service", "lifecycle": "production", "owner": "team-a"}}


DESCRIPTOR_FIELDS = {
    "KubernetesValidatorFunctions.isValidObjectName": lambda v: _entity(name=v),
    "KubernetesValidatorFunctions.isValidNamespace": lambda v: _entity(namespace=v),
    "KubernetesValidatorFunctions.isValidLabelKey": lambda v: _entity(labels={v: "x"}),
    "KubernetesValidatorFunctions.isValidLabelValue": lambda v: _entity(labels={"k": v}),
    "KubernetesValidatorFunctions.isValidAnnotationKey": lambda v: _entity(annotations={v: "x"}),
    "KubernetesValidatorFunctions.isValidAnnotationValue": lambda v: _entity(annotations={"k": v}),
}
FIELD_ROWS = [r for r in ROWS if r[0] in DESCRIPTOR_FIELDS and isinstance(r[1], str)
              and (r[0].endswith(("Key", "Value")) or r[1] != "")]


@pytest.mark.parametrize("row", FIELD_ROWS, ids=[_id(r) for r in FIELD_ROWS])
def test_descriptor_validation_agrees_with_backstage(row):
    table, value, expected = row
    errors = [f for f in validate_entity(DESCRIPTOR_FIELDS[table](value))
              if f.severity == "error"]
    assert (errors == []) is expected, errors
