"""Incremental builds: where only entities' own text changed, the other entity pages are the
build before's, and every page is what a build from nothing makes of the same input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import COMPONENT, GROUP
from test_portalmemo import _same

from generator.docs.model import DOCS_INDEX
from generator.entities import Entity
from generator.incremental import OWN_ONLY
from generator.pages import exports
from generator.pages.twins import TwinFeature
from generator.portal import Portal, PortalOptions, build_portal
from generator.urls import entity_page

DEMO = Path(__file__).resolve().parent.parent / "catalog-sources"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo organisation, copied (its descriptors are edited)."""
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo" / "sources.yaml"


SEARCH = PortalOptions(search="pagefind")
"""With the search documents, which are kept with their pages."""


def _fresh(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           options: PortalOptions | None = None) -> Portal:
    """The same input built from nothing: another, empty cache."""
    monkeypatch.setenv("PAVEDROAD_CACHE", str(tmp_path / "fresh-cache"))
    return build_portal(sources, options)


def _edit(portal: Portal, root: Path, kinds: set[str] | None, edit, field: str = "description"
          ) -> list[str]:
    """Apply ``edit`` to the lines (the ``field:`` line and the next) of the first entity of
    each of ``kinds`` (default: every kind) whose document has ``field``; the pages of the
    entities edited."""
    chosen: dict[str, Entity] = {}
    for ref, entity in portal.run.catalog.entities.items():
        if (kinds is None or ref.kind in kinds) and entity.metadata.get(field):
            chosen.setdefault(ref.kind, entity)
    assert kinds is None or set(chosen) == kinds, f"the demo lacks such an entity of {kinds}"
    assert kinds is not None or "component" in chosen
    pages = []
    # From the bottom of each file up, so an edit that adds lines moves no later one's place.
    for entity in sorted(chosen.values(), key=lambda e: -e.provenance.line):
        files = [p for p in root.rglob("*.yaml")
                 if str(p).endswith(entity.provenance.path)
                 and entity.provenance.repo in str(p.relative_to(root))]
        path = files[0] if len(files) == 1 else root / entity.provenance.file
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i in range(entity.provenance.line - 1, len(lines))
                  if re.match(rf"\s+{field}:", lines[i]))
        assert "---" not in "".join(lines[entity.provenance.line:at]), entity.ref
        lines[at:at + 2] = edit(lines[at:at + 2])
        path.write_text("".join(lines), encoding="utf-8")
        pages.append(entity_page(entity.ref))
    return pages


def _longer(lines: list[str]) -> list[str]:
    head, _, text = lines[0].partition("description:")
    text = text.strip()
    quote = text[0] if text[:1] in "\"'" else ""
    inner = text[1:-1] if quote else text
    return [f"{head}description: {quote}{inner} (edited){quote}\n", *lines[1:]]


def _one_more_link(lines: list[str]) -> list[str]:
    """A link ahead of the others (``links:`` is a block list here)."""
    item = lines[1][:len(lines[1]) - len(lines[1].lstrip())]
    return [lines[0], f"{item}- url: https://example.com/edited\n",
            f"{item}  title: Edited\n", *lines[1:]]


def _one_more_tag(lines: list[str]) -> list[str]:
    if "[" in lines[0]:
        return [lines[0].replace("[", "[edited, ", 1), *lines[1:]]
    item = lines[1][:len(lines[1]) - len(lines[1].lstrip())]
    return [lines[0], f"{item}- edited\n", *lines[1:]]


OWN_KINDS = {"component", "api", "resource", "system", "domain", "group", "template"}


EDITS = {"description": _longer, "links": _one_more_link, "tags": _one_more_tag}


def test_every_own_only_field_has_an_edit_here():
    assert set(EDITS) == set(OWN_ONLY)


