"""Summaries of API definitions (``spec.definition`` of an API entity) for display.

Definitions come from catalog descriptors and are untrusted: everything here is
a pure function of the text, loads YAML through :mod:`generator.yamlfile` (safe
loader, alias-bomb protection), caps what it returns and never raises -- a
definition that cannot be read gives an :class:`ApiSummary` with ``error`` set.

One module per format:

* :mod:`~generator.apidefs.openapi`: OpenAPI 2/3 (paths and 3.1 webhooks);
* :mod:`~generator.apidefs.asyncapi`: AsyncAPI 2.x (channels with
  publish/subscribe) and 3.x (operations);
* :mod:`~generator.apidefs.graphql_sdl`: GraphQL SDL root type fields (graphql-core);
* :mod:`~generator.apidefs.protobuf`: gRPC ``.proto`` service rpcs.

:func:`summarize` (in :mod:`~generator.apidefs.summary`) picks one by the API's
``spec.type``; anything else only gets a highlighting language.

:func:`build_reference` (in :mod:`~generator.apidefs.reference`) reads a
definition in full into a :class:`Reference` for the API's page: one
``reference_*`` module per format over the shared shapes of
:mod:`~generator.apidefs.reference_model` (schema trees in
:mod:`~generator.apidefs.reference_schema`, text in
:mod:`~generator.apidefs.reference_text`, ``.proto`` structure in
:mod:`~generator.apidefs.proto_schema`).
"""

from generator.apidefs.model import (
    HTTP_METHODS,
    MAX_OPERATIONS,
    MAX_SIZE,
    MAX_TEXT,
    ApiSummary,
    Operation,
)
from generator.apidefs.reference import build_reference
from generator.apidefs.reference_model import Reference
from generator.apidefs.summary import definition_language, family_of, guess_language, summarize

__all__ = [
    "HTTP_METHODS",
    "MAX_OPERATIONS",
    "MAX_SIZE",
    "MAX_TEXT",
    "ApiSummary",
    "Operation",
    "Reference",
    "build_reference",
    "definition_language",
    "family_of",
    "guess_language",
    "summarize",
]
