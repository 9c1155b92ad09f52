"""History: what a previous build showed, so removed entities keep a page.

Each build publishes ``history.json`` (every entity the portal has ever
shown, :data:`generator.urls.HISTORY_EXPORT`); :func:`load_history` reads the
previous build's copy. A missing or
broken file is a problem, never a traceback.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.repofiles import read_text_file

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["load_history"]


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
            history[ref] = {k: str(item[k]) for k in ("title", "owner", "kind", "location")
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
