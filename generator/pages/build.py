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
    kind_rank,
    systems_view,
    teams_view,
)
from generator.pages.model import GeneratedPage, PageSet
from generator.pages.renderer import Renderer
from generator.pages.views import ViewBuilder, search_entries
from generator.parallel import split_map
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
    from collections.abc import Mapping, Sequence

    from generator.catalog import Catalog
    from generator.pages.features import Feature
    from generator.refs import EntityRef

__all__ = ["ASSETS", "build_pages"]

ASSETS = ("assets/pavedroad/pavedroad.css", "assets/pavedroad/pavedroad.js")


def build_pages(catalog: Catalog, features: Sequence[Feature] = (),
                workers: int | None = None,
                kept: Mapping[str, GeneratedPage] | None = None) -> PageSet:
    """Every generated page and asset for ``catalog``, with each feature's additions.

    Entity pages are built on ``workers`` cores (default: all, see :mod:`.split`), but for
    those in ``kept`` (entity page → the page an earlier build made of the same inputs, see
    :mod:`generator.incremental`), which are taken as they are.
    """
    renderer = Renderer()
    pages = PageSet()
    problems_by_ref: dict[str, list[Problem]] = defaultdict(list)
    for problem in sort_problems(catalog.problems):
        if problem.entity:
            problems_by_ref[problem.entity].append(problem)

    def entity_page_of(ref: EntityRef) -> GeneratedPage:
        entity = catalog.entities[ref]
        builder = ViewBuilder(catalog, entity_page(ref))
        view = entity_view(builder, entity, problems_by_ref.get(str(ref), []))
        for feature in features:
            feature.entity(builder, entity, view)
        page = dataclasses.replace(renderer.render("entity.md.j2", view=view),
                                   search=search_entries(view))
        page.digest()  # here, on the worker's core, not in the plugin's one process
        return page

    kept = kept or {}
    paths = {ref: entity_page(ref) for ref in catalog.entities}
    todo = [ref for ref, path in paths.items() if path not in kept]
    built = dict(zip(todo, split_map(entity_page_of, todo, workers), strict=True))
    for ref, path in paths.items():
        pages.add_page(path, kept[path] if ref not in built else built[ref])

    kinds = sorted(catalog.kind_counts().items())
    pages.add_page(CATALOG_PAGE, renderer.render(
        "catalog.md.j2", total=len(catalog), kinds=sorted(kinds, key=lambda k: kind_rank(k[0])),
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
    for page in pages.pages.values():  # the per-site pages' too: once, before any fork
        page.digest()
    return pages
