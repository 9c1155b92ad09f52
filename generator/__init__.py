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
from generator.pipeline import CatalogRun, load_catalog, load_paths
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
    "InvalidRef",
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
    "build_catalog",
    "collect_docs",
    "crawl",
    "default_ruleset",
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
]
