"""Progress of long steps on stderr: a bar on a terminal, plain lines in CI logs.

Nothing is shown for the first second, so short runs stay quiet. On a
terminal (and without ``CI`` set) one line is redrawn in place; otherwise a
plain line is written every few seconds and once at the end.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Counts finished items of a known total."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, *,
                 delay: float = 1.0, interval: float = 5.0) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.interval = interval
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._shown = False
        self._last = self.started
        isatty = getattr(self.stream, "isatty", None)
        self.bar = bool(isatty and isatty()) and not os.environ.get("CI")
        """Redraw one line in place (a terminal) rather than print plain lines."""

    def advance(self, *, failed: bool = False) -> None:
        """One more item finished."""
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.started < self.delay or (self.done == self.total and not self.bar):
            return  # quiet at first; the last count is written by close()
        if self.bar:
            self._write(f"\r{self._line(bar=True)}")
        elif not self._shown or now - self._last >= self.interval:
            self._write(f"{self._line()}\n")
        self._last = now

    def close(self) -> None:
        """End the display, with a final count when anything was shown."""
        if not self._shown:
            return
        seconds = time.monotonic() - self.started
        line = f"{self._line()} in {seconds:.1f} s"
        self._write(f"\r{line}\x1b[K\n" if self.bar else f"{line}\n")

    def _line(self, *, bar: bool = False) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        if not bar:
            return f"{self.label}: {self.done}/{self.total}{failed}"
        width = 30
        filled = width * self.done // max(self.total, 1)
        return f"{self.label} [{'#' * filled}{'.' * (width - filled)}] " \
               f"{self.done}/{self.total}{failed}"

    def _write(self, text: str) -> None:
        self._shown = True
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass
