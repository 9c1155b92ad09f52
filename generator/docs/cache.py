"""Docs cache: each page's links and rendered HTML, keyed by everything they depend on.

A page's Markdown (with its snippets already included), its section's
Markdown settings and the ``docs_html`` setting decide the links the docs
stage finds; those plus the resolved link targets and the page header
decide the rendered page. Each is keyed by the SHA-256 of those inputs and of
the renderer's own code (the docs modules' source, Python-Markdown's,
pymdown-extensions', Material's and nh3's versions), so a rebuild with
nothing changed parses and renders no docs page, and any change renders
again only the pages it touches.

A :class:`~generator.cachestore.CacheStore`: one file per sources file,
written atomically with :mod:`marshal` (reading it runs no code) behind a
checksum, and kept to the entries the last build used; a damaged file is ignored.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from generator.cachestore import CacheStore, add_versions, store_path

__all__ = ["DocsCache", "docs_cache_path"]

_MODULES = ("bounded.py", "cache.py", "emoji.py", "extensions.py", "graphviz.py", "linktree.py",
            "remote.py", "render.py", "sanitize.py")
_PACKAGES = ("markdown", "pymdown-extensions", "mkdocs-material", "nh3",
             "mdx_truly_sane_lists", "pydot")


@cache
def _stamp() -> bytes:
    """What the renderer is: its own code and its libraries' versions."""
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    folder = resources.files("generator.docs")
    for name in _MODULES:
        digest.update(folder.joinpath(name).read_bytes())
    add_versions(digest, _PACKAGES)
    return digest.digest()


def docs_cache_path(cache_dir: Path, sources_file: Path) -> Path:
    """The docs cache file of one sources file."""
    return store_path(cache_dir, "docs", sources_file)


class DocsCache(CacheStore):
    """Values by key, stored between builds; ``path=None`` keeps them in memory only."""

    MAGIC = b"PRDOCS01"

    @classmethod
    def stamp(cls) -> object:
        return _stamp()

    @staticmethod
    def key(*parts: str) -> bytes:
        """The key of a value computed from ``parts`` by this renderer."""
        digest = hashlib.sha256(_stamp())
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.digest()

    def get(self, key: bytes) -> Any:
        """The value stored for ``key``, or ``None``."""
        value = self.find(key)
        if value is not None:
            self.keep(key, value)
        return value
