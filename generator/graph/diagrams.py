"""Diagrams: Graphviz DOT for neighbourhoods and systems, rendered to inline SVG.

The ``*_dot`` functions turn finished views from :mod:`generator.graph.views`
into DOT text; every string from a descriptor goes through
:func:`~generator.graph.export.dot_quote` and every URL through :func:`_safe_url`, so
a title like ``"><script>`` stays text. :func:`render_svgs` renders many DOT
sources with few ``dot`` processes and caches each SVG by the hash of its
source. Node ids are ``n0``, ``n1`` … in ref order, never names; the SVG keeps no
``<title>`` of them (a screen reader would read "n0"): each node's link carries its title
and ref, each node a ``pr-k-<kind>`` class that the stylesheet colours for light and dark.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from generator.graph.export import dot_quote
from generator.validation import SAFE_URL_SCHEMES

if TYPE_CHECKING:
    from generator.graph.views import More, Neighbourhood, SystemView
    from generator.refs import EntityRef

__all__ = [
    "GRAPHVIZ_MISSING",
    "KIND_STYLES",
    "SHAPE_NAMES",
    "clean_svg",
    "count_label",
    "graphviz_available",
    "neighbourhood_dot",
    "overview_dot",
    "render_svgs",
    "system_dot",
]

log = logging.getLogger(__name__)

GRAPHVIZ_MISSING = ("diagrams are left out because Graphviz is not installed; install it "
                    "(apt-get install graphviz, or brew install graphviz) and build again")
"""What to tell the user when ``dot`` is not on ``PATH``."""

KIND_STYLES: dict[str, tuple[str, str]] = {
    "component": ("box", "#dbeafe"),
    "api": ("ellipse", "#dcfce7"),
    "resource": ("cylinder", "#fef3c7"),
    "system": ("folder", "#ede9fe"),
    "domain": ("tab", "#fce7f3"),
    "group": ("house", "#e0f2fe"),
    "user": ("egg", "#f1f5f9"),
    "template": ("note", "#f5f5f4"),
    "location": ("note", "#f5f5f4"),
}
"""Shape and fill colour per kind; other kinds are drawn as ``box``/white."""

SHAPE_NAMES = {"box": "box", "ellipse": "oval", "cylinder": "cylinder", "folder": "folder",
               "tab": "tab", "house": "house", "egg": "egg", "note": "note"}
"""Graphviz shapes as a legend names them."""

_FOCUS_FILL: dict[str, str] = {
    "component": "#93c5fd", "api": "#86efac", "resource": "#fcd34d", "system": "#c4b5fd",
    "domain": "#f9a8d4", "group": "#7dd3fc", "user": "#cbd5e1",
}
_FONT = "Helvetica,Arial,sans-serif"

UrlFor = Callable[["EntityRef"], str]


# --------------------------------------------------------------------------- DOT


def _safe_url(url: str) -> str | None:
    """``url`` percent-encoded so Graphviz can copy it into an SVG attribute as is.

    Graphviz 2.43 writes ``URL`` into ``xlink:href`` without escaping quotes
    or ``<``, so those, spaces and control characters are percent-encoded
    (``&`` becomes ``&amp;`` later, in :func:`~generator.graph.export.dot_quote`);
    schemes other than http(s)/mailto (``javascript:``) give ``None``.
    """
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme and scheme not in SAFE_URL_SCHEMES:
        return None
    return quote(url, safe="/:?#[]@!$&()*+,;=%~-._")


def _head(name: str) -> list[str]:
    return [
        f"digraph {dot_quote(name)} {{",
        f'  graph [id={dot_quote("pr-" + name)}, rankdir=LR, bgcolor="transparent", '
        f'fontname="{_FONT}", fontsize=10, nodesep=0.25, ranksep=0.5];',
        f'  node [fontname="{_FONT}", fontsize=10, style="filled", fillcolor="white", '
        'color="#475569", margin="0.15,0.05", height=0.4];',
        f'  edge [fontname="{_FONT}", fontsize=9, color="#64748b", fontcolor="#334155", '
        'arrowsize=0.6];',
    ]


def _attrs(**values: object) -> str:
    """A DOT attribute list; a tuple value becomes lines shown one under the other.

    Graphviz 2.43 expands ``\\N`` in a tooltip even when the backslash is
    escaped, so backslashes in tooltips are shown as ``⧵`` (U+29F5).
    """
    def value(name: str, v: object) -> str:
        parts = v if isinstance(v, tuple) else (v,)
        if name == "tooltip":
            parts = tuple(str(part).replace("\\", "\u29f5") for part in parts)
        return '"' + "\\n".join(dot_quote(part)[1:-1] for part in parts) + '"'

    return "[" + ", ".join(f"{k}={value(k, v)}" for k, v in values.items()
                           if v is not None) + "]"


def _node(node_id: str, ref: EntityRef, data: Mapping[str, Any], url_for: UrlFor, *,
          focus: bool = False) -> str:
    """One entity node: shape and colour by kind, a link to its page unless it is missing."""
    missing = bool(data.get("missing"))
    deprecated = str(data.get("lifecycle") or "").lower() == "deprecated"
    title = str(data.get("title") or ref.name)
    url = None if missing else url_for(ref)
    return f"  {node_id} {_node_attrs(ref, title, missing, deprecated, focus, url)};"


@functools.lru_cache(maxsize=1 << 16)
def _node_attrs(ref: EntityRef, title: str, missing: bool, deprecated: bool, focus: bool,
                url: str | None) -> str:
    """The attribute list of an entity node (the same entity is in many diagrams)."""
    shape, fill = KIND_STYLES.get(ref.kind, ("box", "white"))
    styles = ["dashed"] if missing else ["filled"]
    fill = None if missing else fill
    kind_line = f"{ref.kind} · missing" if missing else ref.kind
    safe = None if url is None else _safe_url(url)
    if deprecated:
        styles.append("dashed")
    if focus:
        styles.append("bold")
        fill = _FOCUS_FILL.get(ref.kind, fill)
    kind_class = f"pr-k-{ref.kind}" if ref.kind in KIND_STYLES else "pr-k-other"
    return _attrs(label=(title, kind_line), tooltip=(title, str(ref)), shape=shape,
                  style=",".join(styles), fillcolor=fill, URL=safe,
                  target="_top" if safe else None, penwidth="2" if focus else None,
                  **{"class": f"{kind_class} pr-focus" if focus else kind_class})


def _more_node(node_id: str, item: More, url: str) -> str:
    safe = _safe_url(url)
    attrs = _attrs(label=(f"+{item.count} more", item.relation),
                   tooltip=f"{item.count} more: {item.relation}", shape="note",
                   style="filled,dashed", fillcolor="#f8fafc", URL=safe,
                   target="_top" if safe else None, **{"class": "pr-more"})
    return f"  {node_id} {attrs};"


def neighbourhood_dot(nh: Neighbourhood, url_for: UrlFor, *,
                      more_url: Callable[[More], str] | None = None) -> str:
    """DOT for a :class:`~generator.graph.views.Neighbourhood`, left to right.

    Args:
        nh: What to draw.
        url_for: The URL of an entity's page, relative to the page the SVG is
            inlined into (Graphviz copies it verbatim; MkDocs does not rewrite it).
        more_url: Where a "+N more" node links; by default the page of the
            node whose neighbours were left out.
    """
    ids = {ref: f"n{i}" for i, ref in enumerate(nh.nodes)}
    lines = _head("neighbourhood")
    lines += [_node(ids[ref], ref, data, url_for, focus=ref == nh.focus)
              for ref, data in nh.nodes.items()]
    lines += [f"  {ids[s]} -> {ids[t]} {_attrs(label=kind)};" for s, t, kind in nh.edges]
    for index, item in enumerate(nh.more):
        node_id = f"m{index}"
        lines.append(_more_node(node_id, item, (more_url or (lambda m: url_for(m.node)))(item)))
        ends = (ids[item.node], node_id) if item.direction == "out" else (node_id, ids[item.node])
        lines.append(f"  {ends[0]} -> {ends[1]} {_attrs(label=item.type, style='dashed')};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rollup_dot(name: str, view: SystemView, url_for: UrlFor, more_url: str | None) -> str:
    ids = {ref: f"n{i}" for i, ref in enumerate(view.nodes)}
    lines = _head(name)
    outside = [r for r in view.nodes if r not in view.inside and r != view.focus]
    if view.focus is not None:
        data = view.nodes[view.focus]
        title = str(data.get("title") or view.focus.name)
        url = None if data.get("missing") else _safe_url(url_for(view.focus))
        lines += ["  graph [compound=true];", "  subgraph cluster_focus {",
                  "    graph " + _attrs(label=title, tooltip=(title, str(view.focus)), URL=url,
                                      target="_top" if url else None, style="rounded,dashed",
                                      color="#94a3b8", fontsize=12) + ";"]
        lines += ["  " + _node(ids[r], r, view.nodes[r], url_for) for r in view.nodes
                  if r in view.inside]
        lines.append("  }")
    else:
        outside = list(view.nodes)
    lines += [_node(ids[r], r, view.nodes[r], url_for) for r in outside]
    lines += [f"  {ids[a]} -> {ids[b]} {_attrs(label=count_label(count), penwidth=_width(count))};"
              for a, b, count in view.edges]
    anchor = next((ids[r] for r in view.nodes if r in view.inside), None)
    if view.hidden_nodes and view.focus is not None and anchor is not None:
        url = _safe_url(more_url if more_url is not None else url_for(view.focus))
        lines.append("  more " + _attrs(
            label=(f"+{view.hidden_nodes} more", "outside"), shape="note", style="filled,dashed",
            fillcolor="#f8fafc", URL=url, target="_top" if url else None,
            tooltip=f"{view.hidden_nodes} more outside, {view.hidden_count} dependencies",
            **{"class": "pr-more"}) + ";")
        lines.append(f"  {anchor} -> more " + _attrs(
            ltail="cluster_focus", style="dashed", label=count_label(view.hidden_count)) + ";")
    elif view.hidden_edges:
        lines.append("  graph " + _attrs(
            labelloc="b", fontsize=9, label=f"{view.hidden_edges} weaker links "
            f"({view.hidden_count} dependencies) are not drawn") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def count_label(count: int) -> str:
    """An edge of a system diagram says what its number counts.

    >>> count_label(1), count_label(12)
    ('1 dependency', '12 dependencies')
    """
    return f"{count:,} dependenc{'y' if count == 1 else 'ies'}"


def _width(count: int) -> str:
    return f"{min(4.0, 1 + math.log2(count) / 2):.1f}"


def system_dot(view: SystemView, url_for: UrlFor, *, more_url: str | None = None) -> str:
    """DOT for :func:`~generator.graph.views.system_view`: its parts in a box, what they need.

    Each edge is labelled with the number of dependencies it stands for;
    outside nodes beyond the view's cap become one "+N more" node linking to
    ``more_url`` (by default the focus's page).
    """
    return _rollup_dot("system", view, url_for, more_url)


def overview_dot(view: SystemView, url_for: UrlFor) -> str:
    """DOT for :func:`~generator.graph.views.system_overview`: systems, edges labelled by count.

    When the view left edges out, a caption says how many.
    """
    return _rollup_dot("overview", view, url_for, None)


# --------------------------------------------------------------------------- SVG

_PROLOGUE = b"<?xml"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>|<\?xml[^>]*\?>")
_PAGE_PREFIX = re.compile(r'(<g id=")page\d+,\d+_([^"]*" class="graph")')
_TITLE = re.compile(r"^<title>[^<]*</title>$")


def graphviz_available(dot: str = "dot") -> bool:
    """Whether the Graphviz ``dot`` program is on ``PATH``."""
    return shutil.which(dot) is not None


def clean_svg(text: str) -> str:
    """An SVG document made fit to inline in HTML or Markdown, identical however rendered.

    Drops the XML prologue, doctype and comments (they hold the Graphviz
    version) and blank lines (they end a Markdown HTML block), and undoes the
    ``page0,1_`` prefix Graphviz 2.43 gives graph ids after the first graph
    of a multi-graph input.
    """
    text = _PAGE_PREFIX.sub(r"\1\2", _COMMENT.sub("", _DOCTYPE.sub("", text)))
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def _untitled(svg: str) -> str:
    """A catalog diagram without its ``<title>`` elements: they name the graph, nodes and
    edges by id (``n0``, ``n0->n1``); each node's link carries its title and ref."""
    return "\n".join(line for line in svg.splitlines() if not _TITLE.match(line)) + "\n"


def _render(dot: str, sources: list[bytes], timeout: float,
            env: Mapping[str, str] | None = None) -> list[str | None]:
    """Render sources in one ``dot`` run; if that fails, split the batch and retry."""
    try:
        done = subprocess.run([dot, "-Tsvg"], input=b"\n".join(sources), capture_output=True,
                              timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired:
        if len(sources) > 1:
            return [svg for src in sources for svg in _render(dot, [src], timeout, env)]
        log.warning("dot took longer than %.0fs for one diagram; it is left out", timeout)
        return [None]
    parts = done.stdout.split(_PROLOGUE)[1:]
    if done.returncode == 0 and len(parts) == len(sources):
        return [_untitled(clean_svg((_PROLOGUE + p).decode("utf-8", "replace")))
                for p in parts]
    if len(sources) == 1:
        log.warning("dot could not render a diagram: %s",
                    done.stderr.decode("utf-8", "replace").strip())
        return [None]
    half = len(sources) // 2
    return (_render(dot, sources[:half], timeout, env)
            + _render(dot, sources[half:], timeout, env))


def _cache_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / digest[:2] / f"{digest}.svg"


def _store(cache_dir: Path, digest: str, svg: str) -> None:
    """Keep one SVG; raises :class:`OSError` when the cache cannot be written."""
    path = _cache_path(cache_dir, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(svg)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _cached(path: Path | None) -> str | None:
    """A stored SVG, or ``None`` when there is none or it cannot be read."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


_CLUSTER = re.compile(rb'subgraph\s+"?cluster', re.IGNORECASE)


def _batches(todo: Mapping[str, bytes], pool: int, batch_size: int) -> list[list[str]]:
    """The sources (by digest, in digest order) in batches, one ``dot`` run each: at least
    ``pool``, at most ``batch_size`` graphs each, and every graph with a cluster last in its
    batch. Graphviz 2.43 (Debian's and Ubuntu's) frees a graph with a cluster and labelled
    edges twice when another graph follows it in the same run, and aborts; each crash cost
    the splitting in :func:`_render` several times the drawing (a 10,000-component
    organisation's system diagrams made ``dot`` work 32 s instead of 16 s)."""
    order = sorted(todo)
    last = [d for d in order if _CLUSTER.search(todo[d])]
    plain = [d for d in order if not _CLUSTER.search(todo[d])]
    count = max(pool, len(last), math.ceil(len(plain) / batch_size))
    size = math.ceil(len(plain) / count)
    batches = [plain[i * size:(i + 1) * size] + last[i:i + 1] for i in range(count)]
    return [batch for batch in batches if batch]


def render_svgs(dot_sources: Mapping[str, str], cache_dir: Path | None = None, *,
                dot: str = "dot", batch_size: int = 256, workers: int | None = None,
                timeout: float = 120.0, env: Mapping[str, str] | None = None
                ) -> dict[str, str | None]:
    """Render DOT sources to inline-ready SVG, batched, in parallel and cached.

    Each distinct source is looked up in ``cache_dir/ab/abcdef….svg`` by the
    SHA-256 of its UTF-8 bytes (so a full cache needs no Graphviz at all).
    The misses are joined into batches rendered by one ``dot -Tsvg`` each
    (starting ``dot`` costs more than drawing a small graph; see :func:`_batches`), at most
    ``workers`` at a time, and the output is split on each ``<?xml``
    prologue, which Graphviz never emits inside text. A batch that fails, or
    gives a different number of SVGs, is split until the bad source is
    alone, so one broken graph costs only itself.

    Args:
        dot_sources: Name → DOT text; each must be one complete graph.
        cache_dir: Where SVGs are kept between builds; ``None`` for no cache.
        dot: The Graphviz program.
        batch_size: Most graphs per ``dot`` run.
        workers: Most ``dot`` processes at once (never more than the CPU count).
        timeout: Seconds allowed per ``dot`` run; a batch that takes longer is
            rendered graph by graph.
        env: The environment ``dot`` runs in (default: this process's).

    Returns:
        Name → SVG text (no XML prologue, doctype or comments), or ``None``
        when Graphviz is missing (see :data:`GRAPHVIZ_MISSING`) or the graph
        could not be rendered (logged).
    """
    encoded = {name: src.encode("utf-8", "replace") for name, src in dot_sources.items()}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in encoded.items()}
    svgs: dict[str, str | None] = {}
    todo: dict[str, bytes] = {}
    for name, digest in digests.items():
        if digest in svgs or digest in todo:
            continue
        svg = _cached(_cache_path(cache_dir, digest) if cache_dir else None)
        if svg is not None:
            svgs[digest] = svg
        else:
            todo[digest] = encoded[name]
    program = shutil.which(dot) if todo else None
    if program is None:
        svgs.update(dict.fromkeys(todo))
    else:
        cpus = os.cpu_count() or 1
        pool = max(1, min(workers or cpus, cpus, len(todo)))
        batches = _batches(todo, pool, batch_size)
        with ThreadPoolExecutor(max_workers=pool) as executor:
            results = executor.map(
                lambda batch: _render(program, [todo[d] for d in batch], timeout, env), batches)
            for batch, rendered in zip(batches, results, strict=True):
                for digest, svg in zip(batch, rendered, strict=True):
                    svgs[digest] = svg
                    if svg is not None and cache_dir is not None:
                        try:
                            _store(cache_dir, digest, svg)
                        except OSError as exc:
                            log.warning("cannot write the diagram cache (%s); diagrams are "
                                        "drawn without caching", exc.strerror or exc)
                            cache_dir = None
    return {name: svgs[digest] for name, digest in digests.items()}
