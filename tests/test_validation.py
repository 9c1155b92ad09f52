from __future__ import annotations

import pytest

from generator.validation import (
    is_valid_annotation_key,
    is_valid_name,
    is_valid_namespace,
    is_valid_tag,
    validate_entity,
)


@pytest.mark.parametrize("name", ["a", "checkout-service", "A_b.c-9", "x" * 63])
def test_valid_names(name):
    assert is_valid_name(name)


@pytest.mark.parametrize("name", ["", "x" * 64, "-a", "a-", "invalid component", "a/b", 5, None])
def test_invalid_names(name):
    assert not is_valid_name(name)


@pytest.mark.parametrize(("key", "ok"), [
    ("backstage.io/techdocs-ref", True), ("pagerduty.com/service-id", True), ("tier", True),
    ("Bad_Prefix/x", False), ("a b", False), ("backstage.io/", False), ("/x", False),
])
def test_annotation_keys(key, ok):
    assert is_valid_annotation_key(key) is ok


@pytest.mark.parametrize(("tag", "ok"), [
    ("python", True), ("c++", True), ("c#", True), ("team:platform", True),
    ("go 1.15.3", False), ("Java", False), ("a--b", False), ("", False),
])
def test_tags(tag, ok):
    assert is_valid_tag(tag) is ok


def test_namespaces():
    assert is_valid_namespace("payments")
    assert not is_valid_namespace("Payments")
    assert not is_valid_namespace("pay_ments")


def _component(**spec_overrides):
    spec = {"type": "service", "lifecycle": "production", "owner": "team-a"}
    spec.update(spec_overrides)
    return {"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
            "metadata": {"name": "svc"}, "spec": {k: v for k, v in spec.items() if v is not ...}}


def _codes(entity):
    return [(".".join(map(str, f.path)), f.code) for f in validate_entity(entity)]


def test_valid_component_has_no_findings():
    assert validate_entity(_component()) == []


def test_missing_required_field_names_the_field():
    assert _codes(_component(owner=...)) == [("spec.owner", "missing-field")]


def test_wrong_type_names_the_field():
    assert _codes(_component(dependsOn="resource:db")) == [("spec.dependsOn", "wrong-type")]
    assert _codes(_component(lifecycle=True)) == [("spec.lifecycle", "wrong-type")]


def test_metadata_rules():
    entity = _component()
    entity["metadata"] = {
        "name": "svc", "title": 3, "tags": ["ok", "Not OK"],
        "annotations": {"bad key!": "x", "good/key": 1},
        "labels": {"tier": "not a name"},
        "links": [{"title": "no url"}, "nope"],
    }
    assert _codes(entity) == [
        ("metadata.title", "wrong-type"),
        ("metadata.labels.tier", "invalid-label-value"),
        ("metadata.annotations.bad key!", "invalid-annotation-key"),
        ("metadata.annotations.good/key", "invalid-annotation-value"),
        ("metadata.tags.1", "invalid-tag"),
        ("metadata.links.0.url", "missing-field"),
        ("metadata.links.1", "wrong-type"),
    ]


def test_unknown_api_version_for_known_kind():
    entity = _component()
    entity["apiVersion"] = "backstage.io/v9"
    assert _codes(entity) == [("apiVersion", "unknown-api-version")]


def test_unknown_kind_is_checked_for_standard_fields_only():
    findings = validate_entity({"apiVersion": "acme.com/v1", "kind": "Widget",
                                "metadata": {"name": "w"}, "spec": {"anything": 1}})
    assert findings == []
    findings = validate_entity({"apiVersion": "acme.com/v1", "kind": "Widget",
                                "metadata": {"name": "w"},
                                "spec": {"owner": 3, "dependsOn": "component:a"}})
    assert [(f.path, f.code) for f in findings] == [(("spec", "owner"), "wrong-type"),
                                                   (("spec", "dependsOn"), "wrong-type")]


@pytest.mark.parametrize(("kind", "spec", "missing"), [
    ("API", {"type": "openapi", "lifecycle": "production", "owner": "t"}, "spec.definition"),
    ("Resource", {"owner": "t"}, "spec.type"),
    ("System", {}, "spec.owner"),
    ("Domain", {}, "spec.owner"),
    ("Group", {"type": "team"}, "spec.children"),
    ("User", {}, "spec.memberOf"),
    ("Location", {}, "spec"),
])
def test_required_spec_fields_per_kind(kind, spec, missing):
    entity = {"apiVersion": "backstage.io/v1alpha1", "kind": kind, "metadata": {"name": "x"},
              "spec": spec}
    assert (missing, "missing-field") in _codes(entity)


def test_template_needs_scaffolder_api_version_and_steps():
    entity = {"apiVersion": "backstage.io/v1alpha1", "kind": "Template",
              "metadata": {"name": "t"}, "spec": {"type": "service", "steps": [{"id": "x"}]}}
    assert _codes(entity) == [("apiVersion", "unknown-api-version"),
                              ("spec.steps.0.action", "missing-field")]


def test_mcp_server_api_needs_no_definition():
    entity = {"apiVersion": "backstage.io/v1alpha1", "kind": "API", "metadata": {"name": "m"},
              "spec": {"type": "mcp-server", "lifecycle": "production", "owner": "t"}}
    assert validate_entity(entity) == []


@pytest.mark.parametrize(("url", "ok"), [
    ("https://grafana.example/d/1", True), ("http://x.example", True),
    ("mailto:oncall@example.com", True), ("HTTPS://X.EXAMPLE", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False), ("vbscript:x", False),
    ("//evil.example/x", False), ("/relative", False), ("https:", False),
    ("https://a.example/\njavascript:x", False), (" javascript:alert(1)", False), ("", False),
])
def test_safe_urls(url, ok):
    from generator.validation import is_safe_url

    assert is_safe_url(url) is ok


def test_unsafe_link_is_a_warning():
    entity = _component()
    entity["metadata"]["links"] = [{"url": "javascript:alert(1)", "title": "x"}]
    findings = validate_entity(entity)
    assert [(f.code, f.severity.value) for f in findings] == [("unsafe-link", "warning")]
