"""Git sources: real repositories made with the git CLI in tmp_path, no mocks."""

from __future__ import annotations

import http.server
import io
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP

from generator.git import (
    FetchOptions,
    GitRemote,
    checkout_dir,
    head_commit,
    redact,
    sync,
    sync_remote,
)
from generator.pages.views import ViewBuilder
from generator.pipeline import load_catalog
from generator.progress import Progress
from generator.sources import CACHE_ENV, cache_root, expand_sources, load_sources

GIT = ("git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
       "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
       "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def descriptor(name: str, owner: str = "team-a") -> str:
    return COMPONENT.format(name=name, owner=owner) + "---\n" + GROUP.format(name=owner)


def commit(repo: Path, files: dict[str, str], message: str = "change") -> str:
    """Write files into ``repo`` (created on first use) and commit them; return the commit."""
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "--quiet")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def sources_file(tmp_path: Path, entries: str, fetch: str = "{retries: 0, timeout: 30}") -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(f"sources:\n{entries}fetch: {fetch}\n", encoding="utf-8")
    return path


def expand(path: Path):
    sources, problems = load_sources(path)
    assert problems == []
    return expand_sources(sources, progress=False)


def names(run) -> list[str]:
    return sorted(e.name for e in run.catalog.entities.values() if e.kind == "Component")


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A repository with one descriptor, ``svc-one``."""
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-one")}, "one")
    return repo


# -- refs ------------------------------------------------------------------


def test_branch_tag_and_commit_refs(tmp_path, origin):
    first = git(origin, "rev-parse", "HEAD")
    git(origin, "tag", "-a", "v1", "-m", "release 1")
    commit(origin, {"catalog-info.yaml": descriptor("svc-two")}, "two")
    git(origin, "checkout", "--quiet", "-b", "feature")
    feature = commit(origin, {"catalog-info.yaml": descriptor("svc-three")}, "three")
    git(origin, "checkout", "--quiet", "main")
    url = origin.as_uri()
    path = sources_file(tmp_path, "".join(
        f"  - git: {url}\n    name: {name}\n    ref: {ref}\n" for name, ref in [
            ("main", "main"), ("tag", "v1"), ("branch", "feature"), ("sha", first),
            ("short", first[:10])]) + f"  - git: {url}\n    name: default\n")
    repos, problems = expand(path)
    assert problems == []
    shown = {r.name: (r.commit, (r.root / "catalog-info.yaml").read_text()) for r in repos}
    assert [r.name for r in repos] == ["main", "tag", "branch", "sha", "short", "default"]
    assert shown["tag"][0] == shown["sha"][0] == shown["short"][0] == first
    assert shown["branch"][0] == feature
    assert "svc-one" in shown["tag"][1] and "svc-three" in shown["branch"][1]
    assert "svc-two" in shown["main"][1] and "svc-two" in shown["default"][1]
    # a local remote is shown relative to the sources file's folder, never absolute
    assert {r.url for r in repos} == {"origin"} and repos[1].ref == "v1"
    # Second run: nothing moved, nothing is fetched; a pinned commit needs no network.
    shutil.move(origin, tmp_path / "gone")
    results = sync([GitRemote(url, first)], cache_root(load_sources(path)[0]) / "repos")
    assert results[0].commit == first and not results[0].fetched and not results[0].error


def test_unknown_commit_is_reported(tmp_path, origin):
    path = sources_file(tmp_path, f"  - git: {origin.as_uri()}\n    ref: {'ab' * 20}\n")
    repos, problems = expand(path)
    assert repos == []
    assert [p.code for p in problems] == ["git-unavailable"]
    assert "is not on any branch or tag" in problems[0].message


def test_provenance_and_about_show_repository_and_commit(tmp_path, origin):
    sha = git(origin, "rev-parse", "HEAD")
    run = load_catalog(sources_file(tmp_path, f"  - git: {origin.as_uri()}\n    ref: main\n"),
                       progress=False)
    entity = next(e for e in run.catalog.entities.values() if e.name == "svc-one")
    prov = entity.provenance
    assert (prov.url, prov.ref, prov.commit, prov.stale) == ("origin", "main", sha, False)
    rows = dict(ViewBuilder(run.catalog, "catalog/x/index.md").about(entity))
    assert rows["Repository"][0].text == f"from origin@{sha[:7]}"
    assert rows["Repository"][0].note is None


# -- changes between runs ----------------------------------------------------


def test_only_the_changed_repository_is_fetched_and_parsed(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    commit(a, {"catalog-info.yaml": descriptor("svc-a", "team-a")})
    commit(b, {"catalog-info.yaml": descriptor("svc-b", "team-b")})
    path = sources_file(tmp_path, f"  - git: {a.as_uri()}\n  - git: {b.as_uri()}\n")
    assert load_catalog(path, progress=False).parsed == 2
    assert load_catalog(path, progress=False).parsed == 0
    commit(b, {"catalog-info.yaml": descriptor("svc-b2", "team-b")})
    run = load_catalog(path, progress=False)
    assert run.parsed == 1
    assert names(run) == ["svc-a", "svc-b2"]
    remotes = [GitRemote(a.as_uri()), GitRemote(b.as_uri())]
    commit(a, {"catalog-info.yaml": descriptor("svc-a2", "team-a")})
    fetched = sync(remotes, cache_root(load_sources(path)[0]) / "repos")
    assert [c.fetched for c in fetched] == [True, False]


def test_force_pushed_ref_uses_the_new_commit(tmp_path):
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    work = tmp_path / "work"
    commit(work, {"catalog-info.yaml": descriptor("svc-old")})
    git(work, "push", "--quiet", str(bare), "HEAD:refs/heads/main")
    path = sources_file(tmp_path, f"  - git: {bare.as_uri()}\n    ref: main\n")
    assert names(load_catalog(path, progress=False)) == ["svc-old"]
    git(work, "checkout", "--quiet", "--orphan", "rewritten")
    new = commit(work, {"catalog-info.yaml": descriptor("svc-new")}, "history rewritten")
    git(work, "push", "--quiet", "--force", str(bare), "rewritten:main")
    run = load_catalog(path, progress=False)
    assert names(run) == ["svc-new"]
    assert run.repositories[0].commit == new and not run.repositories[0].stale
    assert run.catalog.problems == []


def test_unchanged_local_remotes_run_no_git_process_and_a_moved_one_is_fetched(
        tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    first_a = commit(a, {"catalog-info.yaml": descriptor("svc-a", "team-a")})
    commit(b, {"catalog-info.yaml": descriptor("svc-b", "team-b")})
    cache = tmp_path / "cache"
    remotes = [GitRemote(a.as_uri(), "main"), GitRemote(b.as_uri())]
    assert [c.fetched for c in sync(remotes, cache)] == [True, True]
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # any git process would fail
    again = sync(remotes, cache)
    assert [(c.fetched, c.error, c.stale) for c in again] == [(False, None, False)] * 2
    assert again[0].commit == first_a
    monkeypatch.setenv("PATH", path)
    moved = commit(b, {"catalog-info.yaml": descriptor("svc-b2", "team-b")})
    after = sync(remotes, cache)
    assert [c.fetched for c in after] == [False, True] and after[1].commit == moved
    assert "svc-b2" in (after[1].path / "catalog-info.yaml").read_text()


def test_a_tag_and_a_branch_of_one_name_resolve_as_git_does(tmp_path):
    """git prefers refs/tags/X to refs/heads/X; ``git clone --branch X`` the branch."""
    repo = tmp_path / "origin"
    tagged = commit(repo, {"catalog-info.yaml": descriptor("svc-tagged")})
    git(repo, "tag", "-a", "release", "-m", "the tag")
    git(repo, "checkout", "--quiet", "-b", "release")
    commit(repo, {"catalog-info.yaml": descriptor("svc-branch")})
    cache = tmp_path / "cache"
    remote = GitRemote(repo.as_uri(), "release")
    first = sync([remote], cache)[0]
    assert (first.commit, first.error) == (tagged, None)
    assert "svc-tagged" in (first.path / "catalog-info.yaml").read_text()
    assert not sync([remote], cache)[0].fetched


def test_full_ref_names_and_head_are_fetched_like_branches(tmp_path, origin):
    sha = git(origin, "rev-parse", "HEAD")
    cache = tmp_path / "cache"
    remotes = [GitRemote(origin.as_uri(), ref) for ref in ("refs/heads/main", "HEAD")]
    first = sync(remotes, cache)
    assert [(c.commit, c.error) for c in first] == [(sha, None)] * 2
    assert [c.fetched for c in sync(remotes, cache)] == [False, False]


def test_a_local_path_goes_through_the_transport_shallow(tmp_path):
    repo = tmp_path / "origin"
    commit(repo, {"catalog-info.yaml": descriptor("svc-old")}, "old")
    head = commit(repo, {"catalog-info.yaml": descriptor("svc-new")}, "new")
    copy = sync([GitRemote(str(repo))], tmp_path / "cache")[0]
    assert copy.commit == head and copy.path is not None
    assert (copy.path / ".git" / "shallow").read_text().strip() == head  # --depth applied
    log = git(copy.path, "log", "--format=%s")
    assert log == "new"


def test_deleted_repository_falls_back_to_the_stale_copy(tmp_path, origin):
    sha = git(origin, "rev-parse", "HEAD")
    path = sources_file(tmp_path, f"  - git: {origin.as_uri()}\n")
    load_catalog(path, progress=False)
    shutil.rmtree(origin)
    run = load_catalog(path, progress=False)
    assert names(run) == ["svc-one"]
    repo = run.repositories[0]
    assert repo.stale and repo.commit == sha
    problem = next(p for p in run.catalog.problems if p.code == "git-stale")
    assert problem.severity == "warning" and problem.line == 2
    assert "cannot fetch origin (" in problem.message and sha[:7] in problem.message
    assert str(tmp_path) not in problem.message  # no path of the build machine
    entity = next(e for e in run.catalog.entities.values() if e.name == "svc-one")
    assert entity.provenance.stale
    about = dict(ViewBuilder(run.catalog, "catalog/x/index.md").about(entity))
    assert about["Repository"][0].note == "stale copy: last fetch failed"


def test_submodules_are_not_fetched(tmp_path):
    inner = tmp_path / "inner"
    commit(inner, {"catalog-info.yaml": descriptor("svc-inner", "team-b")})
    outer = tmp_path / "outer"
    commit(outer, {"catalog-info.yaml": descriptor("svc-outer")})
    git(outer, "submodule", "--quiet", "add", inner.as_uri(), "vendor/inner")
    git(outer, "commit", "--quiet", "-m", "add submodule")
    run = load_catalog(sources_file(tmp_path, f"  - git: {outer.as_uri()}\n"), progress=False)
    assert names(run) == ["svc-outer"]
    assert run.catalog.problems == []
    assert not any((run.repositories[0].root / "vendor" / "inner").iterdir())


def test_sparse_paths(tmp_path):
    repo = tmp_path / "mono"
    commit(repo, {"catalog-info.yaml": descriptor("svc-root", "team-r"),
                  "services/a/catalog-info.yaml": descriptor("svc-a", "team-a"),
                  "services/b/catalog-info.yaml": descriptor("svc-b", "team-b"),
                  "services/a/docs/index.md": "# A\n"})
    run = load_catalog(sources_file(
        tmp_path, f"  - git: {repo.as_uri()}\n    paths: [services/a]\n"), progress=False)
    assert names(run) == ["svc-a"]
    root = run.repositories[0].root
    assert (root / "services/a/docs/index.md").is_file()
    assert not (root / "services/b").exists() and not (root / "catalog-info.yaml").exists()


# -- failures ----------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_url_is_reported_without_hanging(tmp_path, caplog):
    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        port = silent.getsockname()[1]
        path = sources_file(tmp_path, f"  - git: http://127.0.0.1:{port}/silent.git\n"
                                      f"  - git: http://127.0.0.1:{_closed_port()}/closed.git\n",
                            fetch="{retries: 0, timeout: 2}")
        start = time.monotonic()
        run = load_catalog(path, progress=False)
        assert time.monotonic() - start < 20
    finally:
        silent.close()
    problems = sorted(run.catalog.problems, key=lambda p: p.line or 0)
    assert [p.code for p in problems] == ["git-unavailable", "git-unavailable"]
    assert "timed out after 2 s" in problems[0].message
    assert "closed.git" in problems[1].message
    assert run.repositories == []


def test_transient_failures_are_retried(tmp_path, caplog):
    remote = GitRemote(f"http://127.0.0.1:{_closed_port()}/r.git")
    with caplog.at_level(logging.INFO, logger="pavedroad.git"):
        result = sync_remote(remote, tmp_path, FetchOptions(retries=2, backoff=0.01))
    assert result.path is None and result.error
    assert sum("retrying" in r.getMessage() for r in caplog.records) == 2


def test_secrets_are_redacted(tmp_path, caplog, capsys):
    url = f"https://robot:s3cret-token@127.0.0.1:{_closed_port()}/org/payments.git"
    path = sources_file(tmp_path, f"  - git: {url}\n")
    with caplog.at_level(logging.DEBUG):
        sources, _ = load_sources(path)
        _, problems = expand_sources(sources, progress=True)
    shown = [p.message for p in problems] + [r.getMessage() for r in caplog.records]
    shown.append(capsys.readouterr().err)
    assert any("https://***@127.0.0.1" in text for text in shown)
    assert not any("s3cret" in text or "robot" in text for text in shown)
    assert "s3cret" not in checkout_dir(tmp_path, GitRemote(url)).name
    assert redact("https://u:p@h/x and http://tok@h2/y, git@h3:z") == \
        "https://***@h/x and http://***@h2/y, git@h3:z"


def test_killed_runs_leave_nothing_that_is_not_repaired(tmp_path, origin):
    sha = git(origin, "rev-parse", "HEAD")
    cache = tmp_path / "cache"
    remote = GitRemote(origin.as_uri())
    first = sync_remote(remote, cache)
    assert first.commit == sha and first.fetched
    copy = first.path
    assert copy is not None
    damages = [
        lambda: (copy / ".git" / "index.lock").write_text(""),   # killed during checkout
        lambda: (copy / ".git" / "shallow.lock").write_text(""),  # killed during fetch
        lambda: (copy / ".git" / "HEAD").unlink(),               # no valid HEAD
        lambda: (copy / ".git" / "pavedroad.json").unlink(),     # checkout never finished
    ]
    for damage in damages:
        damage()
        repaired = sync([remote], cache)[0]
        assert (repaired.commit, repaired.fetched, repaired.error) == (sha, True, None)
        assert head_commit(copy / ".git") == sha and not (copy / ".git" / "index.lock").exists()
    # A clone killed before its rename leaves a temporary directory; it is removed.
    leftover = copy.with_name(copy.name + ".tmp-123-456")
    (leftover / ".git").mkdir(parents=True)
    shutil.rmtree(copy)
    (copy / "half").mkdir(parents=True)
    assert sync([remote], cache)[0].commit == sha
    assert not leftover.exists() and not (copy / "half").exists()


def test_copies_no_source_uses_are_pruned_after_keep_days(tmp_path, origin):
    cache = tmp_path / "cache"
    old, recent = GitRemote(origin.as_uri(), "main"), GitRemote(origin.as_uri())
    kept = GitRemote(origin.as_uri(), None, ("docs",))
    for remote in (old, recent, kept):
        assert sync([remote], cache)[0].error is None
    paths = {r: checkout_dir(cache, r) for r in (old, recent, kept)}
    month = time.time() - 31 * 86_400
    os.utime(paths[old] / ".git" / "pavedroad.json", (month, month))
    os.utime(paths[kept] / ".git" / "pavedroad.json", (month, month))
    sync([kept], cache)  # in use: kept, whatever its age; and its use is recorded
    assert not paths[old].exists()
    assert paths[recent].exists() and paths[kept].exists()
    assert time.time() - (paths[kept] / ".git" / "pavedroad.json").stat().st_mtime < 60
    sync([kept], cache, FetchOptions(keep_days=1, retries=0))
    assert paths[recent].exists()  # used today


# -- discovery, options, order ----------------------------------------------------


def test_discover_finds_work_trees_and_bare_mirrors(tmp_path):
    mirrors = tmp_path / "mirrors"
    alpha = commit(mirrors / "alpha", {"catalog-info.yaml": descriptor("svc-alpha", "team-a")})
    source = tmp_path / "beta-src"
    beta = commit(source, {"catalog-info.yaml": descriptor("svc-beta", "team-b")})
    git(tmp_path, "clone", "--quiet", "--mirror", str(source), str(mirrors / "beta.git"))
    (mirrors / "notes").mkdir()
    run = load_catalog(sources_file(tmp_path, "  - discover: mirrors\n"), progress=False)
    assert names(run) == ["svc-alpha", "svc-beta"]
    alpha_repo, beta_repo = run.repositories
    assert (alpha_repo.name, alpha_repo.root, alpha_repo.commit) == \
        ("alpha", (mirrors / "alpha").resolve(), alpha)
    assert (beta_repo.name, beta_repo.commit) == ("beta", beta)
    assert beta_repo.url == "mirrors/beta.git"
    assert run.catalog.problems == []


def test_results_keep_source_order(tmp_path):
    repos = [tmp_path / f"r{i}" for i in range(12)]
    for i, repo in enumerate(repos):
        commit(repo, {"catalog-info.yaml": descriptor(f"svc-{i}", f"team-{i}")})
    entries = "".join(f"  - git: {r.as_uri()}\n" for r in reversed(repos))
    found, problems = expand(sources_file(tmp_path, entries, fetch="{jobs: 4}"))
    assert problems == []
    assert [r.name for r in found] == [f"r{i}" for i in reversed(range(12))]


def test_git_source_options_are_checked(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n"
                    "  - git: https://example.com/a.git\n    paths: [../up]\n"
                    "  - git: https://example.com/b.git\n    ref: --upload-pack=x\n"
                    "  - path: repos\n    ref: main\n"
                    "fetch: {jobs: 0}\ncache_dir: [x]\n", encoding="utf-8")
    sources, problems = load_sources(path)
    assert sources.entries == []
    messages = " | ".join(p.message for p in problems)
    for expected in ("'paths' must be a list of directories", "'ref' must be a branch",
                     "apply only to 'git:' and 'discover:'", "'fetch' takes jobs",
                     "'cache_dir' must be"):
        assert expected in messages


def test_cache_directory_precedence(tmp_path, monkeypatch):
    path = tmp_path / "conf" / "sources.yaml"
    path.parent.mkdir()
    path.write_text("sources: []\ncache_dir: ../cache\n", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_root(load_sources(path)[0]) == (tmp_path / "env").resolve()
    monkeypatch.delenv(CACHE_ENV)
    assert cache_root(load_sources(path)[0]) == (tmp_path / "cache").resolve()
    path.write_text("sources: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cache_root(load_sources(path)[0]) == (tmp_path / ".cache/pavedroad").resolve()


def test_progress_is_plain_lines_off_a_terminal(monkeypatch):
    out = io.StringIO()
    progress = Progress(3, "fetching repositories", out, delay=0, interval=0)
    for failed in (False, True, False):
        progress.advance(failed=failed)
    progress.close()
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["fetching repositories: 1/3", "fetching repositories: 2/3, 1 failed"]
    assert lines[-1].startswith("fetching repositories: 3/3, 1 failed in ")
    assert "\r" not in out.getvalue()


def test_progress_draws_a_bar_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    out = Tty()
    progress = Progress(2, "fetching", out, delay=0)
    progress.advance()
    progress.advance()
    progress.close()
    assert out.getvalue().startswith("\rfetching [" + "#" * 15 + "." * 15 + "] 1/2")
    monkeypatch.setenv("CI", "true")
    assert not Progress(2, "fetching", Tty()).bar


def test_head_commit_reads_loose_and_packed_refs(tmp_path, origin):
    sha = git(origin, "rev-parse", "HEAD")
    assert head_commit(origin / ".git") == sha
    git(origin, "pack-refs", "--all")
    assert not (origin / ".git/refs/heads/main").exists()
    assert head_commit(origin / ".git") == sha
    assert head_commit(tmp_path / "nothing") is None


def test_a_missing_credential_fails_instead_of_prompting(tmp_path):
    class Unauthorized(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unauthorized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/private.git"
        start = time.monotonic()
        result = sync_remote(GitRemote(url), tmp_path, FetchOptions(timeout=20, retries=0))
        assert time.monotonic() - start < 15
    finally:
        server.shutdown()
    assert result.path is None
    assert "terminal prompts disabled" in (result.error or "")


def test_the_documented_token_helper_answers_git(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "tok-123")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "credential.https://github.com.helper")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", '!f() { test "$1" = get && echo '
                       'username=x-access-token && echo "password=$GITHUB_TOKEN"; }; f')
    out = subprocess.run(["git", "credential", "fill"], input="protocol=https\nhost=github.com\n\n",
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert "username=x-access-token\npassword=tok-123\n" in out
