"""The spine: every stage in order, from the sources file to the page set.

    sources → crawl → entities → catalog → graph → scorecards → docs → pages

Like MkDocs' ``build()``, this only runs the stages; each lives in its own
module and takes and returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.pages import PageSet, build_pages
from generator.pages.exports import ExportFeature, load_history
from generator.pages.lookups import LookupFeature, lookup_problems
from generator.pipeline import CatalogRun, load_catalog

if TYPE_CHECKING:
    from generator.pages import Feature

__all__ = ["Portal", "PortalOptions", "build_portal"]


@dataclass(frozen=True, slots=True)
class PortalOptions:
    """Settings beyond the sources file."""

    history: Path | None = None
    """A previous build's ``history.json`` (removed entities keep a page)."""


@dataclass(slots=True)
class Portal:
    """A built portal: the catalog run and its pages."""

    run: CatalogRun
    pages: PageSet
    features: list[Feature] = field(default_factory=list)


def build_portal(sources_file: Path, options: PortalOptions | None = None) -> Portal:
    """Run every stage for ``sources_file``."""
    options = options or PortalOptions()
    run = load_catalog(sources_file)
    catalog = run.catalog
    catalog.problems.extend(lookup_problems(catalog))
    history, problems = load_history(options.history)
    catalog.problems.extend(problems)

    lookups = LookupFeature()
    features: list[Feature] = [lookups, ExportFeature(history, lookups.renamed)]
    pages = build_pages(catalog, features)
    return Portal(run, pages, features)
