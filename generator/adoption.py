"""Adoption of the paved road: which components are on a golden path, which went off-road.

A component is *on a golden path* when it was created from a template
(``backstage.io/source-template``) or declares one
(``pavedroad.dev/golden-path: <template ref or name>``, resolved against the
catalog's templates). It is *off-road* when it says so and why
(``pavedroad.dev/off-road: "<reason>"``, optionally with
``pavedroad.dev/off-road-approved-by: <group or user>`` and
``pavedroad.dev/off-road-until: <YYYY-MM-DD>``); a declared exception counts
before a path. Anything else is *silent*: on no path, with no exception.

Everything is plain data of the built catalog and the build date (from
``SOURCE_DATE_EPOCH``, so the same input gives the same figures):
:func:`analyse_adoption` computes the figures, :func:`adoption_problems` the
warnings both ``build`` and ``check`` report (through
:func:`generator.policies.catalog_problems`).
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from generator.git import git_output
from generator.golden_paths import source_template
from generator.history import append_point, first_seen
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref

if TYPE_CHECKING:
    from pathlib import Path

    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = ["APPROVED_BY", "GOLDEN_PATH", "HISTORY_KEY", "MIN_REASON", "OFF_ROAD", "UNTIL",
           "Adoption", "ExceptionRow", "OffRoad", "Share", "Standing", "adoption_problems",
           "analyse_adoption", "build_date", "golden_path", "off_road", "standing",
           "trend", "with_history"]

HISTORY_KEY = "adoption"
"""The top-level key of ``history.json`` holding the trend (``points``) and when each
exception was first seen (``off_road_since``)."""

GOLDEN_PATH = "pavedroad.dev/golden-path"
"""Annotation declaring the golden path a component follows (a template ref or name)."""
OFF_ROAD = "pavedroad.dev/off-road"
"""Annotation declaring that a component left the paved road, and why."""
APPROVED_BY = "pavedroad.dev/off-road-approved-by"
"""Who approved the exception (a group or user ref)."""
UNTIL = "pavedroad.dev/off-road-until"
"""Until when the exception holds (an ISO date, ``YYYY-MM-DD``)."""
MIN_REASON = 10
"""Shortest off-road reason that counts as one (in characters)."""

Status = Literal["on-path", "off-road", "silent"]


def build_date(base: Path | None = None, epoch: int | None = None) -> datetime.date:
    """The build's date (UTC): ``epoch``, else ``$SOURCE_DATE_EPOCH``, else ``base``'s last
    commit, else 1970.

    The build sets ``SOURCE_DATE_EPOCH`` from the portal repository's last
    commit when it is unset, so ``check`` from the same repository agrees.
    """
    if epoch is not None:
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date()
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit() and base is not None:
        value = git_output(base, "log", "-1", "--format=%ct")
    epoch = int(value) if value.isdigit() else 0
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date()


@dataclass(frozen=True, slots=True)
class OffRoad:
    """A declared exception: why the component left the paved road."""

    reason: str
    approver_text: str = ""
    """``off-road-approved-by`` as written (empty when absent)."""
    approved_by: EntityRef | None = None
    """The approver, when the text is a ref."""
    until_text: str = ""
    """``off-road-until`` as written (empty when absent)."""
    until: datetime.date | None = None
    """The end date, when the text is an ISO date."""


@dataclass(frozen=True, slots=True)
class Standing:
    """One component's place on (or off) the paved road."""

    ref: EntityRef
    owner: EntityRef | None
    system: EntityRef | None
    path: EntityRef | None
    """The golden path (a template ref) it was created from or declares."""
    from_template: bool
    """Whether it was created from a template (``backstage.io/source-template``)."""
    off_road: OffRoad | None

    @property
    def status(self) -> Status:
        """``off-road`` (a declared exception counts first), ``on-path`` or ``silent``."""
        if self.off_road is not None:
            return "off-road"
        return "on-path" if self.path is not None else "silent"


