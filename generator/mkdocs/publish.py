"""The site folder changes only where the site did: unchanged files are never rewritten.

MkDocs empties ``site_dir`` before every build and writes every file again, so
each deploy (``rsync``, ``aws s3 sync``, a Pages upload) would send the whole
site, and an organisation-sized build would spend most of a rebuild writing
(and, staged, deleting) gigabytes it already had. Instead:

* the files Paved Road makes (every page's HTML, the generated assets) go
  through :class:`SiteOutput`, straight into ``site_dir``: a file whose bytes
  are already there is left alone (same mtime, so sync tools skip it), any
  other is written beside its place and renamed over it;
* MkDocs' own files (theme assets, sitemap, 404 page, search indexes) are built
  into a staging folder beside ``site_dir`` (:func:`staging_dir`), since MkDocs
  cleans the folder it builds into; :meth:`SiteOutput.publish` moves in those
  that changed and deletes what the build no longer makes, such as the page of
  a removed entity. Hidden entries at the top of ``site_dir`` (``.git`` of a
  Pages checkout) are left alone, as MkDocs leaves them.

Whether a file already holds its bytes is answered by the previous build's record
(:mod:`.siterecord`) where it can be, by reading the file back where it cannot.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.mkdocs.sitelist import list_site
from generator.mkdocs.siterecord import SiteRecord, content_digest

__all__ = ["Published", "SiteListing", "SiteOutput", "staging_dir"]

_LISTER = Path(__file__).with_name("sitelist.py")
"""Run as a script: lists a site folder (:mod:`.sitelist`)."""

_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Published:
    """How many files of the site one build wrote, kept unchanged and deleted."""

    wrote: int = 0
    kept: int = 0
    deleted: int = 0

    def summary(self) -> str:
        return (f"{self.wrote:,} files written, {self.kept:,} kept unchanged, "
                f"{self.deleted:,} deleted")


def staging_dir(site_dir: Path) -> Path:
    """Where MkDocs' own files of a build of ``site_dir`` are staged: a hidden folder beside
    it (same file system, so files move into place by renaming)."""
    return site_dir.parent / f".{site_dir.name}.pavedroad-staging"


class SiteOutput:
    """Writes files into ``site_dir`` where their bytes changed; thread-safe."""

    def __init__(self, site_dir: Path, record: SiteRecord | None = None) -> None:
        self.site_dir = site_dir
        self.record = record or SiteRecord()
        """The files the build before wrote; this build's, saved by :meth:`publish`."""
        self.wrote = 0
        self.kept = 0
        self.removed = 0
        """Files of an older build removed because a folder or file of this one is there."""
        self.made: set[str] = set()
        """Relative paths of the files written or kept, and of their folders."""
        self._folders: set[str] = set()
        self._lock = threading.Lock()

    def write(self, rel: str, data: bytes) -> None:
        """Make ``site_dir/rel`` hold ``data``, rewriting it only if it differs."""
        key = os.path.normpath(rel)
        # Without a record to keep (no cache folder), no digest to compare nor to note.
        digest = content_digest(data) if self.record.path is not None else b""
        recorded = False

        def same(dest: str) -> bool:
            nonlocal recorded
            recorded = self.record.holds(key, dest, digest)  # one entry per path: no lock
            return recorded or _holds(dest, data)

        dest = self._put(rel, same, lambda dest: _replace(Path(dest), data))
        if not recorded:
            self.record.note(key, dest, digest)

    def write_staged(self, rel: str, source: Path) -> None:
        """Like :meth:`write`, for a file already on disk (moved, not copied)."""
        self._put(rel, lambda dest: _holds_file(Path(dest), source),
                  lambda dest: _move(source, Path(dest)))

    def keep(self, rel: str) -> None:
        """Keep ``site_dir/rel`` as it is (checked to be an earlier build's, unchanged: its
        folder is there, nothing needs making)."""
        rel = os.path.normpath(rel)
        with self._lock:  # not a checked folder: a write into it still looks at its parts
            self.made.update(_parents(os.path.dirname(rel)))
            self.made.add(rel)
            self.kept += 1
            self.record.carry(rel)

    def keep_tree(self, rel: str) -> None:
        """Keep every file under ``site_dir/rel`` as it is (made by an earlier build from the
        same inputs)."""
        for folder, _, files in os.walk(self.site_dir / rel):
            path = os.path.normpath(os.path.relpath(folder, self.site_dir))
            with self._lock:
                self._note_folder(path)
                self.made.update(os.path.join(path, name) for name in files)
                self.kept += len(files)

    def publish(self, staging: Path, listing: SiteListing | None = None) -> Published:
        """Move the staged files that changed into ``site_dir``, delete the files the build
        did not make (of those ``listing`` found before the build wrote any, if given), and
        remove ``staging``."""
        for folder, _, files in os.walk(staging):
            rel = os.path.relpath(folder, staging)
            for name in files:
                self.write_staged(os.path.join(rel, name), Path(folder, name))
        found = listing.result() if listing is not None else None
        deleted = _delete_stale(self.site_dir, self.made, found)
        shutil.rmtree(staging, ignore_errors=True)
        self.record.save()
        return Published(self.wrote, self.kept, deleted + self.removed)

    def _put(self, rel: str, same: Callable[[str], bool], put: Callable[[str], int]) -> str:
        """Leave ``site_dir/rel`` alone if ``same`` says it holds the file, else ``put`` it
        there (which returns the files it removed on the way); count either. Returns the
        file's path."""
        rel = os.path.normpath(rel)
        dest = os.path.join(self.site_dir, rel)
        folder = os.path.dirname(rel)
        with self._lock:
            known = folder in self._folders
            checked = self._folders
        removed = 0 if known else _make_folder(self.site_dir, folder, checked)
        kept = same(dest)
        if not kept:
            removed += put(dest)
        with self._lock:
            self.removed += removed
            self._note_folder(folder)
            self.made.add(rel)
            if kept:
                self.kept += 1
            else:
                self.wrote += 1
        return dest

    def _note_folder(self, folder: str) -> None:
        """Record ``folder`` and its parents as made and checked (the caller holds the lock):
        a file in any of them needs no folder made, nor a look at its path."""
        if folder not in self._folders:
            parents = _parents(folder)
            self._folders.update(parents)
            self._folders.add(folder)  # the site folder itself ("") too
            self.made.update(parents)


