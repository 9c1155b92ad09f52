"""Features: the seam through which later stages add to the portal.

The graph, scorecards, docs and incident panels each contribute through a
:class:`Feature`: sections on entity pages (a :class:`~generator.pages.views.Section`
each, re-exported here), and pages of their own. The page builder knows nothing
about them beyond this protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from generator.pages.views import Section

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder

__all__ = ["Feature", "Section"]


class Feature(Protocol):
    """A part of the portal that adds to entity pages and adds pages of its own."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        """Add rows, tables or sections to one entity's view."""

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        """Add pages, assets and nav entries of the feature's own."""
