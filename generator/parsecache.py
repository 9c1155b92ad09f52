"""Parse cache: the loaded YAML documents of descriptor files, keyed by content.

A rebuild still reads and hashes every descriptor file, but parses only the
texts it has not seen before; an unchanged organisation parses nothing. Keys
are the SHA-256 of the text; the whole cache is invalidated when the loader
changes (:data:`LOADER_VERSION`, Python, PyYAML or the loader's limits).

The cache is one file per sources file, written atomically and kept to the
entries the last run used; the :data:`KEEP_FILES` most recent files are kept.
It is stored with :mod:`marshal` (reading it runs no code) behind a SHA-256
checksum: a damaged or foreign file is ignored, and an entry that does not
have the expected shape is parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path

import yaml

from generator.yamlfile import MAX_DEPTH, MAX_NODES, YamlDocument, YamlError, iter_documents

__all__ = ["KEEP_FILES", "LOADER_VERSION", "ParseCache", "load_documents", "parse_cache_path",
           "read_checked", "write_checked"]

LOADER_VERSION = 2
"""Bump when :mod:`generator.yamlfile` changes what a document loads to."""

KEEP_FILES = 32
"""Cache files kept in the directory (one per sources file); the least recently used go."""

_MAGIC = b"PRPARSE1"
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
    digest = hashlib.sha256(str(sources_file.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "parse" / f"{digest}.marshal"


class ParseCache:
    """Loaded documents by content hash; ``path=None`` keeps them in memory only."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.hits = 0
        """Lookups answered from the cache."""
        self.misses = 0
        """Lookups that found nothing usable."""
        self._stored: dict[bytes, bytes] = {}
        self._used: dict[bytes, bytes] = {}
        self._changed = False

    @classmethod
    def open(cls, path: Path) -> ParseCache:
        """The cache stored at ``path``; empty when it is missing, damaged or outdated."""
        cache = cls(path)
        with contextlib.suppress(OSError):
            cache._stored = _read(path.read_bytes())
        return cache

    @staticmethod
    def key(text: str) -> bytes:
        """The cache key of a file's text."""
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def get(self, key: bytes) -> Parsed | None:
        """The documents stored for ``key``, or ``None``."""
        blob = self._used.get(key) or self._stored.get(key)
        parsed = _decode(blob) if blob is not None else None
        if parsed is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used[key] = blob  # type: ignore[assignment]
        return parsed

    def put(self, key: bytes, parsed: Parsed) -> None:
        """Remember what ``key``'s text loaded to (values marshal cannot store are skipped)."""
        blob = _encode(parsed)
        if blob is not None:
            self._used[key] = blob
            self._changed = True

    def save(self) -> None:
        """Write the entries used since opening, if anything changed; errors are ignored."""
        if self.path is None or (not self._changed and self._used.keys() == self._stored.keys()):
            return
        if not write_checked(self.path, _MAGIC, marshal.dumps((_STAMP, self._used))):
            return
        self._stored = dict(self._used)
        self._changed = False
        _prune(self.path.parent, self.path)


def _prune(directory: Path, current: Path) -> None:
    """Keep the :data:`KEEP_FILES` most recently written cache files."""
    with contextlib.suppress(OSError):
        files = [(f.stat().st_mtime, f) for f in directory.glob("*.marshal") if f != current]
        for _, old in sorted(files, reverse=True)[KEEP_FILES - 1:]:
            old.unlink(missing_ok=True)


def write_checked(path: Path, magic: bytes, payload: bytes) -> bool:
    """Write ``magic``, the SHA-256 of ``payload`` and ``payload`` to ``path`` atomically;
    ``False`` (nothing written) when the file system refuses."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.writelines((magic, hashlib.sha256(payload).digest(), payload))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


def read_checked(data: bytes, magic: bytes) -> memoryview | None:
    """The payload :func:`write_checked` wrote, or ``None`` if ``data`` is damaged or foreign."""
    head = len(magic) + 32
    payload = memoryview(data)[head:]
    if data[:len(magic)] != magic or hashlib.sha256(payload).digest() != data[len(magic):head]:
        return None
    return payload


def _read(data: bytes) -> dict[bytes, bytes]:
    payload = read_checked(data, _MAGIC)
    if payload is None:
        return {}
    try:
        stamp, entries = marshal.loads(payload)
    except Exception:  # any damage means an empty cache
        return {}
    if stamp != _STAMP or not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, bytes) and isinstance(v, bytes)}


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
