"""The site folder changes only where the site did: a build is staged aside, then published.

MkDocs empties ``site_dir`` before every build and writes every file again, so
each deploy (``rsync``, ``aws s3 sync``, a Pages upload) sends the whole site.
Instead the build writes into a staging folder beside ``site_dir``
(:func:`staging_dir`), whoever writes (MkDocs, the theme, search, the
:mod:`~generator.mkdocs.writer` thread), and :func:`publish` then moves into
``site_dir`` only the files whose bytes changed, leaves identical ones alone
(same mtime, so sync tools skip them) and deletes what the build no longer
makes, such as the page of a removed entity. Hidden entries at the top of
``site_dir`` (``.git`` of a Pages checkout) are left alone, as MkDocs leaves them.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Published", "publish", "staging_dir"]


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
    """Where a build of ``site_dir`` is staged: a hidden folder beside it (same file system,
    so files move into place by renaming)."""
    return site_dir.parent / f".{site_dir.name}.pavedroad-staging"


def publish(staging: Path, site_dir: Path) -> Published:
    """Move the staged build into ``site_dir``, file by file where it changed; remove
    ``staging``."""
    if not site_dir.exists():
        count = sum(len(files) for _, _, files in os.walk(staging))
        os.replace(staging, site_dir)
        return Published(wrote=count)
    wrote = kept = replaced = 0
    made: set[str] = set()
    for folder, _, files in os.walk(staging):
        rel = os.path.relpath(folder, staging)
        target = site_dir / rel
        if rel != ".":
            made.add(rel)
            if target.is_symlink() or (target.exists() and not target.is_dir()):
                target.unlink()  # a file where the build has a folder
                replaced += 1
            target.mkdir(exist_ok=True)
        for name in files:
            made.add(os.path.normpath(os.path.join(rel, name)))
            source, dest = Path(folder, name), target / name
            if dest.is_dir() and not dest.is_symlink():  # a folder where the build has a file
                replaced += sum(len(names) for _, _, names in os.walk(dest))
                shutil.rmtree(dest)
            if dest.is_file() and not dest.is_symlink() and _same(source, dest):
                kept += 1
            else:
                os.replace(source, dest)
                wrote += 1
    deleted = _delete_stale(site_dir, made)
    shutil.rmtree(staging, ignore_errors=True)
    return Published(wrote, kept, deleted + replaced)


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and filecmp.cmp(a, b, shallow=False)


def _delete_stale(site_dir: Path, made: set[str]) -> int:
    """Delete files and folders of ``site_dir`` the build did not make (not hidden top-level
    entries); the number of files deleted."""
    deleted = 0
    for folder, dirs, files in os.walk(site_dir, topdown=False):
        rel = os.path.relpath(folder, site_dir)
        if rel != "." and rel.split(os.sep)[0].startswith("."):
            continue
        for name in files:
            path = os.path.normpath(os.path.join(rel, name))
            if path not in made and not (rel == "." and name.startswith(".")):
                os.unlink(site_dir / path)
                deleted += 1
        for name in dirs:
            path = os.path.normpath(os.path.join(rel, name))
            if path not in made and not (rel == "." and name.startswith(".")):
                full = site_dir / path
                if full.is_symlink():
                    full.unlink()
                elif not any(full.iterdir()):
                    full.rmdir()
    return deleted
