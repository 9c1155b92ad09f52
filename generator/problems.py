"""Problems: what is wrong with the input, as data rather than exceptions.

Every stage returns the problems it found beside its result; nothing in the
input can stop the pipeline. The command line prints them, the portal shows
them on the entity's page, and ``--strict`` turns them into a failing exit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

__all__ = ["Problem", "Severity", "format_problems", "sort_problems"]


class Severity(StrEnum):
    """How bad a problem is; ``error`` fails ``pavedroad check``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located and actionable."""

    severity: Severity
    """Error, warning or info."""
    code: str
    """Stable identifier of the kind of problem, e.g. ``invalid-name``."""
    message: str
    """What is wrong and what to do about it."""
    file: str | None = None
    """Display path of the file, as the user named it."""
    line: int | None = None
    """1-based line in ``file``; 1 when the whole file is at fault."""
    entity: str | None = None
    """Canonical ref of the entity concerned, when known."""
    repo: str | None = None
    """Name of the repository the file belongs to."""

    def __post_init__(self) -> None:
        # A problem with the whole file (binary, a symlink out …) points at its first line,
        # so that every consumer (GitHub annotations, editors) can place it.
        if self.file is not None and self.line is None:
            object.__setattr__(self, "line", 1)

    @property
    def location(self) -> str:
        """``file:line`` (or what of it is known)."""
        if self.file is None:
            return "<catalog>"
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``pavedroad check --format json``."""
        data = asdict(self)
        return {
            "severity": str(self.severity),
            "file": data["file"],
            "line": data["line"],
            "entity": data["entity"],
            "message": data["message"],
            "code": data["code"],
        }


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in a stable order: by file, line, severity and message."""
    return sorted(
        problems,
        key=lambda p: (p.file or "", p.line or 0, _RANK[p.severity], p.code, p.message),
    )


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as ``text``, ``json`` or ``github`` workflow commands."""
    problems = sort_problems(problems)
    if fmt == "json":
        return json.dumps([p.to_dict() for p in problems], indent=2)
    lines = []
    for p in problems:
        subject = f" [{p.entity}]" if p.entity else ""
        if fmt == "github":
            level = {"error": "error", "warning": "warning", "info": "notice"}[p.severity.value]
            props = []
            if p.file:
                props.append(f"file={_github_escape(p.file, prop=True)}")
            if p.line:
                props.append(f"line={p.line}")
            head = f"::{level} " + ",".join(props) if props else f"::{level}"
            lines.append(f"{head.rstrip()}::{_github_escape(p.message + subject)}")
        else:
            lines.append(f"{p.location}: {p.severity}: {p.message}{subject}")
    return "\n".join(lines)
