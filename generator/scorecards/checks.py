"""Built-in checks: small functions ``check(entity, context, params)``.

Each returns ``None`` when the entity passes and otherwise the reason it
fails. :data:`CHECKS` names them for rules, with each one's default title,
"how to fix" hint and parameters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from generator.repofiles import is_under, resolve_under

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.refs import EntityRef

__all__ = ["CHECKS", "ONCALL_ANNOTATIONS", "Check", "CheckContext", "as_list"]


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
        found = self._files.get(key)
        if found is None:
            base = os.fspath(root)  # strings, not paths: 1,000 repositories' checks each build
            try:
                target = resolve_under(os.path.join(base, path), base)[0]
                found = is_under(target, base) and os.path.isfile(target)
            except (OSError, ValueError):
                found = False
            self._files[key] = found
        return found


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
    paths = as_list(params["path"])
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


def as_list(value: object) -> list[str]:
    """A parameter that is one string or a list of strings, as a list."""
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
