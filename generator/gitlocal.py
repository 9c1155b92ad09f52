"""A copy of a repository on this machine, written from its objects without a clone.

``git clone`` of a local remote costs a pack transfer (``upload-pack``,
``pack-objects``, ``index-pack``: several processes) per repository. Here one
``git cat-file --batch`` process reads the remote's objects in place: the
commit, its trees, then each blob, streamed into the work tree and, as loose
objects, into a small ``.git`` beside it (``HEAD`` detached at the commit and a
``shallow`` file), so the copy is the repository a ``git clone --depth 1``
would leave (``git log`` in it works) without an index.

Everything in the repository is untrusted. A tree entry whose name is empty,
``.``, ``..``, holds ``/`` or names git's directory (:func:`~generator.repofiles.is_git_name`),
a name twice in one tree, or an unknown mode refuses the whole repository, as
``git checkout`` does. A symbolic link is written only when it stays inside the
copy for certain (relative, its ``..`` only at the start and no deeper than the
link's folder); others are skipped and named. Submodules become empty folders,
as in a clone. Files are created exclusively (``O_EXCL | O_NOFOLLOW``) in a
fresh folder and links last, so no write follows a link. The process runs with
git's transports off (``protocol.allow=never``: a remote that is itself a
partial clone cannot make it fetch, which would run programs its config
names), without hooks, and under a timeout.

Where ``git checkout`` would change bytes (a ``.gitattributes`` in the tree, or
attributes, ``core.autocrlf`` or ``core.symlinks=false`` in the user's git
configuration) :func:`materialise` answers ``None`` and the caller clones.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.repofiles import is_git_name

__all__ = ["LocalCopy", "UnsafeTree", "materialise", "plain_checkout"]

_CHUNK = 1 << 20
_BATCH = 60
"""Object ids written to ``cat-file`` at once: under 4 KiB, which an empty pipe always takes,
so the write never waits on git while git waits for its answers to be read."""
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
    os, "O_CLOEXEC", 0)
_FILE_MODES = {b"100644": 0o666, b"100664": 0o666, b"100755": 0o777}
_SAFE = ("-c", "protocol.allow=never", "-c", "core.sshCommand=false")
"""Added to the caller's settings: a read of objects never fetches."""


class UnsafeTree(Exception):
    """The repository's tree cannot be written safely (or its objects cannot be read)."""


@dataclass(frozen=True, slots=True)
class LocalCopy:
    """What :func:`materialise` wrote."""

    commit: str
    skipped: tuple[str, ...] = ()
    """Symbolic links not written because they may point outside the copy."""


