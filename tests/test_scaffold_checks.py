"""``pavedroad check`` on templates: forms, steps, skeleton paths and expressions."""

from __future__ import annotations

import json

import yaml
from conftest import DEMO_SOURCES, FIXTURES, load_repo, pavedroad

from generator.scaffold.checks import template_problems


def template_repo(make_repo, spec: dict, files: dict | None = None):
    doc = {"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
           "metadata": {"name": "t"}, "spec": {"owner": "team", "type": "service", **spec}}
    return make_repo({"catalog-info.yaml": yaml.safe_dump(doc, sort_keys=False), **(files or {})})


def problems(make_repo, spec: dict, files: dict | None = None) -> list[tuple[str, str, str]]:
    run = load_repo(template_repo(make_repo, spec, files))
    return [(str(p.severity), p.code, p.message)
            for p in template_problems(run.catalog, run.repositories)]


def test_demo_and_backstage_templates_have_no_template_problems(tmp_path):
    result = pavedroad("check", "--format", "json", "--sources", str(DEMO_SOURCES))
    assert not [p for p in json.loads(result.stdout) if p["code"].startswith("template-")]
    for name in ("docs-template", "react-ssr-template", "pull-request"):
        run = load_repo(FIXTURES / "backstage-templates" / name)
        assert [p for p in template_problems(run.catalog, run.repositories)
                if p.severity != "info"] == [], name


def test_missing_skeleton_is_an_error_on_the_url_line(make_repo):
    spec = {"steps": [{"id": "fetch", "action": "fetch:template",
                       "input": {"url": "./skeleton"}}]}
    run = load_repo(template_repo(make_repo, spec))
    (problem,) = template_problems(run.catalog, run.repositories)
    assert (problem.severity, problem.code) == ("error", "template-skeleton")
    assert problem.message.startswith("skeleton ./skeleton does not exist (no directory ")
    assert problem.line == 9  # the step's line


def test_skeleton_outside_the_repository_is_an_error(make_repo):
    spec = {"steps": [{"id": "f", "action": "fetch:plain", "input": {"url": "../../etc"}}]}
    assert problems(make_repo, spec) == [
        ("error", "template-skeleton",
         "url ../../etc leaves the template's repository; skeletons must be inside it")]


def test_target_path_leaving_the_directory_is_an_error(make_repo):
    spec = {"steps": [{"id": "f", "action": "fetch:template",
                       "input": {"url": "./s", "targetPath": "../up"}}]}
    assert problems(make_repo, spec, {"s/a.txt": "a"}) == [
        ("error", "template-target-path", "targetPath '../up' leaves the target directory")]


def test_invalid_json_schema_is_an_error_naming_the_page_and_field(make_repo):
    spec = {"parameters": [{"properties": {"n": {"type": "strin"}}},
                           {"required": "name"}], "steps": []}
    found = problems(make_repo, spec)
    assert [code for _s, code, _m in found] == ["template-parameters", "template-parameters"]
    assert found[0][2].startswith("spec.parameters[0] is not valid JSON Schema at "
                                  "properties.n.type: 'strin' is not valid")
    assert found[1][2].startswith("spec.parameters[1] is not valid JSON Schema at required:")


def test_steps_without_action_and_duplicate_ids_are_errors(make_repo):
    spec = {"steps": [{"id": "a", "action": "debug:log"}, {"id": "a", "action": "debug:log"},
                      {"id": "b"}, "text"]}
    assert problems(make_repo, spec) == [
        ("error", "template-steps", "step id 'a' is used twice; later steps could not tell "
         "their outputs apart"),
        ("error", "template-steps", "steps[2] must be a mapping with an action"),
        ("error", "template-steps", "steps[3] must be a mapping with an action")]


def test_unknown_action_is_a_note(make_repo):
    spec = {"steps": [{"id": "x", "action": "acme:deploy"}]}
    assert problems(make_repo, spec) == [
        ("info", "template-action", "step x: action acme:deploy is not run by pavedroad new "
         "(it is listed with the next commands)")]


def test_broken_expressions_in_steps_and_skeleton_files_are_warnings(make_repo):
    spec = {"steps": [{"id": "f", "action": "fetch:template",
                       "input": {"url": "./s", "values": {"n": "${{ parameters.n | }}"}}}]}
    found = problems(make_repo, spec, {"s/ok.txt": "${{ values.n }}",
                                       "s/bad.txt": "line\n{% if values.n %}\n",
                                       "s/raw.yaml": "${{ github.sha"})
    codes = [(s, c) for s, c, _m in found]
    assert codes == [("warning", "template-syntax")] * 3
    messages = " | ".join(m for _s, _c, m in found)
    assert "steps.0.input, line 1: expected token 'name'" in messages
    assert "bad.txt, line 2" in messages and "copyWithoutTemplating" in messages


def test_check_command_reports_template_problems_with_file_and_line(make_repo):
    root = template_repo(make_repo, {"steps": [{"id": "f", "action": "fetch:template",
                                                "input": {"url": "./missing"}}]})
    result = pavedroad("check", str(root))
    assert result.returncode == 1
    assert "catalog-info.yaml:9: error: skeleton ./missing does not exist" in result.stdout
