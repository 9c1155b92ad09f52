"""Scorecard data: rules and their filters, rulesets, and the scores they give.

Plain frozen dataclasses; :mod:`generator.scorecards.rules` builds them from
YAML and :mod:`generator.scorecards.scoring` fills them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.entities import Entity
    from generator.refs import EntityRef

__all__ = ["DEFAULT_LEVELS", "Filter", "Rollup", "Rule", "RuleResult", "RuleStat", "Ruleset",
           "Score", "Scores"]

DEFAULT_LEVELS: tuple[str, ...] = ("Bronze", "Silver", "Gold")
"""Levels when a ruleset names none, lowest first."""


@dataclass(frozen=True, slots=True)
class Filter:
    """Which entities a rule applies to; an empty field matches anything."""

    kind: frozenset[str] = frozenset()
    """Kinds, lowercase (``component``, ``api`` …)."""
    type: frozenset[str] = frozenset()
    """``spec.type`` values, lowercase."""
    lifecycle: frozenset[str] = frozenset()
    """``spec.lifecycle`` values, lowercase."""
    tag: frozenset[str] = frozenset()
    """Tags, lowercase; the entity needs one of them."""

    def matches(self, entity: Entity) -> bool:
        """Whether the rule applies to ``entity``."""
        if self.kind and entity.ref.kind not in self.kind:
            return False
        if self.type and (entity.type or "").lower() not in self.type:
            return False
        if self.lifecycle and (entity.lifecycle or "").lower() not in self.lifecycle:
            return False
        return not self.tag or any(t.lower() in self.tag for t in entity.tags)

    def describe(self) -> str:
        """The filter in words, e.g. ``component of type service or website``.

        >>> Filter(kind=frozenset({"component"}), type=frozenset({"service"})).describe()
        'component (type service)'
        >>> Filter().describe()
        'every entity'
        """
        if not (self.kind or self.type or self.lifecycle or self.tag):
            return "every entity"
        head = " or ".join(sorted(self.kind)) or "any kind"
        parts = [f"{name} {' or '.join(sorted(values))}" for name, values in
                 (("type", self.type), ("lifecycle", self.lifecycle), ("tag", self.tag))
                 if values]
        return f"{head} ({', '.join(parts)})" if parts else head


@dataclass(frozen=True, slots=True)
class Rule:
    """One requirement of the paved road."""

    id: str
    """Stable identifier, e.g. ``runbook``."""
    title: str
    """Short title shown on pages."""
    level: str
    """The level it belongs to, as the ruleset spells it."""
    check: str
    """Name of the built-in check in :data:`CHECKS`."""
    description: str = ""
    """Why the rule matters."""
    fix: str = ""
    """What to do when it fails; Markdown-like backticks mark code."""
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Parameters of the check (e.g. ``{"key": "backstage.io/kubernetes-id"}``)."""
    filter: Filter = Filter()
    """The entities it applies to."""
    file: str | None = None
    """Display path of the file that defined it."""
    line: int | None = None
    """Line it starts on."""

    def applies_to(self, entity: Entity) -> bool:
        return self.filter.matches(entity)


@dataclass(frozen=True, slots=True)
class Ruleset:
    """Levels, lowest first, and the rules of every level."""

    levels: tuple[str, ...]
    """Level titles, lowest first."""
    rules: tuple[Rule, ...]
    """Rules in file order."""
    source: str = "default"
    """Display path of the file, or ``default``."""

    def rank(self, level: str | None) -> int:
        """0 for no level, 1 for the lowest level, and so on.

        >>> ruleset = Ruleset(DEFAULT_LEVELS, ())
        >>> ruleset.rank("Silver"), ruleset.rank(None)
        (2, 0)
        """
        return 0 if level is None else self.levels.index(level) + 1

    def rules_of(self, level: str) -> list[Rule]:
        return [r for r in self.rules if r.level == level]


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule checked against one entity."""

    rule: Rule
    passed: bool
    reason: str = ""
    """Why it failed (empty when it passed)."""


@dataclass(frozen=True, slots=True)
class Score:
    """An entity's results and the level they reach."""

    ref: EntityRef
    level: str | None
    """Highest level reached, or ``None`` when the lowest level is not met."""
    results: tuple[RuleResult, ...]
    """Every rule that applies to the entity, in ruleset order."""
    next_level: str | None
    """The first level not reached (``None`` at the top)."""

    @property
    def passed(self) -> list[RuleResult]:
        return [r for r in self.results if r.passed]

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]

    def blocking(self) -> list[RuleResult]:
        """Failing rules of :attr:`next_level`: what stands between it and that level."""
        return [r for r in self.results if not r.passed and r.rule.level == self.next_level]


@dataclass(slots=True)
class Scores:
    """Every scored entity (those at least one rule applies to), by ref."""

    ruleset: Ruleset
    entities: dict[EntityRef, Score] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, ref: object) -> bool:
        return ref in self.entities

    def get(self, ref: EntityRef) -> Score | None:
        return self.entities.get(ref)


@dataclass(frozen=True, slots=True)
class RuleStat:
    """How one rule fares across a set of entities."""

    rule: Rule
    applicable: int
    """Entities it applies to."""
    passed: int
    failing: tuple[EntityRef, ...]
    """Entities that fail it, in ref order."""

    @property
    def rate(self) -> float | None:
        """Share of entities passing, or ``None`` when it applies to none."""
        return self.passed / self.applicable if self.applicable else None


@dataclass(frozen=True, slots=True)
class Rollup:
    """Scores summed up over a set of entities (a team, the organisation)."""

    total: int
    """Scored entities."""
    levels: tuple[tuple[str | None, int], ...]
    """Entities per level, highest level first and ``None`` (no level) last."""
    rules: tuple[RuleStat, ...]
    """Every rule that applies to at least one of the entities, in ruleset order."""
    checks: int
    """Rule results in all."""
    passed: int
    """Rule results that passed."""

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.checks if self.checks else None

    def most_failed(self, limit: int = 5) -> list[RuleStat]:
        """Rules with failures, most failures first (ties in ruleset order)."""
        failing = [s for s in self.rules if s.failing]
        failing.sort(key=lambda s: -len(s.failing))
        return failing[:limit]
