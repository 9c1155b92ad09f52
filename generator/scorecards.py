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

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from generator.problems import Problem, Severity
from generator.refs import EntityRef
from generator.yamlfile import LineIndex, YamlError, iter_documents

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.sources import Repository

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

DEFAULT_LEVELS: tuple[str, ...] = ("Bronze", "Silver", "Gold")
"""Levels when a ruleset names none, lowest first."""

SCORECARDS_FILE = "scorecards.yaml"
"""Name of the rules file looked for beside ``sources.yaml``."""
PROBLEM_CODE = "scorecard-config"
"""Code of every problem :func:`parse_rules` reports."""

# --------------------------------------------------------------------------- model


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

        >>> default_ruleset().rank("Silver"), default_ruleset().rank(None)
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


# --------------------------------------------------------------------------- checks


@dataclass(slots=True)
class CheckContext:
    """What checks may look at beyond the entity itself."""

    catalog: Catalog
    cycles: dict[EntityRef, tuple[EntityRef, ...]] = field(default_factory=dict)
    """For each entity in a dependency cycle, its whole cycle (sorted, itself included)."""
    roots: dict[str, Path] = field(default_factory=dict)
    """Repository name → resolved root directory."""
    _files: dict[tuple[str, str], bool] = field(default_factory=dict)

    def file_exists(self, repo: str, path: str) -> bool | None:
        """Whether ``path`` is a file inside repository ``repo``; ``None`` if it is unknown.

        The path is resolved (symbolic links included) and must stay inside the
        repository root; anything that leads outside counts as absent.
        """
        root = self.roots.get(repo)
        if root is None:
            return None
        key = (repo, path)
        if key not in self._files:
            try:
                target = (root / path).resolve()
                self._files[key] = target.is_relative_to(root) and target.is_file()
            except (OSError, RuntimeError, ValueError):
                self._files[key] = False
        return self._files[key]


CheckFn = Callable[["Entity", CheckContext, Mapping[str, Any]], "str | None"]


@dataclass(frozen=True, slots=True)
class Check:
    """A built-in check and what a rule using it shows by default."""

    name: str
    fn: CheckFn
    title: str
    """Default rule title."""
    fix: str
    """Default "how to fix" hint; ``{param}`` is replaced by the rule's parameter."""
    params: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    """Parameter name → whether it is required."""


def _refs(refs: Iterable[EntityRef]) -> str:
    return ", ".join(r.short() for r in refs)


