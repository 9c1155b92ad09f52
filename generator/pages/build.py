"""Build the page set: an entity page for every entity, plus the indexes."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING

from generator.pages.entity import entity_view
from generator.pages.indexes import (
    catalog_json,
    health_view,
    systems_view,
    teams_view,
)
from generator.pages.model import PageSet
from generator.pages.renderer import Renderer
from generator.pages.views import ViewBuilder, search_entries
from generator.problems import Problem, sort_problems
from generator.urls import (
    CATALOG_INDEX,
    CATALOG_PAGE,
    HEALTH_PAGE,
    SYSTEMS_PAGE,
    TEAMS_PAGE,
    entity_page,
    relative_url,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.catalog import Catalog
    from generator.pages.features import Feature

__all__ = ["ASSETS", "build_pages"]

ASSETS = ("assets/pavedroad/pavedroad.css", "assets/pavedroad/pavedroad.js")


def build_pages(catalog: Catalog, features: Sequence[Feature] = ()) -> PageSet:
    """Every generated page and asset for ``catalog``, with each feature's additions."""
    renderer = Renderer()
    pages = PageSet()
    problems_by_ref: dict[str, list[Problem]] = defaultdict(list)
    for problem in sort_problems(catalog.problems):
        if problem.entity:
            problems_by_ref[problem.entity].append(problem)

    for ref, entity in catalog.entities.items():
        path = entity_page(ref)
        builder = ViewBuilder(catalog, path)
        view = entity_view(builder, entity, problems_by_ref.get(str(ref), []))
        for feature in features:
            feature.entity(builder, entity, view)
        page = renderer.render("entity.md.j2", view=view)
        pages.add_page(path, dataclasses.replace(page, search=search_entries(view)))

    kinds = sorted(catalog.kind_counts().items())
    pages.add_page(CATALOG_PAGE, renderer.render(
        "catalog.md.j2", total=len(catalog), kinds=kinds,
        data_url=relative_url(CATALOG_PAGE, CATALOG_INDEX),
        teams_url=relative_url(CATALOG_PAGE, TEAMS_PAGE),
        systems_url=relative_url(CATALOG_PAGE, SYSTEMS_PAGE)), listed=True)
    pages.add_asset(CATALOG_INDEX, catalog_json(catalog))
    pages.add_page(TEAMS_PAGE, renderer.render("teams.md.j2",
                                               rows=teams_view(catalog, TEAMS_PAGE)), listed=True)
    pages.add_page(SYSTEMS_PAGE, renderer.render(
        "systems.md.j2", domains=systems_view(catalog, SYSTEMS_PAGE)), listed=True)
    pages.add_page(HEALTH_PAGE, renderer.render("health.md.j2",
                                                view=health_view(catalog, HEALTH_PAGE)),
                   listed=True)
    pages.nav = [{"Catalog": CATALOG_PAGE}, {"Teams": TEAMS_PAGE},
                 {"Systems": SYSTEMS_PAGE}, {"Health": HEALTH_PAGE}]

    for feature in features:
        feature.site(catalog, pages, renderer)
    for asset in ASSETS:
        name = asset.rsplit("/", 1)[1]
        pages.add_asset(asset, resources.files("generator").joinpath("assets", name).read_bytes())
    pages.extra_css = [ASSETS[0], *pages.extra_css]
    pages.extra_javascript = [ASSETS[1], *pages.extra_javascript]
    pages.stats = {**dict(kinds), "entities": len(catalog),
                   "problems": len(catalog.problems)}
    return pages
