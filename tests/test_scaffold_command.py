"""``pavedroad new``: the demo's templates and Backstage's published ones, run for real."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import DEMO_SOURCES, FIXTURES, pavedroad

TEMPLATES = FIXTURES / "backstage-templates"
PYTHON_SERVICE = ["--set", "name=gift-cards", "--set", "description=Sells gift cards",
                  "--set", "owner=checkout-team", "--set", "system=checkout",
                  "--set", "database=postgres",
                  "--set", "repoUrl=github.com?owner=northwind&repo=gift-cards"]


def new(tmp_path, *args: str):
    return pavedroad("new", "--sources", str(DEMO_SOURCES), *args, cwd=tmp_path)


@pytest.fixture(scope="module")
def demo_catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "catalog.json"
    result = pavedroad("export", "--sources", str(DEMO_SOURCES))
    out.write_text(result.stdout)
    return out


def test_python_service_writes_every_skeleton_file_rendered(tmp_path):
    result = new(tmp_path, "python-service", *PYTHON_SERVICE)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "gift-cards"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        "app/main.py", "catalog-info.yaml", "docs/index.md", "mkdocs.yml"]
    main = (root / "app/main.py").read_text()
    assert main.startswith('"""gift-cards - Sells gift cards"""\n')
    assert "from pyservice_kit.checks import postgres_check\n" in main
    assert 'create_app(service="gift-cards")' in main
    assert (root / "mkdocs.yml").read_text() == (
        "site_name: gift-cards\nsite_description: Sells gift cards\nnav:\n  - Overview: index.md\n")
    info = yaml.safe_load((root / "catalog-info.yaml").read_text())
    assert info["metadata"]["tags"] == ["python", "fastapi", "postgres"]
    assert info["metadata"]["labels"] == {"tier": "3"}
    assert info["metadata"]["annotations"]["github.com/project-slug"] == "northwind/gift-cards"
    assert info["spec"]["system"] == "checkout"
    assert "Wrote 4 files to gift-cards/" in result.stdout


def test_generated_catalog_info_passes_check_and_names_its_template(tmp_path, demo_catalog):
    assert new(tmp_path, "python-service", *PYTHON_SERVICE).returncode == 0
    check = pavedroad("check", "--strict", "--catalog", str(demo_catalog), "gift-cards",
                      cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    info = yaml.safe_load((tmp_path / "gift-cards/catalog-info.yaml").read_text())
    assert info["metadata"]["annotations"]["backstage.io/source-template"] == \
        "template:default/python-service"


def test_remote_steps_are_printed_as_the_commands_to_run(tmp_path):
    result = new(tmp_path, "python-service", *PYTHON_SERVICE)
    out = result.stdout
    assert "[publish] Create GitHub repository (publish:github): not run here" in out
    assert "git init -b main && git add -A && git commit -m 'initial commit'" in out
    assert "gh repo create northwind/gift-cards --internal --description 'Sells gift cards'" in out
    assert "git remote add origin https://github.com/northwind/gift-cards.git" in out
    assert "add `- git: https://github.com/northwind/gift-cards.git` to sources.yaml" in out
    assert "Repository: <unavailable: steps.publish.output.remoteUrl>" in out


def test_dry_run_prints_the_tree_with_sizes_and_writes_nothing(tmp_path):
    result = new(tmp_path, "postgres-database", "--dry-run", "--set", "name=gift-cards-db",
                 "--set", "owner=checkout-team", "--set", "system=checkout")
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    lines = result.stdout.splitlines()
    tree = lines[lines.index("Would write 2 files:") + 1:][:5]
    assert tree[0] == "gift-cards-db/"
    assert tree[1] == "└── databases/"
    assert tree[2] == "    └── gift-cards-db/"
    assert tree[3].startswith("        ├── catalog-info.yaml  (") and tree[3].endswith(" B)")
    assert tree[4].startswith("        └── main.tf  (")
    assert "[fetch] Render Terraform (fetch:template): 2 files from" in result.stdout
    assert "gh pr create --title 'Add RDS PostgreSQL database gift-cards-db'" in result.stdout


def test_booleans_render_as_javascript_prints_them(tmp_path):
    assert new(tmp_path, "postgres-database", "db", "--set", "name=orders-db", "--set",
               "owner=checkout-team", "--set", "system=checkout").returncode == 0
    main = (tmp_path / "db/databases/orders-db/main.tf").read_text()
    assert "  multi_az       = false\n" in main
    assert 'module "orders_db" {' in main


def test_list_shows_each_template_with_its_owner_and_path_count(tmp_path):
    result = new(tmp_path, "--list")
    assert result.returncode == 0, result.stderr
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in result.stdout.splitlines()}
    assert rows["template:default/python-service"][0] == "Python service (FastAPI)"
    assert rows["template:default/python-service"][1] == "owner: platform-team"
    assert rows["template:default/python-service"][2].endswith("services on this path")


def test_react_ssr_template_from_backstage_renders_dump_and_if(tmp_path):
    result = pavedroad("new", str(TEMPLATES / "react-ssr-template/template.yaml"), "web",
                       "--sources", "none.yaml", "--set", "component_id=web",
                       "--set", "owner=group:default/web-team", "--set", "description=Shop",
                       "--set", "repoUrl=github.com?owner=acme&repo=web", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "web/catalog-info.yaml").read_text()
    assert '  name: "web"\n  description: "Shop"\n' in text
    assert "    github.com/project-slug: acme/web\n" in text
    info = yaml.safe_load(text)
    assert info["metadata"]["annotations"]["backstage.io/source-template"] == \
        "template:default/react-ssr-template"
    package = json.loads((tmp_path / "web/package.json").read_text())
    assert package["name"] == "web" and package["description"] == "Shop"
    files = {p.relative_to(tmp_path / "web").as_posix() for p in (tmp_path / "web").rglob("*")
             if p.is_file()}
    skeleton = {p.relative_to(TEMPLATES / "react-ssr-template/skeleton").as_posix()
                for p in (TEMPLATES / "react-ssr-template/skeleton").rglob("*") if p.is_file()}
    assert files == skeleton
    assert "checked for form only" in result.stderr


def test_react_ssr_template_without_description_leaves_the_line_out(tmp_path):
    result = pavedroad("new", str(TEMPLATES / "react-ssr-template"), "web", "--sources",
                       "none.yaml", "--set", "component_id=web", "--set", "owner=group:web",
                       "--set", "repoUrl=github.com?owner=acme&repo=web", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "web/catalog-info.yaml").read_text()
    assert "description" not in text
    assert yaml.safe_load(text)["metadata"]["name"] == "web"


def test_pull_request_template_hands_the_url_fetch_and_the_pull_request_over(tmp_path):
    result = pavedroad("new", str(TEMPLATES / "pull-request/template.yaml"), "--dry-run",
                       "--sources", "none.yaml", "--set", "name=pr",
                       "--set", "repoUrl=github.com?owner=acme&repo=site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[fetch-docs] Fetch Docs (fetch:plain): not run here" in out
    assert "fetch https://github.com/backstage/community/tree/main/backstage-community-sessions" \
        " into pr/community" in out
    assert "git checkout -b create-pr" in out
    assert "gh pr create --title 'Create new project: pr'" in out
    assert "Would write 1 file:" in out


def test_docs_template_parse_repo_url_fills_the_project_slug(tmp_path):
    result = pavedroad("new", str(TEMPLATES / "docs-template"), "docs", "--sources", "none.yaml",
                       "--set", "name=handbook", "--set", "description=Our handbook",
                       "--set", "owner=group:docs-team",
                       "--set", "repoUrl=github.com?owner=acme&repo=handbook", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = yaml.safe_load((tmp_path / "docs/catalog-info.yaml").read_text())
    assert info["metadata"]["annotations"]["github.com/project-slug"] == "acme/handbook"
    assert info["spec"]["owner"] == "group:docs-team"


def test_missing_and_wrong_parameters_are_named_and_nothing_is_written(tmp_path):
    result = new(tmp_path, "python-service", "--set", "name=Bad Name", "--set", "owner=nobody",
                 "--set", "tier=7")
    assert result.returncode == 1
    err = result.stderr
    assert "parameter description is required" in err
    assert "parameter repoUrl is required" in err
    assert "parameter name: 'Bad Name' does not match ^[a-z][a-z0-9-]{2,40}$" in err
    assert 'parameter tier: "7" is not one of "1", "2", "3"' in err
    assert "parameter owner: group:default/nobody is not in the catalog" in err
    assert list(tmp_path.iterdir()) == []


def test_wrong_parameter_type_is_an_error_naming_the_field(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("name: orders-db\nowner: checkout-team\nsystem: checkout\n"
                      "multiAz: 'yes please'\n")
    result = new(tmp_path, "postgres-database", "--values", str(values), "--dry-run")
    assert result.returncode == 1
    assert 'parameter multiAz: "yes please" is not of type boolean' in result.stderr


def test_non_empty_target_directory_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "gift-cards"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = new(tmp_path, "python-service", *PYTHON_SERVICE)
    assert result.returncode == 1
    assert "gift-cards is not empty; choose a new directory (nothing was written)" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_unknown_template_is_a_usage_error_with_suggestions(tmp_path):
    result = new(tmp_path, "python-servce")
    assert result.returncode == 2
    assert "template:default/python-servce is not in the catalog; did you mean " \
        "template:default/python-service?" in result.stderr


HOSTILE = """\
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: hostile
spec:
  owner: team
  type: service
  parameters:
    - required: [name]
      properties:
        name: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: ${{ parameters.name }}
