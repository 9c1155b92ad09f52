"""Content-addressed slices: the large parts of a memo, each in a file named by what it holds.

The page-set memo of a 10,000-component site is 900 MB. A rebuild where one repository
changed makes one page anew; writing the whole memo again for it cost three seconds and
900 MB of disk writes (and of a CI cache upload). Instead the memo's header names its
slices of pages and assets by a digest of what each holds (the pages' paths and digests,
the assets' paths and bytes): a slice already on disk is not written again, so such a
rebuild writes one slice and a header. Each slice file carries a SHA-256 of its payload;
a damaged one is deleted when read, so the next build writes it again.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from generator.cachestore import part_digest, read_checked, write_checked

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["SliceStore"]

MAGIC = b"PRSLICE1"


class SliceStore:
    """A folder of slices, each a :mod:`marshal` record in ``<digest>.marshal``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, kind: bytes, identity: Iterable[bytes], make: Callable[[], object]) -> str:
        """The name of the slice ``identity`` describes, writing ``make()`` into it unless it
        is already there. Raises ``OSError`` when it cannot be written."""
        name = part_digest(kind, *identity).hexdigest()
        path = self.folder / f"{name}.marshal"
        if not path.is_file() and not write_checked(path, MAGIC, marshal.dumps(make())):
            raise OSError(f"cannot write {path}")
        return name

    def get(self, name: str) -> object:
        """The slice ``name``. Raises ``ValueError`` when it is missing or damaged (a damaged
        one is deleted)."""
        path = self.folder / f"{name}.marshal"
        try:
            payload = read_checked(path.read_bytes(), MAGIC)
        except OSError as error:
            raise ValueError(f"missing slice {name}") from error
        if payload is None:
            with contextlib.suppress(OSError):
                path.unlink()
            raise ValueError(f"damaged slice {name}")
        return marshal.loads(payload)

    def size(self, name: str) -> int | None:
        """The size of slice ``name``'s file (``None`` when it is missing)."""
        try:
            return (self.folder / f"{name}.marshal").stat().st_size
        except OSError:
            return None

    def keep_only(self, names: set[str]) -> None:
        """Delete every slice but ``names`` (errors are ignored)."""
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.marshal"):
                if path.stem not in names:
                    path.unlink(missing_ok=True)