def _parents(folder: str) -> list[str]:
    out = []
    while folder and folder != ".":
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def _make_folder(site_dir: Path, folder: str, checked: set[str] | frozenset[str] = frozenset()
                 ) -> int:
    """Create ``site_dir/folder``; a file or link in the way (an older build's) goes.
    Folders in ``checked`` (made or checked earlier in this build) are not looked at again.
    Returns the number of files removed."""
    removed, rel = 0, ""
    for part in folder.split(os.sep) if folder else ():
        rel = os.path.join(rel, part) if rel else part
        if rel in checked:
            continue
        path = os.path.join(site_dir, rel)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            break  # nothing in the way below here
        if not stat.S_ISDIR(mode):  # a file, or a link (to a folder or not)
            os.unlink(path)
            removed += 1
            break
    else:
        if folder:
            return 0  # every part is a folder already
    os.makedirs(os.path.join(site_dir, folder), exist_ok=True)
    return removed


def _clear(dest: Path) -> int:
    """Remove a folder (not a link) where a file must go; the number of files it held."""
    if not dest.is_dir() or dest.is_symlink():
        return 0
    count = sum(len(names) for _, _, names in os.walk(dest))
    shutil.rmtree(dest)
    return count


def _holds(dest: str | Path, data: bytes) -> bool:
    """Whether ``dest`` is a regular file (not a link) with exactly ``data``."""
    try:
        with open(dest, "rb", buffering=0, opener=_no_follow) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            return handle.readall() == data
    except OSError:
        return False


