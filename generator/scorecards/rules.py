"""Rules from YAML: ``scorecards.yaml``, or Paved Road's default ruleset.

:func:`load_rules` and :func:`parse_rules` validate a file: a bad rule is left
out and reported as a :class:`~generator.problems.Problem` naming the rule,
the field, the file and the line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from generator.problems import Problem, Severity
from generator.scorecards.checks import CHECKS, Check, as_list
from generator.scorecards.model import DEFAULT_LEVELS, Filter, Rule, Ruleset
from generator.yamlfile import LineIndex, YamlError, iter_documents, nearest_line

__all__ = ["DEFAULT_RULES", "PROBLEM_CODE", "SCORECARDS_FILE", "default_ruleset", "find_rules",
           "load_rules", "parse_rules"]

SCORECARDS_FILE = "scorecards.yaml"
"""Name of the rules file looked for beside ``sources.yaml``."""
PROBLEM_CODE = "scorecard-config"
"""Code of every problem :func:`parse_rules` reports."""


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
        problems.append(_problem(file, nearest_line(lines, path), message))

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
    shown = {k: " or ".join(as_list(v)) for k, v in params.items()}
    return Rule(
        id=rid, level=level, check=check.name,  # type: ignore[arg-type]
        title=texts.get("title") or _format(check.title, shown),
        description=texts.get("description", ""),
        fix=texts.get("fix") or _format(check.fix, shown),
        params=MappingProxyType(params), filter=rule_filter,
        file=file, line=nearest_line(lines, here))


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


def _problem(file: str, line: int | None, message: str) -> Problem:
    return Problem(Severity.ERROR, PROBLEM_CODE, message, file=file, line=line)
