"""The workspace: the files a template run produces, kept in memory until it succeeds.

Steps write into a :class:`Workspace`, never to disk, so a run that fails
half-way touches nothing. Every path is checked on the way in: a skeleton
file name, ``targetPath`` or rename that would leave the target directory
(``..``, an absolute path) or write into ``.git`` is refused. Only a
finished run is written, into a directory that is new or empty.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_FILES", "MAX_TOTAL", "PathError", "Workspace", "glob_regex", "safe_path",
           "target_problem"]

MAX_FILES = 10_000
"""Files one run may produce."""
MAX_TOTAL = 100 * 1024 * 1024
"""Bytes one run may produce in all."""


class PathError(ValueError):
    """A path that would leave the target directory, or is otherwise refused."""


def safe_path(base: str, relative: object, what: str) -> str:
    """``relative`` joined to ``base`` (both inside the workspace), normalised.

    >>> safe_path("", "./databases/../db/main.tf", "targetPath")
    'db/main.tf'
    >>> safe_path("", "../outside", "targetPath")
    Traceback (most recent call last):
    ...
    generator.scaffold.workspace.PathError: targetPath '../outside' leaves the target directory
    """
    if not isinstance(relative, str):
        raise PathError(f"{what} must be a path, not {type(relative).__name__}")
    if "\0" in relative:
        raise PathError(f"{what} {relative!r} contains a NUL character")
    text = relative.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise PathError(f"{what} {relative!r} is absolute; give a path inside the target "
                        "directory")
    joined = posixpath.normpath(posixpath.join(base or ".", text))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        raise PathError(f"{what} {relative!r} leaves the target directory")
    if any(part.lower() == ".git" for part in joined.split("/")):
        raise PathError(f"{what} {relative!r} writes into .git, which a template may not touch")
    return joined


def glob_regex(pattern: str) -> re.Pattern:
    """A globby pattern (``**``, ``*``, ``?``, ``[…]``, ``{a,b}``) as a regular expression.

    >>> bool(glob_regex(".github/workflows/*").match(".github/workflows/ci.yaml"))
    True
    >>> bool(glob_regex("**/*.{png,jpg}").match("static/img/a.png"))
    True
    """
    pattern = pattern.removeprefix("./").rstrip("/")
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end].replace("\\", "\\\\")
                out.append(f"[{'^' + body[1:] if body.startswith('!') else body}]")
                i = end
        elif c == "{":
            end = pattern.find("}", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1:end].split(",")
                out.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + "/?$")


@dataclass(slots=True)
class File:
    """One file of the workspace."""

    data: bytes
    executable: bool = False


class Workspace:
    """Files by POSIX path relative to the target directory, and empty directories."""

    def __init__(self) -> None:
        self.files: dict[str, File] = {}
        self.dirs: set[str] = set()
        self.total = 0

    def exists(self, path: str) -> bool:
        return path in self.files or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        if path == "" or path in self.dirs:
            return True
        prefix = path + "/"
        return any(p.startswith(prefix) for p in self.files)

    def write(self, path: str, data: bytes, executable: bool = False) -> None:
        if not path:
            raise PathError("a file cannot be written at the root of the target directory")
        parts = path.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in self.files:
                raise PathError(f"{path}: {'/'.join(parts[:i])} is a file, not a directory")
        if self.is_dir(path) and path not in self.files:
            raise PathError(f"{path} is a directory; a file cannot replace it")
        old = self.files.get(path)
        self.total += len(data) - (len(old.data) if old else 0)
        if self.total > MAX_TOTAL:
            raise PathError(f"stopped: the run would write more than {MAX_TOTAL:,} bytes")
        if old is None and len(self.files) >= MAX_FILES:
            raise PathError(f"stopped: the run would write more than {MAX_FILES:,} files")
        self.files[path] = File(data, executable)

    def mkdir(self, path: str) -> None:
        if path and path not in self.files:
            self.dirs.add(path)

    def under(self, path: str) -> list[str]:
        """Files at or below ``path``."""
        if path in self.files:
            return [path]
        prefix = path + "/" if path else ""
        return sorted(p for p in self.files if p.startswith(prefix))

    def remove(self, path: str) -> int:
        """Delete a file or directory tree; the number of files removed."""
        gone = self.under(path)
        for p in gone:
            self.total -= len(self.files.pop(p).data)
        prefix = path + "/"
        self.dirs = {d for d in self.dirs if d != path and not d.startswith(prefix)}
        return len(gone)

    def move(self, source: str, dest: str, overwrite: bool) -> None:
        if not self.exists(source) or source == "":
            raise PathError(f"{source or '.'} does not exist in the workspace")
        if self.exists(dest) and not overwrite:
            raise PathError(f"{dest} already exists (set overwrite: true to replace it)")
        if dest == source or dest.startswith(source + "/"):
            raise PathError(f"cannot move {source} into itself")
        moved = {p: self.files[p] for p in self.under(source)}
        dirs = {d for d in self.dirs if d == source or d.startswith(source + "/")}
        self.remove(source)
        self.remove(dest)
        for p, f in moved.items():
            self.write(dest + p[len(source):], f.data, f.executable)
        for d in dirs:
            self.mkdir(dest + d[len(source):])

    def matching(self, pattern: str) -> list[str]:
        regex = glob_regex(pattern)
        paths = set(self.files) | self.dirs | {
            "/".join(p.split("/")[:i]) for p in self.files for i in range(1, p.count("/") + 1)}
        return sorted(p for p in paths if regex.match(p))

    def tree(self, root: str) -> list[str]:
        """The files as an indented tree with sizes, for ``--dry-run``."""
        entries = set(self.files) | self.dirs
        for p in list(entries):
            parts = p.split("/")
            entries.update("/".join(parts[:i]) for i in range(1, len(parts)))
        children: dict[str, list[str]] = {}
        for p in entries:
            children.setdefault(posixpath.dirname(p), []).append(p)
        lines = [root.rstrip("/") + "/"]

        def walk(parent: str, prefix: str) -> None:
            kids = sorted(children.get(parent, []))
            for i, path in enumerate(kids):
                last = i == len(kids) - 1
                name = posixpath.basename(path)
                if path in self.files:
                    label = f"{name}  ({_size(len(self.files[path].data))})"
                else:
                    label = name + "/"
                lines.append(f"{prefix}{'└── ' if last else '├── '}{label}")
                if path not in self.files:
                    walk(path, prefix + ("    " if last else "│   "))
        walk("", "")
        return lines

    def write_to(self, target: Path) -> None:
        """Create ``target`` (new or empty) and write every file into it."""
        target.mkdir(parents=True, exist_ok=True)
        for d in sorted(self.dirs):
            (target / d).mkdir(parents=True, exist_ok=True)
        for path in sorted(self.files):
            f = self.files[path]
            out = target / path
            out.parent.mkdir(parents=True, exist_ok=True)
            mode = 0o755 if f.executable else 0o644
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(f.data)


def _size(n: int) -> str:
    """
    >>> _size(512), _size(2048), _size(3 * 1024 * 1024)
    ('512 B', '2.0 KiB', '3.0 MiB')
    """
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


def target_problem(target: Path) -> str | None:
    """Why ``target`` cannot receive a new project (it exists and is not an empty directory)."""
    if target.is_symlink():
        return f"{target} is a symbolic link; choose a new directory"
    if not target.exists():
        return None
    if not target.is_dir():
        return f"{target} exists and is not a directory; choose a new directory"
    if any(target.iterdir()):
        return f"{target} is not empty; choose a new directory (nothing was written)"
    return None
