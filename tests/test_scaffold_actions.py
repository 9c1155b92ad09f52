"""Every step action on real skeletons in a temporary repository, and the hostile ones."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from generator.scaffold.runner import run_steps
from generator.scaffold.template import load_template_file


def template(make_repo, steps: list, files: dict | None = None, output: dict | None = None,
             parameters: list | None = None):
    spec = {"owner": "platform-team", "type": "service", "parameters": parameters or [],
            "steps": steps}
    if output:
        spec["output"] = output
    doc = {"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
           "metadata": {"name": "t"}, "spec": spec}
    root = make_repo({"templates/t/template.yaml": yaml.safe_dump(doc, sort_keys=False),
                      **{f"templates/t/{k}": v for k, v in (files or {}).items()}})
    source, problems = load_template_file(root / "templates/t/template.yaml")
    assert problems == []
    return source


def run(make_repo, steps, files=None, parameters: dict | None = None, **kw):
    source = template(make_repo, steps, files, **kw)
    return run_steps(source, parameters or {}, "out")


def files_of(result) -> dict[str, str]:
    return {p: f.data.decode() for p, f in sorted(result.workspace.files.items())}


def errors(result) -> list[str]:
    return [p.message for p in result.problems if p.severity == "error"]


FETCH = {"id": "fetch", "action": "fetch:template",
         "input": {"url": "./skeleton", "values": {"name": "${{ parameters.name }}"}}}


def test_fetch_template_renders_names_and_contents(make_repo):
    result = run(make_repo, [FETCH], {
        "skeleton/${{ values.name }}/README.md": "# ${{ values.name }}\n",
        "skeleton/{% if values.docs %}docs{% endif %}/index.md": "docs\n",
        "skeleton/static.txt": "plain\n"}, {"name": "shop"})
    assert errors(result) == []
    assert files_of(result) == {"shop/README.md": "# shop\n", "static.txt": "plain\n"}


def test_fetch_template_with_extension_renders_only_njk_files(make_repo):
    step = {**FETCH, "input": {**FETCH["input"], "templateFileExtension": True,
                               "targetPath": "./sub"}}
    result = run(make_repo, [step], {"skeleton/a.txt.njk": "${{ values.name }}",
                                     "skeleton/b.txt": "${{ values.name }}"}, {"name": "x"})
    assert files_of(result) == {"sub/a.txt": "x", "sub/b.txt": "${{ values.name }}"}


def test_copy_without_templating_copies_contents_but_renders_names(make_repo):
    step = {**FETCH, "input": {**FETCH["input"],
                               "copyWithoutTemplating": [".github/workflows/*"]}}
    result = run(make_repo, [step], {
        "skeleton/.github/workflows/${{ values.name }}.yaml": "run: ${{ github.sha }}",
        "skeleton/app.txt": "${{ values.name }}"}, {"name": "ci"})
    assert files_of(result) == {".github/workflows/ci.yaml": "run: ${{ github.sha }}",
                                "app.txt": "ci"}


def test_copy_without_render_keeps_names_as_written(make_repo):
    step = {**FETCH, "input": {**FETCH["input"], "copyWithoutRender": ["raw/*"]}}
    result = run(make_repo, [step], {"skeleton/raw/${{ values.name }}.txt": "${{ x }}"},
                 {"name": "n"})
    assert files_of(result) == {"raw/${{ values.name }}.txt": "${{ x }}"}


def test_cookiecutter_compat_renders_plain_braces(make_repo):
    step = {**FETCH, "input": {**FETCH["input"], "cookiecutterCompat": True}}
    result = run(make_repo, [step], {"skeleton/{{ cookiecutter.name }}.md":
                                     "{{ cookiecutter.name | jsonify }}"}, {"name": "c"})
    assert files_of(result) == {"c.md": '"c"'}


def test_fetch_cookiecutter_renders_as_cookiecutter_would(make_repo):
    step = {"id": "cc", "action": "fetch:cookiecutter",
            "input": {"url": "./skeleton", "values": {"name": "${{ parameters.name }}"},
                      "copyWithoutRender": ["raw.txt"]}}
    result = run(make_repo, [step], {"skeleton/docs/{{ cookiecutter.name }}.md":
                                     "# {{ cookiecutter.name | title }}",
                                     "skeleton/raw.txt": "{{ kept }}"}, {"name": "guide"})
    assert files_of(result) == {"docs/guide.md": "# Guide", "raw.txt": "{{ kept }}"}


def test_skeletons_shared_between_templates_are_found_from_the_working_directory(
        make_repo, tmp_path, monkeypatch):
    doc = {"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
           "metadata": {"name": "t"}, "spec": {"owner": "o", "type": "service", "steps": [
               {"id": "f", "action": "fetch:template", "input": {"url": "../../skeletons/base"}}]}}
    root = make_repo({"templates/t/template.yaml": yaml.safe_dump(doc),
                      "skeletons/base/a.txt": "a"})
    monkeypatch.chdir(root)
    source, _ = load_template_file(root / "templates/t/template.yaml")
    assert sorted(run_steps(source, {}, "out").workspace.files) == ["a.txt"]


def test_binary_files_are_copied_byte_for_byte(make_repo):
    png = b"\x89PNG\r\n\x1a\n\x00${{ values.name }}"
    result = run(make_repo, [FETCH], {"skeleton/logo.png": png}, {"name": "x"})
    assert result.workspace.files["logo.png"].data == png


def test_executable_bit_is_kept(make_repo):
    source = template(make_repo, [FETCH], {"skeleton/run.sh": "#!/bin/sh\n"})
    os.chmod(source.file.parent / "skeleton/run.sh", 0o755)
    assert run_steps(source, {}, "out").workspace.files["run.sh"].executable


def test_plain_and_single_file_fetches(make_repo):
    steps = [{"id": "plain", "action": "fetch:plain", "input": {"url": "./files",
                                                                "targetPath": "copied"}},
             {"id": "one", "action": "fetch:plain:file",
              "input": {"url": "./files/a.txt", "targetPath": "single/a.txt"}},
             {"id": "tpl", "action": "fetch:template:file",
              "input": {"url": "./one.txt", "targetPath": "rendered.txt",
                        "values": {"n": "${{ parameters.n }}"}}}]
    result = run(make_repo, steps, {"files/a.txt": "${{ raw }}", "one.txt": "n=${{ values.n }}"},
                 {"n": 5})
    assert files_of(result) == {"copied/a.txt": "${{ raw }}", "rendered.txt": "n=5",
                                "single/a.txt": "${{ raw }}"}


def test_rename_delete_and_catalog_write(make_repo):
    steps = [FETCH,
             {"id": "mv", "action": "fs:rename",
              "input": {"files": [{"from": "a.txt", "to": "b/c.txt"}]}},
             {"id": "rm", "action": "fs:delete", "input": {"files": ["*.tmp", "gone.txt"]}},
             {"id": "cat", "action": "catalog:write",
              "input": {"entity": {"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
                                   "metadata": {"name": "${{ parameters.name }}"},
                                   "spec": {"type": "service", "owner": "team",
                                            "lifecycle": "experimental"}}}}]
    result = run(make_repo, steps, {"skeleton/a.txt": "a", "skeleton/x.tmp": "x"},
                 {"name": "svc"})
    assert errors(result) == []
    assert sorted(result.workspace.files) == ["b/c.txt", "catalog-info.yaml"]
    info = yaml.safe_load(result.workspace.files["catalog-info.yaml"].data)
    assert info["metadata"]["name"] == "svc"
    assert info["metadata"]["annotations"] == {
        "backstage.io/source-template": "template:default/t"}


def test_rename_onto_an_existing_file_needs_overwrite(make_repo):
    step = {"id": "mv", "action": "fs:rename",
            "input": {"files": [{"from": "a.txt", "to": "b.txt"}]}}
    result = run(make_repo, [FETCH, step], {"skeleton/a.txt": "a", "skeleton/b.txt": "b"})
    assert errors(result) == ["step mv (fs:rename): b.txt already exists (set overwrite: true "
                              "to replace it)"]


def test_debug_log_writes_message_and_workspace(make_repo):
    steps = [FETCH, {"id": "log", "action": "debug:log",
                     "input": {"message": "hello ${{ parameters.name }}", "listWorkspace": True}}]
    result = run(make_repo, steps, {"skeleton/a.txt": "a"}, {"name": "n"})
    assert "    hello n" in result.log
    assert "    workspace:\n  - a.txt" in result.log


def test_if_each_and_step_outputs(make_repo):
    steps = [{"id": "skip", "if": "${{ parameters.none }}", "action": "debug:log",
              "input": {"message": "never"}},
             {"id": "loop", "each": "${{ parameters.names }}", "if": "${{ each.value != 'b' }}",
              "action": "debug:log", "input": {"message": "${{ each.key }}:${{ each.value }}"}},
             {"id": "pub", "action": "publish:github",
              "input": {"repoUrl": "github.com?owner=o&repo=r"}},
             {"id": "after", "action": "debug:log",
              "input": {"message": "url=${{ steps['pub'].output.remoteUrl }}"}}]
    result = run(make_repo, steps, parameters={"names": ["a", "b", "c"]},
                 output={"links": [{"title": "Repo", "url": "${{ steps.pub.output.remoteUrl }}"}]})
    log = "\n".join(result.log)
    assert "[skip] skip (debug:log): skipped, its if is false" in log
    assert "[loop] loop (debug:log) [0]: 0:a" in log and "[2]: 2:c" in log and "1:b" not in log
    assert "url=<unavailable: steps.pub.output.remoteUrl>" in log
    assert result.output == ["Repo: <unavailable: steps.pub.output.remoteUrl>"]


def test_unknown_actions_are_listed_with_their_input(make_repo):
    steps = [{"id": "x", "action": "acme:deploy", "input": {"env": "${{ parameters.env }}"}}]
    result = run(make_repo, steps, parameters={"env": "prod"})
    assert errors(result) == []
    assert '# acme:deploy is not run by pavedroad new; run it yourself with {"env": "prod"}' \
        in result.commands


# ----------------------------------------------------------------- hostile templates

@pytest.mark.parametrize("target", ["../escape", "/etc", "a/../../b", "./.git/hooks"])
def test_target_path_leaving_the_directory_is_refused(make_repo, target):
    step = {**FETCH, "input": {**FETCH["input"], "targetPath": target}}
    result = run(make_repo, [step], {"skeleton/a.txt": "a"})
    assert len(errors(result)) == 1
    message = errors(result)[0]
    assert message.startswith(f"step fetch (fetch:template): targetPath {target!r} ")
    assert result.workspace.files == {}


@pytest.mark.parametrize("name", ["../../evil", "..", "a/../../b", ".git/config"])
def test_rendered_file_name_leaving_the_directory_is_refused(make_repo, name):
    result = run(make_repo, [FETCH], {"skeleton/${{ values.name }}/x.txt": "x"}, {"name": name})
    assert len(errors(result)) == 1
    assert "skeleton file '${{ values.name }}" in errors(result)[0]
    assert result.workspace.files == {}


def test_rendered_name_that_starts_at_the_root_is_skipped_as_backstage_does(make_repo, tmp_path):
    # Backstage reads a leading "/" as a path part that rendered empty ({% if %} off).
    result = run(make_repo, [FETCH], {"skeleton/${{ values.name }}/x.txt": "x"},
                 {"name": str(tmp_path / "evil")})
    assert errors(result) == []
    assert result.workspace.files == {}
    assert not (tmp_path / "evil").exists()


def test_skeleton_url_leaving_the_repository_is_refused(make_repo, tmp_path):
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret/key").write_text("k")
    step = {**FETCH, "input": {"url": "../../../secret"}}
    result = run(make_repo, [step])
    assert errors(result) == ["step fetch (fetch:template): url ../../../secret leaves the "
                              "template's repository; skeletons are read from inside it only"]


def test_missing_skeleton_is_an_error_naming_the_path(make_repo):
    result = run(make_repo, [FETCH])
    shown = os.path.join(os.path.dirname(result.problems[0].file), "skeleton")
    assert errors(result) == ["step fetch (fetch:template): skeleton ./skeleton does not exist "
                              f"(no directory {shown})"]


def test_symlinks_in_a_skeleton_are_not_followed(make_repo, tmp_path):
    source = template(make_repo, [FETCH], {"skeleton/a.txt": "a"})
    (tmp_path / "outside.txt").write_text("secret")
    os.symlink(tmp_path / "outside.txt", source.file.parent / "skeleton/link.txt")
    result = run_steps(source, {}, "out")
    assert sorted(result.workspace.files) == ["a.txt"]
    assert any("link.txt: a symbolic link, not copied" in p.message for p in result.problems)


def test_sandbox_escape_in_a_skeleton_stops_the_run(make_repo):
    result = run(make_repo, [FETCH], {"skeleton/a.txt": "${{ ''.__class__.__mro__ }}"})
    assert len(errors(result)) == 1
    assert "refused by the sandbox: access to attribute '__class__'" in errors(result)[0]


def test_first_failing_step_stops_the_run(make_repo):
    steps = [{"id": "bad", "action": "fs:rename", "input": {"files": "nope"}},
             {"id": "never", "action": "debug:log", "input": {"message": "x"}}]
    result = run(make_repo, steps)
    assert errors(result) == ["step bad (fs:rename): input files must be a list of {from, to}"]
    assert not any("never" in line for line in result.log)
    assert json.dumps(result.problems[0].to_dict())