"""


def _hostile(make_repo, skeleton: dict) -> str:
    root = make_repo({"template.yaml": HOSTILE,
                      **{f"skeleton/{k}": v for k, v in skeleton.items()}}, name="tpl")
    return str(root / "template.yaml")


def test_huge_output_is_stopped_with_a_problem_and_nothing_written(make_repo, tmp_path):
    template = _hostile(make_repo, {"big.txt": "{% for i in range(100000) %}${{ 'x' * 1000 }}"
                                               "{% endfor %}", "ok.txt": "ok"})
    result = pavedroad("new", template, "out", "--sources", "none.yaml", "--set", "name=a",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "step fetch (fetch:template):" in result.stderr
    assert "big.txt: stopped: output beyond 10,485,760 characters" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_sandbox_escape_is_a_problem_not_a_traceback(make_repo, tmp_path):
    template = _hostile(make_repo, {"a.txt": "${{ '' | attr('__class__') }}",
                                    "b.txt": "${{ values.name.__class__.__init__ }}"})
    result = pavedroad("new", template, "out", "--sources", "none.yaml", "--set", "name=a",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "a.txt, line 1: No filter named 'attr'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_file_name_traversal_from_a_parameter_is_refused(make_repo, tmp_path):
    template = _hostile(make_repo, {"${{ values.name }}/x.txt": "x"})
    result = pavedroad("new", template, "out", "--sources", "none.yaml",
                       "--set", "name=../../escaped", cwd=tmp_path)
    assert result.returncode == 1
    assert "leaves the target directory" in result.stderr
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "out").exists()


def test_missing_skeleton_via_the_command_line(make_repo, tmp_path):
    root = make_repo({"template.yaml": HOSTILE}, name="tpl")
    result = pavedroad("new", str(root / "template.yaml"), "--dry-run", "--sources", "none.yaml",
                       "--set", "name=a", cwd=tmp_path)
    assert result.returncode == 1
    assert "step fetch (fetch:template): skeleton ./skeleton does not exist" in result.stderr