@dataclass(frozen=True, slots=True)
class Share:
    """``on`` of ``total`` components.

    >>> Share(3, 4).percent, Share(0, 0).percent, Share(1, 3).text
    (75, None, '1 of 3 (33%)')
    """

    on: int
    total: int

    @property
    def fraction(self) -> float | None:
        """``on / total`` to four places (``None`` of nothing)."""
        return round(self.on / self.total, 4) if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.on / self.total) if self.total else None

    @property
    def text(self) -> str:
        return f"{self.on:,} of {self.total:,}" + (
            f" ({self.percent}%)" if self.total else "")


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    """One declared exception, with how long it has stood."""

    ref: EntityRef
    owner: EntityRef | None
    off_road: OffRoad
    since: str
    """The build date it was first seen (ISO), from the history."""
    age_days: int
    expired: bool


@dataclass(slots=True)
class Adoption:
    """The organisation's adoption figures on one build date."""

    date: datetime.date
    standings: dict[EntityRef, Standing] = field(default_factory=dict)
    """Every component, in ref order."""
    overall: Share = Share(0, 0)
    teams: dict[EntityRef, Share] = field(default_factory=dict)
    """Every group owning components, its child groups' included."""
    systems: dict[EntityRef, Share] = field(default_factory=dict)
    paths: dict[EntityRef, Share] = field(default_factory=dict)
    """Each golden path: the components on it of all components."""
    since: str | None = None
    """The earlier build new components are counted from (ISO date), if any."""
    new: Share | None = None
    """New components since :attr:`since` that started from a template."""
    exceptions: list[ExceptionRow] = field(default_factory=list)
    silent: list[EntityRef] = field(default_factory=list)
    added: dict[EntityRef, str] = field(default_factory=dict)
    """When each entity was first shown (ISO dates), for ``history.json``."""

    def point(self) -> dict:
        """This build's figures as one trend point (``history.json``'s ``adoption``)."""
        off = sum(1 for s in self.standings.values() if s.status == "off-road")
        return {"date": self.date.isoformat(), "components": self.overall.total,
                "on_path": self.overall.on, "off_road": off, "silent": len(self.silent),
                "teams": {str(ref): [s.on, s.total] for ref, s in self.teams.items()}}


def with_history(catalog: Catalog, today: datetime.date, history: dict[EntityRef, dict],
                 section: object, since: str | None = None) -> tuple[Adoption, dict]:
    """The figures on ``today`` with what earlier builds recorded, and the history to keep.

    Args:
        history: The previous build's entities (:func:`generator.history.load_history`):
            their ``added`` dates say which components are new.
        section: Its :data:`HISTORY_KEY` section (untrusted; anything malformed is dropped).
        since: The earlier build new components are counted from (ISO date); by
            default the latest build before ``today`` in the trend.

    Returns:
        The :class:`Adoption` and the new section, whose ``points`` end with this build's
        (one a day, the newest :data:`generator.history.TREND_POINTS`).
    """
    data = section if isinstance(section, dict) else {}
    points = [p for p in data.get("points", []) if isinstance(p, dict)
              and isinstance(p.get("date"), str) and _iso_date(p["date"]) is not None] \
        if isinstance(data.get("points"), list) else []
    began: dict[EntityRef, str] = {}
    recorded = data.get("off_road_since")
    for text, date in (recorded.items() if isinstance(recorded, dict) else ()):
        try:
            if isinstance(date, str) and _iso_date(date) is not None:
                began[parse_ref(text)] = date
        except InvalidRef:
            continue
    day = today.isoformat()
    if since is None:
        since = max((p["date"] for p in points if p["date"] < day), default=None)
    adoption = analyse_adoption(catalog, today, added=first_seen(history, catalog.entities, day),
                                since=since, off_road_since=began)
    return adoption, {
        "points": append_point(points, adoption.point()),
        "off_road_since": {str(row.ref): row.since for row in adoption.exceptions}}


def trend(points: Sequence[dict], team: EntityRef | None = None) -> list[tuple[str, Share]]:
    """The share on a golden path at each point: the organisation's, or one team's."""
    out = []
    for p in points:
        if team is None:
            on, total = p.get("on_path"), p.get("components")
        else:
            pair = p.get("teams", {}).get(str(team)) if isinstance(p.get("teams"), dict) \
                else None
            on, total = pair if isinstance(pair, list) and len(pair) == 2 else (None, None)
        if isinstance(on, int) and isinstance(total, int) and 0 <= on <= total:
            out.append((p["date"], Share(on, total)))
    return out


