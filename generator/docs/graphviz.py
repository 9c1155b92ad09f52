"""Graphviz fences in docs: a ```dot (or ```graphviz) block drawn as inline SVG, offline.

The DOT text is the repository's, so it is untrusted: attributes that make
Graphviz read files (``image``, ``shapefile``, ``imagepath``, ``fontpath``,
``<IMG SRC>`` in HTML labels) are refused, ``dot`` runs in Graphviz's server
mode with no file path, with a size limit and a timeout, and the SVG goes
through the page's ``docs_html`` sanitiser like any other HTML.
"""

from __future__ import annotations

import os
import re
import tempfile
from html import escape
from typing import Any

from generator.graph.diagrams import graphviz_available, render_svgs

__all__ = ["FENCES", "MAX_SOURCE", "dot_fence"]

MAX_SOURCE = 50_000
"""Most characters in one fence; a larger graph is shown as code."""
TIMEOUT = 10.0
_READS_FILES = re.compile(r"\b(?:image|shapefile|imagepath|fontpath|src)\s*=", re.IGNORECASE)


def _as_code(source: str, note: str) -> str:
    return (f'<div class="pr-note">{escape(note)}</div>'
            f'<pre><code class="language-dot">{escape(source)}</code></pre>')


def dot_fence(source: str, language: str, css_class: str, options: dict, md: Any,
              **kwargs: Any) -> str:
    """A superfences formatter: the fence's graph as SVG, or its source with a note."""
    if len(source) > MAX_SOURCE:
        return _as_code(source, f"This graph is larger than {MAX_SOURCE:,} characters, "
                                "so it is shown as code.")
    if _READS_FILES.search(source):
        return _as_code(source, "Graphs that read files (image, shapefile, fontpath, IMG SRC) "
                                "are shown as code.")
    if not graphviz_available():
        return _as_code(source, "Graphviz is not installed where the portal was built.")
    with tempfile.TemporaryDirectory() as empty:  # server mode: no file but those in here
        env = {**os.environ, "SERVER_NAME": "pavedroad", "GV_FILE_PATH": empty}
        svg = render_svgs({"fence": source}, None, workers=1, timeout=TIMEOUT, env=env)["fence"]
    if svg is None:
        return _as_code(source, "Graphviz could not draw this graph; check its syntax.")
    return f'<div class="pr-diagram pr-docs-diagram">\n{svg}</div>'


FENCES = [{"name": name, "class": "graphviz", "format": "generator.docs.graphviz:dot_fence"}
          for name in ("dot", "graphviz")]
"""``pymdownx.superfences`` custom fences (``format`` as a ``module:name`` setting)."""
