"""Small line charts drawn at build time: an inline SVG and the table of its points.

No script runs: the SVG is plain markup with a ``<title>`` and an
``aria-labelledby`` pointing at it, its colours are classes the site's CSS
sets from Material's variables (legible in the light and the dark scheme),
and the same points are given as a table beside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markupsafe import Markup

    from generator.pages.renderer import Renderer

__all__ = ["Chart", "ChartPoint", "chart_html", "line_chart"]

WIDTH, HEIGHT = 480, 160
"""The drawing's size in SVG units (it scales to the column)."""
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 12, 10, 26


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One point: its date, its value in per cent and where it is drawn."""

    date: str
    value: float
    label: str
    """The value as the table shows it, e.g. ``3 of 4 (75%)``."""
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Chart:
    """A line chart of per-cent values over build dates."""

    id: str
    """Unique on its page: the SVG's title is ``<id>-title``."""
    title: str
    points: tuple[ChartPoint, ...]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        """The line's ``points`` attribute."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def grid(self) -> tuple[tuple[int, float], ...]:
        """The 0, 50 and 100 % lines: (value, y)."""
        return tuple((v, _y(v, self.height)) for v in (0, 50, 100))

    @property
    def left(self) -> int:
        return _LEFT

    @property
    def right(self) -> int:
        return self.width - _RIGHT

    @property
    def axis_y(self) -> int:
        return self.height - 8


def _y(value: float, height: int) -> float:
    return round(_TOP + (100 - value) / 100 * (height - _TOP - _BOTTOM), 1)


def line_chart(chart_id: str, title: str,
               values: Sequence[tuple[str, float, str]]) -> Chart:
    """A chart of ``(ISO date, per cent, label)`` points, spaced by date.

    >>> c = line_chart("c", "Share", [("2026-01-01", 0, "0"), ("2026-01-03", 100, "1")])
    >>> c.polyline
    '40,134 468,10'
    """
    days = [datetime.date.fromisoformat(d).toordinal() for d, _, _ in values]
    first, span = (days[0], max(days[-1] - days[0], 1)) if days else (0, 1)
    inner = WIDTH - _LEFT - _RIGHT
    points = []
    for (date, value, label), day in zip(values, days, strict=True):
        x = round(_LEFT + inner / 2 if len(values) == 1 else
                  _LEFT + (day - first) / span * inner, 1)
        points.append(ChartPoint(date, value, label, x, _y(max(0.0, min(100.0, value)),
                                                          HEIGHT)))
    return Chart(chart_id, title, tuple(points))


def chart_html(renderer: Renderer, chart: Chart) -> Markup:
    """The chart as a figure: the SVG and the table of its points."""
    return renderer.html("adoption/chart.html.j2", chart=chart)
