"""Paved Road: a static developer portal generated from Backstage descriptors.

The pipeline, one module per stage::

    sources → crawl → entities (+ problems) → catalog (relations) → graph
            → scorecards → pages → MkDocs

Each stage takes and returns plain data and can be used without MkDocs.
"""

from generator.catalog import Catalog, build_catalog
from generator.crawl import CrawlResult, Document, crawl
from generator.entities import Entity, Provenance, parse_entities, parse_entity
from generator.export import export_json
from generator.pipeline import CatalogRun, load_catalog, load_paths
from generator.problems import Problem, Severity, format_problems
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.relations import INVERSE, Relation
from generator.sources import Repository, Source, Sources, expand_sources, load_sources

__all__ = [
    "INVERSE",
    "Catalog",
    "CatalogRun",
    "CrawlResult",
    "Document",
    "Entity",
    "EntityRef",
    "InvalidRef",
    "Problem",
    "Provenance",
    "Relation",
    "Repository",
    "Severity",
    "Source",
    "Sources",
    "build_catalog",
    "crawl",
    "expand_sources",
    "export_json",
    "format_problems",
    "load_catalog",
    "load_paths",
    "load_sources",
    "parse_entities",
    "parse_entity",
    "parse_ref",
]
