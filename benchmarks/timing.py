"""How long a child process takes: wall time, CPU time and peak memory, the benchmarks' one way.

CPU time (user + system of the child alone, from ``os.wait4``) is the figure to
compare on a machine shared with other work; wall time is what a user waits.
:func:`process_cpu` reads the CPU time of a process that is still running (a
server at the moment it answered), :func:`child_pids` finds one that a library
started for us.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Timed", "child_pids", "median", "process_cpu", "timed"]


@dataclass(frozen=True)
class Timed:
    """One run of a child process."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system CPU seconds of the child (and of children it waited for)."""
    peak: int
    """Peak resident memory in bytes."""
    returncode: int


def timed(command: Sequence[str], *, cwd: Path | str | None = None,
          env: dict[str, str] | None = None, ok: Sequence[int] | None = (0,)) -> Timed:
    """Run ``command`` with its output discarded; raise ``SystemExit`` unless it exits
    with one of ``ok`` (``None``: any status)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=sink, stderr=sink)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if ok is not None and code not in ok:
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, code)


def median(runs: Sequence[Timed]) -> Timed:
    """Median wall and CPU time of ``runs``, their highest peak, the last exit status."""
    return Timed(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
                 max(r.peak for r in runs), runs[-1].returncode)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pids() -> list[int]:
    """The process ids of this process's children (Linux ``/proc``)."""
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids
