"""One entry point: a definition's type decides which format reads it; nothing raises."""

from __future__ import annotations

import json
import re

from generator.apidefs.documents import load_yaml, summarize_document
from generator.apidefs.graphql_sdl import summarize_sdl
from generator.apidefs.model import MAX_SIZE, ApiSummary, DefinitionError, clip
from generator.apidefs.protobuf import summarize_proto

__all__ = ["definition_language", "family_of", "guess_language", "summarize"]

_TYPES = {
    "openapi": "openapi", "swagger": "openapi", "oas": "openapi",
    "asyncapi": "asyncapi",
    "graphql": "graphql", "gql": "graphql",
    "grpc": "grpc", "protobuf": "grpc", "proto": "grpc",
}


def family_of(api_type: object) -> str | None:
    """``openapi``, ``asyncapi``, ``graphql`` or ``grpc`` for a ``spec.type``; None if other.

    >>> family_of("OpenAPI"), family_of("proto"), family_of("trpc")
    ('openapi', 'grpc', None)
    """
    return _TYPES.get(str(api_type or "").strip().lower())


def definition_language(api_type: object, definition: str) -> str:
    """The Pygments lexer for a definition: by its API's type, else guessed from the text.

    >>> definition_language("openapi", '{"openapi": "3.0.0"}'), definition_language("grpc", "")
    ('json', 'protobuf')
    """
    family = family_of(api_type)
    if family in ("openapi", "asyncapi"):
        return "json" if definition.lstrip().startswith(("{", "[")) else "yaml"
    if family == "graphql":
        return "graphql"
    if family == "grpc":
        return "protobuf"
    return guess_language(definition)


def summarize(api_type: str, definition: str) -> ApiSummary:
    """Summarise ``definition`` of an API whose ``spec.type`` is ``api_type``; never raises."""
    family = family_of(api_type)
    if not isinstance(definition, str):
        return ApiSummary("text", error="the definition is not text")
    stripped = definition.strip()
    language = definition_language(api_type, definition)
    if not stripped:
        return ApiSummary(language, error="the definition is empty")
    if family is None:
        return ApiSummary(language)
    if len(definition) > MAX_SIZE:
        return ApiSummary(language, error=f"the definition is too large to summarise "
                                          f"({len(definition) / 1e6:.0f} MB)")
    try:
        if family == "graphql":
            return summarize_sdl(definition)
        if family == "grpc":
            return summarize_proto(definition)
        return summarize_document(family, language, definition)
    except DefinitionError as exc:
        return ApiSummary(language, error=clip(str(exc)))
    except RecursionError:
        return ApiSummary(language, error="the definition is nested too deeply to read")
    except Exception as exc:  # untrusted input must never break a page
        return ApiSummary(language, error=clip(f"could not read the definition ({exc})"))


_PROTO_HINT = re.compile(r"^\s*(?:syntax\s*=\s*[\"']proto|service\s+\w+\s*\{|message\s+\w+\s*\{)",
                         re.MULTILINE)
_GRAPHQL_HINT = re.compile(
    r"^\s*(?:extend\s+)?(?:schema\s*\{|(?:type|interface|input|enum)\s+[_A-Za-z]\w*[^\n:]*\{)",
    re.MULTILINE)
_YAML_HINT = re.compile(r"(?:(?:#[^\n]*|---[^\n]*)?\n)*(?:[\w\"'$./-][^:\n]*:(?:[ \t]|$)|- )",
                        re.MULTILINE)


def guess_language(definition: str) -> str:
    """Best pygments lexer for a definition of an unknown type (parses at most 1 MB)."""
    stripped = definition.strip()
    if not stripped:
        return "text"
    small = len(stripped) <= 1_000_000
    sample = stripped[:20_000]
    if stripped.startswith(("{", "[")):
        if not small:
            return "json"
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):
            pass
        else:
            return "json"
    if _PROTO_HINT.search(sample):
        return "protobuf"
    if _GRAPHQL_HINT.search(sample):
        return "graphql"
    if not small:
        return "yaml" if _YAML_HINT.match(sample) else "text"
    try:
        data = load_yaml(definition)
    except (DefinitionError, RecursionError):
        return "text"
    return "yaml" if isinstance(data, dict | list) else "text"
