"""What changed since the previous build: plain data from two sets of entity facts.

:func:`entity_facts` takes from the catalog and its scores what a comparison
needs (owner, lifecycle, system, tier, relations, scorecard level);
:func:`compare` turns the previous build's facts and the current ones into
:class:`Change` records; :func:`keep` adds them to the change log carried in
``history.json`` (section ``changes``) and drops what is older than the
configured days or builds. Dates come from the build's stamp
(``SOURCE_DATE_EPOCH``), so the same input gives the same log.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.refs import EntityRef
    from generator.scorecards import Scores

__all__ = ["KINDS", "RELATIONS", "SECTION", "Change", "ChangeLog", "build_time", "compare",
           "entity_facts", "keep", "read_log"]

SECTION = "changes"
"""The key of the change log in ``history.json``."""
RELATIONS = ("dependsOn", "consumesApi", "providesApi")
"""Relation types whose targets are compared (the spec's dependsOn, consumesApis,
providesApis); the system is a fact of its own."""
_FIELDS = ("owner", "lifecycle", "system", "tier")
KINDS = ("added", "removed", "renamed", "owner", "lifecycle", "system", "tier",
         "dependency-added", "dependency-removed", "level-gained", "level-lost")
"""Every kind of change, in the order they are listed for one entity."""


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed about one entity in one build."""

    at: str
    """When the build that saw it ran: ``2026-12-02T02:11:48Z``."""
    ref: str
    """The entity (its current ref; for ``removed`` the last one)."""
    kind: str
    """One of :data:`KINDS`."""
    title: str = ""
    """The entity's title then."""
    owner: str = ""
    """The entity's owner then (for team feeds)."""
    before: str = ""
    """The old value (owner, lifecycle …; the old ref of a rename; the level lost)."""
    after: str = ""
    """The new value (the dependency's target for dependency changes; the level gained)."""
    relation: str = ""
    """The relation type of a dependency change (``dependsOn``, ``consumesApi`` …)."""
    build: int = 0
    """The number of the build that saw it (the log keeps the last builds)."""

    @property
    def day(self) -> str:
        """``2026-12-02``."""
        return self.at[:10]

    def describe(self) -> str:
        """One line of plain text, e.g. ``owner changed from group:a to group:b``.

        >>> Change("2026-12-02T00:00:00Z", "component:default/a", "owner",
        ...        before="group:default/a", after="group:default/b").describe()
        'owner changed from group:default/a to group:default/b'
        >>> Change("x", "component:default/a", "dependency-added", relation="dependsOn",
        ...        after="resource:default/db").describe()
        'now dependsOn resource:default/db'
        """
        k, before, after = self.kind, self.before, self.after
        if k == "added":
            return "added to the catalog"
        if k == "removed":
            return "removed from the catalog"
        if k == "renamed":
            return f"renamed from {before}"
        if k == "dependency-added":
            return f"now {self.relation} {after}"
        if k == "dependency-removed":
            return f"no longer {self.relation} {after}"
        if k == "level-gained":
            return f"reached scorecard level {after}" + (f" (was {before})" if before else "")
        if k == "level-lost":
            return f"lost scorecard level {before}" + (f" (now {after})" if after else "")
        if not before:
            return f"{k} set to {after}"
        if not after:
            return f"{k} {before} unset"
        return f"{k} changed from {before} to {after}"

    def targets(self) -> list[str]:
        """Refs this change is also news for: a new or dropped dependency's target."""
        return [self.after] if self.kind.startswith("dependency-") else []

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", 0) or k == "build"}


@dataclass(slots=True)
class ChangeLog:
    """The change log: every change kept, newest first, and the latest build's number."""

    build: int = 0
    """The number of the latest build (1 for the first)."""
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"build": self.build, "log": [c.to_json() for c in self.changes]}

    def of(self, refs: Iterable[str]) -> list[Change]:
        """The changes about any of ``refs`` or with one of them as target, newest first."""
        wanted = set(refs)
        return [c for c in self.changes
                if c.ref in wanted or any(t in wanted for t in c.targets())]


