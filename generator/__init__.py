"""Paved Road: a static developer portal generated from Backstage descriptors.

The pipeline, one module per stage::

    sources → crawl → entities (+ problems) → catalog (relations) → graph
            → scorecards → docs → pages → MkDocs

Each stage takes and returns plain data and can be used without MkDocs.
"""

from typing import TYPE_CHECKING

from generator.lazy import lazy_exports

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

_EXPORTS = {
    "Catalog": "generator.catalog",
    "build_catalog": "generator.catalog",
    "CrawlResult": "generator.crawl",
    "Document": "generator.crawl",
    "crawl": "generator.crawl",
    "Docs": "generator.docs",
    "collect_docs": "generator.docs",
    "sanitize_html": "generator.docs",
    "Entity": "generator.entities",
    "Provenance": "generator.entities",
    "parse_entities": "generator.entities",
    "parse_entity": "generator.entities",
    "export_json": "generator.export",
    "Impact": "generator.graph",
    "blast_radius": "generator.graph",
    "build_graph": "generator.graph",
    "dependency_cycles": "generator.graph",
    "dependency_graph": "generator.graph",
    "upstream": "generator.graph",
    "PageSet": "generator.pages",
    "build_pages": "generator.pages",
    "CatalogRun": "generator.pipeline",
    "load_catalog": "generator.pipeline",
    "load_paths": "generator.pipeline",
    "Portal": "generator.portal",
    "PortalOptions": "generator.portal",
    "build_portal": "generator.portal",
    "check_problems": "generator.check",
    "Problem": "generator.problems",
    "Severity": "generator.problems",
    "format_problems": "generator.problems",
    "EntityRef": "generator.refs",
    "InvalidRef": "generator.refs",
    "parse_ref": "generator.refs",
    "INVERSE": "generator.relations",
    "Relation": "generator.relations",
    "Ruleset": "generator.scorecards",
    "Score": "generator.scorecards",
    "Scores": "generator.scorecards",
    "default_ruleset": "generator.scorecards",
    "load_rules": "generator.scorecards",
    "score_catalog": "generator.scorecards",
    "Repository": "generator.sources",
    "Source": "generator.sources",
    "Sources": "generator.sources",
    "expand_sources": "generator.sources",
    "load_sources": "generator.sources",
}
"""Each public name → the module defining it, imported on first use."""

__getattr__ = lazy_exports(__name__, _EXPORTS)


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
