"""Which page files the pages' search index was made from: the same files, the same index.

The pages' index is made from each marked page's HTML as the site folder holds it. Reading
10,000 docs pages back to learn that none changed cost 1.4 s of every rebuild; but each
page's file is one the site record (:mod:`.siterecord`) knows the digest of, whether this
build wrote it or kept it. :func:`files_key` digests the pages' URLs, files and those
digests (with this package's code, the cap and Pagefind's version), and :class:`FilesMemo`
keeps, for the last key, the inputs digest its pages gave (:class:`.pagefind_run.IndexRun`)
and the pages cut to the cap: a build whose key is the same, whose published index was
made from that inputs digest, keeps it without reading a page.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from generator.cachestore import read_checked, store_path, write_checked
from generator.catalogmemo import package_digest

__all__ = ["FilesMemo", "files_key"]

MAGIC = b"PRPFFL01"


@functools.cache
def _stamp() -> bytes:
    return package_digest() + f"pagefind {version('pagefind')}".encode()


def files_key(indexed: list[tuple[str, str]], digests: Mapping[str, tuple], cap: int
              ) -> bytes | None:
    """The key of ``indexed`` (``(url, file in the site folder)``, in index order) by the
    files' digests in ``digests`` (site path → a record entry, its digest last); ``None`` if
    one is not known."""
    digest = hashlib.sha256(_stamp() + str(cap).encode())
    for url, dest in indexed:
        entry = digests.get(os.path.normpath(dest))
        if entry is None:
            return None
        for part in (url.encode("utf-8", "surrogatepass"), dest.encode("utf-8",
                                                                      "surrogatepass")):
            digest.update(len(part).to_bytes(8, "big") + part)
        digest.update(entry[-1])
    return digest.digest()


class FilesMemo:
    """The inputs digest and capped pages of the last pages' index, by :func:`files_key`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    @classmethod
    def of(cls, cache_dir: Path | None, site_dir: Path) -> FilesMemo:
        return cls(store_path(cache_dir, "pagefind", site_dir) if cache_dir else None)

    def get(self, key: bytes | None) -> tuple[str, list[tuple[str, int]]] | None:
        if self.path is None or key is None:
            return None
        try:
            payload = read_checked(self.path.read_bytes(), MAGIC)
            stored, digest, capped = marshal.loads(payload) if payload is not None else (
                None, None, None)
        except Exception:  # missing or damaged: the pages are read
            return None
        if stored != key or not isinstance(digest, str) or not isinstance(capped, list):
            return None
        return digest, [(str(url), int(size)) for url, size in capped]

    def put(self, key: bytes | None, digest: str, capped: list[tuple[str, int]]) -> None:
        if self.path is None or key is None:
            return
        with contextlib.suppress(OSError, ValueError):
            write_checked(self.path, MAGIC, marshal.dumps((key, digest, list(capped))))
