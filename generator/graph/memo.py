"""The graph analyses of the build before, for a graph that did not change.

Drawing is cheap once Graphviz's SVG of each DOT text is cached (:func:`render_svgs`), but
making the DOT text of 15,000 diagrams to look them up still costs seconds, and so do the
blast radius sizes and the cycles of a large graph. The graph holds only entities' titles,
kinds, types, lifecycles, owners and relations, never an entity's description, links or
tags; so a rebuild where only those changed draws the same diagrams, exports the same graph
and measures the same sizes, cycles and loops. :class:`GraphMemo` keeps a build's
(:class:`GraphParts`) under a key the caller makes of everything the graph holds
(:func:`generator.incremental.catalog_faces`), the drawing options, this package's code and
the ``dot`` program, and gives them back for the same key; the key therefore stands for
them in :func:`generator.incremental.shared_stamp`.
"""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING

from generator.cachestore import part_digest, prune, read_checked, store_path, write_checked
from generator.graph.analysis import GraphParts

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["GraphMemo"]

MAGIC = b"PRGRAPH1"
_KEEP_FILES = 2


class GraphMemo:
    """One sources file's graph analyses, stored with the key they were made for."""

    def __init__(self, path: Path | None, key: bytes | None) -> None:
        self.path = path if key is not None else None
        self.key = key or b""

    @classmethod
    def of(cls, cache_dir: Path | None, sources_file: Path, parts: tuple[bytes | None, ...]
           ) -> GraphMemo:
        """The memo of ``sources_file`` under ``cache_dir`` (none without one), keyed by
        ``parts`` (``None`` among them: not memoised)."""
        if cache_dir is None or any(p is None for p in parts):
            return cls(None, None)
        key = part_digest(MAGIC, *parts).digest()  # type: ignore[arg-type]
        return cls(store_path(cache_dir, "drawings", sources_file), key)

    def load(self) -> GraphParts | None:
        """What was stored for this key, or ``None``."""
        if self.path is None:
            return None
        try:
            payload = read_checked(self.path.read_bytes(), MAGIC)
            if payload is None:
                return None
            key, *parts = marshal.loads(payload)
            return GraphParts(*parts) if key == self.key else None
        except Exception:  # missing, damaged or outdated: analyse again
            return None

    def save(self, parts: GraphParts) -> None:
        """Keep ``parts`` under this key (errors are ignored)."""
        record = (self.key, parts.svgs, parts.exports, parts.sizes, parts.needs_sizes,
                  parts.cycles, parts.loops)
        if self.path is not None and write_checked(self.path, MAGIC, marshal.dumps(record)):
            prune(self.path.parent, self.path, _KEEP_FILES)
