"""Git: shallow, sparse copies of remote repositories in a local cache.

Each remote (URL, ref, sparse paths) gets one work tree under the cache
directory, named after the repository and a hash of the three::

    <cache>/repos/payments-3f2a9c0d1e4b5a67/        a detached checkout of the ref
    <cache>/repos/payments-3f2a9c0d1e4b5a67/.git/pavedroad.json
                                                    what was checked out, written last

:func:`sync` brings every copy up to date, running up to ``jobs`` git commands
at a time. A first run clones into a temporary directory and renames it into
place, so a killed run never leaves a half-written copy under the final name.
A local remote (a repository on this machine, ``file://`` or a path) is written
from its objects in place by one ``git cat-file --batch``
(:mod:`generator.gitlocal`: no pack transfer, a third of a clone's CPU); where
that cannot give what a checkout would (attributes, sparse paths, commit ids)
one ``git clone --depth 1``, else ``git init`` + ``git fetch --depth 1`` +
``git checkout`` (sparse paths, credentials in the URL, commit ids). Later runs
ask the remote for the ref's commit and fetch only when it moved: a local
remote's ref files are read in the calling thread (:mod:`generator.gitrefs`,
no process at all) and a moved one is copied anew beside the old copy, others
are asked with ``git ls-remote`` and fetched into their copy; a full commit SHA
as ref is immutable and needs no network at all once fetched. A copy
without its marker, whose ``HEAD`` disagrees with it, or with a git lock
file left behind, is treated as damaged and cloned again.

Every git command runs without a terminal (``GIT_TERMINAL_PROMPT=0`` and a new
session, so neither git nor ssh can prompt), under a timeout, and network
commands are retried with backoff when the failure looks transient.
Credentials come only from git's own mechanisms (credential helpers,
``GIT_ASKPASS``); user and password in a URL are never shown: every message
passes through :func:`redact`. Submodules are not fetched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from generator.gitcache import cache_lock, prune
from generator.gitlocal import LocalCopy, UnsafeTree, materialise
from generator.gitrefs import (
    FULL_ID,
    find_repositories,
    head_commit,
    is_bare_repository,
    local_git_dir,
    local_ref,
    resolve_listed,
)

__all__ = [
    "Checkout",
    "FetchOptions",
    "GitError",
    "GitRemote",
    "checkout_dir",
    "find_repositories",
    "git_output",
    "head_commit",
    "is_bare_repository",
    "is_commit_id",
    "redact",
    "sync",
    "sync_remote",
]

log = logging.getLogger("pavedroad.git")

MARKER = "pavedroad.json"
"""File in a copy's ``.git`` directory recording what is checked out; written last."""

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s]*@")
_HEX = re.compile(r"[0-9a-f]{7,64}")
_TRANSIENT = re.compile(
    r"(?i)could not resolve host|connection (?:refused|reset|timed out)|timed out|"
    r"failed to connect|couldn.t connect|"
    r"early eof|rpc failed|remote end hung up|network is unreachable|temporary failure|"
    r"returned error: 5\d\d|ssl|gnutls|unexpected disconnect|operation too slow")
_LOCKS = ("index.lock", "HEAD.lock", "shallow.lock", "config.lock", "packed-refs.lock",
          "FETCH_HEAD.lock")
_CONFIG = ("-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "core.hooksPath=/dev/null",
           "-c", "advice.detachedHead=false", "-c", "init.defaultBranch=main",
           "-c", "core.fsmonitor=false", "-c", "http.lowSpeedLimit=1000",
           "-c", "http.lowSpeedTime=30")
"""Settings of every git command; an HTTP transfer stalled for 30 s fails (and is retried)."""


@dataclass(frozen=True, slots=True)
class GitRemote:
    """A repository to copy: where from, which ref, which directories."""

    url: str
    """URL as written; may carry credentials, so never shown without :func:`redact`."""
    ref: str | None = None
    """Branch, tag or commit; the remote's default branch when ``None``."""
    paths: tuple[str, ...] = ()
    """Directories to check out (sparse); everything when empty."""

    @property
    def shown(self) -> str:
        """The URL with any user and password hidden."""
        return redact(self.url)


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How hard to try: parallelism, per-command timeout and retries."""

    jobs: int = 8
    """Repositories fetched at the same time."""
    timeout: float = 120.0
    """Seconds one git command may take before it is killed (a timeout is not retried)."""
    retries: int = 2
    """Extra attempts of a network command after a transient failure."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each further one."""
    keep_days: int = 30
    """Days after its last use that a copy no source names any more is deleted."""
    deadline: float = 600.0
    """Seconds all fetches of one run may take together; what is left then is not waited for."""
    until: float | None = None
    """The deadline as a :func:`time.monotonic` time, set by :func:`sync`."""


