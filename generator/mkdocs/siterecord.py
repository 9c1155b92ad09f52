"""What the previous build left in the site folder, so an unchanged file is not read back.

:class:`~generator.mkdocs.publish.SiteOutput` leaves a file alone when its bytes are
already there. Reading 100,000 files back to compare them cost a rebuild of a
10,000-component site more than ten seconds; this record of the files the build before
wrote (``$PAVEDROAD_CACHE/site/``) answers instead. For each file it keeps its identity
as ``lstat`` sees it (inode, size, modification and change time) and the BLAKE2b of its
bytes: a file whose identity is the recorded one holds the recorded bytes, since any
write, rename over it, ``touch`` or ``chmod`` gives it a new change time, which no tool
can set back. A file with another identity, or none recorded, is compared byte by byte
as before. The record is written only after a build published the whole folder.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from pathlib import Path

from generator.cachestore import prune, read_checked, store_path, write_checked

__all__ = ["SiteRecord", "content_digest"]

MAGIC = b"PRSITE01"
_KEEP_FILES = 8

Entry = tuple[int, int, int, int, bytes]
"""``(inode, size, mtime_ns, ctime_ns, digest)``."""


def content_digest(data: bytes) -> bytes:
    """The digest a record keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


class SiteRecord:
    """The previous build's files of one site folder, and this build's."""

    def __init__(self, path: Path | None = None, previous: dict[str, Entry] | None = None
                 ) -> None:
        self.path = path
        self.previous = previous or {}
        self.current: dict[str, Entry] = {}

    @classmethod
    def open(cls, cache_dir: Path | None, site_dir: Path) -> SiteRecord:
        """The record kept for ``site_dir`` (empty if there is none, or it is damaged);
        without ``cache_dir`` one that keeps nothing."""
        if cache_dir is None:
            return cls()
        path = store_path(cache_dir, "site", site_dir)
        previous: dict[str, Entry] = {}
        try:
            payload = read_checked(path.read_bytes(), MAGIC)
            loaded = marshal.loads(payload) if payload is not None else {}
            if isinstance(loaded, dict):
                previous = loaded
        except Exception:  # missing or damaged: every file is compared
            previous = {}
        return cls(path, previous)

    def holds(self, rel: str, dest: str | Path, digest: bytes) -> bool:
        """Whether ``dest`` (at ``rel``) is the file the build before recorded with
        ``digest``, untouched since; noted for the next build if so."""
        entry = self.previous.get(rel)
        if entry is None or entry[4] != digest:
            return False
        try:
            info = os.lstat(dest)
        except OSError:
            return False
        if not stat.S_ISREG(info.st_mode) or _identity(info) != entry[:4]:
            return False
        self.current[rel] = entry
        return True

    def note(self, rel: str, dest: str | Path, digest: bytes) -> None:
        """Record the file now at ``dest`` as holding bytes of ``digest``."""
        if self.path is None:
            return
        try:
            info = os.lstat(dest)
        except OSError:
            return
        if stat.S_ISREG(info.st_mode):
            self.current[rel] = (*_identity(info), digest)

    def carry(self, rel: str) -> None:
        """Keep the previous entry of ``rel``: its file was kept, unchanged, by other means."""
        entry = self.previous.get(rel)
        if entry is not None:
            self.current[rel] = entry

    def save(self) -> None:
        """Keep this build's record for the next (errors are ignored)."""
        if self.path is None or self.current == self.previous:
            return
        if write_checked(self.path, MAGIC, marshal.dumps(self.current)):
            prune(self.path.parent, self.path, _KEEP_FILES)
