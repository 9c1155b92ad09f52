"""Graphviz fences in docs: a ```dot (or ```graphviz) block drawn as inline SVG, offline.

The DOT text is the repository's, so it is untrusted: a graph with an
attribute that makes Graphviz read files (``image``, ``shapefile``,
``imagepath``, ``fontpath``, ``<IMG SRC>`` in an HTML label) on any graph,
subgraph, node or edge is refused, ``dot`` runs in Graphviz's server mode with
no file path, with a size limit and a timeout, and the SVG goes
through the page's ``docs_html`` sanitiser (nh3) like any other HTML.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pydot

from generator.graph.diagrams import graphviz_available, render_svgs

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["FENCES", "MAX_SOURCE", "READS_FILES", "dot_fence", "reads_files"]

MAX_SOURCE = 50_000
"""Most characters in one fence; a larger graph is shown as code."""
TIMEOUT = 10.0
READS_FILES = frozenset({"image", "shapefile", "imagepath", "fontpath"})
"""Graphviz attributes that name files to read."""
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_JOINED = re.compile(r'\\\r?\n|"[ \t\r\n]*\+[ \t\r\n]*"')
"""DOT's line continuations and ``"a" + "b"`` concatenations, which can split a name."""
_MAY_READ = re.compile(r"image|shapefile|fontpath|img", re.IGNORECASE)


def reads_files(source: str) -> bool | None:
    """Whether the graph ``source`` has an attribute that reads files; ``None``: unparsable.

    The graph is parsed (pydot) and every attribute of the graph, its
    subgraphs, nodes, edges and defaults is checked, so the words merely
    appearing in a label do not count. Parsing is slow (pydot, about 8 kB per
    second of CPU), so it is skipped when none of the names occurs at all.

    >>> reads_files('digraph { a [label="image=x.png"] }'), reads_files('digraph { a [image=x] }')
    (False, True)
    """
    if not _MAY_READ.search(_JOINED.sub("", source)):
        return False
    with contextlib.redirect_stdout(io.StringIO()):  # pydot prints parse errors
        try:
            graphs = pydot.graph_from_dot_data(source)
        except Exception:
            graphs = None
    if not graphs:
        return None
    for graph in graphs:
        for attributes in _attribute_sets(graph):
            for name, value in attributes.items():
                if name.strip('"') in READS_FILES:
                    return True
                if name.strip('"') == "label" and _html_label_has_img(str(value)):
                    return True
    return False


def _attribute_sets(graph: pydot.Graph) -> Iterator[dict[str, Any]]:
    """The attributes of ``graph``, its defaults, nodes and edges, and its subgraphs'."""
    yield graph.get_attributes()
    for node in graph.get_nodes():  # ``node [...]``, ``edge [...]``, ``graph [...]`` too
        yield node.get_attributes()
    for edge in graph.get_edges():
        yield edge.get_attributes()
    for sub in graph.get_subgraphs():
        yield from _attribute_sets(sub)


class _ImgFinder(HTMLParser):
    found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found = self.found or tag == "img"


def _html_label_has_img(value: str) -> bool:
    """Whether an HTML-like label (``<...>``) has an ``<IMG>`` element (it reads ``SRC``)."""
    if not value.startswith("<"):
        return False
    finder = _ImgFinder()
    finder.feed(value[1:-1])
    finder.close()
    return finder.found


def _as_code(source: str, note: str) -> str:
    return (f'<div class="pr-note">{escape(note)}</div>'
            f'<pre><code class="language-dot">{escape(source)}</code></pre>')


def dot_fence(source: str, language: str, css_class: str, options: dict, md: Any,
              **kwargs: Any) -> str:
    """A superfences formatter: the fence's graph as SVG, or its source with a note."""
    if len(source) > MAX_SOURCE:
        return _as_code(source, f"This graph is larger than {MAX_SOURCE:,} characters, "
                                "so it is shown as code.")
    reads = reads_files(source)
    if reads is None:
        return _as_code(source, "Graphviz could not draw this graph; check its syntax.")
    if reads:
        return _as_code(source, "Graphs that read files (image, shapefile, fontpath, IMG SRC) "
                                "are shown as code.")
    if not graphviz_available():
        return _as_code(source, "Graphviz is not installed where the portal was built.")
    with tempfile.TemporaryDirectory() as empty:  # server mode: no file but those in here
        env = {**os.environ, "SERVER_NAME": "pavedroad", "GV_FILE_PATH": empty}
        svg = render_svgs({"fence": source}, None, workers=1, timeout=TIMEOUT, env=env)["fence"]
    if svg is None:
        return _as_code(source, "Graphviz could not draw this graph; check its syntax.")
    svg = _TITLE.sub("", svg)  # Graphviz's ids (``%3``, ``a&#45;&gt;b``), not the author's text
    return f'<div class="pr-diagram pr-docs-diagram">\n{svg}</div>'


FENCES = [{"name": name, "class": "graphviz", "format": "generator.docs.graphviz:dot_fence"}
          for name in ("dot", "graphviz")]
"""``pymdownx.superfences`` custom fences (``format`` as a ``module:name`` setting)."""
