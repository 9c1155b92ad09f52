"""The diagrams of the build before, for a graph that did not change.

Drawing is cheap once Graphviz's SVG of each DOT text is cached (:func:`render_svgs`), but
making the DOT text of 15,000 diagrams to look them up still costs seconds. A diagram shows
only what the graph holds (entities' titles, kinds, types, lifecycles, owners and relations),
never an entity's description, links or tags; so a rebuild where only those changed draws
the same diagrams and exports the same graph. :class:`DiagramMemo` keeps a build's diagrams
and exports (``graph.json``, ``graph.dot``) under a key the caller
makes of everything the graph holds (:func:`generator.incremental.catalog_faces`), the
drawing options, this package's code and the ``dot`` program, and gives them back for the
same key.
"""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING

from generator.cachestore import part_digest, prune, read_checked, store_path, write_checked

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["DiagramMemo"]

MAGIC = b"PRDRAWS2"
_KEEP_FILES = 2


class DiagramMemo:
    """One sources file's diagrams, stored with the key they were drawn for."""

    def __init__(self, path: Path | None, key: bytes | None) -> None:
        self.path = path if key is not None else None
        self.key = key or b""

    @classmethod
    def of(cls, cache_dir: Path | None, sources_file: Path, parts: tuple[bytes | None, ...]
           ) -> DiagramMemo:
        """The memo of ``sources_file`` under ``cache_dir`` (none without one), keyed by
        ``parts`` (``None`` among them: not memoised)."""
        if cache_dir is None or any(p is None for p in parts):
            return cls(None, None)
        key = part_digest(MAGIC, *parts).digest()  # type: ignore[arg-type]
        return cls(store_path(cache_dir, "drawings", sources_file), key)

    def load(self) -> tuple[dict[str, str | None], dict[str, str]] | None:
        """The diagrams and exports stored for this key, or ``None``."""
        if self.path is None:
            return None
        try:
            payload = read_checked(self.path.read_bytes(), MAGIC)
            if payload is None:
                return None
            key, svgs, exports = marshal.loads(payload)
        except Exception:  # missing, damaged or outdated: draw them
            return None
        ok = key == self.key and isinstance(svgs, dict) and isinstance(exports, dict)
        return (svgs, exports) if ok else None

    def save(self, svgs: dict[str, str | None], exports: dict[str, str]) -> None:
        """Keep ``svgs`` and ``exports`` under this key (errors are ignored)."""
        if self.path is not None and write_checked(self.path, MAGIC,
                                                   marshal.dumps((self.key, svgs, exports))):
            prune(self.path.parent, self.path, _KEEP_FILES)
