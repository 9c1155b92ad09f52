"""When descriptors last changed, read from real git repositories in tmp dirs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import pavedroad

from generator.gitlog import last_changes
from generator.sources import Repository

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
       "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com"}


def git(repo: Path, *args: str, when: int = 1_700_000_000) -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=env,
                          check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str, when: int) -> str:
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "--quiet")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


def repository(root: Path) -> Repository:
    return Repository(root.name, root.resolve(), root.name)


def test_each_file_gets_the_commit_that_last_changed_it(tmp_path):
    repo = tmp_path / "svc"
    first = commit(repo, {"catalog-info.yaml": "a", "sub/catalog-info.yaml": "b",
                          "[x]*.yaml": "c"}, "add both", 1_700_000_000)
    second = commit(repo, {"catalog-info.yaml": "a2", "README.md": "r"}, "change one",
                    1_700_086_400)
    commit(repo, {"README.md": "r2"}, "docs only", 1_700_172_800)
    found = last_changes([repository(repo)], {"svc": ["catalog-info.yaml",
                                                      "sub/catalog-info.yaml", "[x]*.yaml",
                                                      "missing.yaml"]})
    assert {path: (c.commit, c.time, c.author, c.subject) for (_, path), c in found.items()} == {
        "catalog-info.yaml": (second, 1_700_086_400, "Ada", "change one"),
        "sub/catalog-info.yaml": (first, 1_700_000_000, "Ada", "add both"),
        "[x]*.yaml": (first, 1_700_000_000, "Ada", "add both"),  # a literal name, no pattern
    }


def test_results_are_cached_by_head_and_files(tmp_path):
    repo = tmp_path / "svc"
    commit(repo, {"catalog-info.yaml": "a"}, "one", 1_700_000_000)
    cache = tmp_path / "cache"
    first = last_changes([repository(repo)], {"svc": ["catalog-info.yaml"]}, cache)
    assert len(list((cache / "gitlog").iterdir())) == 1
    assert last_changes([repository(repo)], {"svc": ["catalog-info.yaml"]}, cache) == first
    newer = commit(repo, {"catalog-info.yaml": "b"}, "two", 1_700_000_100)
    again = last_changes([repository(repo)], {"svc": ["catalog-info.yaml"]}, cache)
    assert again[("svc", "catalog-info.yaml")].commit == newer


def test_subdirectories_and_plain_folders_give_nothing(tmp_path):
    repo = tmp_path / "svc"
    commit(repo, {"catalog-info.yaml": "a", "sub/catalog-info.yaml": "b"}, "one", 1_700_000_000)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "catalog-info.yaml").write_text("a")
    sub = Repository("sub", (repo / "sub").resolve(), "sub")
    found = last_changes([repository(plain), sub],
                         {"plain": ["catalog-info.yaml"], "sub": ["catalog-info.yaml"]})
    assert found == {}


def shallow_clone(tmp_path: Path, depth: int) -> tuple[Path, list[str]]:
    """A clone ``--depth depth`` of a repository whose three commits add ``a.yaml`` and
    ``b.yaml``, change the README, then change ``a.yaml``."""
    repo = tmp_path / "svc"
    shas = [commit(repo, {"a.yaml": "a", "b.yaml": "b"}, "add both", 1_700_000_000),
            commit(repo, {"README.md": "r"}, "docs", 1_700_000_100),
            commit(repo, {"a.yaml": "a2"}, "change a", 1_700_000_200)]
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", str(depth), repo.resolve().as_uri(),
        str(clone))
    return clone, shas


def test_a_shallow_clone_knows_changes_inside_its_history_and_since_when_the_rest_is_unchanged(
        tmp_path):
    clone, (_, second, third) = shallow_clone(tmp_path, depth=2)
    found = last_changes([repository(clone)], {"clone": ["a.yaml", "b.yaml"]})
    changed, unchanged = found[("clone", "a.yaml")], found[("clone", "b.yaml")]
    assert (changed.commit, changed.exact) == (third, True)
    # really added in the first commit, which the clone does not have: only "since at least"
    assert (unchanged.commit, unchanged.time, unchanged.exact) == (second, 1_700_000_100, False)


def test_deepening_a_shallow_clone_is_not_answered_from_the_cache(tmp_path):
    clone, (first, _, _) = shallow_clone(tmp_path, depth=1)
    cache = tmp_path / "cache"
    assert not last_changes([repository(clone)], {"clone": ["b.yaml"]}, cache)[
        ("clone", "b.yaml")].exact
    git(clone, "fetch", "--quiet", "--unshallow")
    again = last_changes([repository(clone)], {"clone": ["b.yaml"]}, cache)[("clone", "b.yaml")]
    assert (again.commit, again.exact) == (first, True)


def test_entity_pages_show_when_their_descriptor_changed(tmp_path):
    repo = tmp_path / "org" / "svc"
    descriptor = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\n"
                  "spec: {type: service, lifecycle: production, owner: team}\n")
    sha = commit(repo, {"catalog-info.yaml": descriptor}, "Add <svc> & friends", 1_764_633_600)
    (tmp_path / "org" / "sources.yaml").write_text("sources:\n  - path: svc\n")
    site = tmp_path / "site"
    result = pavedroad("build", "--sources", str(tmp_path / "org" / "sources.yaml"),
                       "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    page = (site / "catalog/default/component/svc/index.html").read_text()
    assert "Descriptor changed" in page and "2025-12-02" in page
    assert f"{sha[:10]} Add &lt;svc&gt; &amp; friends" in page


def test_entity_pages_of_a_shallow_clone_say_since_when_the_descriptor_is_unchanged(tmp_path):
    repo = tmp_path / "upstream"
    descriptor = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\n"
                  "spec: {type: service, lifecycle: production, owner: team}\n")
    commit(repo, {"catalog-info.yaml": descriptor}, "Add svc", 1_764_633_600)
    sha = commit(repo, {"README.md": "r"}, "Docs", 1_764_720_000)
    org = tmp_path / "org"
    org.mkdir()
    git(tmp_path, "clone", "--quiet", "--depth", "1", repo.resolve().as_uri(), str(org / "svc"))
    (org / "sources.yaml").write_text("sources:\n  - path: svc\n")
    site = tmp_path / "site"
    result = pavedroad("build", "--sources", str(org / "sources.yaml"), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    page = (site / "catalog/default/component/svc/index.html").read_text()
    assert "Descriptor unchanged since" in page and "Descriptor changed" not in page
    assert "2025-12-03" in page and "at least: a shallow clone" in page and sha[:10] in page
