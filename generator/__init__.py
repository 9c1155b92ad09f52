"""Paved Road: a static developer portal generated from Backstage descriptors.

The pipeline, one module per stage::

    sources → crawl → entities (+ problems) → catalog (relations) → graph
            → scorecards → docs → pages → MkDocs

Each stage takes and returns plain data and can be used without MkDocs.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalog import Catalog, build_catalog
    from generator.check import check_problems
    from generator.crawl import CrawlResult, Document, crawl
    from generator.docs import Docs, collect_docs, sanitize_html
    from generator.entities import Entity, Provenance, parse_entities, parse_entity
    from generator.export import export_json
    from generator.graph import (
        Impact,
        blast_radius,
        build_graph,
        dependency_cycles,
        dependency_graph,
        upstream,
    )
    from generator.pages import PageSet, build_pages
    from generator.pipeline import CatalogRun, load_catalog, load_paths
    from generator.portal import Portal, PortalOptions, build_portal
    from generator.problems import Problem, Severity, format_problems
    from generator.refs import EntityRef, InvalidRef, parse_ref
    from generator.relations import INVERSE, Relation
    from generator.scorecards import (
        Ruleset,
        Score,
        Scores,
        default_ruleset,
        load_rules,
        score_catalog,
    )
    from generator.sources import Repository, Source, Sources, expand_sources, load_sources

__all__ = [
    "INVERSE",
    "Catalog",
    "CatalogRun",
    "CrawlResult",
    "Docs",
    "Document",
    "Entity",
    "EntityRef",
    "Impact",
    "InvalidRef",
    "PageSet",
    "Portal",
    "PortalOptions",
    "Problem",
    "Provenance",
    "Relation",
    "Repository",
    "Ruleset",
    "Score",
    "Scores",
    "Severity",
    "Source",
    "Sources",
    "blast_radius",
    "build_catalog",
    "build_graph",
    "build_pages",
    "build_portal",
    "check_problems",
    "collect_docs",
    "crawl",
    "default_ruleset",
    "dependency_cycles",
    "dependency_graph",
    "expand_sources",
    "export_json",
    "format_problems",
    "load_catalog",
    "load_paths",
    "load_rules",
    "load_sources",
    "parse_entities",
    "parse_entity",
    "parse_ref",
    "sanitize_html",
    "score_catalog",
    "upstream",
]

_HOMES = {
    "Catalog": "generator.catalog",
    "CatalogRun": "generator.pipeline",
    "CrawlResult": "generator.crawl",
    "Docs": "generator.docs",
    "Document": "generator.crawl",
    "Entity": "generator.entities",
    "EntityRef": "generator.refs",
    "INVERSE": "generator.relations",
    "Impact": "generator.graph",
    "InvalidRef": "generator.refs",
    "PageSet": "generator.pages",
    "Portal": "generator.portal",
    "PortalOptions": "generator.portal",
    "Problem": "generator.problems",
    "Provenance": "generator.entities",
    "Relation": "generator.relations",
    "Repository": "generator.sources",
    "Ruleset": "generator.scorecards",
    "Score": "generator.scorecards",
    "Scores": "generator.scorecards",
    "Severity": "generator.problems",
    "Source": "generator.sources",
    "Sources": "generator.sources",
    "blast_radius": "generator.graph",
    "build_catalog": "generator.catalog",
    "build_graph": "generator.graph",
    "build_pages": "generator.pages",
    "build_portal": "generator.portal",
    "check_problems": "generator.check",
    "collect_docs": "generator.docs",
    "default_ruleset": "generator.scorecards",
    "dependency_cycles": "generator.graph",
    "dependency_graph": "generator.graph",
    "expand_sources": "generator.sources",
    "export_json": "generator.export",
    "format_problems": "generator.problems",
    "load_catalog": "generator.pipeline",
    "load_paths": "generator.pipeline",
    "load_rules": "generator.scorecards",
    "load_sources": "generator.sources",
    "parse_entities": "generator.entities",
    "parse_entity": "generator.entities",
    "parse_ref": "generator.refs",
    "sanitize_html": "generator.docs",
    "score_catalog": "generator.scorecards",
    "upstream": "generator.graph",
}
"""Where each public name lives; imported on first use (PEP 562), so importing one
stage (``pavedroad mcp``, the pre-commit hook) does not import them all."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """``generator.crawl`` is the stage's function, imported on first use like the other
    exports, although a submodule has that name too: importing the submodule sets the
    package's attribute to the module, which this ignores."""

    @property
    def crawl(self) -> object:
        from generator.crawl import crawl

        return crawl

    @crawl.setter
    def crawl(self, module: object) -> None:
        """The import system binding the submodule: the name stays the function's."""


sys.modules[__name__].__class__ = _Package
