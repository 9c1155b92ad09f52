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
from generator.pages.text import front_matter_title, markdown_text
from generator.pages.views import Item, ViewBuilder
from generator.policies import PAGERDUTY_ANNOTATION, is_service_id, previous_refs
from generator.urls import entity_page, entity_redirect, lookup_list, lookup_page

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView
    from generator.refs import EntityRef

__all__ = ["LookupFeature"]

_ALIAS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def _aliases(entity: Entity) -> list[str]:
    """Other names the entity answers to (annotation ``pavedroad.dev/aliases``), URL-safe."""
    raw = entity.annotations.get(ALIASES, "")
    return [a for a in re.split(r"[\s,]+", raw.strip()) if _ALIAS.match(a)]


@dataclass(slots=True)
class LookupFeature:
    """Adds lookup pages and rename redirects."""

    renamed: dict[EntityRef, EntityRef] = field(default_factory=dict)
    """Old ref → current ref (:func:`generator.policies.renames`), each redirected."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        previous = [text for text, ref in previous_refs(entity) if ref is not None]
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
            if is_service_id(service):
                by_service[service].append(ref)
        for service, refs in sorted(by_service.items()):
            self._lookup(catalog, pages, "pagerduty", service, refs,
                         f"PagerDuty service {service}")
        for name, refs in sorted(by_name.items()):
            self._lookup(catalog, pages, "name", name, refs, f"name “{name}”")
        for old, new in sorted(self.renamed.items()):
            path = entity_redirect(old)
            if pages.occupied(path):
                continue  # a redirect never replaces a page
            pages.add_asset(path, redirect_html(path, entity_page(new),
                                                catalog.entities[new].title))

    @staticmethod
    def _lookup(catalog: Catalog, pages: PageSet, kind: str, key: str, refs: list[EntityRef],
                what: str) -> None:
        if len(refs) == 1:
            path = lookup_page(kind, key)
            pages.add_asset(path, redirect_html(path, entity_page(refs[0]),
                                                catalog.entities[refs[0]].title))
            return
        page = lookup_list(kind, key)
        b = ViewBuilder(catalog, page)
        rows = "\n".join(f"<li>{item_html(b.link(r))} <code>{Markup.escape(str(r))}</code></li>"
                         for r in sorted(refs))
        html = f'<div class="pr-rel"><ul>\n{rows}\n</ul></div>'
        markdown = (f"---\ntitle: {front_matter_title('Which one? ' + what)}\n---\n\n"
                    f"Several entities match {markdown_text(what)}:\n\n<!--pr:0-->\n")
        pages.add_page(page, GeneratedPage(markdown, {"<!--pr:0-->": html}))
