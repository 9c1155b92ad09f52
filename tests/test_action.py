"""The GitHub Action: its composite steps, run as GitHub runs them (bash -eo pipefail), with
the same inputs; ``uses:`` steps (setup-python) are the runner's and are left out."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import COMPONENT, GROUP, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
MATCHER = json.loads((ROOT / "action/problem-matcher.json").read_text(encoding="utf-8"))
_EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def run_action(inputs: dict[str, str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess:
    """Every ``run:`` step in order, stopping at the first that fails, like the runner."""
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    assert set(inputs) <= set(values), "unknown input"
    values.update(inputs)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PAVEDROAD_"))}
    env.update(GITHUB_ACTION_PATH=str(ROOT), RUNNER_TEMP=str(tmp), CI="true",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
               PAVEDROAD_CACHE=os.environ["PAVEDROAD_CACHE"])
    out, err = [], []
    result = None
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            assert step["uses"].startswith("actions/setup-python@")
            continue
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            step_env[key] = _EXPRESSION.sub(lambda m: values[m[1]], value)
            assert "${{" not in step_env[key], value
        assert "${{" not in step["run"], "steps read inputs through env, never inline"
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                 step["run"]], cwd=cwd, env=step_env, capture_output=True,
                                text=True, check=False)
        out.append(result.stdout)
        err.append(result.stderr)
        if result.returncode:
            break
    assert result is not None
    return subprocess.CompletedProcess(result.args, result.returncode, "".join(out),
                                       "".join(err))


def test_action_check_turns_problems_into_annotations(make_repo, tmp_path):
    repo = make_repo({"catalog-info.yaml": COMPONENT.format(name="bad name", owner="x")})
    result = run_action({"command": "check", "args": "--strict ."}, repo, tmp_path)
    assert result.returncode == 1
    assert "::error file=catalog-info.yaml,line=4::metadata.name 'bad name'" in result.stdout
    assert result.stdout.startswith("pavedroad ")  # the install step: already installed


def test_action_check_resolves_references_with_the_published_catalog(make_repo, tmp_path):
    catalog = [{"apiVersion": "backstage.io/v1alpha1", "kind": "Group",
                "metadata": {"name": "team-a", "namespace": "default"}, "spec": {}}]
    published = tmp_path / "published"
    published.mkdir()
    (published / "catalog.json").write_text(json.dumps(catalog))
    repo = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a")})
    alone = run_action({"args": "--strict ."}, repo, tmp_path)
    assert alone.returncode == 1 and "group:default/team-a does not exist" in alone.stdout
    url = (published / "catalog.json").as_uri()
    result = run_action({"args": "--strict .", "catalog-url": url}, repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_check_reports_breaking_api_changes_against_the_published_catalog(make_repo,
                                                                               tmp_path):
    api = ("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: orders-api}\n"
           "spec:\n  type: grpc\n  lifecycle: production\n  owner: team-a\n"
           "  definition: {$text: orders.proto}\n")
    old = 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n  int32 total = 2;\n}\n'
    catalog = [{"apiVersion": "backstage.io/v1alpha1", "kind": "API",
                "metadata": {"name": "orders-api", "namespace": "default"},
                "spec": {"type": "grpc", "lifecycle": "production", "owner": "team-a",
                         "definition": old},
                "relations": [{"type": "apiConsumedBy",
                               "targetRef": "component:default/checkout"}]},
               {"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
                "metadata": {"name": "checkout", "namespace": "default"}, "spec": {},
                "relations": [{"type": "ownedBy", "targetRef": "group:default/team-a"}]},
               {"apiVersion": "backstage.io/v1alpha1", "kind": "Group",
                "metadata": {"name": "team-a", "namespace": "default", "title": "Team A"},
                "spec": {}}]
    published = tmp_path / "published"
    published.mkdir()
    (published / "catalog.json").write_text(json.dumps(catalog))
    repo = make_repo({"catalog-info.yaml": api,
                      "orders.proto": old.replace("int32 total = 2;", "int32 total = 3;")})
    result = run_action({"args": ".", "catalog-url": (published / "catalog.json").as_uri()},
                        repo, tmp_path)
    assert result.returncode == 1
    assert ("::error file=orders.proto,line=4::api:default/orders-api: breaking change: "
            "number of field total of message Order changed from 2 to 3; breaks "
            "component:default/checkout (team Team A) [api:default/orders-api]") in \
        result.stdout


def test_action_with_an_unknown_command_fails_its_step_with_the_usage(tmp_path):
    result = run_action({"command": "deploy"}, tmp_path, tmp_path)
    assert result.returncode == 2
    assert "::error title=Paved Road::unknown command 'deploy'; use check or build" in \
        result.stdout
    assert result.stderr.startswith("usage: uses: paved-road@v1 with: {command: check|build")
    assert "pavedroad " not in result.stdout  # nothing after the failing step ran


def test_action_build_fetches_history_and_matches_problems_for_annotations(make_repo, tmp_path):
    portal = tmp_path / "portal"
    assert subprocess.run([sys.executable, "-m", "generator.cli", "init", str(portal)],
                          capture_output=True, check=False).returncode == 0
    make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="ghost")
               + "---\n" + GROUP.format(name="team-a")}, name="portal/repos/svc")
    sources = portal / "catalog-sources/sources.yaml"
    sources.write_text(sources.read_text().replace("sources: []", "sources:\n"
                                                   "  - path: ../repos/*"))
    published = tmp_path / "published"
    published.mkdir()
    history = {"entities": [{"ref": "component:default/gone", "kind": "Component",
                             "title": "gone", "owner": "group:default/team-a"}]}
    (published / "history.json").write_text(json.dumps(history))
    result = run_action({"command": "build", "args": "--site-dir public",
                         "catalog-url": (published / "catalog.json").as_uri()},
                        portal, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (portal / "public/catalog/default/component/gone/index.html").is_file()
    assert f"::add-matcher::{ROOT}/action/problem-matcher.json" in result.stdout
    assert result.stdout.rstrip().endswith("::remove-matcher owner=pavedroad::")
    pattern = MATCHER["problemMatcher"][0]["pattern"][0]
    matches = [m for line in result.stderr.splitlines()
               if (m := re.match(pattern["regexp"], line))]
    assert [(m[pattern["file"]], m[pattern["severity"]]) for m in matches] == [
        ("repos/svc/catalog-info.yaml", "warning")]  # from the workspace, where annotations look
    assert (portal / matches[0][pattern["file"]]).is_file()
    assert "group:default/ghost" in matches[0][pattern["message"]]
