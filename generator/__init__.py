"""Paved Road: a static developer portal generated from Backstage descriptors.

The pipeline, one module per stage::

    sources → crawl → entities (+ problems) → catalog (relations) → graph
            → scorecards → docs → pages → MkDocs

Each stage takes and returns plain data and can be used without MkDocs.
"""

from generator.catalog import Catalog, build_catalog
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
from generator.portal import Portal, PortalOptions, build_portal, check_problems
from generator.problems import Problem, Severity, format_problems
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.relations import INVERSE, Relation
from generator.scorecards import Ruleset, Score, Scores, default_ruleset, load_rules, score_catalog
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
