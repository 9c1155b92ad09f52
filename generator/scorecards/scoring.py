"""Scoring: each entity's results and level, and rollups for a team or the organisation."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.refs import EntityRef
from generator.scorecards.checks import CHECKS, CheckContext
from generator.scorecards.model import Rollup, RuleResult, RuleStat, Score, Scores

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.scorecards.model import Ruleset
    from generator.sources import Repository

__all__ = ["cycle_members", "level_of", "owned_by", "rollup", "score_catalog", "score_entity"]


def level_of(results: Iterable[RuleResult], levels: Iterable[str]) -> str | None:
    """The highest level whose rules, and those of every level below, all pass.

    >>> from generator.scorecards.model import DEFAULT_LEVELS, Rule
    >>> r = Rule("a", "A", "Silver", "has-docs")
    >>> level_of([RuleResult(r, False)], DEFAULT_LEVELS)
    'Bronze'
    >>> level_of([RuleResult(r, True)], DEFAULT_LEVELS)
    'Gold'
    """
    failing = {r.rule.level for r in results if not r.passed}
    reached = None
    for level in levels:
        if level in failing:
            break
        reached = level
    return reached


def score_entity(entity: Entity, ruleset: Ruleset, context: CheckContext) -> Score | None:
    """Check every rule that applies to ``entity``; ``None`` when none does."""
    results = []
    for rule in ruleset.rules:
        if not rule.applies_to(entity):
            continue
        reason = CHECKS[rule.check].fn(entity, context, rule.params)
        results.append(RuleResult(rule, reason is None, reason or ""))
    if not results:
        return None
    level = level_of(results, ruleset.levels)
    rank = ruleset.rank(level)
    nxt = ruleset.levels[rank] if rank < len(ruleset.levels) else None
    return Score(entity.ref, level, tuple(results), nxt)


def cycle_members(cycles: Iterable[Iterable[EntityRef]]
                  ) -> dict[EntityRef, tuple[EntityRef, ...]]:
    """Each entity of the given cycles mapped to its whole cycle (one shared, sorted tuple).

    >>> a, b = EntityRef("component", "default", "a"), EntityRef("component", "default", "b")
    >>> cycle_members([[b, a]])[b] == (a, b)
    True
    """
    members: dict[EntityRef, tuple[EntityRef, ...]] = {}
    for cycle in cycles:
        refs = tuple(sorted(set(cycle)))
        members.update(dict.fromkeys(refs, refs))
    return members


def score_catalog(catalog: Catalog, ruleset: Ruleset, *,
                  repositories: Iterable[Repository] = (),
                  cycles: Iterable[Iterable[EntityRef]] | None = None) -> Scores:
    """Score every entity of ``catalog`` that a rule applies to.

    Args:
        catalog: The built catalog.
        ruleset: The rules, e.g. from :func:`load_rules` or :func:`default_ruleset`.
        repositories: The crawled repositories, so ``file-exists`` can look
            inside them (never outside).
        cycles: Dependency cycles, each a list of refs; by default those of
            :func:`generator.graph.dependency_cycles` (``dependsOn`` and API use).
    """
    roots: dict[str, Path] = {}
    for repo in repositories:
        roots.setdefault(repo.name, repo.root.resolve())
    if cycles is None:
        from generator.graph import build_graph, dependency_cycles  # networkx, when needed

        cycles = dependency_cycles(build_graph(catalog))
    context = CheckContext(catalog, cycle_members(cycles), roots)
    scores = Scores(ruleset)
    for ref, entity in catalog.entities.items():
        score = score_entity(entity, ruleset, context)
        if score is not None:
            scores.entities[ref] = score
    return scores


def owned_by(catalog: Catalog, group: EntityRef, *, through_children: bool = True
             ) -> list[EntityRef]:
    """What ``group`` owns, and (by default) what its child groups own at any depth."""
    groups = [group, *catalog.descendant_groups(group)] if through_children else [group]
    return sorted({ref for g in groups for ref in catalog.related(g, "ownerOf")})


def rollup(scores: Scores, refs: Iterable[EntityRef] | None = None) -> Rollup:
    """Sum up the scores of ``refs`` (every scored entity when ``None``); others are skipped."""
    chosen = [scores.entities[r] for r in (sorted(set(refs)) if refs is not None
                                           else scores.entities) if r in scores.entities]
    levels = scores.ruleset.levels
    counts: dict[str | None, int] = dict.fromkeys([*reversed(levels), None], 0)
    applicable: dict[str, int] = {}
    passed: dict[str, int] = {}
    failing: dict[str, list[EntityRef]] = {}
    checks = ok = 0
    for score in chosen:
        counts[score.level] += 1
        for result in score.results:
            rid = result.rule.id
            applicable[rid] = applicable.get(rid, 0) + 1
            checks += 1
            if result.passed:
                passed[rid] = passed.get(rid, 0) + 1
                ok += 1
            else:
                failing.setdefault(rid, []).append(score.ref)
    stats = tuple(RuleStat(rule, applicable[rule.id], passed.get(rule.id, 0),
                           tuple(failing.get(rule.id, ())))
                  for rule in scores.ruleset.rules if rule.id in applicable)
    return Rollup(len(chosen), tuple(counts.items()), stats, checks, ok)
