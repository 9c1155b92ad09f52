"""Incremental builds: where only entities' own text changed, the other entity pages are the
build before's, and every page is what a build from nothing makes of the same input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_portalmemo import _same

from generator.portal import Portal, build_portal
from generator.urls import entity_page

DEMO = Path(__file__).resolve().parent.parent / "catalog-sources"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo organisation, copied (its descriptors are edited)."""
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo" / "sources.yaml"


def _fresh(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Portal:
    """The same input built from nothing: another, empty cache."""
    monkeypatch.setenv("PAVEDROAD_CACHE", str(tmp_path / "fresh-cache"))
    return build_portal(sources)


def _edit(portal: Portal, root: Path, kinds: set[str], edit) -> list[str]:
    """Apply ``edit`` to the descriptor text of the first entity of each of ``kinds``
    whose document names a description; the pages of the entities edited."""
    done, pages = set(), []
    for ref, entity in portal.run.catalog.entities.items():
        if ref.kind in done or ref.kind not in kinds or not entity.description:
            continue
        files = [p for p in root.rglob("*.yaml")
                 if str(p).endswith(entity.provenance.path)
                 and entity.provenance.repo in str(p.relative_to(root))]
        path = files[0] if len(files) == 1 else root / entity.provenance.file
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for i in range(entity.provenance.line - 1, len(lines)):
            if re.match(r"\s+description:", lines[i]):
                lines[i] = edit(lines[i])
                break
        else:
            continue
        path.write_text("".join(lines), encoding="utf-8")
        done.add(ref.kind)
        pages.append(entity_page(ref))
    assert done == kinds, f"the demo lacks a described entity of {kinds - done}"
    return pages


def _longer(line: str) -> str:
    head, _, text = line.partition("description:")
    text = text.strip()
    quote = text[0] if text[:1] in "\"'" else ""
    inner = text[1:-1] if quote else text
    return f"{head}description: {quote}{inner} (edited){quote}\n"


OWN_KINDS = {"component", "api", "resource", "system", "domain", "group", "template"}


def test_a_description_edit_rebuilds_only_its_pages_and_matches_a_build_from_nothing(
        demo, tmp_path, monkeypatch):
    before = build_portal(demo)
    edited = _edit(before, demo.parent, OWN_KINDS, _longer)
    again = build_portal(demo)
    assert not again.memoised
    entity_pages = {entity_page(ref) for ref in again.run.catalog.entities}
    assert again.kept == len(entity_pages) - len(edited)
    for path in edited:
        assert again.pages.pages[path] != before.pages.pages[path]
        assert "(edited)" in again.pages.pages[path].markdown + "".join(
            again.pages.pages[path].blocks.values())
    _same(_fresh(demo, tmp_path, monkeypatch).pages, again.pages)


@pytest.mark.parametrize("change", ["a title", "a user's description (a role)",
                                    "a description emptied (a scorecard rule)"])
def test_a_change_other_pages_may_show_rebuilds_every_page(demo, tmp_path, monkeypatch,
                                                           change):
    before = build_portal(demo)
    if change == "a title":
        _edit(before, demo.parent, {"component"},
              lambda line: line.replace("description:", "title: Renamed\n  description:", 1))
    elif change.startswith("a user's"):
        _edit(before, demo.parent, {"user"}, _longer)
    else:
        _edit(before, demo.parent, {"component"},
              lambda line: line.split("description:")[0] + 'description: ""\n')
    again = build_portal(demo)
    assert not again.memoised and again.kept == 0
    _same(_fresh(demo, tmp_path, monkeypatch).pages, again.pages)


def test_an_edit_of_an_undescribed_file_beside_a_descriptor_rebuilds_every_page(
        demo, tmp_path, monkeypatch):
    before = build_portal(demo)
    entity = next(e for e in before.run.catalog.entities.values()
                  if e.ref.kind == "component")
    repo = next(r for r in before.run.repositories if r.name == entity.provenance.repo)
    (repo.root / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    again = build_portal(demo)
    assert again.kept == 0
    _same(_fresh(demo, tmp_path, monkeypatch).pages, again.pages)


def test_a_moved_definition_not_kept_shows_its_new_place_on_the_conflict_banner(
        demo, tmp_path, monkeypatch):
    first = build_portal(demo)
    entity = next(e for e in first.run.catalog.entities.values()
                  if e.ref.kind == "component")
    copy = demo.parent / "repos" / "zz-copy" / "catalog-info.yaml"
    copy.parent.mkdir(parents=True)
    copy.write_text(f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                    f"  name: {entity.name}\nspec:\n  type: service\n  lifecycle: production\n"
                    f"  owner: nobody\n", encoding="utf-8")
    before = build_portal(demo)
    assert entity.ref in before.run.catalog.conflicts
    copy.write_text("# moved down\n\n" + copy.read_text(encoding="utf-8"), encoding="utf-8")
    again = build_portal(demo)
    page = entity_page(entity.ref)
    assert again.pages.pages[page] != before.pages.pages[page]
    _same(_fresh(demo, tmp_path, monkeypatch).pages, again.pages)