@dataclass(frozen=True, slots=True)
class Checkout:
    """The outcome of syncing one remote."""

    remote: GitRemote
    path: Path | None
    """The work tree in the cache; ``None`` when there is no usable copy."""
    commit: str | None = None
    """Commit checked out in ``path``."""
    stale: bool = False
    """The fetch failed and ``path`` is the copy an earlier run left."""
    error: str | None = None
    """Why the fetch failed (redacted), when it did."""
    fetched: bool = False
    """Objects were downloaded this run (a clone or an update)."""
    skipped: tuple[str, ...] = ()
    """Symbolic links of a local remote not written: they may point outside the copy."""


class GitError(Exception):
    """A git command failed; the message is already redacted."""

    def __init__(self, message: str, *, transient: bool = False,
                 timed_out: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.timed_out = timed_out


# -- pure helpers ----------------------------------------------------------


def redact(text: str) -> str:
    """Hide the user and password of every URL in ``text``.

    >>> redact("fatal: https://bot:s3cret@git.example.com/a.git not found")
    'fatal: https://***@git.example.com/a.git not found'
    >>> redact("ssh://git@example.com/a.git and git@example.com:a.git")
    'ssh://***@example.com/a.git and git@example.com:a.git'
    """
    return _USERINFO.sub(r"\1***@", text)


def _strip_userinfo(url: str) -> str:
    return _USERINFO.sub(r"\1", url)


def is_commit_id(ref: str | None) -> bool:
    """Whether ``ref`` is a full commit id (40 or 64 lowercase hex digits).

    >>> is_commit_id("0123456789abcdef0123456789abcdef01234567"), is_commit_id("main")
    (True, False)
    """
    return bool(ref and FULL_ID.fullmatch(ref))


def checkout_dir(cache_dir: Path, remote: GitRemote) -> Path:
    """Where ``remote``'s copy lives: a readable name plus a hash of URL, ref and paths."""
    url = _strip_userinfo(remote.url)
    digest = hashlib.sha256("\0".join([url, remote.ref or "", *remote.paths]).encode())
    stem = re.split(r"[?#]", url)[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    stem = stem.removesuffix(".git")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")[:40] or "repo"
    return cache_dir / f"{slug}-{digest.hexdigest()[:16]}"


# -- running git -------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never",
            "LC_ALL": "C", "LANGUAGE": "C"}


def _reason(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    important = [line for line in lines if line.startswith(("fatal:", "error:"))]
    text = " ".join((important or lines)[-2:]) or "no message"
    text = re.sub(r"\b(?:fatal|error): ", "", text)
    return redact(text)[:500]


def _git(args: Sequence[str], *, timeout: float, cwd: Path | None = None,
         until: float | None = None) -> str:
    """Run one git command, at most until ``until`` (monotonic); return its output."""
    what = f"git {args[0]}"
    if until is not None:
        if until <= time.monotonic():
            raise GitError("the deadline for all fetches (fetch: deadline) passed")
        timeout = min(timeout, until - time.monotonic())
    try:
        proc = subprocess.Popen(["git", *_CONFIG, *args], cwd=cwd, env=_env(),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, encoding="utf-8", errors="replace",
                                start_new_session=True)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise GitError(f"{what} timed out after {timeout:.0f} s", timed_out=True) from None
    if proc.returncode:
        reason = _reason(err)
        raise GitError(f"{what} failed: {reason}", transient=bool(_TRANSIENT.search(reason)))
    return out


def git_output(cwd: Path, *args: str, timeout: float = 10) -> str:
    """The output of a local git command run in ``cwd``, stripped; ``""`` if git fails.

    For questions about a work tree (``rev-parse HEAD``, ``log -1 --format=%ct``)
    whose answer is optional; the command runs like every other (no prompt,
    no hooks, a timeout).
    """
    try:
        return _git(args, timeout=timeout, cwd=cwd).strip()
    except GitError:
        return ""


def _network(args: Sequence[str], options: FetchOptions, remote: GitRemote,
             cwd: Path | None = None) -> str:
    """A git command that talks to the remote: retried after transient failures."""
    for attempt in range(options.retries + 1):
        try:
            return _git(args, timeout=options.timeout, cwd=cwd, until=options.until)
        except GitError as exc:
            delay = options.backoff * 2 ** attempt
            late = options.until is not None and time.monotonic() + delay >= options.until
            if not exc.transient or attempt == options.retries or late:
                raise
            log.info("retrying %s in %.1f s: %s", remote.shown, delay, exc)
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


# -- one copy ----------------------------------------------------------------


def _read_marker(path: Path) -> dict[str, str] | None:
    """The marker of an intact copy, or ``None`` when the copy is missing or damaged."""
    git_dir = path / ".git"
    try:
        marker = json.loads((git_dir / MARKER).read_text(encoding="utf-8"))
        names = set(os.listdir(git_dir))
    except (OSError, ValueError):
        return None
    if (not isinstance(marker, dict) or any(lock in names for lock in _LOCKS)
            or "objects" not in names or head_commit(git_dir) != marker.get("commit")
            or not isinstance(marker.get("fetched"), str)):
        return None
    return marker


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if path.exists():
        raise GitError(f"cannot remove the damaged copy {path}")


def _local_object(remote: GitRemote) -> str | None:
    """What the ref names in a local remote's ref files (no process); ``None`` when the
    remote is not on this machine or its ref files cannot tell."""
    git_dir = local_git_dir(remote.url)
    return local_ref(git_dir, remote.ref or "HEAD") if git_dir else None


def _remote_object(remote: GitRemote, options: FetchOptions) -> str | None:
    """What the ref names on the remote now, or ``None`` if no ref matches.

    A local remote (a mirror on disk) is read directly; others are asked
    with ``git ls-remote``.
    """
    ref = remote.ref or "HEAD"
    oid = _local_object(remote)
    if oid:
        return oid
    out = _network(["ls-remote", "--", remote.url, ref], options, remote)
    listed = {}
    for line in out.splitlines():
        oid, _, name = line.partition("\t")
        listed[name.strip()] = oid.strip()
    return resolve_listed(ref, listed)


def _unchanged(remote: GitRemote, marker: dict[str, str], options: FetchOptions) -> bool:
    """Whether the copy still shows what the ref names; a commit id needs no network."""
    ref, commit = remote.ref, marker["commit"]
    if is_commit_id(ref):
        return ref == commit
    now = _remote_object(remote, options)
    if now is not None:
        return now == marker["fetched"]
    if ref and _HEX.fullmatch(ref):
        return commit.startswith(ref)  # an abbreviated commit id, not a ref
    raise GitError(f"the remote has no ref '{ref or 'HEAD'}'")


def _fetch(work: Path, remote: GitRemote, options: FetchOptions) -> str:
    """Fetch the ref into ``work``; return what it names (a commit or annotated tag)."""
    ref = remote.ref or "HEAD"
    # Without blobs outside the sparse paths; not with credentials in the URL, which
    # git would then record in the copy's config as the remote that lends the blobs.
    lazy = remote.paths and remote.url == _strip_userinfo(remote.url)
    shallow = ["--depth", "1", *(["--filter=blob:none"] if lazy else [])]
    try:
        _network(["fetch", "--quiet", "--no-tags", *shallow, "--", remote.url, ref],
                 options, remote, cwd=work)
    except GitError as exc:
        if exc.transient or not _HEX.fullmatch(ref):
            raise
        # A commit the server will not hand out by id: fetch its branches and tags.
        unshallow = ["--unshallow"] if (work / ".git" / "shallow").exists() else []
        _network(["fetch", "--quiet", "--no-tags", *unshallow, "--", remote.url,
                  "+refs/heads/*:refs/pavedroad/heads/*", "+refs/tags/*:refs/pavedroad/tags/*"],
                 options, remote, cwd=work)
        try:
            return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                        timeout=options.timeout, cwd=work, until=options.until).strip()
        except GitError:
            raise GitError(f"commit {ref} is not on any branch or tag of the remote") from None
    line = (work / ".git" / "FETCH_HEAD").read_text(encoding="utf-8").split("\t", 1)[0]
    return line.strip()


def _checkout(work: Path, remote: GitRemote, fetched: str, options: FetchOptions) -> str:
    """Check out ``fetched`` detached, then write the marker; return the commit."""
    (work / ".git" / MARKER).unlink(missing_ok=True)
    _git(["checkout", "--quiet", "--force", "--detach", f"{fetched}^{{commit}}"],
         timeout=options.timeout, cwd=work, until=options.until)  # lazy blobs: network
    return _mark(work, remote, fetched)


def _mark(work: Path, remote: GitRemote, fetched: str, skipped: Sequence[str] = ()) -> str:
    """Write the marker of the copy in ``work`` (what ``fetched`` named); return the commit."""
    commit = head_commit(work / ".git")
    if commit is None:
        raise GitError("checkout left no commit in HEAD")
    data = {"url": remote.shown, "ref": remote.ref, "paths": list(remote.paths),
            "fetched": fetched, "commit": commit, "skipped": list(skipped)}
    marker = work / ".git" / MARKER
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, marker)
    return commit


