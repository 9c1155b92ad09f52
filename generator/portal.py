"""The spine: every stage in order, from the sources file to the page set.

    sources → crawl → entities → catalog → graph → scorecards → docs → pages

Like MkDocs' ``build()``, this only runs the stages; each lives in its own
module and takes and returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.pages import PageSet, build_pages
from generator.pipeline import CatalogRun, load_catalog

if TYPE_CHECKING:
    from pathlib import Path

    from generator.pages import Feature

__all__ = ["Portal", "build_portal"]


@dataclass(slots=True)
class Portal:
    """A built portal: the catalog run and its pages."""

    run: CatalogRun
    pages: PageSet
    features: list[Feature] = field(default_factory=list)


def build_portal(sources_file: Path) -> Portal:
    """Run every stage for ``sources_file``."""
    run = load_catalog(sources_file)
    features: list[Feature] = []
    pages = build_pages(run.catalog, features)
    return Portal(run, pages, features)
