"""Run a per-item function over a list on every core: the later parts in forked processes.

Entity pages are independent of each other and cost a few milliseconds each, the
largest stage of an organisation-sized build after MkDocs itself. :func:`split_map`
gives each extra core every n-th item (n cores) in a child process forked
from this one (so it sees the whole catalog without copying it), computes the
first part itself meanwhile, and reads the children's results back in order: the
output is the same list, in the same order, as a plain loop's. A child that fails
costs only time: its part is computed again here. Where ``fork`` does not exist,
or the work is too small to be worth a process, it is a plain loop.

:func:`in_background` runs work whose only effect is files (a cache's save) in a forked
child, on the other core, while the build goes on; :func:`wait_background` (also run at
exit) waits for it, so the files are whole before the next build reads them.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["MIN_ITEMS", "in_background", "split_map", "wait_background", "worker_count"]

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 1_000
"""Fewer items than this are computed here: a process costs more than it saves."""


def worker_count() -> int:
    """The cores this process may use (``PAVEDROAD_WORKERS`` overrides; 1 turns it off)."""
    configured = os.environ.get("PAVEDROAD_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def split_map(func: Callable[[T], R], items: Sequence[T], workers: int | None = None,
              min_items: int | None = None) -> list[R]:
    """``[func(item) for item in items]``, its parts computed in parallel."""
    workers = worker_count() if workers is None else workers
    min_items = MIN_ITEMS if min_items is None else min_items
    workers = min(workers, max(1, len(items) // max(1, min_items // 2)))
    if workers < 2 or len(items) < min_items or not hasattr(os, "fork"):
        return [func(item) for item in items]
    # Every ``workers``-th item to each part, not contiguous runs: items come grouped (a
    # catalog's entities kind by kind), and a kind's pages cost more than another's.
    parts = [items[i::workers] for i in range(workers)]
    children = []
    gc.freeze()  # the parent's objects stay shared with the children, not copied on touch
    try:
        for part in parts[1:]:
            children.append((_fork(func, part), part))
    finally:
        gc.unfreeze()
    results: list = [None] * len(items)
    results[0::workers] = [func(item) for item in parts[0]]
    for i, ((pid, read), part) in enumerate(children, 1):
        results[i::workers] = _collect(pid, read, func, part)
    return results


def _fork(func: Callable[[T], R], part: Sequence[T]) -> tuple[int, int]:
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's exit code
        os.close(read)
        status = 0
        try:
            data = pickle.dumps([func(item) for item in part], pickle.HIGHEST_PROTOCOL)
        except BaseException:
            data, status = b"", 1
        try:
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int, func: Callable[[T], R], part: Sequence[T]) -> list[R]:
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0 and data:
        try:
            return pickle.loads(data)
        except Exception:
            pass
    return [func(item) for item in part]  # the child failed: its part is computed here


_pending: list[int] = []


def in_background(func: Callable[[], object]) -> None:
    """Run ``func`` in a child forked from this process, which goes on meanwhile.

    For work whose only effect is files (a cache's save): the child sees this process's
    objects as they are now, and its result and errors are dropped (the next build misses
    the cache). Where ``fork`` does not exist, or one core is all there is, it runs here.
    """
    if worker_count() < 2 or not hasattr(os, "fork"):
        func()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # as in split_map: the parent's objects stay shared, not copied on touch
    try:
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                func()
            except BaseException:
                status = 1
            os._exit(status)
    finally:
        gc.unfreeze()
    _pending.append(pid)


def wait_background() -> None:
    """Wait for every child :func:`in_background` started."""
    while _pending:
        pid = _pending.pop()
        with contextlib.suppress(ChildProcessError):  # waited for already (a SIGCHLD handler)
            os.waitpid(pid, 0)


atexit.register(wait_background)
