"""Repository files: the one safe way to read a file of an untrusted repository.

Every file a repository supplies (descriptors, ``$text``/``$json``/``$yaml``
targets, Location targets, docs pages, snippets, ``mkdocs.yml``) is read
through :func:`read_repo_file`, which refuses, with a reason:

- anything under git's own directory (``.git`` and the names file systems
  treat as ``.git``: ``.GIT``, ``.git.``, ``git~1`` …), as written or after
  following symbolic links: in CI it holds the checkout token;
- anything that resolves outside the repository root;
- anything that is not a regular file (a FIFO would block the build forever;
  devices and sockets have no end either);
- a regular file with more than one hard link: it may be a file outside the
  repository, and no portable check can tell;
- files over the size limit, binary files and text that is not UTF-8.

The file is opened without following a last symbolic link and without
blocking, then checked again on the open descriptor, so swapping it for a
FIFO between the check and the read gains nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePath

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "FileRefusal",
    "file_refusal",
    "in_git_directory",
    "is_git_name",
    "is_under",
    "read_repo_file",
    "read_text_file",
    "regular_file",
    "resolve_under",
]

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
"""Largest file read from a repository, in bytes, unless ``max_file_size`` says otherwise."""

FileRefusal = tuple[str, str]
"""``(problem code, why)``, the why worded to follow the file's name."""

# Code points HFS+ ignores in names, so ".g\u200cit" opens ".git" on a Mac (git's is_hfs_dotgit).
_IGNORABLE = frozenset("\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"))


def is_git_name(name: str) -> bool:
    """Whether a path component names git's directory on some file system.

    Case-insensitive file systems (macOS, Windows) open ``.git`` for ``.GIT``;
    NTFS drops trailing dots and spaces and knows the short name ``git~1``;
    HFS+ ignores some invisible code points.

    >>> [is_git_name(n) for n in (".git", ".GIT", ".git. ", "GIT~1", ".g\\u200cit", ".github")]
    [True, True, True, True, True, False]
    """
    if name.isascii() and "git" not in name.lower():  # the common case, without a copy
        return False
    cleaned = "".join(c for c in name if c not in _IGNORABLE).split(":", 1)[0]
    return cleaned.rstrip(". ").casefold() in (".git", "git~1")


def in_git_directory(path: PurePath) -> bool:
    """Whether any component of ``path`` names git's directory (see :func:`is_git_name`)."""
    return any(is_git_name(part) for part in path.parts)


def is_under(path: str, root: str) -> bool:
    """Whether normalised ``path`` is ``root`` or inside it (:meth:`PurePath.is_relative_to`
    on strings: per file, pathlib's parsing costs more than the read)."""
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


_REAL_ROOTS: dict[str, bool] = {}


def resolve_under(path: str | os.PathLike[str], root: str | None
                  ) -> tuple[str, os.stat_result | None]:
    """``os.path.realpath(path)``, and the file's ``lstat`` when that was needed.

    For a path below ``root`` (a directory that is its own real path), only the
    components below the root are looked at: when none is a symbolic link, the path is
    its own real path. Anything else (a link, ``..``, a missing part) takes
    :func:`os.path.realpath`, which looks at every component from ``/``.
    """
    text = os.fspath(path)
    if root is None or not is_under(text, root) or not _is_real(root):
        return os.path.realpath(text), None
    rest = text[len(root):].lstrip(os.sep)
    current, info = root.rstrip(os.sep) or os.sep, None
    for part in rest.split(os.sep) if rest else ():
        if part in ("", ".", ".."):
            return os.path.realpath(text), None
        current = current + part if current.endswith(os.sep) else current + os.sep + part
        try:
            info = os.lstat(current)
        except OSError:
            return os.path.realpath(text), None
        if stat.S_ISLNK(info.st_mode):
            return os.path.realpath(text), None
    return current, info


def _is_real(root: str) -> bool:
    known = _REAL_ROOTS.get(root)
    if known is None:
        if len(_REAL_ROOTS) > 4096:
            _REAL_ROOTS.clear()
        known = _REAL_ROOTS[root] = os.path.isdir(root) and os.path.realpath(root) == root
    return known


def _in_git(path: str, root: str | None) -> bool:
    """:func:`in_git_directory` of normalised ``path`` relative to ``root``."""
    if root is not None and is_under(path, root):
        path = path[len(root):]
    return any(is_git_name(part) for part in path.split(os.sep) if part)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _os_refusal(exc: OSError) -> FileRefusal:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "missing-file", "does not exist"
    if exc.errno == errno.ENAMETOOLONG:
        return "name-too-long", "has a name longer than the file system allows; shorten it"
    if exc.errno == errno.ELOOP:
        return "unreadable", "is a symbolic link loop or a symbolic link where none may be"
    if exc.errno == errno.EISDIR:
        return "unreadable", "is a directory, not a file"
    return "unreadable", f"cannot be read: {exc.strerror or exc}"


