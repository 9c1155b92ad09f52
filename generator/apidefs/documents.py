"""OpenAPI and AsyncAPI definitions as documents: YAML or JSON, loaded safely."""

from __future__ import annotations

import json

from generator.apidefs.asyncapi import asyncapi_operations
from generator.apidefs.model import ApiSummary, DefinitionError, Operations, clip, optional
from generator.apidefs.openapi import openapi_operations
from generator.yamlfile import YamlError, iter_documents

__all__ = ["load_document", "load_yaml", "summarize_document"]


def load_yaml(text: str) -> object:
    """The first non-empty YAML document of ``text`` (safe loader, alias-bomb protection)."""
    documents = iter_documents(text, index_lines=False)
    try:
        for document in documents:
            if document.data is not None:
                return document.data
        return None
    except YamlError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise DefinitionError(f"{exc}{where}") from None
    finally:
        documents.close()


def load_document(language: str, text: str) -> object:
    """A JSON or YAML definition's data (a DefinitionError when it cannot be read)."""
    if language == "json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise DefinitionError(f"invalid JSON: {exc}") from None
    return load_yaml(text)


def summarize_document(family: str, language: str, text: str) -> ApiSummary:
    """Summary of an OpenAPI/Swagger or AsyncAPI definition (``family``) in ``language``."""
    data = load_document(language, text)
    if not isinstance(data, dict):
        name = "an OpenAPI" if family == "openapi" else "an AsyncAPI"
        raise DefinitionError(f"the definition is not {name} document (expected a mapping)")
    info = data.get("info")
    info = info if isinstance(info, dict) else {}
    collected = Operations()
    if "asyncapi" in data:
        version = clip(data.get("asyncapi"), 40)
        spec_format: str | None = f"AsyncAPI {version}".strip()
        asyncapi_operations(data, version, collected)
    else:
        if "swagger" in data:
            spec_format = f"Swagger {clip(data.get('swagger'), 40)}".strip()
        elif "openapi" in data:
            spec_format = f"OpenAPI {clip(data.get('openapi'), 40)}".strip()
        else:
            spec_format = None
        openapi_operations(data, collected)
    return ApiSummary(
        language, title=optional(info.get("title")), version=optional(info.get("version")),
        format=spec_format, operations=tuple(collected.operations),
        truncated=collected.truncated)
