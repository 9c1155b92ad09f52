"""Cache stores: values by key, kept between runs in one checked file per sources file.

The parse cache (:mod:`generator.parsecache`) and the docs cache
(:mod:`generator.docs.cache`) share this pattern: a store opens its file
(anything missing, damaged, foreign or made by another version of what it
caches reads as empty), answers lookups, remembers new values, and on
:meth:`CacheStore.save` writes only the entries this run used, so the file
never grows with entries nobody asks for. The file is :mod:`marshal` (reading
it runs no code) behind a magic string and a SHA-256 checksum, written
atomically; the :attr:`CacheStore.KEEP_FILES` most recently written files of
a directory are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any, ClassVar, Self

__all__ = ["CacheStore", "add_versions", "part_digest", "prune", "read_checked", "store_path",
           "write_checked"]


def part_digest(*parts: bytes) -> hashlib.blake2b:
    """BLAKE2b (20 bytes) of ``parts``, each behind its length, so no two lists of parts give
    the same bytes; more can be fed with ``update``."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest


def add_versions(digest: Any, packages: tuple[str, ...]) -> None:
    """Feed ``package=version`` of each of ``packages`` (``none`` if not installed) into a
    :mod:`hashlib` ``digest``: what a cache's stamp depends on besides its own code."""
    from importlib import metadata

    for package in packages:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())


def store_path(cache_dir: Path, folder: str, owner: Path) -> Path:
    """The file of the store ``folder`` (``parse``, ``docs``, ``site`` …) for one sources
    file or site folder ``owner``."""
    digest = hashlib.sha256(str(owner.resolve()).encode()).hexdigest()[:16]
    return cache_dir / folder / f"{digest}.marshal"


class CacheStore:
    """Values by key; ``path=None`` keeps them in memory only.

    A subclass names its file format (:attr:`MAGIC`) and what its values
    depend on besides the key (:meth:`stamp`: a stored file with another stamp
    is ignored), and may refuse stored values of the wrong shape (:meth:`accepts`).
    """

    MAGIC: ClassVar[bytes]
    """The first bytes of the file: which store wrote it, in which format."""
    KEEP_FILES: ClassVar[int] = 32
    """Files kept in the store's directory (one per sources file); the least recently
    written go."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stored: dict[bytes, Any] = {}
        self._used: dict[bytes, Any] = {}
        self._changed = False

    @classmethod
    def open(cls, path: Path) -> Self:
        """The store kept at ``path``; empty when it is missing, damaged or outdated."""
        store = cls(path)
        with contextlib.suppress(OSError):
            store._stored = store._read(path.read_bytes())
        return store

    @classmethod
    def stamp(cls) -> object:
        """What every value depends on (code and library versions); plain data."""
        raise NotImplementedError

    @staticmethod
    def accepts(value: object) -> bool:
        """Whether a value read from the file has the shape this store keeps."""
        return True

    def find(self, key: bytes) -> Any:
        """The value stored for ``key`` (``None`` if there is none), not yet marked used."""
        value = self._used.get(key)
        return self._stored.get(key) if value is None else value

    def keep(self, key: bytes, value: Any) -> None:
        """Mark a value found for ``key`` as used, so :meth:`save` keeps it."""
        self._used[key] = value

    def put(self, key: bytes, value: Any) -> None:
        """Remember ``value`` (plain data: what :mod:`marshal` stores) for ``key``."""
        self._used[key] = value
        self._changed = True

    def save(self) -> None:
        """Write the entries used since opening, if anything changed; errors are ignored."""
        if self.path is None or (not self._changed and self._used.keys() == self._stored.keys()):
            return
        try:
            payload = marshal.dumps((self.stamp(), self._used))
        except ValueError:  # a value marshal cannot store: keep nothing rather than fail
            return
        if not write_checked(self.path, self.MAGIC, payload):
            return
        self._stored = dict(self._used)
        self._changed = False
        prune(self.path.parent, self.path, self.KEEP_FILES)

    def _read(self, data: bytes) -> dict[bytes, Any]:
        payload = read_checked(data, self.MAGIC)
        if payload is None:
            return {}
        try:
            stamp, entries = marshal.loads(payload)
        except Exception:  # any damage means an empty store
            return {}
        if stamp != self.stamp() or not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, bytes) and self.accepts(v)}


def prune(directory: Path, current: Path, keep: int) -> None:
    """Keep ``current`` and the ``keep - 1`` most recently written other ``.marshal`` files
    of ``directory``; errors are ignored."""
    with contextlib.suppress(OSError):
        files = [(f.stat().st_mtime, f) for f in directory.glob("*.marshal") if f != current]
        for _, old in sorted(files, reverse=True)[keep - 1:]:
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
