"""What ``lstat`` says of a folder tree, as one digest: whether anything in it changed.

The page-set memo (:mod:`generator.portalmemo`) keys a build by every repository's tree;
the docs stage's section memo (:mod:`generator.docs.sectionmemo`) keys each docs section by
its repository's. Reading a tree's entries costs a ``scandir`` per folder and an ``lstat``
per entry, never a file's bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

__all__ = ["MAX_ENTRIES", "tree_digest"]

MAX_ENTRIES = 500_000
"""Repository entries the tree digest looks at; past this the build is not memoised (a
walk that long would cost more than it saves)."""


def tree_digest(roots: Iterable[Path], limit: int | None = None,
                skip: Mapping[Path, set[str]] | None = None) -> bytes | None:
    """SHA-256 of what ``lstat`` says of every entry under each root (``.git`` left out; of
    a folder, only that it is one); ``None`` past ``limit`` entries (default
    :data:`MAX_ENTRIES`). Of the paths in ``skip`` (per root, ``/``-prefixed, relative to
    it) only the name and type count."""
    limit = MAX_ENTRIES if limit is None else limit
    digest = hashlib.sha256()
    seen = 0
    for root in sorted(set(roots)):
        digest.update(b"\0root\0" + os.fsencode(root))
        names = {os.fsencode(p) for p in (skip or {}).get(root, ())}
        for entry in _entries(root, names):
            seen += 1
            if seen > limit:
                return None
            digest.update(entry)
    return digest.digest()


def _entries(root: Path, skip: set[bytes] | frozenset[bytes] = frozenset()) -> Iterator[bytes]:
    stack = [(os.fsencode(root), b"")]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as it:
                found = sorted(it, key=lambda e: e.name)
        except OSError as error:
            yield b"\0error\0" + rel + str(error.errno).encode()
            continue
        for entry in found:
            name = os.fsencode(entry.name)
            if name == b".git":
                continue
            path = rel + b"/" + name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                yield b"\0gone\0" + path
                continue
            if path in skip:
                yield b"\0%b\0%o\0skipped" % (path, stat.S_IFMT(info.st_mode))
                continue
            if stat.S_ISDIR(info.st_mode):
                # Its entries tell what changed in it: its own size and time (which any
                # file saved by renaming, as editors and git do, moves) are left out.
                yield b"\0%b\0dir" % path
                stack.append((os.fsencode(entry.path), path))
                continue
            link = b""
            if stat.S_ISLNK(info.st_mode):
                with contextlib.suppress(OSError):
                    link = os.readlink(entry.path)  # type: ignore[assignment]
            yield b"\0%b\0%o\0%d\0%d\0%b" % (path, stat.S_IFMT(info.st_mode), info.st_size,
                                             info.st_mtime_ns, link)
