"""View models: finished, display-ready data for one page.

Builders here turn catalog facts into :class:`Item`, :class:`Table` and
:class:`EntityView` objects. Every string stays plain text; the renderer
escapes it, and only URLs that pass :func:`~generator.validation.is_safe_url`
(or are computed relative links) ever become ``href``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from typing import TYPE_CHECKING, Literal

from generator.urls import entity_link, entity_scope
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from markupsafe import Markup

    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.problems import Problem
    from generator.refs import EntityRef

__all__ = ["POSITIONS", "EntityView", "Item", "Section", "Table", "ViewBuilder",
           "search_entries"]

MAX_ROWS = 500
"""Rows shown in one relation table; the rest are counted."""


@dataclass(frozen=True, slots=True)
class Item:
    """A piece of text, optionally a link."""

    text: str
    href: str | None = None
    note: str | None = None
    """A short qualifier shown after the text, e.g. ``not in catalog``."""
    external: bool = False
    ref: bool = False
    """The note is the entity's ref, telling apart entities of one title."""

    def __str__(self) -> str:
        return self.text


Cell = list[Item]

Position = Literal["top", "about", "relations", "diagram", "docs", "api", "scorecard",
                   "changes", "adoption", "end"]

POSITIONS: tuple[Position, ...] = ("top", "about", "relations", "diagram", "docs", "api",
                                   "scorecard", "changes", "adoption", "end")
"""Where sections go on an entity page, in page order, as a responder needs them:

``top`` (before About: the incident panel, a team's contacts, a conflict), ``about`` (right
after About: dependency cycle, Needs, Blast radius), ``relations`` (after the relation
tables), ``diagram``, ``docs``, ``api`` (the definition), ``scorecard``, ``changes`` (what
changed recently), ``adoption`` (golden paths followed or left), ``end``; problems come last.
"""


@dataclass(frozen=True, slots=True)
class Section:
    """A finished block of HTML on an entity page."""

    title: str
    """Heading text (plain text; empty for no heading)."""
    html: Markup
    """Escaped, finished HTML."""
    position: Position = "end"
    """Where on the page (see :data:`POSITIONS`)."""
    searchable: bool = False
    """Whether Material's search indexes it."""


@dataclass(slots=True)
class Table:
    """A titled table of rows; ``more`` counts rows left out."""

    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    more: int = 0
    empty: str = ""
    """Text shown when there are no rows (the table is skipped when empty is blank)."""


