"""Template forms: defaults, branches, typed --set values, questions and jsonschema errors."""

from __future__ import annotations

import pytest

from generator.scaffold.parameters import (
    ParameterErrors,
    Parameters,
    ask,
    coerce,
    load_values,
    schema_problems,
    with_defaults,
)

FORM = [
    {"title": "Basics", "required": ["name", "kind"],
     "properties": {"name": {"title": "Name", "type": "string", "pattern": "^[a-z-]+$"},
                    "kind": {"type": "string", "enum": ["api", "web"], "default": "api"},
                    "replicas": {"type": "integer", "default": 2, "minimum": 1}},
     "dependencies": {"kind": {"oneOf": [
         {"properties": {"kind": {"enum": ["api"]},
                         "port": {"type": "integer", "default": 8080}}},
         {"properties": {"kind": {"enum": ["web"]},
                         "domain": {"type": "string"}}, "required": ["domain"]}]}}},
    {"title": "Owner", "required": ["owner"],
     "properties": {"owner": {"type": "string", "ui:field": "OwnerPicker",
                              "ui:options": {"catalogFilter": {"kind": "Group"}}},
                    "system": {"type": "string", "ui:field": "EntityPicker",
                               "ui:options": {"catalogFilter": [{"kind": "System"}]}}}},
]
KNOWN = {"group:default/checkout-team", "group:default/data-team", "system:default/checkout",
         "user:default/jane"}


def errors(values: dict, known=KNOWN) -> list[str]:
    try:
        Parameters(FORM, known).validate(with_defaults(FORM, values))
    except ParameterErrors as exc:
        return exc.messages
    return []


def test_defaults_fill_fields_and_the_branch_they_select():
    assert with_defaults(FORM, {"name": "x"}) == {"name": "x", "kind": "api", "replicas": 2,
                                                   "port": 8080}
    assert "port" not in with_defaults(FORM, {"name": "x", "kind": "web"})


def test_valid_values_pass():
    assert errors({"name": "shop", "owner": "checkout-team", "system": "checkout"}) == []


def test_each_error_names_its_field():
    assert errors({"name": "Shop", "kind": "web", "replicas": 0, "owner": "checkout-team"}) == [
        "parameter domain is required",
        "parameter name: 'Shop' does not match ^[a-z-]+$",
        "parameter replicas: 0 is less than the minimum of 1",
    ]


def test_wrong_type_is_reported_with_the_field():
    found = errors({"name": "shop", "replicas": "two", "owner": "checkout-team"})
    assert 'parameter replicas: "two" is not of type integer' in found


def test_pickers_are_checked_against_the_catalog_with_suggestions():
    found = errors({"name": "shop", "owner": "checkout-tem", "system": "payments"})
    assert "parameter owner: group:default/checkout-tem is not in the catalog; did you mean " \
        "group:default/checkout-team?" in found
    assert any(m.startswith("parameter system: system:default/payments is not in the catalog")
               for m in found)
    assert "parameter owner: user:default/jane is a user; OwnerPicker allows group" in errors(
        {"name": "shop", "owner": "user:jane"})


def test_without_a_catalog_pickers_are_checked_for_form_only_with_a_note():
    checker = Parameters(FORM, None)
    checker.validate(with_defaults(FORM, {"name": "shop", "owner": "anyone"}))
    assert checker.notes == ["parameter owner: group:default/anyone checked for form only "
                             "(no catalog at hand; pass --sources or --catalog to check it "
                             "exists)"]
    assert errors({"name": "shop", "owner": "bad ref!"}, None)[0].startswith(
        "parameter owner: 'bad ref!' is not an entity reference")


def test_unknown_values_are_noted_not_refused():
    checker = Parameters(FORM, KNOWN)
    checker.validate(with_defaults(FORM, {"name": "shop", "owner": "checkout-team", "extra": 1}))
    assert checker.notes == ["parameter extra is not in the template's form; it is passed on "
                             "as given"]


@pytest.mark.parametrize(("text", "schema", "expected"), [
    ("yes", {"type": "boolean"}, True),
    ("false", {"type": "boolean"}, False),
    ("12", {"type": "integer"}, 12),
    ("1.5", {"type": "number"}, 1.5),
    ("a,b", {"type": "array", "items": {"type": "string"}}, ["a", "b"]),
    ('["x", 1]', {"type": "array"}, ["x", 1]),
    ('{"a": 1}', {"type": "object"}, {"a": 1}),
    ("twelve", {"type": "integer"}, "twelve"),
    ("007", {"type": "string"}, "007"),
])
def test_set_values_take_the_fields_type(text, schema, expected):
    assert coerce(text, schema) == expected


def test_values_files_must_hold_a_mapping():
    assert load_values("name: x\nn: 1\n", "v.yaml") == {"name": "x", "n": 1}
    with pytest.raises(ParameterErrors, match="must hold a mapping"):
        load_values("- a\n", "v.yaml")
    with pytest.raises(ParameterErrors, match="is not YAML or JSON"):
        load_values("a: [", "v.yaml")


def test_questions_follow_the_form_and_ask_again_on_a_bad_answer():
    answers = iter(["Bad", "shop", "2", "", "shop.example", "checkout-team", ""])
    asked: list[str] = []
    out: list[str] = []

    def read(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    values = ask(FORM, {}, read, out.append)
    assert values == {"name": "shop", "kind": "web", "replicas": 2, "domain": "shop.example",
                      "owner": "checkout-team"}
    assert asked[0] == "Name *: "
    assert asked[1] == "Name *: "  # asked again: 'Bad' does not match the pattern
    assert asked[2] == "kind * [api]: "
    assert "    2) web\n" in out
    assert any("does not fit this field (^[a-z-]+$)" in line for line in out)


def test_invalid_schemas_are_reported_per_page():
    assert schema_problems({"parameters": [{"type": "object"}, {"properties": {"a": {
        "type": 5}}}]})[0][0] == 1
    assert schema_problems({"parameters": "text"}) == [
        (0, "spec.parameters must be an object or a list of objects")]