@functools.cache
def plain_checkout() -> bool:
    """Whether ``git checkout`` writes blobs unchanged here, apart from a tree's own
    ``.gitattributes``: no attributes file and no line-ending or symlink setting in the
    user's or system's git configuration (asked once per process)."""
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    if any(os.path.exists(p) for p in (os.path.join(home, "git", "attributes"),
                                       "/etc/gitattributes")):
        return False
    try:
        out = subprocess.run(
            ["git", "config", "--null", "--get-regexp",
             r"^core\.(autocrlf|attributesfile|symlinks)$"],
            cwd="/", stdin=subprocess.DEVNULL, capture_output=True, timeout=10,
            check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    for item in out.split(b"\0"):
        key, _, value = item.partition(b"\n")
        value = value.strip().lower()
        if (key == b"core.attributesfile" or (key == b"core.autocrlf" and value == b"true")
                or (key == b"core.symlinks" and value in (b"false", b"no", b"off", b"0"))):
            return False
    return True


class _Watchdog:
    """Kills processes that outlive their deadline: one thread for all of them (a timer
    thread per process costs more than the process's reads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.due: dict[_Objects, float] = {}
        self.thread: threading.Thread | None = None

    def watch(self, objects: _Objects, timeout: float) -> None:
        with self.lock:
            self.due[objects] = time.monotonic() + timeout
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="git-watchdog",
                                               daemon=True)
                self.thread.start()

    def forget(self, objects: _Objects) -> None:
        with self.lock:
            self.due.pop(objects, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            with self.lock:
                late = [o for o, due in self.due.items() if due <= now]
                for objects in late:
                    del self.due[objects]
                if not self.due and not late:
                    self.thread = None
                    return
            for objects in late:
                objects.kill(timed_out=True)


class _Objects:
    """One ``git cat-file --batch`` over a git directory, asked one object at a time."""

    def __init__(self, git_dir: Path, config: Sequence[str], env: dict[str, str],
                 timeout: float) -> None:
        self.errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close)
        env = {**env, "GIT_NO_LAZY_FETCH": "1", "GIT_NO_REPLACE_OBJECTS": "1"}
        self.proc = subprocess.Popen(
            ["git", *config, *_SAFE, "--git-dir", str(git_dir), "cat-file", "--batch"],
            cwd=git_dir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.errors, start_new_session=True)
        self.timed_out = False
        _WATCHDOG.watch(self, timeout)

    def kill(self, timed_out: bool = False) -> None:
        self.timed_out = self.timed_out or timed_out
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def send(self, oids: Sequence[str]) -> None:
        """Ask for up to :data:`_BATCH` objects at once; read each in order with
        :meth:`header` (and :meth:`read`) before sending more."""
        assert self.proc.stdin and len(oids) <= _BATCH
        with contextlib.suppress(OSError):  # a dead process: header() tells why
            self.proc.stdin.write("".join(f"{oid}\n" for oid in oids).encode())
            self.proc.stdin.flush()

    def ask(self, oid: str) -> tuple[bytes, int]:
        """Ask for ``oid``; its type and size (read the content next with :meth:`read`)."""
        self.send([oid])
        return self.header(oid)

    def header(self, oid: str) -> tuple[bytes, int]:
        """The type and size of ``oid``, asked for with :meth:`send`."""
        assert self.proc.stdout
        try:
            head = self.proc.stdout.readline()
        except OSError:
            head = b""
        fields = head.split()
        if len(fields) == 2 and fields[1] == b"missing":
            raise UnsafeTree(f"object {oid[:12]} is missing from the repository")
        if len(fields) != 3 or fields[0].decode(errors="replace") != oid or not fields[2].isdigit():
            raise UnsafeTree(self.failure())
        return fields[1], int(fields[2])

    def read(self, size: int) -> bytes:
        assert self.proc.stdout
        data = self.proc.stdout.read(size)
        if len(data) != size:
            raise UnsafeTree(self.failure())
        return data

    def whole(self, oid: str, kind: bytes, *, sent: bool = False) -> bytes:
        """The content of ``oid`` (asked for already when ``sent``), which must be a ``kind``."""
        got, size = self.header(oid) if sent else self.ask(oid)
        data = self.read(size + 1)[:-1]
        if got != kind:
            raise UnsafeTree(f"object {oid[:12]} is a {got.decode(errors='replace')}, "
                             f"not a {kind.decode()}")
        return data

    def failure(self) -> str:
        self.kill()
        self.proc.wait()
        if self.timed_out:
            return "git cat-file timed out"
        self.errors.seek(0)
        lines = [x.strip() for x in self.errors.read(4000).decode(errors="replace").splitlines()
                 if x.strip()]
        return "git cat-file failed: " + (" ".join(lines[-2:]) or "no message").replace(
            "fatal: ", "")

    def close(self) -> None:
        _WATCHDOG.forget(self)
        with contextlib.suppress(OSError):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
        self.errors.close()


_WATCHDOG = _Watchdog()


def _tree_entries(data: bytes, width: int, where: str) -> list[tuple[bytes, str, str]]:
    """``(mode, name, id)`` of a raw tree, each name checked."""
    entries, seen, at = [], set(), 0
    while at < len(data):
        space, nul = data.find(b" ", at), data.find(b"\0", at)
        if space < 0 or nul < space or nul + 1 + width > len(data):
            raise UnsafeTree(f"the tree {where or '/'} is malformed")
        mode, raw = data[at:space], data[space + 1:nul]
        oid = data[nul + 1:nul + 1 + width].hex()
        at = nul + 1 + width
        name = os.fsdecode(raw)
        shown = f"{where}{name}"
        if (not raw or raw in (b".", b"..") or b"/" in raw or is_git_name(name)):
            raise UnsafeTree(f"the tree holds the unsafe path {shown!r}")
        if raw in seen:
            raise UnsafeTree(f"the tree holds {shown!r} twice")
        seen.add(raw)
        entries.append((mode, name, oid))
    return entries


def _link_inside(rel: str, target: bytes) -> bool:
    """Whether a link at ``rel`` (POSIX, in the copy) to ``target`` stays inside the copy:
    relative, its ``..`` only at the start and no more of them than folders above it."""
    if not target or target.startswith(b"/") or b"\0" in target:
        return False
    parts = [p for p in target.split(b"/") if p not in (b"", b".")]
    ups = 0
    while ups < len(parts) and parts[ups] == b"..":
        ups += 1
    return b".." not in parts[ups:] and ups <= rel.count("/")


def materialise(git_dir: Path, fetched: str, work: Path, config: Sequence[str],
                env: dict[str, str], timeout: float) -> LocalCopy | None:
    """Write the commit ``fetched`` names (a commit or an annotated tag) of the repository
    at ``git_dir`` into the new folder ``work``; ``None`` where ``git checkout`` could
    write other bytes (the caller clones instead). Raises :class:`UnsafeTree`."""
    objects_dir = os.path.join(os.path.abspath(git_dir), "objects")
    if not plain_checkout() or "\n" in objects_dir:
        return None
    width = len(fetched) // 2
    objects = _Objects(git_dir, config, env, timeout)
    try:
        return _write(objects, fetched, work, width, objects_dir)
    except BaseException:
        objects.kill()  # not waited for: it may be writing answers nobody reads
        raise
    finally:
        objects.close()


def _write(objects: _Objects, fetched: str, work: Path, width: int,
           objects_dir: str) -> LocalCopy | None:
    oid = fetched
    for _ in range(10):  # annotated tags, possibly of tags
        kind, size = objects.ask(oid)
        data = objects.read(size + 1)[:-1]
        if kind == b"commit":
            break
        line = data.split(b"\n", 1)[0].split(b" ")
        if kind != b"tag" or len(line) != 2 or line[0] != b"object":
            raise UnsafeTree(f"{fetched[:12]} names no commit")
        oid = line[1].decode(errors="replace")
    else:
        raise UnsafeTree(f"{fetched[:12]} names no commit")
    commit = oid
    line = data.split(b"\n", 1)[0].split(b" ")
    if len(line) != 2 or line[0] != b"tree" or len(line[1]) != 2 * width:
        raise UnsafeTree(f"the commit {commit[:12]} is malformed")
    files: list[tuple[str, bytes, str]] = []  # (path, mode, blob)
    level = [("", line[1].decode())]
    while level:  # a level of the tree at a time, its trees asked for together
        deeper = []
        for at in range(0, len(level), _BATCH):
            batch = level[at:at + _BATCH]
            objects.send([tree for _, tree in batch])
            for where, tree in batch:
                data = objects.whole(tree, b"tree", sent=True)
                for mode, name, entry in _tree_entries(data, width, where):
                    if mode == b"40000":
                        deeper.append((f"{where}{name}/", entry))
                    elif mode in _FILE_MODES or mode in (b"120000", b"160000"):
                        if name == ".gitattributes":
                            return None  # git would apply them on checkout
                        files.append((where + name, mode, entry))
                    else:
                        raise UnsafeTree(f"{where}{name!r} has the unknown mode "
                                         f"{mode.decode()}")
        level = deeper
    _git_dir(work / ".git", commit, width, objects_dir)
    made: set[str] = set()
    links: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    files.sort()
    for at in range(0, len(files), _BATCH):
        batch = files[at:at + _BATCH]
        objects.send([blob for _, mode, blob in batch if mode != b"160000"])
        for rel, mode, blob in batch:
            parent = rel.rpartition("/")[0]
            if parent and parent not in made:
                os.makedirs(work / parent, exist_ok=True)
                made.add(parent)
            if mode == b"160000":  # a submodule: an empty folder, as a clone leaves
                os.mkdir(work / rel)
                made.add(rel)
            elif mode == b"120000":
                target = objects.whole(blob, b"blob", sent=True)
                if _link_inside(rel, target):
                    links.append((rel, target))
                else:
                    skipped.append(rel)
            else:
                _write_blob(objects, blob, work / rel, _FILE_MODES[mode])
    for rel, target in links:  # last: no file is written through a link
        os.symlink(target, work / rel)
    return LocalCopy(commit, tuple(skipped))


def _git_dir(git_dir: Path, commit: str, width: int, objects_dir: str) -> None:
    """The copy's ``.git``: ``HEAD`` at the commit, shallow there, objects borrowed."""
    top = str(git_dir)
    os.makedirs(top)  # and the copy's folder (the cache's, too, if it is not there yet)
    for folder in ("objects", "objects/info", "refs"):
        os.mkdir(os.path.join(top, folder))
    files = {"objects/info/alternates": objects_dir, "HEAD": commit, "shallow": commit}
    if width == 32:
        files["config"] = ("[core]\n\trepositoryformatversion = 1\n"
                           "[extensions]\n\tobjectFormat = sha256")
    for name, text in files.items():
        fd = os.open(os.path.join(top, name), _WRITE, 0o666)
        try:
            os.write(fd, os.fsencode(text + "\n"))
        finally:
            os.close(fd)


def _write_blob(objects: _Objects, blob: str, path: Path, mode: int) -> None:
    """Stream one blob, asked for already, into the new file ``path``."""
    kind, size = objects.header(blob)
    if kind != b"blob":
        raise UnsafeTree(f"object {blob[:12]} is a {kind.decode(errors='replace')}, not a blob")
    with os.fdopen(os.open(path, _WRITE, mode), "wb") as out:
        left = size
        while left:
            chunk = objects.read(min(left, _CHUNK))
            out.write(chunk)
            left -= len(chunk)
        objects.read(1)