def file_refusal(path: Path, root: Path | None = None) -> FileRefusal | None:
    """Why ``path`` must not be read or published, or ``None`` when it may be.

    ``root`` is the repository's resolved root; without it only the path
    itself is checked (no ``.git`` component anywhere in it).
    """
    return _refusal(path, root)[0]


def _refusal(path: Path | str, root: Path | None) -> tuple[FileRefusal | None, str]:
    """:func:`file_refusal`, and the real path when there is none."""
    top = None if root is None else os.fspath(root)
    if _in_git(os.path.normpath(path), top):
        return ("git-directory", ("is inside the repository's .git directory, which is never "
                                  "read (it can hold credentials)")), ""
    try:
        real, known = resolve_under(path, top)
        info: os.stat_result | OSError = known or os.stat(real)
    except OSError as exc:  # as Path.resolve: a loop cannot be resolved
        if exc.errno == errno.ELOOP:
            return ("unreadable", "cannot be resolved (a symbolic link loop?)"), ""
        info = exc
    except (RuntimeError, ValueError):
        return ("unreadable", "cannot be resolved (a symbolic link loop?)"), ""
    if top is not None and not is_under(real, top):
        return ("outside-repository",
                "points outside the repository; only files inside it are read"), ""
    if _in_git(real, top):
        return ("git-directory", ("is a symbolic link into the repository's .git directory, "
                                  "which is never read (it can hold credentials)")), ""
    if isinstance(info, OSError):
        return _os_refusal(info), ""
    return _stat_refusal(info), real


def _stat_refusal(info: os.stat_result) -> FileRefusal | None:
    kind = _kind(info.st_mode)
    if kind == "a directory":
        return "unreadable", "is a directory, not a file"
    if kind is not None:
        return "not-a-file", f"is {kind}; only regular files are read"
    if info.st_nlink > 1:
        return "hard-link", (f"has {info.st_nlink} hard links, so it may be a file outside the "
                             "repository; it is not read (replace the link with a copy)")
    return None


def regular_file(path: Path, root: Path | None = None) -> bool:
    """Whether ``path`` may be read: a regular file of the repository, outside ``.git``."""
    return file_refusal(path, root) is None


def read_repo_file(path: Path | str, max_size: int = DEFAULT_MAX_FILE_SIZE, *,
                   root: Path | None = None) -> tuple[str | None, FileRefusal | None]:
    """Read a repository's text file; return ``(text, None)`` or ``(None, (code, why))``.

    >>> read_repo_file(Path("/repo/.git/config"), root=Path("/repo"))[1][0]
    'git-directory'
    """
    refusal, real = _refusal(path, root)
    if refusal is not None:
        return None, refusal
    try:
        fd = os.open(real, _READ_FLAGS)
    except OSError as exc:
        return None, _os_refusal(exc)
    try:
        info = os.fstat(fd)
        refusal = _stat_refusal(info)
        if refusal is not None:
            return None, refusal
        if info.st_size > max_size:
            return None, _too_large(info.st_size, max_size)
        os.set_blocking(fd, True)
        data = _read_at_most(fd, max_size + 1)
    except OSError as exc:
        return None, _os_refusal(exc)
    finally:
        os.close(fd)
    if len(data) > max_size:
        return None, _too_large(len(data), max_size)
    if b"\x00" in data:
        return None, ("binary-file", "is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, ("unreadable", f"is not UTF-8 text (byte {exc.start})")


def read_text_file(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """A small UTF-8 file the build itself looks at (git refs, the sources file, history).

    Like :meth:`Path.read_text`, but it never blocks: anything but a regular file, or a
    file over ``max_size``, raises :class:`OSError` (no ``.git`` rule: these are git's own).
    """
    fd = os.open(path, _READ_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"{path.name} is not a regular file")
        os.set_blocking(fd, True)
        data = _read_at_most(fd, max_size + 1)
    finally:
        os.close(fd)
    if len(data) > max_size:
        raise OSError(errno.EFBIG, f"{path.name} is over {max_size:,} bytes")
    return data.decode("utf-8")


def _too_large(size: int, max_size: int) -> FileRefusal:
    return "file-too-large", (f"is {size:,} bytes, over the {max_size:,}-byte limit; split it "
                              "or raise max_file_size in sources.yaml")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
