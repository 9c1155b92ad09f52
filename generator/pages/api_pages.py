"""API pages: who provides and consumes the API, its reference, and the raw definition.

:class:`ApiFeature` adds three sections to every API's page: at the top, the
providers and consumers with their owning teams; then the reference built by
:func:`~generator.apidefs.reference.build_reference` (searchable, no script);
then the definition itself, collapsed and highlighted, with a download link
to the raw file, published beside the page with a data extension
(:func:`~generator.urls.api_definition_asset`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from generator.apidefs import build_reference, definition_language
from generator.apidefs.reference_model import anchor_id
from generator.pages.renderer import Renderer
from generator.pages.views import MAX_ROWS, Section
from generator.urls import api_definition_asset, entity_page, relative_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["MAX_HIGHLIGHT", "MAX_SHOWN", "ApiFeature", "definition_of", "highlighted",
           "language_of"]

MAX_HIGHLIGHT = 300_000
"""Longest definition highlighted (characters); a longer one is shown as plain text."""
MAX_SHOWN = 1_000_000
"""Most characters of a definition shown on its page; the download has the rest."""

_FORMATTER = HtmlFormatter(wrapcode=True)


def definition_of(entity: Entity) -> str | None:
    """An API entity's ``spec.definition`` when it is non-empty text."""
    definition = entity.spec.get("definition")
    return definition if isinstance(definition, str) and definition.strip() else None


def language_of(entity: Entity, definition: str) -> str:
    """The highlighting language (and file extension) of an API's definition."""
    return definition_language(entity.type, definition[:1_000_000])


def highlighted(text: str, language: str) -> Markup:
    """``text`` as Pygments HTML (Material's ``highlight`` block), plain beyond the cap."""
    if len(text) > MAX_HIGHLIGHT:
        return Markup(f'<pre class="pr-apiref-plain"><code>{escape(text)}</code></pre>')
    try:
        lexer = get_lexer_by_name(language, stripnl=False, ensurenl=True)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return Markup(highlight(text, lexer, _FORMATTER))


class ApiFeature:
    """API entity pages: users at the top, the reference and the raw definition."""

    def __init__(self) -> None:
        self.renderer = Renderer()

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        if entity.ref.kind != "api":
            return
        view.sections.insert(0, Section("", self._users(builder, entity.ref), "top"))
        definition = definition_of(entity)
        if definition is None:
            return
        reference = build_reference(entity.type or "", definition)
        position = 0
        if not reference.empty or reference.problems:
            groups, seen = [], set()
            for group in reference.groups:
                anchor = anchor_id("api", group.title)
                while anchor in seen:
                    anchor += "_2"
                seen.add(anchor)
                groups.append((group, anchor))
            html = self.renderer.html("apidefs/reference.html.j2", ref=reference, groups=groups)
            view.sections.insert(self._end(view), Section("Reference", html, "end",
                                                          searchable=True))
            position = 1
        language = language_of(entity, definition)
        shown = definition[:MAX_SHOWN]
        page = entity_page(entity.ref)
        raw = self.renderer.html(
            "apidefs/definition.html.j2", language=language,
            lines=definition.count("\n") + (not definition.endswith("\n")),
            download=relative_url(page, api_definition_asset(entity.ref, language)),
            cut=len(shown) < len(definition), shown=f"{len(shown):,}",
            code=highlighted(shown, language), open=reference.empty)
        view.sections.insert(self._end(view) + position, Section("Definition", raw, "end"))

    @staticmethod
    def _end(view: EntityView) -> int:
        """Index of the first ``end`` section (the API's sections come before other features')."""
        for i, section in enumerate(view.sections):
            if section.position == "end":
                return i
        return len(view.sections)

    def _users(self, builder: ViewBuilder, ref: EntityRef) -> Markup:
        lists, more = [], {}
        for title, relation in (("Provided by", "apiProvidedBy"), ("Consumed by",
                                                                   "apiConsumedBy")):
            refs = builder.related(ref, relation)
            rows = [(builder.link(r), [builder.link(o) for o in builder.owner(r)])
                    for r in refs[:MAX_ROWS]]
            lists.append((title, rows))
            more[title] = max(0, len(refs) - MAX_ROWS)
        return self.renderer.html("apidefs/consumers.html.j2", lists=lists, more=more)

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        for ref, entity in catalog.entities.items():
            if ref.kind != "api":
                continue
            definition = definition_of(entity)
            if definition is not None:
                pages.add_asset(api_definition_asset(ref, language_of(entity, definition)),
                                definition)
