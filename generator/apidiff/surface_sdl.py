"""The surfaces of GraphQL SDL (graphql-core's syntax tree) and ``.proto`` files.

GraphQL: every type, field, argument, enum value and union member; fields of
input types and arguments travel ``in``, fields of other types ``out``.
Protobuf: services, rpcs (request → response), messages with numbered fields
and enums with numbered values; a field's number is what the wire carries, so
its ``scope`` (the message) lets the comparison find a reused number.
"""

from __future__ import annotations

from graphql import print_ast
from graphql.language import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    NonNullTypeNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
)

from generator.apidefs.model import clip
from generator.apidefs.proto_schema import read_proto
from generator.apidefs.reference_graphql import TYPE_KINDS, deprecation, parse_sdl
from generator.apidiff.surface import Element, Surface

__all__ = ["graphql_surface", "proto_surface"]


def _line(node: object) -> int:
    loc = getattr(node, "loc", None)
    return loc.start_token.line if loc is not None else 1


def graphql_surface(text: str) -> Surface:
    """The surface of a GraphQL schema in SDL (DefinitionError if it does not parse)."""
    document = parse_sdl(text)
    out = Surface()
    for definition in document.definitions:  # type: ignore[attr-defined]
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for op in definition.operation_types or ():
                out.add(("root", op.operation.value), Element(
                    "root type", op.operation.value, _line(op),
                    op.type.name.value))
            continue
        kind = next((k for t, k in TYPE_KINDS if isinstance(definition, t)), None)
        if kind is None:
            continue
        name = clip(definition.name.value, 200)
        out.add(("type", name), Element(kind, name, _line(definition), kind))
        inbound = isinstance(definition, InputObjectTypeDefinitionNode
                             | InputObjectTypeExtensionNode)
        if isinstance(definition, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            for value in definition.values or ():
                out.add(("enum", name, value.name.value), Element(
                    "enum value", f"{value.name.value} of enum {name}", _line(value)))
        for member in getattr(definition, "types", None) or ():
            out.add(("member", name, member.name.value), Element(
                "union member", f"{member.name.value} of union {name}", _line(member)))
        for field in getattr(definition, "fields", None) or ():
            field_name = clip(field.name.value, 200)
            default = getattr(field, "default_value", None)
            out.add(("field", name, field_name), Element(
                "field", f"{name}.{field_name}", _line(field), print_ast(field.type),
                inbound and isinstance(field.type, NonNullTypeNode) and default is None,
                "in" if inbound else "out",
                description=(field.description.value if field.description else "")
                + deprecation(field.directives)))
            for argument in getattr(field, "arguments", None) or ():
                out.add(("argument", name, field_name, argument.name.value), Element(
                    "argument", f"{argument.name.value} of {name}.{field_name}",
                    _line(argument), print_ast(argument.type),
                    isinstance(argument.type, NonNullTypeNode)
                    and argument.default_value is None, "in"))
    return out


def proto_surface(text: str) -> Surface:
    """The surface of a ``.proto`` file."""
    proto = read_proto(text)
    out = Surface()
    for service in proto.services:
        out.add(("service", service.name), Element("service", service.name, service.line))
        for rpc in service.rpcs:
            out.add(("rpc", service.name, rpc.name), Element(
                "rpc", f"{service.name}.{rpc.name}", rpc.line,
                f"{rpc.request} → {rpc.response}", description=rpc.comment))
    for message in proto.messages:
        out.add(("message", message.name), Element("message", message.name, message.line))
        for field in message.fields:
            label = f"{field.label} " if field.label in ("repeated", "optional",
                                                          "required") else ""
            out.add(("field", message.name, field.name), Element(
                "field", f"{field.name} of message {message.name}", field.line,
                f"{label}{field.type}", field.label == "required", "", field.number,
                f"message {message.name}", field.comment))
    for enum in proto.enums:
        out.add(("enum", enum.name), Element("enum", enum.name, enum.line))
        for value in enum.values:
            out.add(("enum value", enum.name, value.name), Element(
                "enum value", f"{value.name} of enum {enum.name}", value.line,
                number=value.number, scope=f"enum {enum.name}"))
    return out