@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_edit_of_own_text_rebuilds_only_its_pages_and_matches_a_build_from_nothing(
        demo, tmp_path, monkeypatch, field):
    before = build_portal(demo, SEARCH)
    kinds = OWN_KINDS if field == "description" else None  # a user's links and tags too
    edited = _edit(before, demo.parent, kinds, EDITS[field], field)
    twins = []  # the entities whose twin is made again (the others' are the build before's)
    made = TwinFeature._entity
    monkeypatch.setattr(TwinFeature, "_entity", lambda self, catalog, entity: (
        twins.append(entity_page(entity.ref)), made(self, catalog, entity))[1])
    lines = []  # the entities whose entity.json is made again
    line = exports.entity_json
    monkeypatch.setattr(exports, "entity_json", lambda catalog, entity: (
        lines.append(entity_page(entity.ref)), line(catalog, entity))[1])
    again = build_portal(demo, SEARCH)
    monkeypatch.setattr(TwinFeature, "_entity", made)
    monkeypatch.setattr(exports, "entity_json", line)
    assert not again.memoised
    entity_pages = {entity_page(ref) for ref in again.run.catalog.entities}
    # Entities below an edit that added lines start on another line: their "Defined in" moved.
    moved = {entity_page(ref) for ref, e in again.run.catalog.entities.items()
             if e.provenance.line != before.run.catalog.entities[ref].provenance.line}
    assert again.kept == len(entity_pages - set(edited) - moved)
    assert set(twins) == set(edited) | moved
    assert set(lines) == set(edited) | moved
    for path in edited:
        assert again.pages.pages[path] != before.pages.pages[path]
        assert "edited" in (again.pages.pages[path].markdown
                            + "".join(again.pages.pages[path].blocks.values())).lower()
    _same(_fresh(demo, tmp_path, monkeypatch, SEARCH).pages, again.pages)


def _component(portal: Portal) -> Entity:
    return next(e for e in portal.run.catalog.entities.values() if e.ref.kind == "component")


