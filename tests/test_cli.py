"""The command line as a pull-request check and a script would use it."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import COMPONENT, GROUP

from generator.cli import main

GOOD = COMPONENT.format(name="svc", owner="team-a") + "---\n" + GROUP.format(name="team-a")


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_check_clean_repository_exits_0(make_repo):
    root = make_repo({"catalog-info.yaml": GOOD})
    result = run_cli("check", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "2 entities" in result.stderr


def test_check_prints_file_line_severity_message(make_repo, monkeypatch, capsys):
    root = make_repo({"catalog-info.yaml": GOOD.replace("name: svc", "name: bad name")})
    monkeypatch.chdir(root)
    assert main(["check", "catalog-info.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("catalog-info.yaml:1: error: Component 'bad name' is left out")
    assert out[1].startswith("catalog-info.yaml:4: error: metadata.name 'bad name' is not a valid")


def test_warnings_pass_unless_strict(make_repo):
    root = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="ghost-team")})
    assert run_cli("check", str(root)).returncode == 0
    strict = run_cli("check", "--strict", str(root))
    assert strict.returncode == 1
    assert "warning: spec.owner: group:default/ghost-team does not exist" in strict.stdout


def test_catalog_option_supplies_known_entities(make_repo, tmp_path):
    org = make_repo({"catalog-info.yaml": GROUP.format(name="ghost-team")}, name="org")
    export = run_cli("export", "--sources", str(_sources(tmp_path, org)))
    assert export.returncode == 0, export.stderr
    (tmp_path / "catalog.json").write_text(export.stdout)
    svc = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="ghost-team")},
                    name="svc")
    result = run_cli("check", "--strict", "--catalog", str(tmp_path / "catalog.json"), str(svc))
    assert result.returncode == 0, result.stdout


def _sources(tmp_path, *repos):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + "".join(f"  - path: {r}\n" for r in repos))
    return path


def test_json_format(make_repo):
    root = make_repo({"catalog-info.yaml": GOOD.replace("owner: team-a", "owner: [x]")})
    result = run_cli("check", "--format", "json", str(root))
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert problems == [{
        "severity": "error", "file": problems[0]["file"], "line": 8,
        "entity": "component:default/svc",
        "message": "spec.owner must be a string, not a list", "code": "wrong-type",
    }]
    assert problems[0]["file"].endswith("catalog-info.yaml")


def test_github_format(make_repo, monkeypatch, capsys):
    root = make_repo({"catalog-info.yaml": GOOD.replace("owner: team-a", "owner: 'team-b'")
                      .replace("name: svc", "name: svc\n  description: 'a, b: c%'")})
    monkeypatch.chdir(root)
    assert main(["check", "--format", "github", "--strict", "."]) == 1
    out = capsys.readouterr().out
    assert "::warning file=catalog-info.yaml,line=9::spec.owner: group:default/team-b" in out


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("check", str(tmp_path / "missing")).returncode == 2
    assert run_cli("check", "--sources", str(tmp_path / "none.yaml")).returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("check", "--format", "xml").returncode == 2


def test_export_is_backstage_shaped_and_sorted(make_repo, tmp_path):
    root = make_repo({"catalog-info.yaml": GOOD})
    result = run_cli("export", "--sources", str(_sources(tmp_path, root)))
    entities = json.loads(result.stdout)["entities"]
    assert [(e["kind"], e["metadata"]["name"]) for e in entities] == [("Component", "svc"),
                                                                      ("Group", "team-a")]
    component = entities[0]
    assert component["apiVersion"] == "backstage.io/v1alpha1"
    assert component["metadata"]["namespace"] == "default"
    assert component["relations"] == [{"type": "ownedBy", "targetRef": "group:default/team-a"}]
    assert entities[1]["relations"] == [{"type": "ownerOf",
                                         "targetRef": "component:default/svc"}]
    again = run_cli("export", "--sources", str(_sources(tmp_path, root)))
    assert again.stdout == result.stdout


def test_sources_file_problems_are_reported(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - path: a\n  - nonsense: 1\n"
                                           "  - git: --upload-pack=touch\n")
    (tmp_path / "a").mkdir()
    result = run_cli("check", "--sources", str(tmp_path / "sources.yaml"))
    assert result.returncode == 1
    assert "sources.yaml:3: error: each source needs exactly one of" in result.stdout
    assert "sources.yaml:4: error: '--upload-pack=touch' is not a git URL" in result.stdout


def test_check_reports_what_the_build_would(make_repo):
    root = make_repo({
        "catalog-info.yaml": GROUP.format(name="team-a") + """\
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: a
  annotations: {backstage.io/techdocs-ref: "dir:."}
spec: {type: service, lifecycle: production, owner: team-a, dependsOn: [component:b]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: b}
spec: {type: service, lifecycle: deprecated, owner: team-a, dependsOn: [component:a]}
""",
        "mkdocs.yml": "site_name: A\n",
        "docs/index.md": "# A\n\nSee [the runbook](runbook.md).\n",
    })
    result = run_cli("check", "--strict", str(root))
    assert result.returncode == 1
    assert "is in a dependency cycle of" in result.stdout
    assert "whose lifecycle is deprecated" in result.stdout
    assert "runbook.md" in result.stdout


def test_version_prints_the_package_version():
    from importlib import metadata

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"pavedroad {metadata.version('pavedroad')}\n"


def test_every_command_help_ends_with_an_example_of_that_command(capsys):
    import pytest

    from generator.cli import _parser
    from generator.completion import commands

    names = [c.name for c in commands(_parser())]
    assert len(names) >= 10
    for name in names:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0, name
        example = capsys.readouterr().out.split("\nexample:\n", 1)[1]
        assert example.lstrip().startswith(("pavedroad ", "source <(pavedroad ")), name
        assert f"pavedroad {name}" in example, name
