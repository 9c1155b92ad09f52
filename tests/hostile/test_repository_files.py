"""Hostile repositories: nothing under .git, nothing but regular files, no hard links out.

Issue 13, items 3 and 10 and the hard-link note: every way a repository can
name a file (substitutions, Location targets and globs, descriptor search,
docs pages, files, snippets and mkdocs.yml) goes through one reader, and each
test here names a file a repository must never get published.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP, load_repo, pavedroad

from generator.docs import collect_docs
from generator.repofiles import file_refusal, is_git_name, read_repo_file

SECRET = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX1NFQ1JFVA=="
GIT_CONFIG = f'[http "https://github.com/"]\n\textraheader = {SECRET}\n'


def _descriptor(spec_extra: str = "", name: str = "svc", annotations: str = "") -> str:
    notes = f"  annotations:\n    {annotations}\n" if annotations else ""
    return (f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n"
            f"{notes}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
            f"{spec_extra}")


def _git_repo(root: Path) -> None:
    """A real work tree whose .git/config holds a CI token, as actions/checkout leaves it."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    with open(root / ".git" / "config", "a", encoding="utf-8") as handle:
        handle.write(GIT_CONFIG)


def _everything(run) -> str:
    """Every string the catalog holds: entity data and problem messages."""
    parts = [repr(e.to_backstage()) for e in run.catalog.entities.values()]
    parts += [p.message for p in run.catalog.problems]
    return "\n".join(parts)


@pytest.mark.parametrize("target", [
    ".git/config", "./.git/config", "a/../.git/config", ".GIT/config", ".git./config",
    "sub/.git/config", "./.git/../.git/config", "link-to-config", "link-to-git/config",
    ".git",
])
@pytest.mark.parametrize("kind", ["$text", "$json", "$yaml"])
def test_substitutions_never_read_git_directory(make_repo, kind, target):
    root = make_repo({"catalog-info.yaml": _descriptor(f"  note:\n    {kind}: {target}\n"),
                      "a/keep.txt": "", "sub/.git/config": GIT_CONFIG})
    _git_repo(root)
    (root / ".GIT").mkdir(exist_ok=True)  # a case variant, as a case-insensitive disk sees it
    (root / ".GIT" / "config").write_text(GIT_CONFIG)
    (root / ".git.").mkdir()
    (root / ".git." / "config").write_text(GIT_CONFIG)
    os.symlink(".git/config", root / "link-to-config")
    os.symlink(".git", root / "link-to-git")
    run = load_repo(root)
    assert SECRET not in _everything(run)
    entity = next(iter(run.catalog.entities.values()))
    assert entity.spec["note"] is None
    refused = [p for p in run.catalog.problems if p.code == "git-directory"]
    assert refused and refused[0].line == 9


@pytest.mark.parametrize("targets", [
    ["./.git/config"], ["./.git/*"], ["./.g*/config"], ["./*/config"], ["./.git/../.git/HEAD"],
    ["./cfg"], ["./gitfile/.git"],
])
def test_location_targets_never_read_git_directory(make_repo, targets):
    listed = "".join(f"\n    - {t}" for t in targets)
    root = make_repo({"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\n"
                                           f"metadata:\n  name: loc\nspec:\n  targets:{listed}\n",
                      "gitfile/.git": "gitdir: ../.git\n"})
    _git_repo(root)
    # a descriptor hidden where only a .git reader would find it
    (root / ".git" / "config").write_text(GIT_CONFIG + "\n" + _descriptor(name="from-git-dir"))
    (root / ".git" / "HEAD").write_text(_descriptor(name="from-git-head"))
    os.symlink(".git/config", root / "cfg")
    run = load_repo(root)
    assert sorted(r.name for r in run.catalog.entities) == ["loc"]
    assert SECRET not in _everything(run)


