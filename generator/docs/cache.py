"""Docs cache: each page's links and rendered HTML, keyed by everything they depend on.

A page's Markdown (with its snippets already included), its section's
Markdown settings and the ``docs_html`` setting decide the links the docs
stage finds; those plus the resolved link targets and the page header
decide the rendered page. Each is keyed by the SHA-256 of those inputs and of
the renderer's own code (the docs modules' source, Python-Markdown's,
pymdown-extensions', Material's and nh3's versions), so a rebuild with
nothing changed parses and renders no docs page, and any change renders
again only the pages it touches.

One file per sources file, written atomically with :mod:`marshal` (reading
it runs no code) behind a checksum, and kept to the entries the last build
used, as :mod:`generator.parsecache` does; a damaged file is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

__all__ = ["DocsCache", "docs_cache_path"]

_MAGIC = b"PRDOCS01"
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
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.digest()


def docs_cache_path(cache_dir: Path, sources_file: Path) -> Path:
    """The docs cache file of one sources file."""
    digest = hashlib.sha256(str(sources_file.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "docs" / f"{digest}.marshal"


class DocsCache:
    """Values by key, stored between builds; ``path=None`` keeps them in memory only."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stored: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        self._changed = False

    @classmethod
    def open(cls, path: Path) -> DocsCache:
        """The cache stored at ``path``; empty when it is missing, damaged or outdated."""
        docs_cache = cls(path)
        with contextlib.suppress(OSError):
            docs_cache._stored = _read(path.read_bytes())
        return docs_cache

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
        if key in self._used:
            return self._used[key]
        value = self._stored.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: bytes, value: Any) -> None:
        """Remember ``value`` (plain data: what :mod:`marshal` stores) for ``key``."""
        self._used[key] = value
        self._changed = True

    def save(self) -> None:
        """Write the entries used since opening, if anything changed; errors are ignored."""
        if self.path is None or (not self._changed and self._used.keys() == self._stored.keys()):
            return
        try:
            payload = marshal.dumps((_stamp(), self._used))
        except ValueError:  # a value marshal cannot store: keep nothing rather than fail
            return
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.writelines((_MAGIC, hashlib.sha256(payload).digest(), payload))
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return
        self._stored = dict(self._used)
        self._changed = False


def _read(data: bytes) -> dict[bytes, Any]:
    head = len(_MAGIC) + 32
    payload = memoryview(data)[head:]
    if data[:len(_MAGIC)] != _MAGIC or hashlib.sha256(payload).digest() != data[len(_MAGIC):head]:
        return {}
    try:
        stamp, entries = marshal.loads(payload)
    except Exception:  # any damage means an empty cache
        return {}
    if stamp != _stamp() or not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, bytes)}