@dataclass(slots=True)
class EntityView:
    """Everything an entity page shows."""

    title: str
    ref: str
    kind: str
    type: str | None
    lifecycle: str | None
    description: str
    about: list[tuple[str, Cell]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    """Kind-specific data (e.g. an API definition)."""
    sections: list[Section] = field(default_factory=list)
    """Finished blocks added by features (graph, scorecards, docs …)."""
    keywords: list[str] = field(default_factory=list)
    """What search should find the page by beyond its header and About (on-call ids)."""


def _text(value: object) -> Cell:
    return [Item(str(value))] if value not in (None, "") else []


class ViewBuilder:
    """Builds views for pages, with links relative to the page being built."""

    def __init__(self, catalog: Catalog, page: str) -> None:
        self.catalog = catalog
        self.page = page
        self._entity = entity_scope(page)

    @property
    def scope(self) -> object:
        """Pages of one scope link to every other entity page alike (entity pages of one
        namespace and kind do), so HTML made of such links can be shared between them."""
        return self._entity or self.page

    # -- items ------------------------------------------------------------

    def link(self, ref: EntityRef) -> Item:
        """The entity's title linked to its page, or its ref marked missing."""
        entity = self.catalog.get(ref)
        if entity is None:
            return Item(ref.short(), None, "not in catalog")
        title = entity.title
        if self.catalog.shared_title(title):
            return Item(title, self.href(ref), ref.short(), ref=True)
        return Item(title, self.href(ref))

    def href(self, ref: EntityRef) -> str:
        """The URL of ``ref``'s page, relative to this page."""
        return entity_link(self.page, ref, self._entity)

    def url(self, url: str, title: str | None = None) -> Item:
        """An external link, shown as text when its scheme is not allowed."""
        if is_safe_url(url):
            return Item(title or url, url.strip(), external=True)
        return Item(title or url, None, "link hidden: not http, https or mailto")

    def refs(self, refs: list[EntityRef]) -> Cell:
        return [self.link(r) for r in refs]

    # -- facts ------------------------------------------------------------

    def owner(self, ref: EntityRef) -> list[EntityRef]:
        return self.catalog.related(ref, "ownedBy")

    def related(self, ref: EntityRef, type: str) -> list[EntityRef]:
        return self.catalog.related(ref, type)

    def entity_row(self, ref: EntityRef) -> list[Cell]:
        """Name, kind, type, lifecycle, owner."""
        entity = self.catalog.get(ref)
        kind = entity.kind if entity else ref.kind
        return [[self.link(ref)], _text(kind), _text(entity.type if entity else None),
                _text(entity.lifecycle if entity else None), self.refs(self.owner(ref))]

    def entity_table(self, title: str, refs: list[EntityRef],
                     empty: str = "") -> Table:
        table = Table(title, ["Name", "Kind", "Type", "Lifecycle", "Owner"],
                      empty=empty)
        for ref in refs[:MAX_ROWS]:
            table.rows.append(self.entity_row(ref))
        table.more = max(0, len(refs) - MAX_ROWS)
        return table

    def api_table(self, title: str, apis: list[EntityRef], other: str, other_title: str
                  ) -> Table:
        """APIs with their providers (or consumers)."""
        table = Table(title, ["API", "Type", "Lifecycle", other_title])
        for ref in apis[:MAX_ROWS]:
            api = self.catalog.get(ref)
            table.rows.append([[self.link(ref)], _text(api.type if api else None),
                               _text(api.lifecycle if api else None),
                               self.refs(self.related(ref, other))])
        table.more = max(0, len(apis) - MAX_ROWS)
        return table

    # -- about ------------------------------------------------------------

    def about(self, entity: Entity) -> list[tuple[str, Cell]]:
        ref = entity.ref
        rows: list[tuple[str, Cell]] = []
        owners = self.owner(ref)
        if ref.kind not in ("group", "user", "location"):
            rows.append(("Owner", self.refs(owners) or [Item("none", note="set spec.owner")]))
            for owner in owners:
                contact = self.contact(owner)
                if contact:
                    rows.append(("Contact", contact))
        parents = self.related(ref, "partOf")
        systems = [p for p in parents if p.kind == "system"]
        domains = [p for p in parents if p.kind == "domain"]
        for system in systems:
            domains.extend(d for d in self.related(system, "partOf") if d.kind == "domain")
        other = [p for p in parents if p.kind not in ("system", "domain")]
        if systems:
            rows.append(("System", self.refs(systems)))
        if domains:
            rows.append(("Domain", self.refs(sorted(set(domains)))))
        if other:
            rows.append(("Part of", self.refs(other)))
        if entity.type:
            rows.append(("Type", _text(entity.type)))
        if entity.lifecycle:
            rows.append(("Lifecycle", _text(entity.lifecycle)))
        if entity.tags:
            rows.append(("Tags", [Item(t) for t in entity.tags]))
        source = self.source(entity)
        if source:
            rows.append(("Source", [source]))
        links = [self.url(link["url"], link.get("title")) for link in entity.links]
        if links:
            rows.append(("Links", links))
        prov = entity.provenance
        rows.append(("Defined in", [Item(f"{prov.repo}: {prov.path}:{prov.line}")]))
        if prov.commit:
            rows.append(("Repository", [Item(f"from {prov.url or prov.repo}@{prov.commit[:7]}",
                                             note="stale copy: last fetch failed"
                                             if prov.stale else None)]))
        return rows

    def contact(self, ref: EntityRef) -> Cell:
        """E-mail of a group or user, as a mailto link."""
        entity = self.catalog.get(ref)
        profile = entity.spec.get("profile") if entity else None
        email = profile.get("email") if isinstance(profile, dict) else None
        if isinstance(email, str) and "@" in email and not any(c.isspace() for c in email):
            return [self.url(f"mailto:{email}", email)]
        return []

    def source(self, entity: Entity) -> Item | None:
        """Where the code lives, from Backstage's source annotations."""
        notes = entity.annotations
        location = notes.get("backstage.io/source-location", "")
        if location.startswith("url:"):
            return self.url(location[4:], location[4:])
        slug = notes.get("github.com/project-slug")
        if slug and slug.count("/") == 1 and " " not in slug:
            return self.url(f"https://github.com/{slug}", slug)
        return None


_TAGS = re.compile(r"<[^>]+>")


def search_entries(view: EntityView) -> tuple[tuple[str, str, str], ...]:
    """What search should know of an entity page: its header, About and searchable sections.

    Titles and texts are escaped HTML, as Material's search index holds them.
    """
    head = " ".join(part for part in (view.kind, view.type or "", view.lifecycle or "",
                                      view.ref, view.description, *view.keywords) if part)
    about = " ".join(f"{label}: {', '.join(str(i) for i in cell)}." for label, cell in
                     view.about)
    entries = [("", escape(view.title), escape(head)), ("#about", "About", escape(about))]
    for section in view.sections:
        if section.searchable:
            text = " ".join(unescape(_TAGS.sub(" ", str(section.html))).split())
            anchor = re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-")
            entries.append((f"#{anchor}" if anchor else "", escape(section.title or view.title),
                            escape(text)))
    return tuple(entries)
