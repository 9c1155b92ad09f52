"""JSON Schemas (draft 2020-12) of the files Paved Road reads, for editors and CI.

``sources`` (``sources.yaml``), ``scorecards`` (``scorecards.yaml``) and
``catalog-info`` (Backstage descriptors, with the annotations the portal
reads). They ship in the package, print with ``pavedroad schema NAME`` and
are published in the site under ``schemas/``. Tests hold them to the parsers:
what a parser rejects for its shape, the schema rejects too.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["SCHEMA_NAMES", "load_schema", "schema_file", "schema_text"]

SCHEMA_NAMES = ("sources", "scorecards", "catalog-info")
"""Every schema, by the name ``pavedroad schema`` takes."""


def schema_file(name: str) -> str:
    """The file name of schema ``name``, e.g. ``sources.schema.json``."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"no schema named {name!r}; use {', '.join(SCHEMA_NAMES)}")
    return f"{name}.schema.json"


def schema_text(name: str) -> str:
    """The schema's JSON text, as shipped.

    >>> '"$schema": "https://json-schema.org/draft/2020-12/schema"' in schema_text("sources")
    True
    """
    return resources.files(__package__).joinpath(schema_file(name)).read_text(encoding="utf-8")


def load_schema(name: str) -> dict:
    """The schema as a dict."""
    return json.loads(schema_text(name))
