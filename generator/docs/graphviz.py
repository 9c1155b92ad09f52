"""Graphviz fences in docs: a ```dot (or ```graphviz) block drawn as inline SVG, offline.

The DOT text is the repository's, so it is untrusted: a graph with an
attribute that makes Graphviz read files (``image``, ``shapefile``,
``imagepath``, ``fontpath``, ``<IMG SRC>`` in an HTML label) on any graph,
subgraph, node or edge is refused, ``dot`` runs in Graphviz's server mode with
no file path, with a size limit and a timeout, and the SVG goes
through the page's ``docs_html`` sanitiser (nh3) like any other HTML.

Fences are drawn once per build, by the docs stage, not while pages render:
the stage's parse of each page (:func:`~generator.docs.render.page_links`)
finds them as ``("dot", source)`` targets, :func:`generator.docs.fences.draw_fences` draws them
under a :class:`FenceBudget` (seconds of ``dot`` per page and per build; what
is past it is shown as code, with one problem naming the page) and keeps
each result in the page's link map under ``("dot", digest)``, which the
renderer (in worker processes too) applies. Results are cached by the hash of
the source, the ``dot`` program and its options, so a warm rebuild runs
``dot`` not at all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pydot

__all__ = ["FENCES", "MAX_SOURCE", "OVER_BUDGET", "READS_FILES", "TIMEOUT", "as_code", "dot_fence",
           "draw_dot", "fence_key", "reads_files", "refusal"]

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
    import pydot  # imported only when a graph is checked

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


def as_code(source: str, note: str) -> str:
    return (f'<div class="pr-note">{escape(note)}</div>'
            f'<pre><code class="language-dot">{escape(source)}</code></pre>')


_UNDRAWABLE = "Graphviz could not draw this graph; check its syntax."
OVER_BUDGET = "This graph took too long to draw, so it is shown as code."


def refusal(source: str) -> str | None:
    """The fence as code with a note, when it is not to be drawn at all."""
    if len(source) > MAX_SOURCE:
        return as_code(source, f"This graph is larger than {MAX_SOURCE:,} characters, "
                                "so it is shown as code.")
    reads = reads_files(source)
    if reads is None:
        return as_code(source, _UNDRAWABLE)
    if reads:
        return as_code(source, "Graphs that read files (image, shapefile, fontpath, IMG SRC) "
                                "are shown as code.")
    from generator.graph.diagrams import graphviz_available

    if not graphviz_available():
        return as_code(source, "Graphviz is not installed where the portal was built.")
    return None


def draw_dot(source: str, timeout: float) -> str | None:
    """The fence's HTML drawn by one ``dot`` run; ``None`` when it took over ``timeout``."""
    program = shutil.which("dot")
    if program is None:
        return as_code(source, "Graphviz is not installed where the portal was built.")
    with tempfile.TemporaryDirectory() as empty:  # server mode: no file but those in here
        env = {**os.environ, "SERVER_NAME": "pavedroad", "GV_FILE_PATH": empty}
        try:
            done = subprocess.run([program, *_OPTIONS], input=source.encode("utf-8", "replace"),
                                  capture_output=True, timeout=max(timeout, 0.01), check=False,
                                  env=env)
        except subprocess.TimeoutExpired:
            return None
    if done.returncode != 0 or not done.stdout.strip():
        return as_code(source, _UNDRAWABLE)
    from generator.graph.diagrams import clean_svg

    svg = _TITLE.sub("", clean_svg(done.stdout.decode("utf-8", "replace")))
    # Graphviz's own ids (``%3``, ``a&#45;&gt;b``) are not the author's text
    return f'<div class="pr-diagram pr-docs-diagram">\n{svg}</div>'


_OPTIONS = ("-Tsvg",)
"""``dot``'s arguments for a fence (part of the cache key)."""


@functools.lru_cache(maxsize=8)
def dot_identity(search_path: str | None) -> str:
    """The ``dot`` on ``search_path``: path, size and modification time (no process run)."""
    program = shutil.which("dot", path=search_path)
    try:
        info = os.stat(os.path.realpath(program)) if program else None
    except OSError:
        info = None
    return f"{program}:{info.st_size}:{info.st_mtime_ns}" if info else "no-dot"


def fence_key(source: str) -> str:
    """The fence's key in a page's link map and in the cache: SHA-256 of its source, with
    the ``dot`` program (a new Graphviz draws again) and its options."""
    digest = hashlib.sha256(f"{dot_identity(os.environ.get('PATH'))}\0"
                            f"{' '.join(_OPTIONS)}\0".encode())
    digest.update(source.encode("utf-8", "replace"))
    return digest.hexdigest()


def dot_fence(source: str, language: str, css_class: str, options: dict, md: Any,
              **kwargs: Any) -> str:
    """A superfences formatter: the fence's graph as SVG, or its source with a note.

    While the docs stage parses the page (a collecting link map, ``None``)
    the fence is only noted; when rendering, the drawing :func:`draw_fences`
    made is used, and a fence it never saw is drawn here.
    """
    processor = getattr(md, "pr_link_processor", None)
    links = getattr(processor, "links", {})
    if links is None:
        processor.found.append(("dot", source))  # type: ignore[union-attr]
        return "<pre></pre>"
    drawn = links.get(("dot", fence_key(source)))
    if drawn is not None:
        return drawn
    return refusal(source) or draw_dot(source, TIMEOUT) or as_code(source, OVER_BUDGET)


FENCES = [{"name": name, "class": "graphviz", "format": "generator.docs.graphviz:dot_fence"}
          for name in ("dot", "graphviz")]
"""``pymdownx.superfences`` custom fences (``format`` as a ``module:name`` setting)."""
