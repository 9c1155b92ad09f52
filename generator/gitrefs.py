"""Git refs read from the files of a repository on this machine, without a subprocess.

Only ref files (``HEAD``, loose refs, ``packed-refs``) are read, through
:func:`~generator.repofiles.read_text_file` (no symbolic link followed, size
capped); never objects or config. Anything unusual (reftable, a ref that is not
a plain object id) answers ``None``, and the caller asks git instead.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.repofiles import read_text_file

__all__ = ["FULL_ID", "find_repositories", "head_commit", "is_bare_repository",
           "local_git_dir", "local_ref", "resolve_listed"]

FULL_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
"""A full commit or object id (SHA-1 or SHA-256)."""
_REF_RULES = ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}",
              "refs/remotes/{}/HEAD")
"""How git resolves a short ref name, in order (``git help revisions``)."""


def head_commit(git_dir: Path) -> str | None:
    """The commit ``HEAD`` points at, read from the files (no subprocess).

    Handles a detached ``HEAD``, loose refs and ``packed-refs``; ``None`` when
    it cannot tell (unborn branch, other ref storage).
    """
    try:
        head = read_text_file(git_dir / "HEAD").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if FULL_ID.fullmatch(head):
        return head
    if not head.startswith("ref: "):
        return None
    ref = head[5:].strip()
    with contextlib.suppress(OSError, UnicodeDecodeError):
        value = read_text_file(git_dir / ref).strip()
        return value if FULL_ID.fullmatch(value) else None
    oid = packed_refs(git_dir).get(ref)
    return oid if oid and FULL_ID.fullmatch(oid) else None


def is_bare_repository(path: str | Path) -> bool:
    """Whether ``path`` looks like a bare repository (``HEAD``, ``objects/``, ``refs/``)."""
    join, isdir = os.path.join, os.path.isdir  # not pathlib: once per remote on every run
    return (os.path.isfile(join(path, "HEAD")) and isdir(join(path, "objects"))
            and isdir(join(path, "refs")))


def find_repositories(directory: Path) -> list[tuple[Path, bool]]:
    """Immediate subdirectories that are git repositories, sorted, as ``(path, bare)``."""
    found: list[tuple[Path, bool]] = []
    for entry in sorted(directory.iterdir()):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if (entry / ".git").exists():
            found.append((entry, False))
        elif is_bare_repository(entry):
            found.append((entry, True))
    return found


def resolve_listed(ref: str, listed: dict[str, str]) -> str | None:
    """The object a short ref names among ``git ls-remote`` output, by git's rules."""
    for rule in _REF_RULES:
        oid = listed.get(rule.format(ref))
        if oid:
            return oid
    return None


# -- a repository on this machine ---------------------------------------------


def local_git_dir(url: str) -> Path | None:
    """The git directory of a ``file://`` URL or local path, if it is one."""
    if url.startswith("file://"):
        parsed = urlsplit(url)
        if parsed.netloc not in ("", "localhost"):
            return None
        path = unquote(parsed.path)
    elif "://" in url or re.match(r"[^/]+:", url):
        return None  # another transport, or scp-like user@host:path
    else:
        path = url
    if os.path.isdir(os.path.join(path, ".git")):
        path = os.path.join(path, ".git")
    return Path(path) if is_bare_repository(path) else None


def local_ref(git_dir: Path, ref: str) -> str | None:
    """What ``ref`` names in a local repository, read from its ref files.

    ``None`` when it cannot tell (no such ref, or a ref storage other than
    loose files and ``packed-refs``); the caller then asks git.
    """
    if (git_dir / "reftable").exists():
        return None
    packed: dict[str, str] | None = None
    names = [ref] if ref == "HEAD" else [rule.format(ref) for rule in _REF_RULES]
    for name in names:
        for _ in range(5):  # symbolic refs, e.g. HEAD -> refs/heads/main
            try:
                value = read_text_file(git_dir / name).strip()
            except (OSError, UnicodeDecodeError):
                value = None
            if value is None or not value.startswith("ref: "):
                break
            name = value[5:].strip()
        if value is None:
            if packed is None:
                packed = packed_refs(git_dir)
            value = packed.get(name)
        if value and FULL_ID.fullmatch(value):
            return value
    return None


def packed_refs(git_dir: Path) -> dict[str, str]:
    """Ref name → object id from ``packed-refs`` (empty when it is missing or unreadable)."""
    try:
        text = read_text_file(git_dir / "packed-refs", 64 << 20)
    except (OSError, UnicodeDecodeError):
        return {}
    refs = {}
    for line in text.splitlines():
        oid, _, name = line.partition(" ")
        if name and not line.startswith(("#", "^")):
            refs[name.strip()] = oid
    return refs
