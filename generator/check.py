"""``pavedroad check``: what the build would also report, without rendering anything.

Problems join in one place, :func:`assemble_problems`, which the build
(:mod:`generator.portal`) uses too, so both report the same list. Only what
checking needs is imported: no page, theme or template machinery, so the
pre-commit hook starts fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.adoption import build_date
from generator.docs.collect import collect_docs
from generator.graph.needs import has_cycle, needs_edges
from generator.policies import catalog_problems
from generator.scorecards import find_rules

if TYPE_CHECKING:
    import datetime

    from generator.catalog import Catalog
    from generator.pipeline import CatalogRun
    from generator.problems import Problem
    from generator.refs import EntityRef
    from generator.sources import Repository

__all__ = ["assemble_problems", "check_problems"]


def check_problems(run: CatalogRun, sources_file: Path | None = None) -> list[Problem]:
    """What the build would also report, without rendering anything (``pavedroad check``).

    The catalog policies (lookups, unstable dependencies, dependency cycles,
    templates) and repository docs; with ``sources_file``, the organisation's scorecard rules too.
    """
    catalog = run.catalog
    rules = find_rules(sources_file)[1] if sources_file is not None else []
    docs = collect_docs(catalog, run.repositories, max_file_size=run.max_file_size)
    cycles: list[list[EntityRef]] = []
    loops: dict[EntityRef, str] = {}
    if has_cycle(needs_edges(catalog)):  # networkx (slow to import) only for a real cycle
        from generator.graph import build_graph, cycle_loops, dependency_cycles, dependency_graph

        deps = dependency_graph(build_graph(catalog))
        cycles = dependency_cycles(deps)
        loops = {ref: loop.text() for ref, loop in cycle_loops(deps, cycles).items()}
    today = build_date(sources_file.parent if sources_file is not None else Path.cwd())
    return assemble_problems(catalog, cycles, loops, rules=rules, docs=docs.problems,
                             repositories=run.repositories, today=today, known=run.known)


def assemble_problems(catalog: Catalog, cycles: list[list[EntityRef]],
                      loops: dict[EntityRef, str], *,
                      history: Iterable[Problem] = (), drawing: Iterable[Problem] = (),
                      rules: Iterable[Problem] = (), docs: Iterable[Problem] = (),
                      repositories: Sequence[Repository] = (),
                      today: datetime.date | None = None,
                      known: frozenset[EntityRef] = frozenset()) -> list[Problem]:
    """Every problem found after the catalog was built, in report order."""
    return [*catalog_problems(catalog, cycles, loops=loops, history=history,
                              repositories=repositories, today=today, known=known),
            *drawing, *rules, *docs, *_definition_problems(catalog, repositories)]


def _definition_problems(catalog: Catalog, repositories: Sequence[Repository]) -> list[Problem]:
    """Problems of API definitions; the readers are imported only when there is an API."""
    if not any(ref.kind == "api" for ref in catalog.entities):
        return []
    from generator.apidefs.reference import definition_problems

    return definition_problems(catalog, repositories)
