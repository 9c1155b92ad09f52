"""Publishes the JSON Schemas in the site, at ``schemas/<name>.schema.json``.

Service repositories point their editors at the portal's copy::

    # yaml-language-server: $schema=https://portal.example.com/schemas/catalog-info.schema.json
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.schemas import SCHEMA_NAMES, schema_file, schema_text

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder

__all__ = ["SCHEMAS_DIR", "SchemaFeature"]

SCHEMAS_DIR = "schemas"
"""Where the schemas are in the site."""


class SchemaFeature:
    """Adds the schemas to the site's assets; nothing on entity pages."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        return None

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        for name in SCHEMA_NAMES:
            pages.add_asset(f"{SCHEMAS_DIR}/{schema_file(name)}", schema_text(name))
