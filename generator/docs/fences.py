"""Drawing the Graphviz fences of every docs page, within a time budget, cached.

:func:`draw_fences` runs once per build, after the docs stage found each
page's fences (:mod:`generator.docs.graphviz`), and keeps each result in the
page's link map under ``("dot", key)`` for the renderer.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.docs.graphviz import OVER_BUDGET, TIMEOUT, as_code, draw_dot, fence_key, refusal
from generator.problems import Problem, Severity
from generator.sources import repo_path

if TYPE_CHECKING:
    from generator.docs.model import Docs

__all__ = ["FenceBudget", "draw_fences"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FenceBudget:
    """Seconds of ``dot`` the Graphviz fences may take: per page, and in all per build."""

    page: float = 10.0
    build: float = 60.0


class _Cache:
    """Drawn fences as files ``ab/abcd….html``, and ``….late`` holding the seconds a fence
    was given and did not finish in; one that cannot be written is warned about once and
    left alone."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, key: str, suffix: str) -> Path | None:
        return self.root / key[:2] / f"{key}{suffix}" if self.root is not None else None

    def _read(self, key: str, suffix: str) -> str | None:
        path = self._path(key, suffix)
        try:
            return path.read_text(encoding="utf-8") if path is not None else None
        except (OSError, UnicodeDecodeError):
            return None

    def get(self, key: str) -> str | None:
        return self._read(key, ".html")

    def late(self, key: str) -> float:
        """Seconds a fence was given before without finishing (0: never)."""
        try:
            return float(self._read(key, ".late") or 0)
        except ValueError:
            return 0.0

    def put(self, key: str, html: str, suffix: str = ".html") -> None:
        path = self._path(key, suffix)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(html)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("the Graphviz fence cache cannot be written (%s); fences are drawn "
                        "without caching", exc.strerror or exc)
            self.root = None


def draw_fences(docs: Docs, cache_dir: Path | None = None,
                budget: FenceBudget | None = None) -> list[Problem]:
    """Draw every docs page's Graphviz fences into its link map, within ``budget``.

    Pages are drawn in site order, each distinct fence once; a fence found
    in ``cache_dir`` costs nothing. When a page's or the build's seconds are
    spent, the fences left are shown as code and the page gets one warning.
    """
    budget = budget or FenceBudget()
    cache = _Cache(cache_dir)
    drawn: dict[str, str] = {}
    problems: list[Problem] = []
    build_left = budget.build
    for site in docs.sites.values():
        for page in site.pages.values():
            page_left = budget.page
            late = 0
            for source in page.fences:
                key = fence_key(source)
                html = drawn.get(key) or cache.get(key) or refusal(source)
                if html is None:
                    allowed = min(TIMEOUT, page_left, build_left)
                    if allowed > cache.late(key):  # not known to need more than that
                        start = time.monotonic()
                        html = draw_dot(source, allowed)
                        spent = time.monotonic() - start
                        page_left, build_left = page_left - spent, build_left - spent
                        cache.put(key, html or f"{allowed:g}", ".html" if html else ".late")
                    if html is None:
                        late += 1
                        page.links[("dot", key)] = as_code(source, OVER_BUDGET)
                        continue
                drawn[key] = page.links[("dot", key)] = html
            if late:
                problems.append(Problem(
                    Severity.WARNING, "docs-graphviz-budget",
                    f"'{page.source}': {late} Graphviz graph(s) are shown as code: drawing "
                    f"them went past the time allowed ({TIMEOUT:g} s a graph, "
                    f"{budget.page:g} s a page, {budget.build:g} s a build); simplify them "
                    "or split the page", file=repo_path(site.repo, page.source),
                    entity=str(site.ref), repo=site.repo.name))
    return problems