def _no_follow(path: str, flags: int) -> int:
    """Open ``path`` without following a link at its last part (a link is not our file), and
    without waiting on a pipe someone left there."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _replace(dest: Path, data: bytes) -> int:
    """Write ``data`` beside ``dest`` and rename it over: a reader never sees half a file.
    Returns the number of files removed (a folder in the way)."""
    removed = _clear(dest)
    tmp = dest.with_name(f".{dest.name}.pavedroad-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)
    return removed


def _holds_file(dest: Path, source: Path) -> bool:
    """Whether ``dest`` is a regular file (not a link) with the bytes of ``source``."""
    try:
        return dest.is_file() and not dest.is_symlink() and _same_files(source, dest)
    except OSError:
        return False


def _move(source: Path, dest: Path) -> int:
    """Move ``source`` over ``dest``; the number of files removed (a folder in the way)."""
    removed = _clear(dest)
    os.replace(source, dest)
    return removed


def _same_files(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as one, open(b, "rb") as two:
        while True:
            x, y = one.read(_CHUNK), two.read(_CHUNK)
            if x != y:
                return False
            if not x:
                return True


class SiteListing:
    """The files and folders of a site folder as they were when the build started, listed
    by a process of its own (:mod:`.sitelist`) while the build goes on."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._out: Path | None = None
        self._process: subprocess.Popen | None = None
        self._found: tuple[list[str], list[str]] | None = None

    def start(self) -> SiteListing:
        """Start listing (nothing to list if the folder is not there)."""
        if not self.site_dir.is_dir():
            return self
        handle, name = tempfile.mkstemp(prefix="pavedroad-site-", suffix=".marshal")
        os.close(handle)
        self._out = Path(name)
        self._process = subprocess.Popen(
            [sys.executable, "-I", str(_LISTER), str(self.site_dir), name],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def result(self) -> tuple[list[str], list[str]]:
        """``(files, folders)`` relative to the site folder, parents before their children
        (waited for once; listed here instead if the process failed)."""
        if self._found is None:
            self._found = self._wait()
        return self._found

    def _wait(self) -> tuple[list[str], list[str]]:
        if self._process is None:
            return list_site(str(self.site_dir)) if self.site_dir.is_dir() else ([], [])
        code = self._process.wait()
        try:
            if code == 0 and self._out is not None:
                files, folders = marshal.loads(self._out.read_bytes())
                return files, folders
        except (OSError, ValueError, EOFError, TypeError):
            pass
        finally:
            self.close()
        return list_site(str(self.site_dir))

    def close(self) -> None:
        """Stop the process if it still runs and remove its output."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
        if self._out is not None:
            for path in (self._out, Path(f"{self._out}.part")):  # one may be missing
                with contextlib.suppress(OSError):
                    path.unlink()
            self._out = None


def _delete_stale(site_dir: Path, made: set[str],
                  found: tuple[list[str], list[str]] | None = None) -> int:
    """Delete files and folders of ``site_dir`` the build did not make (not hidden top-level
    entries, which are not even looked into: a Pages checkout's ``.git``), of those
    ``found`` (by :func:`~.sitelist.list_site`, listed now if not given); the number of
    files deleted. Anything ``found`` that is gone or of another type by now is left."""
    files, folders = found if found is not None else list_site(str(site_dir))
    deleted = 0
    for path in files:
        if path not in made:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                os.unlink(os.path.join(site_dir, path))
                deleted += 1
    for path in reversed(folders):  # children first, emptied above
        if path in made:
            continue
        full = site_dir / path
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if full.is_symlink():
                full.unlink()
                deleted += 1
            elif full.is_dir() and not any(full.iterdir()):
                full.rmdir()
    return deleted
