"""Scorecards: how far each entity is from the paved road.

A :class:`Ruleset` is a list of levels (Bronze, Silver, Gold by default) and
of :class:`Rule` objects. Each rule names a built-in check from
:data:`CHECKS`, the level it belongs to and, optionally, a :class:`Filter` of
the entities it applies to. An entity *reaches* a level when it passes every
rule of that level and of the levels below that applies to it.

Rules come from a YAML file (``scorecards.yaml`` beside ``sources.yaml``)::

    levels: [Bronze, Silver, Gold]
    rules:
      - id: runbook
        title: Has a runbook
        level: Gold
        check: has-runbook
        filter: {kind: component, type: [service, website]}
      - id: codeowners
        level: Gold
        check: file-exists
        params: {path: [CODEOWNERS, .github/CODEOWNERS]}

or, without a file, from :data:`DEFAULT_RULES`. :func:`load_rules` and
:func:`parse_rules` validate them: a bad rule is left out and reported as a
:class:`~generator.problems.Problem` naming the rule, the field, the file and
the line. :func:`score_catalog` runs the checks; :func:`rollup` sums scores
up for a team or the organisation.

Checks are small functions ``check(entity, context, params)`` that return
``None`` when the entity passes and otherwise the reason it fails.
"""

from __future__ import annotations

from generator.scorecards.checks import CHECKS, Check, CheckContext
from generator.scorecards.model import (
    DEFAULT_LEVELS,
    Filter,
    Rollup,
    Rule,
    RuleResult,
    Ruleset,
    RuleStat,
    Score,
    Scores,
)
from generator.scorecards.rules import (
    DEFAULT_RULES,
    SCORECARDS_FILE,
    default_ruleset,
    find_rules,
    load_rules,
    parse_rules,
)
from generator.scorecards.scoring import (
    cycle_members,
    level_of,
    owned_by,
    rollup,
    score_catalog,
    score_entity,
)

__all__ = [
    "CHECKS",
    "DEFAULT_LEVELS",
    "DEFAULT_RULES",
    "SCORECARDS_FILE",
    "Check",
    "CheckContext",
    "Filter",
    "Rollup",
    "Rule",
    "RuleResult",
    "RuleStat",
    "Ruleset",
    "Score",
    "Scores",
    "cycle_members",
    "default_ruleset",
    "find_rules",
    "level_of",
    "load_rules",
    "owned_by",
    "parse_rules",
    "rollup",
    "score_catalog",
    "score_entity",
]