def has_owner(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """``spec.owner`` names an owner."""
    return None if ctx.catalog.related(entity.ref, "ownedBy") else "spec.owner is not set"


def owner_is_group(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """The owner is a Group that exists in the catalog."""
    owners = ctx.catalog.related(entity.ref, "ownedBy")
    if not owners:
        return "spec.owner is not set"
    if any(o.kind == "group" and o in ctx.catalog for o in owners):
        return None
    owner = owners[0]
    if owner not in ctx.catalog:
        return f"the owner {owner.short()} is not in the catalog"
    return f"the owner {owner.short()} is a {owner.kind}, not a group"


def has_description(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    return None if entity.description.strip() else "metadata.description is empty"


def has_docs(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """The ``backstage.io/techdocs-ref`` annotation is set."""
    if entity.annotations.get("backstage.io/techdocs-ref", "").strip():
        return None
    return "no backstage.io/techdocs-ref annotation"


def has_runbook(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """A link of type ``runbook``, or one whose title mentions a runbook."""
    for link in entity.links:
        if link.get("type", "").lower() == "runbook" or \
                "runbook" in link.get("title", "").lower():
            return None
    return "no link of type runbook in metadata.links"


ONCALL_ANNOTATIONS = ("pagerduty.com/service-id", "opsgenie.com/component-selector",
                      "opsgenie.com/team")
"""Annotations that tie an entity to an on-call rotation."""


def has_oncall(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """A PagerDuty or Opsgenie annotation, or a link of type ``oncall``."""
    notes = entity.annotations
    if any(notes.get(key, "").strip() for key in ONCALL_ANNOTATIONS):
        return None
    if any(link.get("type", "").lower() == "oncall" for link in entity.links):
        return None
    return "no PagerDuty or Opsgenie annotation and no link of type oncall"


def has_lifecycle(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    return None if entity.lifecycle else "spec.lifecycle is not set"


def has_system(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """Part of a system that exists in the catalog."""
    systems = [r for r in ctx.catalog.related(entity.ref, "partOf") if r.kind == "system"]
    if any(s in ctx.catalog for s in systems):
        return None
    if systems:
        return f"the system {systems[0].short()} is not in the catalog"
    return "spec.system is not set"


def has_tier(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """A ``tier`` label or annotation."""
    if entity.labels.get("tier", "").strip() or entity.annotations.get("tier", "").strip():
        return None
    return "no tier label"


def no_deprecated_dependencies(entity: Entity, ctx: CheckContext,
                               params: Mapping[str, Any]) -> str | None:
    """Nothing it depends on (``dependsOn``, ``consumesApis``) is deprecated."""
    needed = [*ctx.catalog.related(entity.ref, "dependsOn"),
              *ctx.catalog.related(entity.ref, "consumesApi")]
    deprecated = []
    for ref in needed:
        other = ctx.catalog.get(ref)
        if other is not None and (other.lifecycle or "").lower() == "deprecated":
            deprecated.append(ref)
    if not deprecated:
        return None
    return f"depends on deprecated {_refs(sorted(set(deprecated)))}"


CYCLE_NAMES = 5
"""Members of a dependency cycle named in a failure; the rest are counted."""


def not_in_dependency_cycle(entity: Entity, ctx: CheckContext,
                            params: Mapping[str, Any]) -> str | None:
    cycle = ctx.cycles.get(entity.ref)
    if cycle is None:
        return None
    others = [r for r in cycle[:CYCLE_NAMES + 1] if r != entity.ref][:CYCLE_NAMES]
    if not others:
        return "depends on itself"
    more = len(cycle) - 1 - len(others)
    return f"in a dependency cycle with {_refs(others)}" + (f" and {more:,} more" if more else "")


def has_annotation(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """Annotation ``key`` is set (to ``value``, when given)."""
    return _has_value(entity.annotations, "annotation", params)


def has_label(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """Label ``key`` is set (to ``value``, when given)."""
    return _has_value(entity.labels, "label", params)


def _has_value(values: Mapping[str, str], what: str, params: Mapping[str, Any]) -> str | None:
    key = params["key"]
    actual = values.get(key, "").strip()
    if not actual:
        return f"no {what} {key}"
    wanted = params.get("value")
    if wanted is not None and actual != wanted:
        return f"{what} {key} is '{actual}', not '{wanted}'"
    return None


def has_link(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """A link of type ``type`` in ``metadata.links``."""
    wanted = params["type"].lower()
    if any(link.get("type", "").lower() == wanted for link in entity.links):
        return None
    return f"no link of type {params['type']} in metadata.links"


def file_exists(entity: Entity, ctx: CheckContext, params: Mapping[str, Any]) -> str | None:
    """One of the files ``path`` exists in the entity's repository."""
    paths = _as_list(params["path"])
    repo = entity.provenance.repo
    found = [ctx.file_exists(repo, p) for p in paths]
    if any(found):
        return None
    names = " or ".join(paths)
    if all(f is None for f in found):
        return f"cannot look for {names}: the repository {repo} is not available"
    if len(paths) == 1:
        return f"no {names} in the repository {repo}"
    return f"none of {', '.join(paths)} is in the repository {repo}"


def _as_list(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def _check(name: str, fn: CheckFn, title: str, fix: str, **params: bool) -> Check:
    return Check(name, fn, title, fix, MappingProxyType(params))


CHECKS: Mapping[str, Check] = MappingProxyType({c.name: c for c in (
    _check("has-owner", has_owner, "Has an owner",
           "Set `spec.owner` to the team that runs it, e.g. `owner: checkout-team`."),
    _check("owner-is-group", owner_is_group, "Owned by a team",
           "Point `spec.owner` at a Group in the catalog (a team), not a person or a name "
           "that does not exist; teams are listed on the Teams page."),
    _check("has-description", has_description, "Has a description",
           "Add `metadata.description`: one sentence on what it does and who uses it."),
    _check("has-docs", has_docs, "Has documentation",
           "Add the annotation `backstage.io/techdocs-ref: dir:.` and an `mkdocs.yml` with "
           "`docs/index.md` in the repository."),
    _check("has-runbook", has_runbook, "Has a runbook",
           "Write a runbook (e.g. `docs/runbook.md`) and add it to `metadata.links` with "
           "`type: runbook`."),
    _check("has-oncall", has_oncall, "Has on-call",
           "Add the annotation `pagerduty.com/service-id` (or `opsgenie.com/team`), or a link "
           "with `type: oncall` to the rotation."),
    _check("has-lifecycle", has_lifecycle, "Has a lifecycle",
           "Set `spec.lifecycle` to `experimental`, `production` or `deprecated`."),
    _check("has-system", has_system, "Part of a system",
           "Set `spec.system` to the system it belongs to; systems are listed on the "
           "Systems page."),
    _check("has-tier", has_tier, "Has a tier",
           "Add the label `tier` (`\"1\"` revenue-critical, `\"2\"` important, `\"3\"` "
           "internal) under `metadata.labels`."),
    _check("no-deprecated-dependencies", no_deprecated_dependencies,
           "No deprecated dependencies",
           "Move off the deprecated entities named above; their pages say what replaces them."),
    _check("not-in-dependency-cycle", not_in_dependency_cycle, "Not in a dependency cycle",
           "Break the cycle: remove one of the `dependsOn` or `consumesApis` entries between "
           "the entities named above, e.g. by publishing an event instead of calling back."),
    _check("has-annotation", has_annotation, "Has annotation {key}",
           "Add the annotation `{key}` under `metadata.annotations`.", key=True, value=False),
    _check("has-label", has_label, "Has label {key}",
           "Add the label `{key}` under `metadata.labels`.", key=True, value=False),
    _check("has-link", has_link, "Has a {type} link",
           "Add a link with `type: {type}` to `metadata.links`.", type=True),
    _check("file-exists", file_exists, "Has {path}",
           "Add `{path}` to the repository.", path=True),
)})
"""Every built-in check, by name."""


# --------------------------------------------------------------------------- rules


DEFAULT_RULES = """\
levels: [Bronze, Silver, Gold]
rules:
  # Bronze: it is in the catalog properly, so people can find it and its owners.
  - id: owner
    level: Bronze
    check: has-owner
    description: Somebody has to answer for it when it breaks.
    filter: {kind: [component, api, resource]}
  - id: owner-is-team
    level: Bronze
    check: owner-is-group
    description: Teams outlast people; a team is paged, a person goes on holiday.
    filter: {kind: [component, api, resource]}
  - id: description
    level: Bronze
    check: has-description
    description: The catalog, search and the on-call engineer all read it first.
    filter: {kind: [component, api, resource]}
  - id: lifecycle
    level: Bronze
    check: has-lifecycle
    description: Says whether others may build on it.
    filter: {kind: [component, api]}
  # Silver: it fits into the organisation and can be understood without asking.
  - id: system
    level: Silver
    check: has-system
    description: Systems show what belongs together and who operates it.
    filter: {kind: [component, api, resource]}
  - id: docs
    level: Silver
    check: has-docs
    description: Documentation published with the portal, next to the catalog entry.
    filter: {kind: component}
  - id: tier
    level: Silver
    check: has-tier
    description: The tier sets the on-call hours and the review needed for changes.
    filter: {kind: component, type: [service, website]}
  - id: no-deprecated-dependencies
    level: Silver
    check: no-deprecated-dependencies
    description: New dependencies on deprecated entities delay their shutdown.
    filter: {kind: [component, resource]}
  # Gold: it can be operated at 3 a.m. by someone who did not write it.
  - id: runbook
    level: Gold
    check: has-runbook
    description: The on-call engineer needs to know what to do when an alert fires.
    filter: {kind: component, type: [service, website]}
  - id: on-call
    level: Gold
    check: has-oncall
    description: Alerts must reach a person.
    filter: {kind: component, type: [service, website]}
  - id: no-dependency-cycles
    level: Gold
    check: not-in-dependency-cycle
    description: Entities that need each other fail together and cannot be deployed alone.
    filter: {kind: [component, resource]}
  - id: codeowners
    level: Gold
    check: file-exists
    params: {path: [CODEOWNERS, .github/CODEOWNERS, docs/CODEOWNERS]}
    title: Has CODEOWNERS
    description: Pull requests reach the owning team for review.
    fix: >-
      Add a `.github/CODEOWNERS` file that names the owning team, e.g.
      `* @your-org/your-team`.
    filter: {kind: [component, api, resource]}
"""
"""The ruleset used when no scorecards file is given (YAML, as a file would hold it)."""

_RULE_KEYS = ("id", "title", "level", "check", "description", "fix", "params", "filter")
_FILTER_KEYS = ("kind", "type", "lifecycle", "tag")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


@functools.cache
def default_ruleset() -> Ruleset:
    """The rules used when no scorecards file is given (:data:`DEFAULT_RULES`)."""
    ruleset, problems = _parse_text(DEFAULT_RULES, "default")
    assert not problems, problems
    return ruleset


def find_rules(sources_file: Path, path: Path | None = None) -> tuple[Ruleset, list[Problem]]:
    """The rules of a portal: ``path`` if given, else ``scorecards.yaml`` beside the
    sources file if there is one, else the default rules."""
    if path is None:
        path = sources_file.parent / SCORECARDS_FILE
        if not path.is_file():
            return default_ruleset(), []
    return load_rules(path)


def load_rules(path: Path) -> tuple[Ruleset, list[Problem]]:
    """Read a scorecards file; fall back to the default rules when it cannot be read.

    Returns:
        The ruleset (without the rules that are wrong) and a problem for each
        thing wrong with the file.
    """
    shown = path.name  # as the site shows it: never a path of the build machine
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return default_ruleset(), [_problem(
            shown, None, f"cannot read the scorecards file ({exc}); the default rules are used")]
    return _parse_text(text, shown)


def _parse_text(text: str, shown: str) -> tuple[Ruleset, list[Problem]]:
    try:
        docs = list(iter_documents(text))
    except YamlError as exc:
        return default_ruleset(), [_problem(
            shown, exc.line, f"the scorecards file is not valid YAML ({exc}); the default rules "
            "are used until it is fixed")]
    if len(docs) != 1:
        return default_ruleset(), [_problem(
            shown, 1, "the scorecards file must hold exactly one YAML document with 'rules:'; "
            "the default rules are used")]
    return parse_rules(docs[0].data, file=shown, lines=docs[0].lines)


def parse_rules(data: object, *, file: str = "scorecards.yaml",
                lines: LineIndex | None = None) -> tuple[Ruleset, list[Problem]]:
    """Validate scorecard configuration that has been read from YAML.

    Every rule that is wrong is left out and reported with the rule's id, the
    field and its line; the rest are kept.

    Args:
        data: The file's content: a mapping with ``rules`` and optionally ``levels``.
        file: Display path of the file, for problems.
        lines: Field path → line, from :func:`generator.yamlfile.iter_documents`.

    >>> ruleset, problems = parse_rules({"rules": [
    ...     {"id": "docs", "level": "Silver", "check": "has-docs"},
    ...     {"id": "oops", "level": "Platinum", "check": "has-docs"}]})
    >>> [r.id for r in ruleset.rules]
    ['docs']
    >>> problems[0].message
    "rule 'oops' (rules[1]): level: 'Platinum' is not a level; use Bronze, Silver or Gold"
    """
    lines = lines or {}
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.append(_problem(file, _line_of(lines, path), message))

    if not isinstance(data, dict):
        report((), "the scorecards file must be a mapping with a 'rules:' list")
        return Ruleset(DEFAULT_LEVELS, (), file), problems
    for key in data:
        if key not in ("levels", "rules"):
            report((str(key),), f"unknown key '{key}'; a scorecards file has 'levels' and "
                   "'rules'")
    levels = _parse_levels(data.get("levels"), report)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        report(("rules",), "'rules' must be a list of rules, each with id, level and check")
        return Ruleset(levels, (), file), problems
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, index, levels, file, lines, report)
        if rule is None:
            continue
        if rule.id in seen:
            report(("rules", index, "id"),
                   f"rule '{rule.id}' (rules[{index}]): id: already used by rules[{seen[rule.id]}]"
                   "; give each rule its own id")
            continue
        seen[rule.id] = index
        rules.append(rule)
    return Ruleset(levels, tuple(rules), file), problems


def _parse_levels(value: object, report: Callable[..., None]) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_LEVELS
    if not isinstance(value, list) or not value or \
            not all(isinstance(v, str) and v.strip() for v in value):
        report(("levels",), "'levels' must be a non-empty list of level names, lowest first, "
               "e.g. [Bronze, Silver, Gold]; the default levels are used")
        return DEFAULT_LEVELS
    names = [" ".join(v.split()) for v in value]
    if len({n.lower() for n in names}) != len(names):
        report(("levels",), "'levels' names a level twice; the default levels are used")
        return DEFAULT_LEVELS
    if any(len(n) > 40 for n in names):
        report(("levels",), "level names must be at most 40 characters; the default levels "
               "are used")
        return DEFAULT_LEVELS
    return tuple(names)


def _parse_rule(raw: object, index: int, levels: tuple[str, ...], file: str,
                lines: LineIndex, report: Callable[..., None]) -> Rule | None:
    here: tuple[str | int, ...] = ("rules", index)
    if not isinstance(raw, dict):
        report(here, f"rules[{index}]: each rule must be a mapping with id, level and check")
        return None
    rid = raw.get("id")
    name = f"rule '{rid}' (rules[{index}])" if isinstance(rid, str) and rid else \
        f"rules[{index}]"
    errors: list[tuple[tuple[str | int, ...], str]] = []

    def bad(key: str | tuple[str | int, ...], message: str) -> None:
        path = (*here, key) if isinstance(key, str) else (*here, *key)
        shown = ".".join(str(p) for p in path[2:])
        errors.append((path, f"{name}: {shown}: {message}"))

    for key in raw:
        if key not in _RULE_KEYS:
            bad(str(key), f"unknown field; a rule has {', '.join(_RULE_KEYS)}")
    if not isinstance(rid, str) or not _ID.match(rid):
        bad("id", "required: a short identifier of lowercase letters, digits and dashes, "
            "e.g. runbook")
    level = _level(raw.get("level"), levels)
    if level is None:
        got = raw.get("level")
        bad("level", ("required" if got is None else f"'{got}' is not a level") +
            f"; use {_either(levels)}")
    check = CHECKS.get(raw.get("check")) if isinstance(raw.get("check"), str) else None
    if check is None:
        got = raw.get("check")
        bad("check", ("required" if got is None else f"unknown check '{got}'") +
            f"; the built-in checks are {', '.join(CHECKS)}")
    texts: dict[str, str] = {}
    for key in ("title", "description", "fix"):
        value = raw.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            bad(key, "must be a non-empty string")
        elif value is not None:
            texts[key] = " ".join(value.split())
    params = _parse_params(raw.get("params"), check, bad)
    rule_filter = _parse_filter(raw.get("filter"), bad)
    if errors or check is None or level is None or params is None or rule_filter is None:
        for path, message in errors:
            report(path, message)
        return None
    shown = {k: " or ".join(_as_list(v)) for k, v in params.items()}
    return Rule(
        id=rid, level=level, check=check.name,  # type: ignore[arg-type]
        title=texts.get("title") or _format(check.title, shown),
        description=texts.get("description", ""),
        fix=texts.get("fix") or _format(check.fix, shown),
        params=MappingProxyType(params), filter=rule_filter,
        file=file, line=_line_of(lines, here))


def _parse_params(value: object, check: Check | None,
                  bad: Callable[..., None]) -> dict[str, Any] | None:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        bad("params", "must be a mapping of parameter names to values")
        return None
    if check is None:
        return dict(value)
    ok = True
    for key in value:
        if key not in check.params:
            expected = ", ".join(check.params) or "none"
            bad(("params", str(key)), f"unknown parameter of {check.name}; it takes {expected}")
            ok = False
    for key, required in check.params.items():
        if required and key not in value:
            bad("params", f"{check.name} needs the parameter '{key}'")
            ok = False
    for key, param in value.items():
        if key not in check.params:
            continue
        if key == "path":
            paths = param if isinstance(param, list) else [param]
            if not paths or not all(isinstance(p, str) and _is_repo_path(p) for p in paths):
                bad(("params", key), "must be a path (or a list of paths) inside the "
                    "repository, such as CODEOWNERS or .github/CODEOWNERS; no absolute "
                    "paths and no '..'")
                ok = False
        elif not (isinstance(param, str) and param.strip()):
            bad(("params", key), "must be a non-empty string")
            ok = False
    return dict(value) if ok else None


def _is_repo_path(path: str) -> bool:
    """A relative path that cannot leave the repository by itself.

    >>> _is_repo_path(".github/CODEOWNERS"), _is_repo_path("../x"), _is_repo_path("/etc/x")
    (True, False, False)
    """
    if not path.strip() or "\\" in path or "\0" in path or re.match(r"^[A-Za-z]:", path):
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts


def _parse_filter(value: object, bad: Callable[..., None]) -> Filter | None:
    if value is None:
        return Filter()
    if not isinstance(value, dict):
        bad("filter", f"must be a mapping with any of {', '.join(_FILTER_KEYS)}")
        return None
    ok = True
    fields: dict[str, frozenset[str]] = {}
    for key, item in value.items():
        if key not in _FILTER_KEYS:
            bad(("filter", str(key)), f"unknown filter; use {', '.join(_FILTER_KEYS)}")
            ok = False
            continue
        items = item if isinstance(item, list) else [item]
        if not items or not all(isinstance(i, str) and i.strip() for i in items):
            bad(("filter", key), "must be a name or a list of names")
            ok = False
            continue
        fields[key] = frozenset(i.strip().lower() for i in items)
    return Filter(**fields) if ok else None


def _level(value: object, levels: tuple[str, ...]) -> str | None:
    if not isinstance(value, str):
        return None
    wanted = " ".join(value.split()).lower()
    return next((lvl for lvl in levels if lvl.lower() == wanted), None)


def _either(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _format(text: str, params: Mapping[str, str]) -> str:
    for key, value in params.items():
        text = text.replace("{" + key + "}", value)
    return text


def _line_of(lines: LineIndex, path: tuple[str | int, ...]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def _problem(file: str, line: int | None, message: str) -> Problem:
    return Problem(Severity.ERROR, PROBLEM_CODE, message, file=file, line=line)


# --------------------------------------------------------------------------- scoring


def level_of(results: Iterable[RuleResult], levels: Iterable[str]) -> str | None:
    """The highest level whose rules, and those of every level below, all pass.

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


# --------------------------------------------------------------------------- rollups


def owned_by(catalog: Catalog, group: EntityRef, *, through_children: bool = True
             ) -> list[EntityRef]:
    """What ``group`` owns, and (by default) what its child groups own at any depth."""
    owned: list[EntityRef] = []
    seen = {group}
    frontier = [group]
    while frontier:
        nxt = []
        for ref in frontier:
            owned.extend(catalog.related(ref, "ownerOf"))
            if through_children:
                for child in catalog.related(ref, "parentOf"):
                    if child not in seen:
                        seen.add(child)
                        nxt.append(child)
        frontier = nxt
    return sorted(set(owned))


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
