"""A diagram on a page: scaled to its box, scrollable when that would make it unreadable,
named for screen readers, with a legend and, when wide, a link to the full-size drawing.

The SVG comes from :mod:`generator.graph.diagrams` (Graphviz); only its size, its node
classes and its links' titles are read here, all of which Graphviz wrote escaped.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from generator.graph.diagrams import KIND_STYLES, SHAPE_NAMES

__all__ = ["FULL_SIZE_WIDTH", "MIN_SCALE", "diagram_box", "svg_width"]

MIN_SCALE = 0.75
"""Smallest scale a diagram is drawn at (its 10 pt text at 7.5 pt); below it the box scrolls."""
FULL_SIZE_WIDTH = 520.0
"""Width (pt) beyond which a diagram is scaled down in the content column (about 690 px),
so the page links to the full-size drawing too."""
NAMES_IN_LABEL = 20
"""Entities named in a diagram's accessible name; the rest are counted."""

_SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_LINK_TITLE = re.compile(r'xlink:title="([^"]*)"')
_KINDS = re.compile(r'class="node pr&#45;k&#45;([a-z0-9]+)')


def svg_width(svg: str) -> float | None:
    """The drawing's width in points, as Graphviz wrote it."""
    size = _SVG_SIZE.search(svg)
    return float(size.group(1)) if size else None


def _names(svg: str) -> list[str]:
    """Titles of the linked nodes (already XML-escaped by Graphviz), each once, in order."""
    seen: dict[str, None] = {}
    for title in _LINK_TITLE.findall(svg):
        seen.setdefault(title.split("&#10;")[0].strip())
    return [name for name in seen if name]


def _legend(svg: str, rollup: bool) -> str:
    kinds = sorted(set(_KINDS.findall(svg)), key=lambda k: list(KIND_STYLES).index(k)
                   if k in KIND_STYLES else len(KIND_STYLES))
    items = []
    for kind in kinds:
        shape, fill = KIND_STYLES.get(kind, ("box", "white"))
        items.append(f'<li><span class="pr-swatch pr-k-{escape(kind)}" style="--pr-swatch: '
                     f'{fill}"></span>{escape(kind)}: {SHAPE_NAMES.get(shape, shape)}</li>')
    if rollup:
        items.append("<li>An arrow: parts of one system need parts of the other; its label "
                     "counts those dependencies</li>")
    else:
        items.append("<li>Thick outline: this entity; dashed: deprecated or not in the "
                     "catalog</li><li>An arrow's label names the relation (dependsOn: needs "
                     "to work, providesApi, consumesApi, ownedBy, partOf …)</li>")
    return '<ul class="pr-legend">' + "".join(items) + "</ul>"


def diagram_box(svg: str, label: str, *, rollup: bool = False,
                full_size: str | None = None) -> Markup:
    """``svg`` in a focusable, labelled box, with its legend (``label``: plain text).

    ``full_size``: the URL of the drawing on its own, linked under a wide diagram.
    """
    names = _names(svg)
    shown = ", ".join(names[:NAMES_IN_LABEL])
    if len(names) > NAMES_IN_LABEL:
        shown += f" and {len(names) - NAMES_IN_LABEL} more"
    name = f"{escape(label)}: {shown}" if shown else escape(label)
    width = svg_width(svg)
    style = f' style="min-width: {width * MIN_SCALE:.0f}pt"' if width else ""
    svg = svg.replace("<svg ", f'<svg role="group" aria-label="{name}"{style} ', 1)
    link = ""
    if full_size is not None and width is not None and width > FULL_SIZE_WIDTH:
        link = (f' <a class="pr-diagram-full" href="{escape(full_size)}">Open the diagram '
                "full size</a>")
    return Markup(f'<figure class="pr-diagram-figure">'
                  f'<div class="pr-diagram" tabindex="0" role="region" '
                  f'aria-label="{escape(label)} (scrolls when wider than the page)">\n{svg}\n'
                  f"</div><figcaption>{_legend(svg, rollup)}{link}</figcaption></figure>")