def golden_path(entity: Entity, templates: Mapping[str, EntityRef]) -> EntityRef | None:
    """The template ``pavedroad.dev/golden-path`` names, by ref, name or title; else ``None``.

    ``templates`` maps each template's ref, name and title (lowercase) to its ref.
    """
    value = entity.annotations.get(GOLDEN_PATH, "").strip()
    if not value:
        return None
    try:
        ref = parse_ref(value, default_kind="template", default_namespace=entity.namespace)
        found = templates.get(str(ref))
        if found is not None:
            return found
    except InvalidRef:
        pass
    return templates.get(" ".join(value.split()).lower())


def template_names(catalog: Catalog) -> dict[str, EntityRef]:
    """Each template's ref, then name and title (lowercase), to its ref (first wins)."""
    names: dict[str, EntityRef] = {}
    templates = catalog.of_kind("template")
    for t in templates:
        names[str(t.ref)] = t.ref
    for t in templates:
        for key in (t.ref.name, " ".join(t.title.split()).lower()):
            names.setdefault(key, t.ref)
    return names


def off_road(entity: Entity) -> OffRoad | None:
    """The declared exception, or ``None`` without ``pavedroad.dev/off-road``."""
    notes = entity.annotations
    if OFF_ROAD not in notes:
        return None
    approver_text = notes.get(APPROVED_BY, "").strip()
    approver = None
    if approver_text:
        try:
            approver = parse_ref(approver_text, default_kind="group",
                                 default_namespace=entity.namespace)
        except InvalidRef:
            approver = None
    until_text = notes.get(UNTIL, "").strip()
    return OffRoad(" ".join(notes[OFF_ROAD].split()), approver_text, approver, until_text,
                   _iso_date(until_text))


def _iso_date(text: str) -> datetime.date | None:
    """``YYYY-MM-DD`` as a date; anything else ``None``.

    >>> _iso_date("2027-01-31"), _iso_date("2027-1-31"), _iso_date("soon")
    (datetime.date(2027, 1, 31), None, None)
    """
    if len(text) != 10:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def standing(catalog: Catalog, entity: Entity, templates: Mapping[str, EntityRef]) -> Standing:
    """Where one component stands."""
    made = source_template(entity)
    owners = catalog.related(entity.ref, "ownedBy")
    systems = [r for r in catalog.related(entity.ref, "partOf") if r.kind == "system"]
    return Standing(entity.ref, owners[0] if owners else None,
                    systems[0] if systems else None,
                    made if made is not None else golden_path(entity, templates),
                    made is not None, off_road(entity))


def analyse_adoption(catalog: Catalog, today: datetime.date, *,
                     added: Mapping[EntityRef, str] | None = None,
                     since: str | None = None,
                     off_road_since: Mapping[EntityRef, str] | None = None) -> Adoption:
    """The adoption figures of ``catalog`` on ``today``.

    Args:
        added: When each entity was first shown (ISO dates, from the history);
            entities missing are counted as not new.
        since: The earlier build (ISO date) new components are counted from:
            those added after it. ``None``: no new-component figure.
        off_road_since: When each exception was first seen (ISO dates);
            a missing one started today.
    """
    templates = template_names(catalog)
    result = Adoption(today)
    for entity in catalog.of_kind("component"):
        result.standings[entity.ref] = standing(catalog, entity, templates)
    stands = list(result.standings.values())
    result.overall = Share(sum(1 for s in stands if s.status == "on-path"), len(stands))
    result.teams = _team_shares(catalog, stands)
    result.systems = _shares(stands, lambda s: s.system)
    total = len(stands)
    counts: dict[EntityRef, int] = defaultdict(int)
    for s in stands:
        if s.status == "on-path" and s.path is not None:
            counts[s.path] += 1
    known = {t.ref: 0 for t in catalog.of_kind("template")}
    result.paths = {ref: Share(n, total) for ref, n in sorted({**known, **counts}.items())}
    result.added = dict(added or {})
    if since is not None and added is not None:
        new = [s for s in stands if added.get(s.ref, "") > since]
        result.since = since
        result.new = Share(sum(1 for s in new if s.from_template), len(new))
    first = off_road_since or {}
    today_text = today.isoformat()
    for s in stands:
        if s.off_road is not None:
            began = first.get(s.ref, today_text)
            age = (today - (_iso_date(began) or today)).days
            expired = s.off_road.until is not None and s.off_road.until < today
            result.exceptions.append(ExceptionRow(s.ref, s.owner, s.off_road, began,
                                                  max(age, 0), expired))
        elif s.path is None:
            result.silent.append(s.ref)
    return result


