"""Changes: the ``changes/`` page, Atom feeds, and recent changes on entity and team pages.

The change log (:mod:`generator.changes`) is given; this feature only shows it.
A team's section and feed cover the team itself, what it owns, and changes
naming what it owns as their target (something now depends on it).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.changes import Change, ChangeLog
from generator.pages.feeds import atom_feed
from generator.pages.model import GeneratedPage
from generator.pages.text import front_matter_title
from generator.pages.views import Item, Section
from generator.refs import InvalidRef, parse_ref
from generator.urls import (
    CHANGES_FEED,
    CHANGES_PAGE,
    entity_feed,
    entity_page,
    is_entity_page,
    relative_url,
)

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.gitlog import LastChange
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["ChangeFeature"]

RECENT = 10
"""Changes listed on an entity or team page (the feed and ``changes/`` have more)."""


@dataclass(slots=True)
class ChangeFeature:
    """Adds ``changes/``, the feeds, and a Recent changes section to every entity page."""

    log: ChangeLog
    """The change log, newest first."""
    updated: str
    """This build's time (a feed without entries is as new as the build)."""
    last: dict[EntityRef, LastChange] = field(default_factory=dict)
    """The commit that last changed each entity's descriptor, where git knows it."""
    _mine: dict[str, list[Change]] | None = field(default=None, init=False)

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        changes = self.of(builder.catalog, entity.ref)
        feed = relative_url(builder.page, entity_feed(entity.ref))
        own = "this team and what it owns" if entity.ref.kind == "group" else "this entity"
        if not changes:
            html = (f'<p class="pr-note">No changes to {own} in the kept history. '
                    f'<a href="{escape(feed)}" type="application/atom+xml">Atom feed</a></p>')
        else:
            items = "\n".join(_item(builder.page, c, show_entity=c.ref != str(entity.ref))
                              for c in changes[:RECENT])
            more = (f' <a href="{escape(relative_url(builder.page, CHANGES_PAGE))}">'
                    f"All changes</a> ·" if len(changes) > RECENT else "")
            html = (f'<ul class="pr-changes">\n{items}\n</ul>\n<p class="pr-note">{more} '
                    f'<a href="{escape(feed)}" type="application/atom+xml">Atom feed</a> of '
                    f"{own}</p>")
        view.sections.append(Section("Recent changes", Markup(html), "changes"))
        view.about.append(("Feed", [Item("Atom", feed)]))
        commit = self.last.get(entity.ref)
        if commit is not None:
            when = datetime.datetime.fromtimestamp(commit.time, tz=datetime.UTC)
            # A shallow clone's oldest commit: unchanged since, maybe changed before it.
            label = "Descriptor changed" if commit.exact else "Descriptor unchanged since"
            view.about.append((label, [
                Item(when.strftime("%Y-%m-%d"),
                     note=None if commit.exact else "at least: a shallow clone's oldest commit"),
                Item(f"{commit.commit[:10]} {commit.subject}", note=commit.author)]))

    def of(self, catalog: Catalog, ref: EntityRef) -> list[Change]:
        """Changes shown for ``ref``: its own; for a group also its owned entities' and
        those targeting what it owns, newest first."""
        if self._mine is None:
            self._mine = _index(catalog, self.log.changes)
        return self._mine.get(str(ref), [])

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        pages.add_page(CHANGES_PAGE, _changes_page(self.log.changes), listed=True)
        pages.nav.append({"Changes": CHANGES_PAGE})
        pages.add_asset(CHANGES_FEED, atom_feed(
            path=CHANGES_FEED, title="Catalog changes", page="./", updated=self.updated,
            changes=self.log.changes,
            link=lambda c: relative_url(CHANGES_FEED, entity_page(_ref(c)))))
        # Every entity page has a feed (its <head> links it), removed entities' pages too.
        shown = {parse_ref(f"{kind}:{namespace}/{name}") for namespace, kind, name in
                 (p.split("/")[1:4] for p in pages.pages if is_entity_page(p))}
        for ref in sorted(catalog.entities.keys() | shown):
            path, entity = entity_feed(ref), catalog.get(ref)
            pages.add_asset(path, atom_feed(
                path=path, title=f"Changes: {entity.title if entity else ref}", page="./",
                updated=self.updated, changes=self.of(catalog, ref),
                link=lambda c, path=path: relative_url(path, entity_page(_ref(c)))))


def _index(catalog: Catalog, changes: list[Change]) -> dict[str, list[Change]]:
    """Ref → the changes its page and feed show (each change once per page)."""
    shown: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        pages = {change.ref}
        if change.owner:
            pages.add(change.owner)
        if change.kind == "owner":  # news for the team that gave it away too
            pages.update(r for r in (change.before, change.after) if r)
        for target in change.targets():
            pages.add(target)
            with contextlib.suppress(InvalidRef):
                pages.update(str(r) for r in catalog.related(parse_ref(target), "ownedBy"))
        for page in sorted(pages):
            shown[page].append(change)
    return shown


def _ref(change: Change) -> EntityRef:
    return parse_ref(change.ref)


def _item(page: str, change: Change, *, show_entity: bool, dated: bool = True) -> str:
    link = escape(relative_url(page, entity_page(_ref(change))))
    who = f'<a href="{link}">{escape(change.title)}</a> ' if show_entity else ""
    when = (f'<time datetime="{escape(change.at)}">{escape(change.day)}</time> '
            if dated else "")
    return f"<li>{when}{who}{escape(change.describe())}</li>"


def _changes_page(changes: list[Change]) -> GeneratedPage:
    """Every kept change, a heading per day, newest first."""
    blocks: dict[str, str] = {}
    toc = []
    feed = relative_url(CHANGES_PAGE, CHANGES_FEED)
    intro = (f'<p>What changed in the catalog, as the builds saw it, newest first. '
             f'<a href="{escape(feed)}" type="application/atom+xml">Atom feed</a>.</p>')
    if not changes:
        intro += ('<p class="pr-note">No changes yet: changes show once a build is given '
                  "the previous build's <code>history.json</code>.</p>")
    blocks["<!--pr:0-->"] = intro
    for day, group in groupby(changes, key=lambda c: c.day):
        anchor = f"day-{day}"
        toc.append((anchor, day))
        items = "\n".join(_item(CHANGES_PAGE, c, show_entity=True, dated=False)
                           for c in group)
        blocks[f"<!--pr:{len(blocks)}-->"] = (
            f'<h2 id="{anchor}">{escape(day)}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h2>\n<ul class="pr-changes">\n{items}\n</ul>')
    markdown = (f"---\ntitle: {front_matter_title('Changes')}\n---\n\n"
                + "\n\n".join(blocks) + "\n")
    return GeneratedPage(markdown, blocks, toc=tuple(toc) or None)
