"""History: what earlier builds showed, so removed entities keep a page and changes show.

Each build publishes ``history.json`` (:data:`generator.urls.HISTORY_EXPORT`)::

    {"entities": [{"ref": …, "title": …, "owner": …, "kind": …, "location": …,
                   "lifecycle": …, "system": …, "tier": …, "level": …, "added": date,
                   "relations": {"dependsOn": [ref, …], …}, "removed": true?}, …],
     "changes": {"build": N, "log": [change, …]},      # generator.changes
     "adoption": {"points": [point, …], …}}             # generator.adoption

:func:`read_history` reads the previous build's copy, :func:`history_json`
writes the next one. Every top-level key but ``entities`` is a *section*
owned by one feature, read and written whole. Files of older builds (fewer
facts per entity, no sections) stay readable: a missing fact is unknown,
never a change. A missing or broken file is a problem, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.repofiles import read_text_file

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["FACTS", "TREND_POINTS", "History", "append_point", "first_seen", "history_json",
           "load_history", "read_history"]

FACTS = ("title", "owner", "kind", "location", "lifecycle", "system", "tier", "level", "added")
"""Text facts kept per entity (``relations`` is a mapping of type → refs besides);
``added`` is the date of the build that first showed it (:func:`first_seen`)."""
TREND_POINTS = 200
"""Points a trend section keeps (the newest; :func:`append_point`)."""


@dataclass(slots=True)
class History:
    """A previous build's history.json, read."""

    entities: dict[EntityRef, dict] = field(default_factory=dict)
    """Ref → its last known facts (:data:`FACTS`, ``relations``, ``removed``)."""
    sections: dict[str, object] = field(default_factory=dict)
    """Every other top-level key (``changes``, ``adoption`` …) as it was read."""
    found: bool = False
    """Whether a history file was read at all (a first build compares nothing)."""


def read_history(path: Path | None) -> tuple[History, list[Problem]]:
    """A previous ``history.json``. Bad files are problems and an empty history."""
    if path is None:
        return History(), []
    shown = path.name  # published on the health page: never a path of the build machine
    try:
        data = json.loads(read_text_file(path, 256 << 20))
        history = History(found=True)
        for item in data["entities"]:
            history.entities[parse_ref(item["ref"])] = _facts(item)
        history.sections = {k: v for k, v in data.items() if k != "entities"}
        return history, []
    except FileNotFoundError:
        return History(), [Problem(Severity.INFO, "history-missing",
                                   f"no history file at {shown} yet; this build starts one",
                                   file=shown)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidRef,
            RecursionError) as exc:
        return History(), [Problem(Severity.WARNING, "history-invalid",
                                   "the history file is not a Paved Road history.json "
                                   f"({getattr(exc, 'strerror', None) or exc}); "
                                   "removed entities get no page this time", file=shown)]


def load_history(path: Path | None) -> tuple[dict[EntityRef, dict], list[Problem]]:
    """A previous ``history.json``: ref → last known facts. Bad files are problems."""
    history, problems = read_history(path)
    return history.entities, problems


def history_json(entities: Mapping[EntityRef, dict], sections: Mapping[str, object]) -> str:
    """The text of ``history.json``: entities in ref order, then the sections by name."""
    data: dict[str, object] = {"entities": [{"ref": str(ref), **entities[ref]}
                                            for ref in sorted(entities)]}
    data.update((key, sections[key]) for key in sorted(sections) if key != "entities")
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _facts(item: dict) -> dict:
    """One entity's facts as far as they are well-formed (older files have fewer)."""
    facts: dict = {k: item[k] for k in FACTS if isinstance(item.get(k), str)}
    relations = item.get("relations")
    if isinstance(relations, dict):
        facts["relations"] = {str(kind): sorted(str(r) for r in refs)
                              for kind, refs in relations.items() if isinstance(refs, list)}
    if item.get("removed") is True:
        facts["removed"] = True
    return facts


def first_seen(history: Mapping[EntityRef, dict], refs: Iterable[EntityRef],
               today: str) -> dict[EntityRef, str]:
    """When each of ``refs`` was first shown: its history's ``added``, else ``today``.

    An entity in a history written before ``added`` existed has no date.
    """
    out = {}
    for ref in refs:
        last = history.get(ref)
        added = today if last is None or last.get("removed") else last.get("added")
        if added:
            out[ref] = added
    return out


def append_point(points: object, point: dict, limit: int = TREND_POINTS) -> list[dict]:
    """A trend with ``point`` added: one point per ``date`` (``point`` replaces its day's),
    in date order, the newest ``limit`` kept; malformed old points are dropped.

    >>> old = [{"date": "2026-01-02", "n": 1}, {"date": "2026-01-01", "n": 0}, "x"]
    >>> [p["n"] for p in append_point(old, {"date": "2026-01-02", "n": 2}, limit=2)]
    [0, 2]
    """
    by_date = {p["date"]: p for p in (points if isinstance(points, list) else [])
               if isinstance(p, dict) and isinstance(p.get("date"), str)}
    by_date[point["date"]] = point
    return [by_date[d] for d in sorted(by_date)][-limit:]
