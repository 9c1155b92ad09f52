"""Lookups and renames: stable URLs that incident tools and old links can use.

* ``lookup/pagerduty/<service-id>/`` goes to the entity with that PagerDuty
  service (annotation ``pagerduty.com/service-id``);
* ``lookup/name/<name>/`` goes to the entity of that name (or alias, annotation
  ``pavedroad.dev/aliases``) when it is unique, else to a page listing the candidates;
* an entity's previous names (annotation ``pavedroad.dev/previous-names``)
  redirect from their old pages to the new one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.formats.common import ALIASES
from generator.pages.html import item_html
from generator.pages.model import GeneratedPage
from generator.pages.redirects import redirect_html
from generator.pages.renderer import front_matter_title, markdown_text
from generator.pages.views import Item, ViewBuilder
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.urls import entity_page

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView

__all__ = ["PAGERDUTY_ANNOTATION", "PREVIOUS_NAMES", "LookupFeature", "lookup_problems"]

PAGERDUTY_ANNOTATION = "pagerduty.com/service-id"
PREVIOUS_NAMES = "pavedroad.dev/previous-names"
_ALIAS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
_SERVICE_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")


def _previous_refs(entity: Entity) -> list[tuple[str, EntityRef | None]]:
    raw = entity.annotations.get(PREVIOUS_NAMES, "")
    out = []
    for text in re.split(r"[\s,]+", raw.strip()):
        if not text:
            continue
        try:
            out.append((text, parse_ref(text, default_kind=entity.ref.kind,
                                        default_namespace=entity.ref.namespace)))
        except InvalidRef:
            out.append((text, None))
    return out


def _aliases(entity: Entity) -> list[str]:
    """Other names the entity answers to (annotation ``pavedroad.dev/aliases``), URL-safe."""
    raw = entity.annotations.get(ALIASES, "")
    return [a for a in re.split(r"[\s,]+", raw.strip()) if _ALIAS.match(a)]


def lookup_problems(catalog: Catalog) -> list[Problem]:
    """Malformed PagerDuty IDs and previous names that cannot redirect."""
    problems = []
    for ref, entity in catalog.entities.items():
        prov = entity.provenance
        service = entity.annotations.get(PAGERDUTY_ANNOTATION)
        if service is not None and not _SERVICE_ID.match(service.strip()):
            problems.append(Problem(
                Severity.WARNING, "invalid-pagerduty-id",
                f"annotation {PAGERDUTY_ANNOTATION} '{service[:40]}' is not a PagerDuty service "
                "ID (letters and digits, e.g. P1A2B3C)", file=prov.file, line=prov.line,
                entity=str(ref), repo=prov.repo))
        for text, old in _previous_refs(entity):
            why = None
            if old is None:
                why = "is not an entity name or ref"
            elif old in catalog.entities:
                why = f"is still a current entity ({old}), so its page cannot redirect"
            if why:
                problems.append(Problem(
                    Severity.WARNING, "invalid-previous-name",
                    f"annotation {PREVIOUS_NAMES}: '{text}' {why}", file=prov.file,
                    line=prov.line, entity=str(ref), repo=prov.repo))
    return problems


@dataclass(slots=True)
class LookupFeature:
    """Adds lookup pages and rename redirects."""

    renamed: dict[EntityRef, EntityRef] = field(default_factory=dict)
    """Old ref → current ref, filled by :meth:`site` (used by the history feature)."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        previous = [text for text, ref in _previous_refs(entity) if ref is not None]
        if previous:
            view.about.append(("Previously", [Item(t) for t in previous]))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        by_service: dict[str, list[EntityRef]] = defaultdict(list)
        by_name: dict[str, list[EntityRef]] = defaultdict(list)
        for ref, entity in catalog.entities.items():
            by_name[ref.name].append(ref)
            for alias in _aliases(entity):
                if ref not in by_name[alias]:
                    by_name[alias].append(ref)
            service = entity.annotations.get(PAGERDUTY_ANNOTATION, "").strip()
            if _SERVICE_ID.match(service):
                by_service[service].append(ref)
            for _text, old in _previous_refs(entity):
                if old is not None and old not in catalog.entities:
                    self.renamed.setdefault(old, ref)
        for service, refs in sorted(by_service.items()):
            self._lookup(catalog, pages, f"lookup/pagerduty/{service}", refs,
                         f"PagerDuty service {service}")
        for name, refs in sorted(by_name.items()):
            self._lookup(catalog, pages, f"lookup/name/{name}", refs, f"name “{name}”")
        for old, new in sorted(self.renamed.items()):
            path = f"{old.path}/index.html"
            pages.add_asset(path, redirect_html(path, entity_page(new),
                                                catalog.entities[new].title))

    @staticmethod
    def _lookup(catalog: Catalog, pages: PageSet, base: str, refs: list[EntityRef],
                what: str) -> None:
        if len(refs) == 1:
            path = f"{base}/index.html"
            pages.add_asset(path, redirect_html(path, entity_page(refs[0]),
                                                catalog.entities[refs[0]].title))
            return
        page = f"{base}/index.md"
        b = ViewBuilder(catalog, page)
        rows = "\n".join(f"<li>{item_html(b.link(r))} <code>{Markup.escape(str(r))}</code></li>"
                         for r in sorted(refs))
        html = f'<div class="pr-rel"><ul>\n{rows}\n</ul></div>'
        markdown = (f"---\ntitle: {front_matter_title('Which one? ' + what)}\n---\n\n"
                    f"Several entities match {markdown_text(what)}:\n\n<!--pr:0-->\n")
        pages.add_page(page, GeneratedPage(markdown, {"<!--pr:0-->": html}))
