"""Graphviz fences in docs: a budget per page and per build, a cache by source (issue 13, 11).

Real Graphviz throughout; ``dot`` is counted by a shim on ``PATH`` that logs each run and
hands over to the real program.
"""

from __future__ import annotations

import os
import random
import shutil
import textwrap
import time
from pathlib import Path

import pytest
from conftest import DOCUMENTED, init_portal, load_repo, pavedroad

from generator.docs import FenceBudget, collect_docs, draw_fences, render_markdown
from generator.docs.graphviz import fence_key
from generator.docs.render import docs_dialect

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")

def slow_graph(seed: int) -> str:
    """A dense random graph of 150 nodes: ``dot`` takes well over a minute on it."""
    rnd = random.Random(seed)
    return "digraph {" + " ".join(f"n{rnd.randrange(150)} -> n{rnd.randrange(150)};"
                                  for _ in range(800)) + "}"


def fenced(*graphs: str) -> str:
    return "# Page\n\n" + "".join(f"```dot\n{g}\n```\n\n" for g in graphs)


def counting_dot(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose ``dot`` logs one line per run to the returned file."""
    shims = tmp_path / "shims"
    shims.mkdir()
    calls = tmp_path / "dot-calls"
    calls.touch()
    shim = shims / "dot"
    shim.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{shutil.which("dot")}" "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}, calls


def test_slow_fences_stop_at_the_page_and_build_budget_with_one_problem_per_page(make_repo):
    root = make_repo({"catalog-info.yaml": DOCUMENTED,
                      "docs/index.md": "# Home\n\n```dot\ndigraph { a -> b }\n```\n",
                      **{f"docs/slow{i}.md": fenced(slow_graph(2 * i), slow_graph(2 * i + 1))
                         for i in range(3)}})
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    start = time.monotonic()
    problems = draw_fences(docs, None, FenceBudget(page=1, build=2))
    elapsed = time.monotonic() - start
    assert elapsed < 8, elapsed  # six fences of over a minute each, stopped at 2 s in all
    assert sorted(p.file.rsplit("/", 2)[-2:][1] for p in problems) == \
        [f"slow{i}.md" for i in range(3)]
    assert {p.code for p in problems} == {"docs-graphviz-budget"}
    assert all("2 Graphviz graph(s) are shown as code" in p.message for p in problems)
    pages = next(iter(docs.sites.values())).pages
    html = render_markdown(pages["slow0.md"].markdown, docs_dialect(),
                           links=pages["slow0.md"].links).html
    assert html.count('class="language-dot"') == 2 and "<svg" not in html
    assert "took too long to draw" in html
    index = render_markdown(pages["index.md"].markdown, docs_dialect(),
                            links=pages["index.md"].links).html
    assert "<svg" in index and ">a</text>" in index


def test_a_fence_that_ran_out_of_time_is_not_tried_again_with_no_more_time(make_repo, tmp_path,
                                                                          monkeypatch):
    root = make_repo({"catalog-info.yaml": DOCUMENTED, "docs/index.md": fenced(slow_graph(7))})
    env, calls = counting_dot(tmp_path)
    monkeypatch.setenv("PATH", env["PATH"])
    run = load_repo(root)
    for _ in range(2):
        docs = collect_docs(run.catalog, run.repositories)
        problems = draw_fences(docs, tmp_path / "cache", FenceBudget(page=0.5, build=1))
        assert [p.code for p in problems] == ["docs-graphviz-budget"]
    assert calls.read_text().count("run") == 1


def test_fence_key_follows_the_source_and_the_dot_program(tmp_path, monkeypatch):
    key = fence_key("digraph { a }")
    assert key == fence_key("digraph { a }") != fence_key("digraph { b }")
    env, _ = counting_dot(tmp_path)
    monkeypatch.setenv("PATH", env["PATH"])
    assert fence_key("digraph { a }") != key  # another dot: drawn again


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    files = {f"docs/{name}": text for name, text in pages.items()}
    portal = init_portal(tmp_path, {"svc": {"catalog-info.yaml": DOCUMENTED, **files}})
    config = portal / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      sources: catalog-sources/sources.yaml",
        "      sources: catalog-sources/sources.yaml\n"
        "      graphviz: {page_seconds: 1, build_seconds: 3}"))
    return portal


def test_build_draws_fences_within_the_configured_budget_and_a_warm_build_runs_no_dot(tmp_path):
    portal = _project(tmp_path, {
        "index.md": fenced("digraph { api -> db }", "graph { x -- y }"),
        "slow.md": textwrap.dedent("""\
            # Slow

            !!! note
                Inside an admonition, too:

                ```dot
                {graph}
                ```
            """).replace("{graph}", slow_graph(3))})
    env, calls = counting_dot(tmp_path)
    env["PAVEDROAD_CACHE"] = str(tmp_path / "cache")
    pages = {}
    for build in range(2):
        site = tmp_path / f"site{build}"
        start = time.monotonic()
        result = pavedroad("build", "--site-dir", str(site), cwd=portal, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        assert time.monotonic() - start < 120
        assert result.stderr.count("docs-graphviz-budget") <= 1
        assert "svc/docs/slow.md" in result.stderr and "shown as code" in result.stderr
        if build == 0:
            first = calls.read_text().count("run")
            assert first >= 2  # the two fast fences (and the entity diagrams), the slow one
        docs = site / "docs" / "default" / "component" / "svc"
        pages[build] = {name: (docs / name / "index.html").read_text()
                        for name in ("", "slow")}
        assert pages[build][""].count("pr-docs-diagram") == 2
        assert ">api</text>" in pages[build][""]
        assert "took too long to draw" in pages[build]["slow"]
    assert calls.read_text().count("run") == first  # warm: dot ran zero times
    assert pages[0] == pages[1]