def _clone(dest: Path, remote: GitRemote, options: FetchOptions) -> Checkout:
    """A new copy, built beside ``dest`` and renamed into place (over the old one) when
    complete: from the objects of a local remote, else with git's transfer."""
    work = dest.with_name(f"{dest.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    _remove(work)
    old = work.with_name(f"{work.name}-old")
    try:
        copy = _copy_local(work, remote, options)
        if copy is None:
            commit = _clone_at_once(work, remote, options)
            if commit is None:
                _git(["init", "--quiet", "--template=", str(work)], timeout=options.timeout)
                if remote.paths:
                    patterns = [f"/{p.strip('/')}/" for p in remote.paths]
                    _git(["sparse-checkout", "set", "--no-cone", *patterns],
                         timeout=options.timeout, cwd=work)
                commit = _checkout(work, remote, _fetch(work, remote, options), options)
            copy = LocalCopy(commit)
        if dest.exists():  # an update: the old copy stays until the new one is complete
            os.rename(dest, old)
        os.rename(work, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return Checkout(remote, dest, copy.commit, fetched=True, skipped=copy.skipped)


def _copy_local(work: Path, remote: GitRemote, options: FetchOptions) -> LocalCopy | None:
    """Write a local remote's commit from its objects (:mod:`generator.gitlocal`: one
    process, no pack transfer); ``None``, with ``work`` left empty, where git must clone
    (sparse paths, a commit id as ref, refs the ref files cannot tell, attributes)."""
    ref = remote.ref or "HEAD"
    git_dir = local_git_dir(remote.url)
    if git_dir is None or remote.paths or _HEX.fullmatch(ref):
        return None
    wanted = local_ref(git_dir, ref)
    if wanted is None:
        return None
    timeout = options.timeout
    if options.until is not None:
        timeout = min(timeout, options.until - time.monotonic())
        if timeout <= 0:
            raise GitError("the deadline for all fetches (fetch: deadline) passed")
    try:
        copy = materialise(git_dir, wanted, work, _CONFIG, _env(), timeout)
    except UnsafeTree as exc:
        raise GitError(redact(str(exc))) from None
    if copy is None:
        _remove(work)
        return None
    _mark(work, remote, wanted, copy.skipped)
    return copy


def _clone_at_once(work: Path, remote: GitRemote, options: FetchOptions) -> str | None:
    """Clone a local remote's ref with one ``git clone`` (fetch and checkout in one process,
    not three); ``None``, with ``work`` left empty, where the three steps are needed.

    Only where what the clone got can be checked without asking the remote again:
    a local remote without sparse paths or credentials, named by branch or tag
    (``git clone --branch`` prefers a branch over a tag of the same name, ``git
    fetch`` the tag: the ref files tell which it took).
    """
    ref = remote.ref or "HEAD"
    if (remote.paths or remote.url != _strip_userinfo(remote.url)
            or _HEX.fullmatch(ref) or ref.startswith(("-", "refs/"))):
        return None  # (--branch takes a short name only)
    wanted = _local_object(remote)  # None, too, for a remote not on this machine
    if wanted is None:
        return None
    branch = [] if ref == "HEAD" else ["--branch", ref]
    try:
        # --no-local: a plain path goes through the transport too (objects are checked and
        # --depth applies), never a copy or hard link of the remote's object files.
        _network(["clone", "--quiet", "--template=", "--no-local", "--no-tags", "--depth", "1",
                  "--single-branch", *branch, "--", remote.url, str(work)], options, remote)
    except GitError as exc:
        if exc.timed_out:
            raise  # the three steps would wait as long again
        log.info("cloning %s in three steps: %s", remote.shown, exc)
        _remove(work)
        return None
    got = local_ref(work / ".git", ref)
    if got != wanted:
        _remove(work)
        return None
    return _mark(work, remote, got)


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):  # its last use, for pruning
        os.utime(path / ".git" / MARKER)


def sync_remote(remote: GitRemote, cache_dir: Path,
                options: FetchOptions | None = None) -> Checkout:
    """Bring one remote's copy up to date; a failure falls back to the copy already there."""
    checkout = _sync_remote(remote, cache_dir, options or FetchOptions())
    if checkout.path is not None:
        _touch(checkout.path)
    return checkout


def _current(remote: GitRemote, dest: Path) -> Checkout | None:
    """The copy at ``dest`` when it is intact and up to date for certain without running
    git: pinned to the commit it has, or a local remote whose ref files name what it
    fetched. ``None``: ask git (:func:`sync_remote`)."""
    marker = _read_marker(dest)
    if marker is None:
        return None
    if is_commit_id(remote.ref):
        fresh = remote.ref == marker["commit"]
    else:
        fresh = _local_object(remote) == marker["fetched"]
    return _kept(remote, dest, marker) if fresh else None


def _kept(remote: GitRemote, dest: Path, marker: dict, *, error: str | None = None
          ) -> Checkout:
    """The copy already at ``dest`` as its marker tells; with ``error``, a stale one."""
    skipped = marker.get("skipped")
    return Checkout(remote, dest, marker["commit"], stale=error is not None, error=error,
                    skipped=tuple(skipped) if isinstance(skipped, list) else ())


def _sync_remote(remote: GitRemote, cache_dir: Path, options: FetchOptions) -> Checkout:
    dest = checkout_dir(cache_dir, remote)
    marker = _read_marker(dest)
    try:
        if marker is None:
            if dest.exists():
                log.warning("repairing the damaged copy of %s", remote.shown)
                _remove(dest)
            return _clone(dest, remote, options)
        if _unchanged(remote, marker, options):
            return _kept(remote, dest, marker)
        if local_git_dir(remote.url) is not None:  # on this machine a new copy is cheap
            return _clone(dest, remote, options)
        fetched = _fetch(dest, remote, options)
        try:
            return Checkout(remote, dest, _checkout(dest, remote, fetched, options),
                            fetched=True)
        except GitError as exc:
            log.warning("re-cloning %s after a failed checkout: %s", remote.shown, exc)
            _remove(dest)
            return _clone(dest, remote, options)
    except (GitError, OSError) as exc:
        reason = redact(str(exc))
        log.warning("cannot fetch %s: %s", remote.shown, reason)
        marker = _read_marker(dest)
        if marker is None:
            return Checkout(remote, None, error=reason)
        return _kept(remote, dest, marker, error=reason)


def sync(remotes: Sequence[GitRemote], cache_dir: Path, options: FetchOptions | None = None,
         progress: Callable[[Checkout], None] | None = None) -> list[Checkout]:
    """Sync every remote in parallel; results are in the order of ``remotes``.

    Remotes that share a cache directory (the same URL, ref and paths) are
    fetched once. ``progress`` is called as each fetch finishes, from the
    calling thread.
    """
    options = options or FetchOptions()
    if not remotes:
        return []
    options = replace(options, until=time.monotonic() + options.deadline)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = f"cannot create the cache directory {cache_dir}: {exc.strerror or exc}"
        return [Checkout(r, None, error=reason) for r in remotes]
    dirs = {r: checkout_dir(cache_dir, r) for r in remotes}
    first: dict[Path, GitRemote] = {}
    for remote, path in dirs.items():
        first.setdefault(path, remote)
    done: dict[Path, Checkout] = {}

    def finish(path: Path, checkout: Checkout) -> None:
        done[path] = checkout
        if progress:
            progress(checkout)

    with cache_lock(cache_dir):
        prune(cache_dir, set(first), options.keep_days * 86_400, MARKER)
        todo: dict[Path, GitRemote] = {}
        for path, remote in first.items():  # no git process: cheaper here than in threads
            current = _current(remote, path)
            if current is None:
                todo[path] = remote
            else:
                _touch(path)
                finish(path, current)
        if todo:
            with ThreadPoolExecutor(max(1, min(options.jobs, len(todo))),
                                    thread_name_prefix="git") as pool:
                futures = {pool.submit(sync_remote, r, cache_dir, options): d
                           for d, r in todo.items()}
                for future in as_completed(futures):
                    finish(futures[future], future.result())
    return [replace(done[dirs[r]], remote=r) for r in remotes]
