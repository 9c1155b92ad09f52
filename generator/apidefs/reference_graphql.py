"""GraphQL SDL as a reference: queries, mutations, subscriptions, then every type.

Read from graphql-core's syntax tree (not a built schema), so a schema that
extends types defined elsewhere still shows what it has. Anchors:
``query-<field>``, ``mutation-<field>``, ``subscription-<field>`` and
``type-<Name>`` for every named type (objects, interfaces, inputs, enums,
unions and scalars); a field's type links to its type's entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError, parse, print_ast
from graphql.language import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

from generator.apidefs.graphql_sdl import MAX_TOKENS, ROOT_KINDS
from generator.apidefs.model import DefinitionError, clip
from generator.apidefs.reference_model import (
    Budget,
    Entry,
    Field,
    Group,
    Param,
    Reference,
    anchor_id,
)
from generator.apidefs.reference_text import description_html

if TYPE_CHECKING:
    from graphql.language import DirectiveNode, Node, TypeNode

__all__ = ["TYPE_KINDS", "deprecation", "graphql_reference", "named_type", "parse_sdl"]

TYPE_KINDS = (
    (ObjectTypeDefinitionNode | ObjectTypeExtensionNode, "type"),
    (InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode, "interface"),
    (InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode, "input"),
    (EnumTypeDefinitionNode | EnumTypeExtensionNode, "enum"),
    (UnionTypeDefinitionNode | UnionTypeExtensionNode, "union"),
    (ScalarTypeDefinitionNode, "scalar"),
)


def named_type(node: TypeNode) -> str:
    """``Film`` for ``[Film!]!``."""
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    return node.name.value  # type: ignore[attr-defined]


def deprecation(directives: object) -> str:
    """The ``@deprecated`` reason (``"deprecated"`` without one); ``""`` when not deprecated."""
    for directive in directives or ():  # type: ignore[attr-defined]
        directive: DirectiveNode
        if directive.name.value == "deprecated":
            for argument in directive.arguments or ():
                if argument.name.value == "reason":
                    return clip(getattr(argument.value, "value", "")) or "deprecated"
            return "deprecated"
    return ""


def parse_sdl(text: str) -> Node:
    """The syntax tree of an SDL text; a :class:`DefinitionError` with its line if invalid."""
    try:
        return parse(text, no_location=False, max_tokens=MAX_TOKENS)
    except GraphQLError as exc:
        message = exc.message.removeprefix("Syntax Error: ").rstrip(".")
        line = f" on line {exc.locations[0].line}" if exc.locations else ""
        raise DefinitionError(f"invalid GraphQL SDL{line}: {message}") from None


def graphql_reference(text: str) -> Reference:
    """The reference of a GraphQL schema in SDL."""
    document = parse_sdl(text)
    roots: dict[str, str] | None = None
    types: dict[str, tuple[str, list]] = {}  # name → (kind, definition nodes)
    description = ""
    for definition in document.definitions:  # type: ignore[attr-defined]
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            roots = {**(roots or {}), **{op.operation.value: op.type.name.value
                                         for op in definition.operation_types or ()}}
            if getattr(definition, "description", None):
                description = definition.description.value
            continue
        for node_type, kind in TYPE_KINDS:
            if isinstance(definition, node_type):
                types.setdefault(definition.name.value, (kind, []))[1].append(definition)
                break
    if roots is None:
        roots = {kind: kind.capitalize() for kind in ROOT_KINDS}
    budget = Budget()
    groups = []
    root_names = set(roots.values())
    for kind in ROOT_KINDS:
        entries = []
        for node in types.get(roots.get(kind, ""), ("", []))[1]:
            for field in node.fields or ():
                if not budget.entry():
                    continue
                entries.append(_root_field(kind, field, types, budget))
        if entries:
            groups.append(Group(f"{kind.capitalize()} fields" if kind != "query" else "Queries",
                                tuple(entries)))
    type_entries = []
    for name, (kind, nodes) in types.items():
        if name in root_names or not budget.entry():
            continue
        type_entries.append(_type_entry(name, kind, nodes, types, budget))
    if type_entries:
        groups.append(Group("Types", tuple(type_entries)))
    return Reference("GraphQL SDL", description=description_html(description),
                     groups=tuple(groups), notes=budget.notes("fields and types"))


def _link(type_node: TypeNode, types: dict) -> str:
    name = named_type(type_node)
    return anchor_id("type", name) if name in types else ""


def _arguments(field: object, budget: Budget) -> tuple[Param, ...]:
    out = []
    for argument in getattr(field, "arguments", None) or ():
        if not budget.field():
            break
        default = print_ast(argument.default_value) if argument.default_value else ""
        out.append(Param(clip(argument.name.value, 120), "", clip(print_ast(argument.type), 120),
                         isinstance(argument.type, NonNullTypeNode) and not default,
                         clip(default, 60),
                         clip(argument.description.value) if argument.description else "",
                         bool(deprecation(argument.directives))))
    return tuple(out)


def _root_field(kind: str, field: object, types: dict, budget: Budget) -> Entry:
    name = clip(field.name.value, 120)  # type: ignore[attr-defined]
    result = clip(print_ast(field.type), 120)  # type: ignore[attr-defined]
    reason = deprecation(field.directives)  # type: ignore[attr-defined]
    facts = [("Returns", result, _link(field.type, types))]  # type: ignore[attr-defined]
    if reason:
        facts.append(("Deprecated", reason, ""))
    text = field.description.value if field.description else ""  # type: ignore[attr-defined]
    return Entry(budget.anchor(kind, name), kind, name, "", description_html(text),
                 bool(reason), tuple(facts), _arguments(field, budget))


def _type_entry(name: str, kind: str, nodes: list, types: dict, budget: Budget) -> Entry:
    fields: list[Field] = []
    facts = []
    text = ""
    for node in nodes:
        if getattr(node, "description", None) and not text:
            text = node.description.value
        for value in getattr(node, "values", None) or ():
            if budget.field():
                fields.append(Field(clip(value.name.value, 120),
                                    description=clip(value.description.value)
                                    if value.description else "",
                                    deprecated=deprecation(value.directives)))
        for member in getattr(node, "types", None) or ():
            if budget.field():
                fields.append(Field(clip(member.name.value, 120), "member",
                                    _link(member, types)))
        interfaces = [i.name.value for i in getattr(node, "interfaces", None) or ()]
        if interfaces:
            facts.append(("Implements", ", ".join(clip(i, 80) for i in interfaces[:20]), ""))
        for field in getattr(node, "fields", None) or ():
            if not budget.field():
                break
            default = getattr(field, "default_value", None)
            fields.append(Field(
                clip(field.name.value, 120), clip(print_ast(field.type), 120),
                _link(field.type, types),
                description=(clip(field.description.value) if field.description else "")
                + (f" (default {clip(print_ast(default), 60)})" if default else ""),
                deprecated=deprecation(field.directives), arguments=_arguments(field, budget)))
    label = clip(name, 120)
    return Entry(budget.anchor("type", label), kind, label, description=description_html(text),
                 facts=tuple(facts), fields=tuple(fields))
