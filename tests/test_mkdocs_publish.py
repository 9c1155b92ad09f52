"""The site folder changes only where the site did (generator/mkdocs/publish.py, issue 16)."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP, init_portal, pavedroad

from generator.mkdocs.publish import Published, SiteListing, SiteOutput, staging_dir


def _portal(tmp_path: Path) -> Path:
    return init_portal(tmp_path, {
        "svc": {"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a") + "---\n"
                + GROUP.format(name="team-a")},
        "gone": {"catalog-info.yaml": COMPONENT.format(name="gone", owner="team-a")}})


def _files(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*")
            if p.is_file()}


def _counts(stderr: str) -> tuple[int, int, int]:
    found = re.search(r"([\d,]+) files written, ([\d,]+) kept unchanged, ([\d,]+) deleted",
                      stderr)
    assert found, stderr[-2000:]
    return tuple(int(n.replace(",", "")) for n in found.groups())  # type: ignore[return-value]


def test_a_rebuild_keeps_every_unchanged_file_and_deletes_a_removed_entitys_page(tmp_path):
    portal = _portal(tmp_path)
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)  # a Pages checkout: hidden entries are left alone
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "stale.html").write_text("from an old build")
    first = pavedroad("build", "--site-dir", str(site), cwd=portal)
    assert first.returncode == 0, first.stderr[-3000:]
    built = _files(site)
    wrote, kept, deleted = _counts(first.stderr)
    assert (wrote, kept, deleted) == (len(built) - 1, 0, 1)  # all but .git/HEAD; stale.html
    assert not (site / "stale.html").exists() and (site / ".git" / "HEAD").is_file()
    assert not staging_dir(site).exists()

    second = pavedroad("build", "--site-dir", str(site), cwd=portal)
    assert second.returncode == 0, second.stderr[-3000:]
    assert _files(site) == built  # same files, every mtime kept
    assert _counts(second.stderr) == (0, len(built) - 1, 0)

    shutil.rmtree(portal / "catalog-sources" / "repos" / "gone")
    third = pavedroad("build", "--site-dir", str(site), cwd=portal)
    assert third.returncode == 0, third.stderr[-3000:]
    after = _files(site)
    page = "catalog/default/component/gone/index.html"
    assert page in built and page not in after
    assert not (site / "catalog/default/component/gone").exists()
    wrote, kept, deleted = _counts(third.stderr)
    assert deleted >= 2 and wrote >= 1 and kept > wrote  # its page, entity.json; the indexes
    unchanged = [p for p in after if p in built and after[p] == built[p]
                 and not p.startswith(".git")]
    assert len(unchanged) == kept


OLD = {"same.txt": "a", "changed.txt": "old", "was-dir/x": "1", "was-file": "f",
       "gone/deep/y": "2", "p-same": "p", "p-was-dir/q": "q", "p-was-file": "f"}
NEW = {"same.txt": "a", "changed.txt": "new", "was-dir": "now a file",
       "was-file/z": "now a folder", "new/n.txt": "n"}
"""An older site, and what a build stages; the ``p-`` files are written by SiteOutput."""


@pytest.mark.parametrize("listed", [False, True], ids=["walked", "listed-before"])
def test_output_rewrites_changed_files_keeps_identical_ones_and_swaps_files_and_folders(
        tmp_path, listed):
    site, staging = tmp_path / "site", tmp_path / "staging"
    for root, files in ((site, OLD), (staging, NEW)):
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    same = {name: (site / name).stat().st_mtime_ns for name in ("same.txt", "p-same")}
    # Listed by its own process before anything is written, as the plugin does.
    listing = SiteListing(site).start() if listed else None
    if listing is not None:
        assert "was-dir/x" in listing.result()[0]  # taken before the writes below
    output = SiteOutput(site)
    output.write("p-same", b"p")
    output.write("p-was-dir", b"now a file")
    output.write("p-was-file/r", b"now a folder")
    output.write("p-new/deep/s", b"s")
    result = output.publish(staging, listing)
    # deleted: was-dir/x, was-file, gone/deep/y, p-was-dir/q, p-was-file
    assert result == Published(wrote=7, kept=2, deleted=5)
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == [
        "changed.txt", "new/n.txt", "p-new/deep/s", "p-same", "p-was-dir", "p-was-file/r",
        "same.txt", "was-dir", "was-file/z"]
    assert (site / "changed.txt").read_text() == "new"
    assert {name: (site / name).stat().st_mtime_ns for name in same} == same
    assert not (site / "gone").exists() and not staging.exists()
    assert not list(site.rglob(".*pavedroad-tmp"))


def test_publishing_does_not_look_into_a_hidden_top_level_folder(tmp_path, monkeypatch):
    site, staging = tmp_path / "site", tmp_path / "staging"
    for rel in (".git/objects/ab/cd", ".git/HEAD", "old/page.html", ".nojekyll"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x")
    (staging / "index.html").parent.mkdir(parents=True)
    (staging / "index.html").write_text("i")
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (listed.append(str(path)),
                                                         scandir(path))[1])
    assert SiteOutput(site).publish(staging) == Published(wrote=1, deleted=1)
    assert not any(".git" in path for path in listed)
    assert (site / ".git" / "objects" / "ab" / "cd").is_file() and (site / ".nojekyll").is_file()
    assert not (site / "old").exists()


def test_output_into_a_new_folder_writes_the_whole_build(tmp_path):
    staging = tmp_path / "staging"
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "b.html").write_text("b")
    output = SiteOutput(tmp_path / "site")
    output.write("index.html", b"i")
    assert output.publish(staging) == Published(wrote=2)
    assert (tmp_path / "site" / "a" / "b.html").read_text() == "b"
    assert (tmp_path / "site" / "index.html").read_text() == "i"


def test_output_replaces_links_and_pipes_that_hold_the_same_bytes(tmp_path):
    import os
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "linked").mkdir(parents=True)
    outside.mkdir()
    (outside / "page.html").write_bytes(b"same")
    os.symlink(outside / "page.html", site / "page.html")  # a link to the same bytes
    os.symlink(outside, site / "folder")  # a folder that is a link
    os.mkfifo(site / "pipe.html")  # opening it to compare must not wait for a writer
    output = SiteOutput(site)
    output.write("page.html", b"same")
    output.write("folder/page.html", b"same")
    output.write("pipe.html", b"")
    assert output.wrote == 3 and output.kept == 0
    assert not (site / "page.html").is_symlink() and not (site / "folder").is_symlink()
    assert (site / "pipe.html").is_file()
    assert (outside / "page.html").read_bytes() == b"same" and sorted(
        p.name for p in outside.iterdir()) == ["page.html"]


def test_a_description_edit_rewrites_only_the_search_files_it_changed(tmp_path):
    """The entities' search index is made again, but handed to the site file by file: the
    fragments of the entities that did not change keep their bytes and times, the edited
    entity's is replaced, the pages' index is kept whole, and both are the ones a build from
    nothing makes."""
    portal = _portal(tmp_path)
    site = tmp_path / "site"
    assert pavedroad("build", "--site-dir", str(site), cwd=portal).returncode == 0

    def index_files(root: Path) -> dict[str, int]:
        return {p: t for p, t in _files(root).items() if p.startswith("pagefind")}

    before = index_files(site)
    fragments = [p for p in before if p.startswith("pagefind-entities/fragment/")]
    assert len(fragments) == 3  # svc, gone and team-a
    descriptor = portal / "catalog-sources" / "repos" / "gone" / "catalog-info.yaml"
    descriptor.write_text(descriptor.read_text().replace(
        "  name: gone\n", "  name: gone\n  description: Findable by zebra.\n"))
    again = pavedroad("build", "--site-dir", str(site), cwd=portal)
    assert again.returncode == 0, again.stderr[-3000:]
    after = index_files(site)
    assert {p: t for p, t in after.items() if p.startswith("pagefind/")} == {
        p: t for p, t in before.items() if p.startswith("pagefind/")}  # the pages' kept
    kept = [p for p in fragments if after.get(p) == before[p]]
    assert len(kept) == len(fragments) - 1  # the edited entity's fragment is a new file
    assert len(set(after) - set(before)) == len(set(before) - set(after)) >= 1
    assert not staging_dir(site).exists()

    fresh = tmp_path / "fresh"
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "fresh-cache")}
    assert pavedroad("build", "--site-dir", str(fresh), cwd=portal, env=env).returncode == 0
    index = {p: (site / p).read_bytes() for p in after}
    assert index == {p: (fresh / p).read_bytes() for p in index_files(fresh)}
    assert any(b"zebra" in gzip.decompress(data) for p, data in index.items()
               if p.endswith(".pf_fragment"))  # the new description is findable
