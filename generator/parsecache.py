"""Parse cache: the loaded YAML documents of descriptor files, keyed by content.

A rebuild still reads and hashes every descriptor file, but parses only the
texts it has not seen before; an unchanged organisation parses nothing. Keys
are the SHA-256 of the text; the whole cache is invalidated when the loader
changes (:data:`LOADER_VERSION`, Python, PyYAML or the loader's limits).

The cache is a :class:`~generator.cachestore.CacheStore`: one file per
sources file, written atomically and kept to the entries the last run used;
the :data:`KEEP_FILES` most recent files are kept. It is stored with
:mod:`marshal` (reading it runs no code) behind a SHA-256 checksum: a damaged
or foreign file is ignored, and an entry that does not have the expected
shape is parsed again.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

import yaml

from generator.cachestore import CacheStore, read_checked, store_path, write_checked
from generator.yamlfile import MAX_DEPTH, MAX_NODES, YamlDocument, YamlError, iter_documents

__all__ = ["KEEP_FILES", "LOADER_VERSION", "ParseCache", "load_documents", "parse_cache_path",
           "read_checked", "write_checked"]  # the last two: generator.cachestore's, as before

LOADER_VERSION = 2
"""Bump when :mod:`generator.yamlfile` changes what a document loads to."""

KEEP_FILES = 32
"""Cache files kept in the directory (one per sources file); the least recently used go."""

_STAMP = (LOADER_VERSION, tuple(sys.version_info[:2]), yaml.__version__,
          hasattr(yaml, "CSafeLoader"), MAX_NODES, MAX_DEPTH)

Parsed = tuple[list[YamlDocument], YamlError | None]
"""The documents of a file, and the error that stopped loading (documents before it kept)."""


def load_documents(text: str) -> Parsed:
    """Every document of ``text``, up to the first that cannot be loaded.

    >>> docs, error = load_documents("a: 1\\n---\\nb: [\\n")
    >>> [d.data for d in docs], error.code
    ([{'a': 1}], 'yaml-syntax')
    """
    docs: list[YamlDocument] = []
    try:
        docs.extend(iter_documents(text))
    except YamlError as exc:
        return docs, exc
    return docs, None


def parse_cache_path(cache_dir: Path, sources_file: Path) -> Path:
    """The cache file for one sources file (each sources file keeps its own)."""
    return store_path(cache_dir, "parse", sources_file)


class ParseCache(CacheStore):
    """Loaded documents by content hash; ``path=None`` keeps them in memory only."""

    MAGIC = b"PRPARSE1"
    KEEP_FILES = KEEP_FILES

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.hits = 0
        """Lookups answered from the cache."""
        self.misses = 0
        """Lookups that found nothing usable."""

    @classmethod
    def stamp(cls) -> object:
        return _STAMP

    @staticmethod
    def accepts(value: object) -> bool:
        return isinstance(value, bytes)

    @staticmethod
    def key(text: str) -> bytes:
        """The cache key of a file's text."""
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def get(self, key: bytes) -> Parsed | None:
        """The documents stored for ``key``, or ``None``."""
        blob = self.find(key)
        parsed = _decode(blob) if blob is not None else None
        if parsed is None:
            self.misses += 1
            return None
        self.hits += 1
        self.keep(key, blob)
        return parsed

    def state(self) -> tuple[dict[bytes, object], bool, int, int]:
        """What this run did with the cache, for :meth:`merge` in another process: the
        entries used, whether any is new, the hits and the misses."""
        return self._used, self._changed, self.hits, self.misses

    def merge(self, used: dict[bytes, object], changed: bool, hits: int, misses: int) -> None:
        """Take in what a forked copy of this cache did (its :meth:`state`)."""
        self._used.update(used)
        self._changed = self._changed or changed
        self.hits += hits
        self.misses += misses

    def put(self, key: bytes, parsed: Parsed) -> None:  # type: ignore[override]
        """Remember what ``key``'s text loaded to (values marshal cannot store are skipped)."""
        blob = _encode(parsed)
        if blob is not None:
            super().put(key, blob)


def _encode(parsed: Parsed) -> bytes | None:
    docs, error = parsed
    err = (str(error), error.line, error.code) if error is not None else None
    try:
        return marshal.dumps(([(d.line, d.data, d.lines) for d in docs], err))
    except ValueError:
        return None


def _decode(blob: bytes) -> Parsed | None:
    try:
        docs, err = marshal.loads(blob)
        parsed = [YamlDocument(line, data, lines) for line, data, lines in docs]
        if not all(isinstance(d.line, int) and isinstance(d.lines, dict) for d in parsed):
            return None
        if err is None:
            return parsed, None
        message, line, code = err
        if not (isinstance(message, str) and isinstance(code, str)
                and (line is None or isinstance(line, int))):
            return None
        return parsed, YamlError(message, line, code)
    except Exception:  # a damaged entry is parsed again
        return None
