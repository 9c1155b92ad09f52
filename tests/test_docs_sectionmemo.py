"""The docs stage's section memo (generator/docs/sectionmemo.py): a section whose repository
did not change is the memo's copy, equal in every part to reading it again; one that did is
read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_docs_real import DESCRIPTOR

from generator.docs import collect_docs
from generator.docs.sectionmemo import SectionMemo
from generator.pipeline import load_paths
from generator.sources import Repository

COMPONENT = DESCRIPTOR.split("---\n")[0]
"""A component whose docs are beside its descriptor (``dir:.``), owned by docs-team."""


@pytest.fixture
def repos(tmp_path) -> list[Path]:
    """Two real MkDocs projects, the TechDocs example, and a repository whose docs go wrong
    in every way the stage reports (a link out of it, a script in an SVG, a missing
    folder, markdown_extensions it does not run)."""
    roots = []
    for name in ("httpx", "mkdocs"):
        root = tmp_path / name
        shutil.copytree(FIXTURES / "real-docs" / name, root)
        (root / "catalog-info.yaml").write_text(COMPONENT.format(name=name))
        roots.append(root)
    example = tmp_path / "techdocs-example"
    shutil.copytree(FIXTURES / "backstage-techdocs-example", example)
    roots.append(example)
    bad = tmp_path / "bad"
    (bad / "docs/img").mkdir(parents=True)
    (bad / "catalog-info.yaml").write_text(
        COMPONENT.format(name="bad") + "---\n" +
        COMPONENT.format(name="gone").replace("dir:.", "dir:nowhere"))
    (bad / "mkdocs.yml").write_text("site_name: Bad\nmarkdown_extensions:\n  - mkautodoc\n"
                                    "  - toc:\n      permalink: true\nnav:\n  - Home: index.md\n"
                                    "  - Missing: missing.md\n")
    (bad / "docs/index.md").write_text("# Bad\n\n![x](img/x.svg) [out](../../etc/passwd)\n")
    (bad / "docs/img/x.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                        '<script>alert(1)</script><rect/></svg>')
    os.symlink("/etc/hostname", bad / "docs/outside.md")
    roots.append(bad)
    return roots


def _collect(roots: list[Path], memo: SectionMemo | None = None):
    run = load_paths([Repository(root.name, root.resolve(), str(root)) for root in roots])
    return collect_docs(run.catalog, run.repositories, memo=memo)


def _same(docs, fresh) -> None:
    assert docs.sites == fresh.sites
    assert docs.links == fresh.links
    assert docs.problems == fresh.problems
    assert docs.drafts.keys() == fresh.drafts.keys()


def test_an_unchanged_section_is_the_memos_copy_equal_to_reading_it(repos, tmp_path):
    fresh = _collect(repos)
    assert len(fresh.sites) == 4 and any(p.code == "docs-outside-repository"
                                         for p in fresh.problems)
    path = tmp_path / "cache" / "sections.marshal"
    first = SectionMemo.open(path)
    _same(_collect(repos, first), fresh)
    assert first.hits == 0
    first.save()
    second = SectionMemo.open(path)
    _same(_collect(repos, second), fresh)
    assert second.hits == 4  # every section (a folder that is not there is not one)


def test_a_section_whose_repository_changed_is_read_again(repos, tmp_path):
    path = tmp_path / "sections.marshal"
    first = SectionMemo.open(path)
    _collect(repos, first)
    first.save()
    page = repos[0] / "docs" / "index.md"
    page.write_text(page.read_text() + "\nAn edit.\n")
    (repos[3] / "docs" / "new.md").write_text("# New\n")
    again = SectionMemo.open(path)
    docs = _collect(repos, again)
    _same(docs, _collect(repos))
    assert again.hits == 2  # mkdocs and the TechDocs example: their repositories are as were
    assert any("An edit." in p.markdown for s in docs.sites.values() for p in s.pages.values())


def test_a_damaged_memo_is_read_as_empty(repos, tmp_path):
    path = tmp_path / "sections.marshal"
    first = SectionMemo.open(path)
    _collect(repos, first)
    first.save()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    damaged = SectionMemo.open(path)
    _same(_collect(repos, damaged), _collect(repos))
    assert damaged.hits == 0


def test_a_repository_too_large_to_digest_is_read_every_build(repos, tmp_path, monkeypatch):
    import generator.docs.sectionmemo as sectionmemo

    monkeypatch.setattr(sectionmemo, "MAX_TREE", 30)  # the projects have 40 entries or more
    path = tmp_path / "sections.marshal"
    first = SectionMemo.open(path)
    _collect(repos, first)
    first.save()
    again = SectionMemo.open(path)
    _same(_collect(repos, again), _collect(repos))
    assert again.hits == 2  # the TechDocs example (19 entries) and the hostile repository