def test_descriptor_search_skips_git_directories_in_every_spelling(make_repo):
    body = COMPONENT.format(name="{}", owner="team-a")
    root = make_repo({
        "catalog-info.yaml": GROUP.format(name="team-a"),
        ".git/catalog-info.yaml": body.replace("{}", "a"),
        ".GIT/catalog-info.yaml": body.replace("{}", "b"),
        "vendor/lib/.git/catalog-info.yaml": body.replace("{}", "c"),
        ".Git /catalog-info.yaml": body.replace("{}", "d"),
    })
    os.symlink(".git/catalog-info.yaml", root / "catalog-info.yml")
    run = load_repo(root)
    assert sorted(r.name for r in run.catalog.entities) == ["team-a"]
    assert [p.code for p in run.catalog.problems] == ["git-directory"]  # the symlink, named


def test_docs_never_read_git_directory(make_repo):
    annotation = "backstage.io/techdocs-ref: dir:."
    root = make_repo({
        "catalog-info.yaml": _descriptor(annotations=annotation),
        "mkdocs.yml": "site_name: S\nnav:\n  - index.md\n",
        "docs/index.md": '# S\n--8<-- ".git/config"\n--8<-- "docs/cfg.md"\n'
                         '--8<-- "docs/../.git/config"\n',
    })
    _git_repo(root)
    os.symlink("../.git/config", root / "docs" / "cfg.md")
    os.symlink("../.git/config", root / "docs" / "config.txt")
    os.symlink("../.git", root / "docs" / "gitdir")
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    site = next(iter(docs.sites.values()))
    assert SECRET not in site.pages["index.md"].markdown
    assert sorted(site.pages) == ["index.md"] and site.files == {}
    assert {p.code for p in docs.problems} >= {"git-directory"}
    assert SECRET not in "\n".join(p.message for p in docs.problems)


def test_docs_config_symlinked_into_git_directory_is_not_read(make_repo):
    root = make_repo({"catalog-info.yaml": _descriptor(
        annotations="backstage.io/techdocs-ref: dir:."), "docs/index.md": "# S\n"})
    _git_repo(root)
    (root / ".git" / "mkdocs.yml").write_text("site_name: LEAKED FROM GIT\n")
    os.symlink(".git/mkdocs.yml", root / "mkdocs.yml")
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    assert next(iter(docs.sites.values())).title != "LEAKED FROM GIT"
    assert [p.code for p in docs.problems] == ["git-directory"]


