"""GraphQL SDL: the fields of the query, mutation and subscription root types.

Parsed by graphql-core (the reference implementation's Python port), so the
SDL is read exactly as a GraphQL server would read it; a syntax error is the
summary's error, with its line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError, parse, print_ast
from graphql.language import (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
)

from generator.apidefs.model import (
    MAX_TEXT,
    ApiSummary,
    DefinitionError,
    Operation,
    Operations,
    clip,
)

if TYPE_CHECKING:
    from graphql.language import FieldDefinitionNode

__all__ = ["MAX_TOKENS", "summarize_sdl"]

MAX_TOKENS = 1_000_000
"""Most tokens parsed (about 5 MB of SDL); a larger schema gets an error instead."""
ROOT_KINDS = ("query", "mutation", "subscription")


def summarize_sdl(text: str) -> ApiSummary:
    """Summary of a GraphQL schema: one operation per field of each root type.

    >>> [(o.kind, o.name, o.summary) for o in summarize_sdl(
    ...     "type Query { film(id: ID!): Film }").operations]
    [('query', 'film', '(id: ID!): Film')]
    """
    try:
        document = parse(text, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError as exc:
        message = exc.message.removeprefix("Syntax Error: ").rstrip(".")
        line = f" on line {exc.locations[0].line}" if exc.locations else ""
        raise DefinitionError(f"invalid GraphQL SDL{line}: {message[:1].lower()}{message[1:]}"
                              ) from None
    roots: dict[str, str] | None = None
    fields: dict[str, list[FieldDefinitionNode]] = {}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            roots = {**(roots or {}), **{op.operation.value: op.type.name.value
                                         for op in definition.operation_types or ()}}
        elif isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            fields.setdefault(definition.name.value, []).extend(definition.fields or ())
    if roots is None:
        roots = {kind: kind.capitalize() for kind in ROOT_KINDS}
    collected = Operations()
    for kind in ROOT_KINDS:
        for field in fields.get(roots.get(kind, ""), []):
            description = clip(field.description.value) if field.description else ""
            collected.add(Operation(kind, clip(field.name.value), clip(_signature(field)),
                                    description=description))
            if collected.full:
                break
    return ApiSummary("graphql", format="GraphQL SDL", operations=tuple(collected.operations),
                      truncated=collected.truncated)


def _signature(field: FieldDefinitionNode) -> str:
    """``(name: Type = default, ...): Result``, without descriptions and directives."""
    parts: list[str] = []
    for argument in field.arguments or ():
        part = f"{argument.name.value}: {print_ast(argument.type)}"
        if argument.default_value is not None:
            part += f" = {print_ast(argument.default_value)}"
        parts.append(part)
        if sum(map(len, parts)) > MAX_TEXT:
            break
    arguments = f"({', '.join(parts)})" if parts else ""
    return f"{arguments}: {print_ast(field.type)}"
