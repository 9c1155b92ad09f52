"""Local remotes copied from their objects (generator.gitlocal): real repositories, no mocks.

Hostile trees are built object by object (``git hash-object --literally``), as an
attacker would push them; git's own checkout refuses most of them.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from test_git import commit, descriptor, git, sources_file

from generator.git import GitRemote, sync
from generator.pipeline import load_catalog


def put(repo: Path, kind: str, data: bytes) -> str:
    """Write any object, however malformed, into ``repo``; its id."""
    return subprocess.run(["git", "hash-object", "--literally", "-w", "-t", kind, "--stdin"],
                          cwd=repo, input=data, check=True, capture_output=True
                          ).stdout.decode().strip()


def tree(repo: Path, *entries: tuple[str, bytes, str]) -> str:
    """A raw tree of ``(mode, name, id)`` entries, in the order given."""
    return put(repo, "tree", b"".join(mode.encode() + b" " + name + b"\0" + bytes.fromhex(oid)
                                      for mode, name, oid in entries))


def hostile(repo: Path, branch: str, root: str) -> None:
    """A branch of ``repo`` whose commit has the tree ``root``."""
    sha = git(repo, "commit-tree", root, "-m", branch)
    git(repo, "update-ref", f"refs/heads/{branch}", sha)


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every path under ``root`` but ``.git``: kind (and mode) and content or link target."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in [*dirs, *files]:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", b"")
            else:
                found[rel] = (oct(info.st_mode), path.read_bytes())
    return found


def test_the_copy_is_the_work_tree_a_clone_checks_out(tmp_path):
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-one"), "docs/a/b.md": "# b\n",
                  "bin/run.sh": "#!/bin/sh\n", "ünïcode name.txt": "x"})
    os.chmod(repo / "bin" / "run.sh", 0o755)
    os.symlink("../catalog-info.yaml", repo / "docs" / "link.yaml")
    os.symlink("a", repo / "docs" / "dir-link")
    inner = tmp_path / "inner"
    commit(inner, {"x": "y"})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "--quiet", "add",
        inner.as_uri(), "vendor/inner")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "more")
    git(repo, "tag", "-a", "v1", "-m", "annotated")
    head = git(repo, "rev-parse", "HEAD")
    for ref in ("main", "v1", "HEAD"):
        cache = tmp_path / f"cache-{ref}"
        copy = sync([GitRemote(repo.as_uri(), ref)], cache)[0]
        assert (copy.commit, copy.error, copy.fetched, copy.skipped) == (head, None, True, ())
        assert not (copy.path / ".git" / "index").exists()  # written from objects, no clone
        clone = tmp_path / f"clone-{ref}"
        git(tmp_path, "clone", "--quiet", "--depth", "1", "--branch",
            "main" if ref == "HEAD" else ref, repo.as_uri(), str(clone))
        assert snapshot(copy.path) == snapshot(clone)
        # a shallow repository of its own: git log there works as in a depth-1 clone
        assert git(copy.path, "log", "--format=%H %s") == f"{head} more"
        assert git(copy.path, "rev-parse", "--is-shallow-repository") == "true"


def test_many_files_deep_trees_and_sha256_are_copied_as_a_clone_has_them(tmp_path):
    files = {f"d{i % 7}/e{i % 3}/f{i}.yaml": f"n: {i}\n" * (i + 1) for i in range(150)}
    files["big.bin"] = "x" * (3 << 20)  # streamed in pieces
    for name, args in (("sha1", ()), ("sha256", ("--object-format=sha256",))):
        repo = tmp_path / name
        repo.mkdir()
        git(repo, "init", "--quiet", *args)
        head = commit(repo, files)
        copy = sync([GitRemote(repo.as_uri(), "main")], tmp_path / f"cache-{name}")[0]
        assert (copy.commit, copy.error) == (head, None) and len(head) == (
            64 if args else 40)
        assert not (copy.path / ".git" / "index").exists()  # from objects, not cloned
        clone = tmp_path / f"clone-{name}"
        git(tmp_path, "clone", "--quiet", "--depth", "1", repo.as_uri(), str(clone))
        assert snapshot(copy.path) == snapshot(clone)
        assert git(copy.path, "log", "--format=%H") == head


def test_hostile_trees_are_refused_and_cost_no_other_repository(tmp_path):
    good = tmp_path / "good"
    commit(good, {"catalog-info.yaml": descriptor("svc-good")})
    bad = tmp_path / "bad"
    commit(bad, {"catalog-info.yaml": descriptor("svc-bad", "team-b")})
    blob = put(bad, "blob", b"pwned\n")
    ok = put(bad, "blob", descriptor("svc-bad", "team-b").encode())
    config = tree(bad, ("100644", b"config", blob))
    cases = {
        "dotdot": tree(bad, ("100644", b"..", blob), ("100644", b"catalog-info.yaml", ok)),
        "dot-git": tree(bad, ("40000", b".git", config), ("100644", b"catalog-info.yaml", ok)),
        "dot-git-upper": tree(bad, ("40000", b".GIT", config)),
        "ntfs-short-name": tree(bad, ("40000", b"git~1", config)),
        "slash": tree(bad, ("100644", b"../../x", blob)),
        "twice": tree(bad, ("100644", b"a", blob), ("40000", b"a", config)),
        "mode": tree(bad, ("100600", b"a", blob)),
        "not-a-tree": tree(bad, ("40000", b"sub", blob)),
    }
    for branch, root in cases.items():
        hostile(bad, branch, root)
    entries = "".join(f"  - git: {bad.as_uri()}\n    ref: {b}\n    name: bad-{b}\n"
                      for b in cases)
    path = sources_file(tmp_path, f"  - git: {good.as_uri()}\n{entries}")
    run = load_catalog(path, progress=False)
    assert [r.name for r in run.repositories] == ["good"]
    assert [e.name for e in run.catalog.entities.values() if e.kind == "Component"] == [
        "svc-good"]
    problems = {p.repo: p for p in run.catalog.problems if p.code == "git-unavailable"}
    assert sorted(problems) == sorted(f"bad-{b}" for b in cases)
    assert "unsafe path '..'" in problems["bad-dotdot"].message
    assert "unsafe path '.git'" in problems["bad-dot-git"].message
    assert "unsafe path '../../x'" in problems["bad-slash"].message
    assert "'a' twice" in problems["bad-twice"].message
    assert "unknown mode 100600" in problems["bad-mode"].message
    assert "is a blob, not a tree" in problems["bad-not-a-tree"].message
    assert not (tmp_path / "x").exists() and not list(tmp_path.glob("**/config.pwned"))
    assert str(tmp_path) not in "".join(p.message for p in problems.values())
    # nothing half-written is left in the cache, and no copy of the refused repositories
    cache = run.repositories[0].root.parent
    assert not [p.name for p in cache.iterdir() if p.name.startswith("bad-") or ".tmp-" in p.name]


def test_links_that_may_leave_the_copy_are_skipped_with_a_warning(tmp_path):
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-one")})
    (tmp_path / "secret.yaml").write_text(descriptor("svc-secret"), encoding="utf-8")
    target = put(repo, "blob", descriptor("svc-one").encode())
    links = {name: put(repo, "blob", to) for name, to in [
        ("abs", str(tmp_path / "secret.yaml").encode()), ("up", b"../secret.yaml"),
        ("mid", b"sub/../../secret.yaml"), ("inside", b"catalog-info.yaml")]}
    sub = tree(repo, ("120000", b"deep", put(repo, "blob", b"../../x")),
               ("120000", b"fine", put(repo, "blob", b"../catalog-info.yaml")),
               ("100644", b"catalog-info.yaml", target))
    root = tree(repo, *[("120000", name.encode(), oid) for name, oid in sorted(links.items())],
                ("100644", b"catalog-info.yaml", target), ("40000", b"sub", sub))
    hostile(repo, "links", root)
    path = sources_file(tmp_path, f"  - git: {repo.as_uri()}\n    ref: links\n")
    run = load_catalog(path, progress=False)
    copy = run.repositories[0].root
    assert sorted(p.name for p in copy.iterdir()) == [".git", "catalog-info.yaml", "inside",
                                                       "sub"]
    assert os.readlink(copy / "inside") == "catalog-info.yaml"
    assert os.readlink(copy / "sub" / "fine") == "../catalog-info.yaml"
    assert not (copy / "sub" / "deep").exists()
    [problem] = [p for p in run.catalog.problems if p.code == "git-link-skipped"]
    assert problem.severity == "warning"
    for name in ("'abs'", "'mid'", "'up'", "'sub/deep'"):
        assert name in problem.message
    again = load_catalog(path, progress=False)  # the same problem from the kept copy
    assert [p.message for p in again.catalog.problems] == [
        p.message for p in run.catalog.problems]


def test_a_tree_with_attributes_is_cloned_so_git_applies_them(tmp_path):
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-one"),
                  ".gitattributes": "*.yaml text eol=crlf\n"})
    copy = sync([GitRemote(repo.as_uri(), "main")], tmp_path / "cache")[0]
    assert copy.error is None and (copy.path / ".git" / "index").exists()  # a clone
    assert b"\r\n" in (copy.path / "catalog-info.yaml").read_bytes()


def test_an_update_replaces_the_copy_and_a_broken_one_keeps_it(tmp_path):
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-one"), "old.yaml": "x: 1\n"})
    cache = tmp_path / "cache"
    remote = GitRemote(repo.as_uri(), "main")
    first = sync([remote], cache)[0]
    (repo / "old.yaml").unlink()
    second = commit(repo, {"catalog-info.yaml": descriptor("svc-two")})
    updated = sync([remote], cache)[0]
    assert (updated.commit, updated.fetched, updated.path) == (second, True, first.path)
    assert sorted(p.name for p in updated.path.iterdir()) == [".git", "catalog-info.yaml"]
    assert "svc-two" in (updated.path / "catalog-info.yaml").read_text()
    # a new commit whose blob is gone from the repository: a clear error, the copy stays
    third = commit(repo, {"catalog-info.yaml": descriptor("svc-three")})
    blob = git(repo, "rev-parse", f"{third}:catalog-info.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    broken = sync([remote], cache)[0]
    assert broken.stale and broken.commit == second
    assert f"object {blob[:12]} is missing" in (broken.error or "")
    assert "svc-two" in (broken.path / "catalog-info.yaml").read_text()
    assert sorted(p.name for p in cache.iterdir()) == [".lock", first.path.name]


def test_reading_objects_never_runs_a_program_the_repository_names(tmp_path):
    """A partial clone as remote: its missing blob is never fetched (that would run the
    ssh command its config names)."""
    origin = tmp_path / "origin"
    commit(origin, {"catalog-info.yaml": descriptor("svc-one")})
    git(origin, "config", "uploadpack.allowFilter", "true")
    partial = tmp_path / "partial"
    git(tmp_path, "clone", "--quiet", "--no-checkout", "--filter=blob:none",
        origin.as_uri(), str(partial))
    ran = tmp_path / "ran"
    git(partial, "config", "remote.origin.url", "ssh://example.invalid/x.git")
    git(partial, "config", "core.sshCommand", f"touch {ran}; false")
    blob = git(partial, "rev-parse", "main:catalog-info.yaml")
    assert git(partial, "cat-file", "--batch-check=%(objectname)", "--batch-all-objects",
               "--unordered").count(blob) == 0  # the blob is only promised
    copy = sync([GitRemote(partial.as_uri(), "main")], tmp_path / "cache")[0]
    assert copy.path is None and "could not fetch" in (copy.error or "")
    assert not ran.exists()
