"""When and from which commit the site was generated (the footer's build stamp).

Both come from the portal project's own git repository unless the
environment says otherwise, so rebuilds of the same input are byte-identical.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from generator.git import git_output

__all__ = ["build_stamp", "source_date_epoch"]


def source_date_epoch(base: Path) -> str:
    """The time of the last commit of ``base``'s repository (``"0"`` outside one)."""
    value = git_output(base, "log", "-1", "--format=%ct")
    return value if value.isdigit() else "0"


def build_stamp(base: Path) -> dict[str, str]:
    """``generated`` (from ``$SOURCE_DATE_EPOCH``) and ``commit`` (12 hex digits, or ``""``).

    The commit is ``$PAVEDROAD_COMMIT``, else ``$GITHUB_SHA``, else ``base``'s ``HEAD``.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    when = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    commit = os.environ.get("PAVEDROAD_COMMIT") or os.environ.get("GITHUB_SHA") or git_output(
        base, "rev-parse", "HEAD")
    return {"generated": when.strftime("%Y-%m-%d %H:%M UTC"), "commit": commit[:12]}