def test_path_source_inside_a_git_directory_is_refused(tmp_path):
    repo = tmp_path / "repos" / "svc"
    repo.mkdir(parents=True)
    _git_repo(repo)
    (repo / ".git" / "catalog-info.yaml").write_text(_descriptor(name="inside-git"))
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - path: repos/svc/.git\n  - path: repos/*/.git\n"
                       "  - file: repos/svc/.git/catalog-info.yaml\n"
                       "  - discover: repos/svc/.git\n")
    result = pavedroad("export", "--sources", str(sources))
    assert "inside-git" not in result.stdout
    check = pavedroad("check", "--sources", str(sources), "--format", "json")
    assert check.stdout.count('"code": "source-in-git-directory"') == 4, check.stdout


@pytest.mark.parametrize("name", [".git", ".GIT", ".Git", ".git.", ".git ", "git~1", "GIT~1",
                                  ".g\u200cit", ".git\ufeff", ".git::$INDEX_ALLOCATION"])
def test_every_spelling_of_git_directory_is_recognised(name):
    assert is_git_name(name)


@pytest.mark.parametrize("name", [".github", ".gitignore", "git", ".gitlab-ci.yml", "x.git",
                                  "legit", ".gi"])
def test_ordinary_names_are_not_git_directories(name):
    assert not is_git_name(name)


# -- only regular files (item 10) ------------------------------------------------------------


def _run_with_deadline(fn, seconds: float = 20.0):
    """Run ``fn`` in a thread and fail (instead of hanging the suite) if it blocks."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked on a non-regular file"
    return result[0]


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def test_fifo_named_catalog_info_does_not_block_the_crawl(make_repo):
    root = make_repo({"ok/catalog-info.yaml": COMPONENT.format(name="good", owner="team-a")})
    _fifo(root / "catalog-info.yaml")
    _fifo(root / "deep" / "catalog-info.yml")
    run = _run_with_deadline(lambda: load_repo(root))
    assert [r.name for r in run.catalog.entities] == ["good"]
    fifo = [p for p in run.catalog.problems if p.code == "not-a-file"]
    assert len(fifo) == 2 and all("named pipe" in p.message and p.line == 1 for p in fifo)


def test_fifo_as_substitution_and_location_target_does_not_block(make_repo):
    root = make_repo({
        "catalog-info.yaml": _descriptor("  definition:\n    $text: ./pipe\n") + "---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\n"
        "spec:\n  targets: [./pipe2, ./sock, ./glob*]\n"})
    _fifo(root / "pipe")
    _fifo(root / "pipe2")
    _fifo(root / "glob-pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(root / "sock"))
        run = _run_with_deadline(lambda: load_repo(root))
    messages = [p.message for p in run.catalog.problems if p.code == "not-a-file"]
    assert len(messages) == 4
    assert any("socket" in m for m in messages)


def test_fifo_and_devices_in_docs_do_not_block(make_repo):
    root = make_repo({"catalog-info.yaml": _descriptor(
        annotations="backstage.io/techdocs-ref: dir:."),
        "docs/index.md": '# S\n--8<-- "docs/snip.txt"\n'})
    _fifo(root / "docs" / "page.md")
    _fifo(root / "docs" / "data.csv")
    _fifo(root / "docs" / "snip.txt")
    _fifo(root / "mkdocs.yml")
    run = load_repo(root)
    docs = _run_with_deadline(lambda: collect_docs(run.catalog, run.repositories))
    site = next(iter(docs.sites.values()))
    assert sorted(site.pages) == ["index.md"] and site.files == {}
    # page.md, data.csv, mkdocs.yml, snip.txt as a file of the docs and as a snippet
    assert sum(p.code == "not-a-file" for p in docs.problems) == 5


def test_reader_refuses_devices_even_when_linked_from_inside(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink("/dev/zero", root / "zero")
    assert file_refusal(root / "zero", root)[0] == "outside-repository"
    assert file_refusal(Path("/dev/zero"))[0] == "not-a-file"
    assert read_repo_file(Path("/dev/null"))[1][0] == "not-a-file"


# -- hard links ----------------------------------------------------------------------------


def test_hard_link_to_a_file_outside_the_repository_is_not_published(make_repo, tmp_path):
    outside = tmp_path / "outside-secret.txt"
    outside.write_text(SECRET)
    root = make_repo({"catalog-info.yaml": _descriptor(
        "  definition:\n    $text: ./openapi.yaml\n",
        annotations="backstage.io/techdocs-ref: dir:."), "docs/index.md": "# S\n"})
    os.link(outside, root / "openapi.yaml")
    os.link(outside, root / "docs" / "leak.md")
    os.link(outside, root / "docs" / "leak.txt")
    run = load_repo(root)
    docs = collect_docs(run.catalog, run.repositories)
    assert SECRET not in _everything(run)
    site = next(iter(docs.sites.values()))
    assert sorted(site.pages) == ["index.md"] and site.files == {}
    hard = [p for p in [*run.catalog.problems, *docs.problems] if p.code == "hard-link"]
    assert len(hard) == 3 and all("hard links" in p.message for p in hard)


def test_fifos_among_git_metadata_sources_and_history_do_not_block(tmp_path):
    from generator.history import load_history
    from generator.pipeline import load_catalog
    from generator.sources import load_sources

    mirrors = tmp_path / "mirrors" / "svc"
    mirrors.mkdir(parents=True)
    (mirrors / "catalog-info.yaml").write_text(COMPONENT.format(name="svc", owner="team-a"))
    (mirrors / ".git").mkdir()
    _fifo(mirrors / ".git" / "HEAD")  # a discovered work tree whose HEAD never ends
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - discover: mirrors\n")
    run = _run_with_deadline(lambda: load_catalog(sources, progress=False))
    assert [r.name for r in run.catalog.entities] == ["svc"]
    assert run.repositories[0].commit is None
    _fifo(tmp_path / "pipe.yaml")
    _fifo(tmp_path / "history.json")
    _, problems = _run_with_deadline(lambda: load_sources(tmp_path / "pipe.yaml"))
    assert [p.code for p in problems] == ["sources-unreadable"]
    _, problems = _run_with_deadline(lambda: load_history(tmp_path / "history.json"))
    assert [p.code for p in problems] == ["history-invalid"]
