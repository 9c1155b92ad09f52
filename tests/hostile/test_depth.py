"""Deep nesting: one small file never kills check or build (issue 13, item 5)."""

from __future__ import annotations

import json

import pytest
from conftest import COMPONENT, load_repo, pavedroad

from generator.yamlfile import MAX_DEPTH, YamlError, iter_documents, nesting_depth

HEAD = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: deep}\nspec:\n"


def _block_nesting(levels: int) -> str:
    """``levels`` nested block mappings, no anchors (about 1 KB for 500 levels of flow)."""
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "x\n"


DEEP_DOCUMENTS = {
    "flow sequences": HEAD + "  x: " + "[" * 500 + "]" * 500 + "\n",
    "flow mappings": HEAD + "  x: " + "{a: " * 500 + "1" + "}" * 500 + "\n",
    "compact sequences": HEAD + "  x:\n" + "".join("  " * (i + 2) + "-\n" for i in range(500)),
    "block mappings": HEAD + "  " + _block_nesting(500).replace("\n", "\n  ").rstrip() + "\n",
    "nested in metadata": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                          "  name: deep\n  annotations: " + "[" * 600 + "]" * 600 + "\n",
}


@pytest.mark.parametrize("text", DEEP_DOCUMENTS.values(), ids=DEEP_DOCUMENTS.keys())
def test_deep_document_without_anchors_is_a_problem_not_a_crash(make_repo, text):
    root = make_repo({"catalog-info.yaml": text,
                      "ok/catalog-info.yaml": COMPONENT.format(name="good", owner="team-a")})
    run = load_repo(root)
    assert [r.name for r in run.catalog.entities] == ["good"]
    deep = [p for p in run.catalog.problems if p.code == "yaml-too-deep"]
    assert len(deep) == 1 and deep[0].line >= 1


def test_deep_descriptor_does_not_kill_check_or_export(make_repo):
    root = make_repo({"catalog-info.yaml": DEEP_DOCUMENTS["flow sequences"]})
    result = pavedroad("check", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"nested more than {MAX_DEPTH} levels deep" in result.stdout


@pytest.mark.parametrize("kind,body", [
    ("$json", "[" * 100_000 + "]" * 100_000),
    ("$json", json.dumps(json.loads("[" * 199 + "]" * 199))),
    ("$yaml", "[" * 3_000 + "]" * 3_000),
    ("$yaml", "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(400)) + "  x\n"),
])
def test_deep_substitution_is_a_problem_not_a_crash(make_repo, kind, body):
    # 199 levels deep is fine on its own, but not at spec.definition, two levels down
    root = make_repo({"catalog-info.yaml": HEAD + f"  definition:\n    {kind}: ./big\n",
                      "big": body})
    run = load_repo(root)
    assert "deep" in {r.name for r in run.catalog.entities}
    bad = [p for p in run.catalog.problems if p.code in ("invalid-substitution", "yaml-too-deep")]
    assert bad, [p.code for p in run.catalog.problems]
    assert next(iter(run.catalog.entities.values())).spec["definition"] is None


def test_depth_limit_holds_for_every_yaml_document():
    text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    with pytest.raises(YamlError) as exc:
        list(iter_documents(text))
    assert exc.value.code == "yaml-too-deep"
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert nesting_depth(next(iter_documents(ok)).data) == MAX_DEPTH


def test_mkdocs_yml_and_front_matter_are_depth_bounded(make_repo):
    from generator.docs import collect_docs

    root = make_repo({
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                             "  name: svc\n  annotations:\n    backstage.io/techdocs-ref: dir:.\n"
                             "spec: {type: service, lifecycle: production, owner: team-a}\n",
        "mkdocs.yml": "site_name: S\nextra: " + "[" * 800 + "]" * 800 + "\n",
        "docs/index.md": "---\ntitle: " + "[" * 800 + "]" * 800 + "\n---\n# Home\n"})
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    assert "index.md" in next(iter(docs.sites.values())).pages


def test_deep_history_and_catalog_json_are_problems_not_crashes(tmp_path, make_repo):
    from generator.history import load_history

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    _, problems = load_history(deep)
    assert [p.code for p in problems] == ["history-invalid"]
    root = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a")})
    result = pavedroad("check", "--catalog", str(deep), str(root))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is not a catalog.json export" in result.stderr
