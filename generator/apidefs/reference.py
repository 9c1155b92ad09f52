"""One entry point for references: the API's type picks the reader; nothing raises.

:func:`build_reference` is cached by the definition's text, so the page and
the catalog's problems read each definition once per build.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from generator.apidefs.documents import load_document
from generator.apidefs.model import MAX_SIZE, DefinitionError, clip
from generator.apidefs.place import definition_place
from generator.apidefs.reference_asyncapi import asyncapi_reference
from generator.apidefs.reference_graphql import graphql_reference
from generator.apidefs.reference_model import Reference
from generator.apidefs.reference_openapi import openapi_reference
from generator.apidefs.reference_proto import proto_reference
from generator.apidefs.summary import family_of
from generator.problems import Problem, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.catalog import Catalog
    from generator.sources import Repository

__all__ = ["MAX_REFERENCE_SIZE", "build_reference", "definition_problems"]

MAX_REFERENCE_SIZE = MAX_SIZE
"""Longest definition read for a reference (characters); a bigger one gets a note only."""


def build_reference(api_type: str, definition: str) -> Reference:
    """The reference of ``definition`` for an API of ``spec.type`` ``api_type``.

    An unreadable definition gives a reference with no groups and the reason
    in ``problems``; an unknown type gives an empty reference.
    """
    family = family_of(api_type)
    if family is None or not isinstance(definition, str) or not definition.strip():
        return Reference()
    if len(definition) > MAX_REFERENCE_SIZE:
        size = f"{len(definition) / 1e6:.0f} MB"
        return Reference(problems=(f"the definition is too large to read ({size}); the page "
                                   "shows its beginning only",))
    return _cached(family, definition)


@lru_cache(maxsize=2048)
def _cached(family: str, definition: str) -> Reference:
    try:
        return _read(family, definition)
    except DefinitionError as exc:
        return Reference(problems=(clip(str(exc)),))
    except RecursionError:
        return Reference(problems=("the definition is nested too deeply to read",))
    except Exception as exc:  # untrusted input must never break a page
        return Reference(problems=(clip(f"could not read the definition ({exc})"),))


def _read(family: str, definition: str) -> Reference:
    if family == "graphql":
        return graphql_reference(definition)
    if family == "grpc":
        return proto_reference(definition)
    language = "json" if definition.lstrip().startswith(("{", "[")) else "yaml"
    data = load_document(language, definition)
    if not isinstance(data, dict):
        raise DefinitionError("the definition is not a document (expected a mapping)")
    if "asyncapi" in data:
        version = clip(data.get("asyncapi"), 40)
        return asyncapi_reference(data, f"AsyncAPI {version}".strip(), version)
    if "swagger" in data:
        spec_format = f"Swagger {clip(data.get('swagger'), 40)}".strip()
    elif "openapi" in data:
        spec_format = f"OpenAPI {clip(data.get('openapi'), 40)}".strip()
    else:
        spec_format = ""
    return openapi_reference(data, spec_format)


def definition_problems(catalog: Catalog,
                        repositories: Sequence[Repository] = ()) -> list[Problem]:
    """A warning for each problem of each API definition (unreadable, external ``$ref`` …).

    Located at the definition's first line (its ``$text`` file, or the descriptor); the
    page shows the same list above the API's reference.
    """
    problems = []
    for ref, entity in catalog.entities.items():
        definition = entity.spec.get("definition") if ref.kind == "api" else None
        if not isinstance(definition, str) or family_of(entity.type) is None:
            continue
        found = build_reference(entity.type or "", definition).problems
        if not found:
            continue
        file, offset = definition_place(entity, repositories)
        problems += [Problem(Severity.WARNING, "api-definition",
                             f"the definition of {ref}: {text}", file, offset + 1, str(ref),
                             entity.provenance.repo) for text in found]
    return problems
