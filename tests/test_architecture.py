"""The stages' import rules: no stage imports a later one, and no module imports itself back.

Read from the source with :mod:`ast`, so a rule broken inside a function or a
``TYPE_CHECKING`` block is found too; every module is also imported for real.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent / "generator"
MODULES = sorted(
    ".".join(("generator", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(
        ".__init__")
    for path in ROOT.rglob("*.py"))
EARLY = ("generator.docs", "generator.graph", "generator.impact", "generator.policies",
         "generator.history", "generator.urls")
"""Modules and packages that come before the pages stage (or serve every stage)."""
STAGES = (
    {"problems", "refs", "relations", "urls", "yamlfile", "progress", "validation", "contacts",
     "lazy", "problem_help", "sarif", "completion", "repofiles", "cachestore", "parallel",
     "memoslices", "treedigest"},
    {"sources", "git", "gitrefs", "gitlog", "gitlocal", "gitcache"},
    {"crawl", "parsecache"},
    {"entities", "formats"},
    {"catalog", "export"},
    {"pipeline", "catalogmemo"},
    {"golden_paths", "scaffold"},
    {"policies", "history", "adoption", "adoption_report"},
    {"graph", "impact"},
    {"scorecards", "changes"},
    {"docs", "apidefs", "apidiff"},
    {"pages", "schemas"},
    {"portal", "portalmemo", "memopages", "incremental", "check"},
    {"mkdocs", "site"},
    {"answers", "mcpserver"},
    {"cli", "init"},
)
"""The pipeline's stages in order (the first serve every stage); a module may import its
own stage and earlier ones, never a later one."""


def _source(module: str) -> Path:
    parts = module.split(".")[1:]
    package = ROOT.joinpath(*parts, "__init__.py")
    return package if package.is_file() else ROOT.joinpath(*parts).with_suffix(".py")


def _imports(module: str, *, top_level_only: bool) -> set[str]:
    """The generator modules ``module`` imports; with ``top_level_only``, only those run
    on import (not in functions, not under ``if TYPE_CHECKING``)."""
    tree = ast.parse(_source(module).read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            # ``from generator.graph import views`` imports the submodule too
            found.update(f"{node.module}.{a.name}" for a in node.names
                         if f"{node.module}.{a.name}" in MODULES)
    return {name for name in found if name in MODULES}


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports(module):
    importlib.import_module(module)


def test_early_stages_import_nothing_from_pages():
    offenders = {module: sorted(m for m in _imports(module, top_level_only=False)
                                if m.startswith("generator.pages"))
                 for module in MODULES
                 if module.startswith(EARLY)}
    assert {m: found for m, found in offenders.items() if found} == {}


def _stage(module: str) -> int:
    name = module.split(".")[1] if "." in module else ""
    return next((i for i, names in enumerate(STAGES) if name in names), len(STAGES))


def test_every_module_has_a_stage():
    unplaced = [m for m in MODULES if m != "generator" and _stage(m) == len(STAGES)]
    assert unplaced == [], "add each new module or package to STAGES, where the pipeline runs it"


def test_no_stage_imports_a_later_one():
    later = sorted((module, other) for module in MODULES
                   for other in _imports(module, top_level_only=False)
                   if _stage(other) > _stage(module))
    assert later == []


@pytest.mark.parametrize("top_level_only", [True, False], ids=["on-import", "any-import"])
def test_no_import_cycle_among_modules(top_level_only):
    """None when importing, and none either through type-only or function-local imports."""
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    graph.add_edges_from((module, other) for module in MODULES
                         for other in _imports(module, top_level_only=top_level_only)
                         if other != module)
    assert [sorted(c) for c in nx.simple_cycles(graph)] == []


def test_the_rules_see_imports():
    """The checks above would notice: the portal imports pages, pages import the graph."""
    assert "generator.pages" in _imports("generator.portal", top_level_only=True)
    assert "generator.graph.diagrams" in _imports("generator.pages.diagram_box",
                                                  top_level_only=True)
    assert "generator.pages.views" in _imports("generator.pages.features", top_level_only=False)


def test_every_module_is_small():
    """The project's habit: no module of the generator, its tests or benchmarks over 600
    lines (split by concern before that)."""
    root = Path(__file__).resolve().parent.parent
    sizes = {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8").count("\n")
             for folder in ("generator", "tests", "benchmarks")
             for path in (root / folder).rglob("*.py")}
    assert len(sizes) > 100
    assert {path: n for path, n in sizes.items() if n > 600} == {}