def _shares(stands: list[Standing], key: object) -> dict[EntityRef, Share]:
    on: dict[EntityRef, int] = defaultdict(int)
    total: dict[EntityRef, int] = defaultdict(int)
    for s in stands:
        group = key(s)  # type: ignore[operator]
        if group is not None:
            total[group] += 1
            on[group] += s.status == "on-path"
    return {ref: Share(on[ref], total[ref]) for ref in sorted(total)}


def _team_shares(catalog: Catalog, stands: list[Standing]) -> dict[EntityRef, Share]:
    """Each group's share, its child groups' components included (through ``childOf``)."""
    on: dict[EntityRef, int] = defaultdict(int)
    total: dict[EntityRef, int] = defaultdict(int)
    ancestors: dict[EntityRef, list[EntityRef]] = {}
    for s in stands:
        if s.owner is None or s.owner.kind != "group":
            continue
        if s.owner not in ancestors:
            ancestors[s.owner] = _with_ancestors(catalog, s.owner)
        for group in ancestors[s.owner]:
            total[group] += 1
            on[group] += s.status == "on-path"
    return {ref: Share(on[ref], total[ref]) for ref in sorted(total)}


def _with_ancestors(catalog: Catalog, group: EntityRef) -> list[EntityRef]:
    """``group`` and its parents up the tree, each once (a cycle ends the walk)."""
    seen = [group]
    frontier = [group]
    while frontier:
        parents = [p for g in frontier for p in catalog.related(g, "childOf")
                   if p.kind == "group" and p not in seen]
        parents = list(dict.fromkeys(parents))
        seen.extend(parents)
        frontier = parents
    return seen


def adoption_problems(catalog: Catalog, today: datetime.date) -> list[Problem]:
    """Unknown golden paths and off-road declarations that owe something.

    Warnings: ``unknown-golden-path``, ``off-road-reason-short`` (under
    :data:`MIN_REASON` characters), ``off-road-approver-unknown`` (not a
    group or user in the catalog), ``off-road-until-invalid`` (not
    ``YYYY-MM-DD``) and ``off-road-expired`` (before the build date).
    """
    templates = template_names(catalog)
    problems = []
    for ref, entity in catalog.entities.items():
        notes = entity.annotations
        if GOLDEN_PATH not in notes and OFF_ROAD not in notes:
            continue
        def warn(code: str, message: str, entity: Entity = entity) -> None:
            prov = entity.provenance
            problems.append(Problem(Severity.WARNING, code, message, file=prov.file,
                                    line=prov.line, entity=str(entity.ref), repo=prov.repo))

        if GOLDEN_PATH in notes and golden_path(entity, templates) is None:
            value = notes[GOLDEN_PATH].strip()[:80]
            warn("unknown-golden-path",
                 f"annotation {GOLDEN_PATH}: '{value}' is not a golden path this portal "
                 "knows; name a Template by ref or name (the golden-paths page lists them)")
        exception = off_road(entity)
        if exception is None:
            continue
        if len(exception.reason) < MIN_REASON:
            warn("off-road-reason-short",
                 f"annotation {OFF_ROAD}: a reason of at least {MIN_REASON} characters is "
                 f"owed (got '{exception.reason[:40]}'); say why this {ref.kind} leaves the "
                 "paved road")
        if exception.approver_text and (
                exception.approved_by is None
                or exception.approved_by.kind not in ("group", "user")
                or exception.approved_by not in catalog.entities):
            warn("off-road-approver-unknown",
                 f"annotation {APPROVED_BY}: '{exception.approver_text[:80]}' is not a group "
                 "or user in the catalog")
        if exception.until_text and exception.until is None:
            warn("off-road-until-invalid",
                 f"annotation {UNTIL}: '{exception.until_text[:40]}' is not a date; write "
                 "it as YYYY-MM-DD")
        elif exception.until is not None and exception.until < today:
            warn("off-road-expired",
                 f"the off-road exception ended on {exception.until.isoformat()} (build "
                 f"date {today.isoformat()}); return to a golden path, or renew it with a "
                 f"later {UNTIL}")
    return problems
