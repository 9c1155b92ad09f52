"""History: what a previous build showed, so removed entities keep a page.

Each build publishes ``history.json`` (every entity the portal has ever
shown, :data:`generator.urls.HISTORY_EXPORT`, and top-level sections such as
``adoption``'s trend); :func:`load_history` reads the previous build's copy
of the entities, :func:`load_section` one section. A missing or broken file
is a problem, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.repofiles import read_text_file

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["TREND_POINTS", "append_point", "first_seen", "load_history", "load_section"]

TREND_POINTS = 200
"""Points a trend keeps in ``history.json`` (the newest)."""
_FACTS = ("title", "owner", "kind", "location", "added")
"""What each entity's entry carries over; ``added`` is the build date it was first shown."""


def load_history(path: Path | None) -> tuple[dict[EntityRef, dict], list[Problem]]:
    """A previous ``history.json``: ref → last known facts. Bad files are problems."""
    if path is None:
        return {}, []
    shown = path.name  # published on the health page: never a path of the build machine
    try:
        data = json.loads(read_text_file(path, 256 << 20))
        entries = data["entities"]
        history = {}
        for item in entries:
            ref = parse_ref(item["ref"])
            history[ref] = {k: str(item[k]) for k in _FACTS
                            if isinstance(item.get(k), str)}
        return history, []
    except FileNotFoundError:
        return {}, [Problem(Severity.INFO, "history-missing",
                            f"no history file at {shown} yet; this build starts one",
                            file=shown)]
    except (OSError, ValueError, KeyError, TypeError, InvalidRef, RecursionError) as exc:
        return {}, [Problem(Severity.WARNING, "history-invalid",
                            "the history file is not a Paved Road history.json "
                            f"({getattr(exc, 'strerror', None) or exc}); "
                            "removed entities get no page this time", file=shown)]


def load_section(path: Path | None, key: str) -> object:
    """The top-level ``key`` of a previous ``history.json``; ``None`` when absent or unreadable.

    :func:`load_history` reports a broken file; the value is untrusted data.
    """
    if path is None:
        return None
    try:
        data = json.loads(read_text_file(path, 256 << 20))
    except (OSError, ValueError, RecursionError):
        return None
    return data.get(key) if isinstance(data, dict) else None


def first_seen(history: dict[EntityRef, dict], refs: Iterable[EntityRef],
               today: str) -> dict[EntityRef, str]:
    """When each of ``refs`` was first shown: its history's ``added``, else ``today``.

    An entity in a history written before ``added`` existed has no date.
    """
    out = {}
    for ref in refs:
        last = history.get(ref)
        added = today if last is None else last.get("added")
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
