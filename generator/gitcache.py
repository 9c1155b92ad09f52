"""The cache of git copies: one run at a time, and copies no source uses any more removed."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["cache_lock", "prune"]

log = logging.getLogger("pavedroad.git")


def prune(cache_dir: Path, used: set[Path], after: float, marker: str) -> None:
    """Delete half-written clones, and copies unused for ``after`` seconds.

    A copy this run does not need may belong to another portal sharing the
    cache, so it goes only once nothing has used it for that long.
    """
    now = time.time()
    for name in os.listdir(cache_dir):
        path = cache_dir / name
        if ".tmp-" in name:  # a clone that a killed run left half-written
            shutil.rmtree(path, ignore_errors=True)
            continue
        if path in used or not path.is_dir() or path.is_symlink():
            continue
        try:
            last = (path / ".git" / marker).stat().st_mtime
        except OSError:
            last = path.stat().st_mtime  # damaged: no marker
        if now - last > after:
            log.info("removing %s from the cache: no source has used it for %.0f days",
                     name, after / 86_400)
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def cache_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the cache for this process, so two runs never repair each other's work."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(cache_dir / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