def build_time(epoch: int) -> str:
    """The build's time as Atom and the log write it.

    >>> build_time(0)
    '1970-01-01T00:00:00Z'
    """
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entity_facts(catalog: Catalog, scores: Scores | None = None) -> dict[EntityRef, dict]:
    """What the next build compares, per entity (text facts and relation targets)."""
    levels = scores.entities if scores is not None else {}
    facts: dict[EntityRef, dict] = {}
    for ref, entity in catalog.entities.items():
        related = catalog.relations.get(ref, ())
        owners = [r.target for r in related if r.type == "ownedBy"]
        systems = [r.target for r in related if r.type == "partOf" and r.target.kind == "system"]
        tier = entity.labels.get("tier") or entity.annotations.get("tier") or ""
        item = {"kind": entity.kind, "title": entity.title,
                "owner": str(owners[0]) if owners else "",
                "lifecycle": entity.lifecycle or "", "system": str(systems[0]) if systems else "",
                "tier": str(tier)}
        score = levels.get(ref)
        if score is not None:
            item["level"] = score.level or ""
        relations: dict[str, list[str]] = {}
        for relation in related:
            if relation.type in RELATIONS:
                relations.setdefault(relation.type, []).append(str(relation.target))
        item["relations"] = {k: sorted(set(v)) for k, v in sorted(relations.items())}
        facts[ref] = item
    return facts


def compare(previous: Mapping[EntityRef, dict], current: Mapping[EntityRef, dict], *,
            renamed: Mapping[EntityRef, EntityRef], at: str, build: int = 0,
            levels: Sequence[str] = ()) -> list[Change]:
    """Every change from ``previous`` to ``current`` facts, in ref and :data:`KINDS` order.

    ``renamed`` maps old refs to current ones (renamed entities are not removed and
    added); ``levels`` orders scorecard levels, lowest first. A fact the previous
    build did not record (an older history.json) is not compared.
    """
    old_of = {new: old for old, new in renamed.items() if _alive(previous.get(old))}
    changes: list[Change] = []
    for ref in sorted(set(current) | {r for r, f in previous.items() if _alive(f)}):
        now, old_ref = current.get(ref), old_of.get(ref, ref)
        then = previous.get(old_ref) if _alive(previous.get(old_ref)) else None
        base = _base(ref, now or then or {}, at, build)
        if now is None:
            if ref not in renamed:
                changes.append(Change(**base, kind="removed"))
            continue
        if then is None:
            changes.append(Change(**base, kind="added"))
            continue
        if old_ref != ref:
            changes.append(Change(**base, kind="renamed", before=str(old_ref)))
        changes += _differences(base, then, now, levels)
    return changes


def keep(log: ChangeLog, new: Sequence[Change], *, at: str, days: int, builds: int
         ) -> ChangeLog:
    """The log with ``new`` first, without changes older than ``days`` (counted back from
    ``at``) or from before the last ``builds`` builds (0: no limit)."""
    build = log.build + 1
    oldest_day = (datetime.date.fromisoformat(at[:10]) - datetime.timedelta(days=days)).isoformat()
    kept = [c for c in [*new, *log.changes]
            if (not days or c.day > oldest_day) and (not builds or c.build > build - builds)]
    return ChangeLog(build, kept)


def read_log(section: object) -> ChangeLog:
    """The change log from its ``history.json`` section; malformed records are skipped."""
    if not isinstance(section, dict):
        return ChangeLog()
    build = section.get("build")
    names = {f.name for f in fields(Change)}
    changes = []
    for item in section.get("log") or ():
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str)
                                                 for k in ("at", "ref", "kind")):
            continue
        values = {k: v for k, v in item.items() if k in names
                  and isinstance(v, int if k == "build" else str)}
        changes.append(Change(**values))
    return ChangeLog(build if isinstance(build, int) and build >= 0 else 0, changes)


def _alive(facts: dict | None) -> bool:
    return facts is not None and not facts.get("removed")


def _base(ref: EntityRef, facts: dict, at: str, build: int) -> dict:
    return {"at": at, "ref": str(ref), "title": str(facts.get("title") or ref.name),
            "owner": str(facts.get("owner") or ""), "build": build}


def _differences(base: dict, then: dict, now: dict, levels: Sequence[str]) -> list[Change]:
    changes = []
    for name in _FIELDS:
        if name in then and then[name] != now.get(name, ""):
            changes.append(Change(**base, kind=name, before=then[name], after=now.get(name, "")))
    old_relations, new_relations = then.get("relations"), now.get("relations", {})
    if isinstance(old_relations, dict):
        for kind, sign in (("dependency-added", 1), ("dependency-removed", -1)):
            for relation in RELATIONS:
                was = set(old_relations.get(relation, ()))
                is_ = set(new_relations.get(relation, ()))
                for target in sorted(is_ - was if sign > 0 else was - is_):
                    changes.append(Change(**base, kind=kind, relation=relation, after=target))
    if "level" in then and "level" in now and then["level"] != now["level"]:
        gained = _rank(now["level"], levels) > _rank(then["level"], levels)
        changes.append(Change(**base, kind="level-gained" if gained else "level-lost",
                              before=then["level"], after=now["level"]))
    return changes


def _rank(level: str, levels: Sequence[str]) -> int:
    return levels.index(level) + 1 if level in levels else 0