def _codeowners(portal: Portal, root: Path) -> None:
    """A file beside a component's descriptor (a scorecard rule looks for it)."""
    repo = next(r for r in portal.run.repositories
                if r.name == _component(portal).provenance.repo)
    (repo.root / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")


SHARED_CHANGES = {
    "a title": lambda portal, root: _edit(portal, root, {"component"}, lambda lines: [
        lines[0].replace("description:", "title: Renamed\n  description:", 1), *lines[1:]]),
    "a user's description (a role)": lambda portal, root: _edit(portal, root, {"user"},
                                                                _longer),
    "a description emptied (a scorecard rule)": lambda portal, root: _edit(
        portal, root, {"component"},
        lambda lines: [lines[0].split("description:")[0] + 'description: ""\n', *lines[1:]]),
    "a file beside a descriptor": _codeowners,
}


@pytest.mark.parametrize("change", sorted(SHARED_CHANGES))
def test_a_change_other_pages_may_show_rebuilds_every_page(demo, tmp_path, monkeypatch,
                                                           change):
    SHARED_CHANGES[change](build_portal(demo), demo.parent)
    again = build_portal(demo)
    assert not again.memoised and again.kept == 0
    _same(_fresh(demo, tmp_path, monkeypatch).pages, again.pages)


def test_a_moved_definition_not_kept_shows_its_new_place_on_the_conflict_banner(
        demo, tmp_path, monkeypatch):
    entity = _component(build_portal(demo))
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


def test_a_commit_that_edits_one_description_rebuilds_only_that_repositorys_pages(
        tmp_path, monkeypatch):
    """Git sources: the new commit is each of the repository's entities' own (its "Repository"
    and "Descriptor changed" rows), so the other repositories' pages are kept."""
    from test_git import commit, sources_file

    first = COMPONENT.format(name="svc", owner="team-a").replace(
        "  name: svc\n", "  name: svc\n  description: The service.\n")
    commit(tmp_path / "a", {"catalog-info.yaml": first + "---\n" + GROUP.format(name="team-a")})
    commit(tmp_path / "b", {"catalog-info.yaml": COMPONENT.format(name="web", owner="team-a")
                            + "  dependsOn: [component:svc]\n"})
    sources = sources_file(tmp_path, "".join(f"  - git: {(tmp_path / n).as_uri()}\n"
                                             for n in "ab"))
    before = build_portal(sources)
    commit(tmp_path / "a", {"catalog-info.yaml": first.replace("The service.", "Edited.")
                            + "---\n" + GROUP.format(name="team-a")})
    again = build_portal(sources)
    assert again.kept == 1  # component:web, of the other repository
    page = entity_page(next(r for r in again.run.catalog.entities if r.name == "svc"))
    assert "Edited." in "".join(again.pages.pages[page].blocks.values())
    assert again.pages.pages[page] != before.pages.pages[page]
    _same(_fresh(sources, tmp_path, monkeypatch).pages, again.pages)


def test_a_documented_entitys_description_edit_rebuilds_only_its_pages_and_the_docs_index(
        demo, tmp_path, monkeypatch):
    """A docs section without ``site_description`` shows its entity's description, on the
    docs index alone: the other entity pages stay the build before's."""
    before = build_portal(demo, SEARCH)
    catalog = before.run.catalog
    site = next(s for s in before.docs.sites.values()
                if (e := catalog.get(s.ref)) and e.description and s.description == e.description
                and not s.shared_with)
    entity = catalog.get(site.ref)
    path = demo.parent / entity.provenance.file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i in range(entity.provenance.line - 1, len(lines))
              if re.match(r"\s+description:", lines[i]))
    if lines[at].rstrip().endswith((">", ">-", "|", "|-")):  # a block: its first line
        lines[at + 1] = lines[at + 1].rstrip("\n") + " (edited)\n"
    else:
        lines[at:at + 2] = _longer(lines[at:at + 2])
    path.write_text("".join(lines), encoding="utf-8")
    again = build_portal(demo, SEARCH)
    assert not again.run.catalog.problems or again.run.catalog.problems == catalog.problems
    moved = {ref for ref, e in again.run.catalog.entities.items()
             if e.provenance.line != catalog.entities[ref].provenance.line}
    assert again.kept == len(again.run.catalog.entities) - 1 - len(moved - {entity.ref})
    assert "(edited)" in again.pages.pages[DOCS_INDEX].expanded()
    _same(_fresh(demo, tmp_path, monkeypatch, SEARCH).pages, again.pages)


def _docs_page(demo: Path) -> Path:
    page = demo.parent / "repos" / "checkout-service" / "docs" / "runbook.md"
    assert page.read_text(encoding="utf-8").startswith("# Runbook\n")
    return page


def test_a_docs_page_text_edit_rebuilds_no_entity_page(demo, tmp_path, monkeypatch):
    before = build_portal(demo, SEARCH)
    page = _docs_page(demo)
    page.write_text(page.read_text(encoding="utf-8") + "\nPage the <b>edited</b> rota.\n",
                    encoding="utf-8")
    again = build_portal(demo, SEARCH)
    assert again.kept == len(again.run.catalog.entities)
    docs = "docs/default/component/checkout-service/runbook.md"
    assert "edited" in again.pages.authored[docs].markdown
    assert "edited" not in before.pages.authored[docs].markdown
    _same(_fresh(demo, tmp_path, monkeypatch, SEARCH).pages, again.pages)


def test_a_docs_page_title_edit_rebuilds_the_pages_that_list_it(demo, tmp_path, monkeypatch):
    build_portal(demo, SEARCH)
    page = _docs_page(demo)
    page.write_text(page.read_text(encoding="utf-8").replace("# Runbook\n", "# On call\n", 1),
                    encoding="utf-8")
    again = build_portal(demo, SEARCH)
    assert again.kept == 0  # the entity's docs section lists its pages by title
    assert "On call" in again.pages.pages[
        entity_page(next(r for r in again.run.catalog.entities
                         if r.name == "checkout-service"))].expanded()
    _same(_fresh(demo, tmp_path, monkeypatch, SEARCH).pages, again.pages)
