"""When each descriptor last changed, from git: one ``git log`` per repository, cached.

Only for a repository whose root is a git work tree's top level. The log
walks the repository's history once, limited to its descriptor files (literal
pathspecs: names from a repository are not patterns), newest first; a file's
first commit in it is its last change. In a shallow clone (CI's default
``fetch-depth: 1``) the oldest commits there are have no parents, and every
file seems to be added in them: a file found first in one of those is only
known to be unchanged *since at least* that commit (:attr:`LastChange.exact`
is false). Results are cached by ``HEAD``, shallowness and the files asked
about, so an unchanged repository costs one ``rev-parse`` on the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from generator.git import git_output

if TYPE_CHECKING:
    from pathlib import Path

    from generator.sources import Repository

__all__ = ["LastChange", "last_changes"]

_RECORD, _FIELD = "\x01", "\x02"
"""Separators git writes (``%x01``, ``%x02``); not whitespace, which git_output strips."""


@dataclass(frozen=True, slots=True)
class LastChange:
    """The commit that last changed a file."""

    commit: str
    """The full commit id."""
    time: int
    """Its committer time, seconds since 1970."""
    author: str
    subject: str
    """The first line of its message."""
    exact: bool = True
    """``False``: the oldest commit of a shallow clone, where the file is unchanged at least
    since; it may have changed before, in history the clone does not have."""


def last_changes(repositories: Iterable[Repository], paths: Mapping[str, Iterable[str]],
                 cache_dir: Path | None = None) -> dict[tuple[str, str], LastChange]:
    """``(repository name, path)`` → the file's last change, for every repository that is
    a git work tree's top level (inexact in a shallow clone's oldest commits); ``paths``
    names each repository's files (POSIX, repo-relative)."""
    jobs = []
    for repo in repositories:
        wanted = sorted(set(paths.get(repo.name, ())))
        # A work tree's top level holds `.git` (a folder, or a file in a linked work tree
        # or submodule): without one, no git process is started (nothing of it is read).
        if wanted and os.path.lexists(repo.root / ".git"):
            jobs.append((repo.name, repo.root, wanted))
    found: dict[tuple[str, str], LastChange] = {}
    # git runs in processes: a few at a time keep the cores busy while others wait on disk.
    with ThreadPoolExecutor(max_workers=min(8, max(1, len(jobs)))) as pool:
        results = pool.map(lambda job: _repository(job[1], job[2], cache_dir), jobs)
        for (name, _, _), changes in zip(jobs, results, strict=True):
            for path, change in changes.items():
                found[(name, path)] = change
    return found


def _repository(root: Path, wanted: list[str], cache_dir: Path | None) -> dict[str, LastChange]:
    top = git_output(root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD")
    lines = top.splitlines()
    if len(lines) != 3 or lines[1] not in ("false", "true") or not _same(lines[0], root):
        return {}
    shallow, head = lines[1] == "true", lines[2]
    key = hashlib.sha256("\n".join([head, lines[1], *wanted]).encode()).hexdigest()[:32]
    cached = cache_dir / "gitlog" / f"{key}.json" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            data = json.loads(cached.read_text(encoding="utf-8"))
            return {path: LastChange(**item) for path, item in data.items()}
        except (OSError, ValueError, TypeError):
            pass
    out = git_output(root, "-c", "log.showSignature=false", "log", "--no-renames",
                     "--name-only", "--format=%x01%H%x02%ct%x02%an%x02%P%x02%s",
                     "HEAD", "--", *(f":(literal){path}" for path in wanted), timeout=60)
    changes = _parse(out, set(wanted), shallow=shallow)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps({p: asdict(c) for p, c in sorted(changes.items())}),
                              encoding="utf-8")
        except OSError:
            pass  # no cache this time
    return changes


def _parse(out: str, wanted: set[str], *, shallow: bool = False) -> dict[str, LastChange]:
    r"""The first commit naming each wanted file in ``git log --name-only`` output
    (``%H``, ``%ct``, ``%an``, ``%P``, ``%s``); in a ``shallow`` clone, a commit without
    parents gives only an inexact change.

    >>> log = ("\x01aaa\x0220\x02Ada\x02bbb\x02second\n\nb.yaml\n"
    ...        "\x01bbb\x0210\x02Bo\x02\x02first\n\na.yaml\nb.yaml")
    >>> sorted((p, c.commit, c.exact) for p, c in _parse(log, {"a.yaml", "b.yaml"},
    ...                                                  shallow=True).items())
    [('a.yaml', 'bbb', False), ('b.yaml', 'aaa', True)]
    """
    found: dict[str, LastChange] = {}
    for record in out.split(_RECORD)[1:]:
        header, _, names = record.partition("\n")
        fields = header.split(_FIELD, 4)
        if len(fields) != 5 or not fields[1].isdigit():
            continue
        change = LastChange(fields[0], int(fields[1]), fields[2], fields[4],
                            exact=not shallow or bool(fields[3]))
        for name in names.split("\n"):
            if name in wanted and name not in found:
                found[name] = change
        if len(found) == len(wanted):
            break
    return found


def _same(top: str, root: Path) -> bool:
    from pathlib import Path

    try:
        return Path(top).resolve() == root.resolve()
    except OSError:
        return False
