"""JSON Schema as readable trees, ``$ref`` resolved inside the document only.

Shared by OpenAPI 2/3 and AsyncAPI. A ``$ref`` is followed only when it is a
JSON pointer into the same document (``#/components/schemas/Pet``); any other
(a URL, another file) is never fetched and becomes a problem. A schema that
refers back to one of its ancestors is shown once, as a link to that schema's
entry; chains of ``$ref`` are followed at most :data:`MAX_CHAIN` hops, and
every node is charged to the page's :class:`~generator.apidefs.reference_model.Budget`.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.apidefs.model import clip
from generator.apidefs.reference_model import Budget, SchemaNode, anchor_id
from generator.apidefs.reference_text import scalar_text

__all__ = ["MAX_CHAIN", "MAX_DEPTH", "MAX_PROBLEMS", "Resolver", "schema_tree", "type_name"]

MAX_CHAIN = 32
"""Most ``$ref`` hops followed from one place (a longer chain is a problem)."""
MAX_DEPTH = 10
"""Deepest a schema tree is drawn; below that a node links to its named schema."""
MAX_PROBLEMS = 20
"""Most problems one definition reports (each kind once per target)."""
_COMBINATORS = ("allOf", "oneOf", "anyOf")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


class Resolver:
    """Follows ``#/…`` pointers in ``root``; collects problems about every other ``$ref``."""

    def __init__(self, root: dict, schema_prefixes: tuple[str, ...] = ()) -> None:
        self.root = root
        self.schema_prefixes = schema_prefixes
        """Pointers whose children are named schemas (``#/components/schemas/``)."""
        self.problems: list[str] = []
        self._seen_problems: set[str] = set()

    def problem(self, text: str) -> None:
        if text not in self._seen_problems and len(self.problems) < MAX_PROBLEMS:
            self._seen_problems.add(text)
            self.problems.append(text)

    def pointer(self, ref: str) -> object:
        """The value at a local pointer ``#/a/b``; None (and a problem) when there is none."""
        node: object = self.root
        for part in ref[2:].split("/") if ref != "#" else ():
            key = _unescape(part)
            if isinstance(node, dict):
                node = node.get(key)
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                node = None
            if node is None:
                self.problem(f"$ref {clip(ref, 120)} points at nothing in the definition")
                return None
        return node

    def resolve(self, value: object) -> tuple[object, str]:
        """``value`` with its ``$ref`` chain followed, and the last local ``$ref`` seen."""
        last = ""
        hops = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if not ref.startswith("#"):
                self.problem(f"external $ref {clip(ref, 120)} is not fetched; Paved Road reads "
                             "only what the definition holds (bundle the definition into "
                             "one file)")
                return None, ref
            hops += 1
            if hops > MAX_CHAIN:
                self.problem(f"a $ref chain longer than {MAX_CHAIN} hops (at {clip(ref, 120)})"
                             " is not followed")
                return None, ref
            last = ref
            value = self.pointer(ref)
        return value, last

    def schema_name(self, ref: str) -> str:
        """``Pet`` for ``#/components/schemas/Pet``; ``""`` for other pointers."""
        for prefix in self.schema_prefixes:
            if ref.startswith(prefix) and "/" not in ref[len(prefix):]:
                return _unescape(ref[len(prefix):])
        return ""

    def items(self, value: object) -> Iterator[tuple[str, dict]]:
        """Items of a mapping (itself possibly a ``$ref``) whose values resolve to mappings."""
        value = self.resolve(value)[0]
        if isinstance(value, dict):
            for key, item in value.items():
                item = self.resolve(item)[0]
                if isinstance(item, dict):
                    yield clip(key, 200), item


def type_name(schema: object, resolver: Resolver) -> str:
    """A schema's type in a few words: ``string (date-time)``, ``array of Pet``, ``Pet``."""
    if not isinstance(schema, dict):
        return ""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return resolver.schema_name(ref) or clip(ref.rsplit("/", 1)[-1], 80)
    kind = schema.get("type")
    text = " | ".join(clip(k, 20) for k in kind[:6]) if isinstance(kind, list) else clip(kind, 40)
    if text == "array" or (not text and "items" in schema):
        inner = type_name(schema.get("items"), resolver)
        return f"array of {inner}" if inner else "array"
    fmt = clip(schema.get("format"), 40)
    if not text:
        for name in _COMBINATORS:
            if isinstance(schema.get(name), list):
                return name
        if "properties" in schema:
            text = "object"
    return f"{text} ({fmt})" if fmt and text else (text or fmt)


def _notes(schema: dict) -> tuple[str, ...]:
    notes = []
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        shown = ", ".join(scalar_text(v, 40) for v in enum[:12])
        notes.append(f"one of: {shown}{', …' if len(enum) > 12 else ''}")
    for key, label in (("default", "default"), ("const", "always"), ("example", "example")):
        if key in schema and not isinstance(schema[key], dict | list):
            notes.append(f"{label}: {scalar_text(schema[key], 60)}")
    for key, label in (("nullable", "nullable"), ("deprecated", "deprecated"),
                       ("readOnly", "read-only"), ("writeOnly", "write-only")):
        if schema.get(key) is True:
            notes.append(label)
    return tuple(notes)


def schema_tree(schema: object, resolver: Resolver, budget: Budget, *, name: str = "",
                required: bool = False, depth: int = 0,
                seen: tuple[str, ...] = ()) -> SchemaNode | None:
    """The tree of ``schema`` (None once the page's budget is spent or there is no schema)."""
    if not isinstance(schema, dict) or not budget.node():
        return None
    shown_type = type_name(schema, resolver)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target_name = resolver.schema_name(ref)
        link = anchor_id("schema", target_name) if target_name else ""
        if ref in seen:
            return SchemaNode(name, shown_type, required, notes=("refers back to itself",),
                              link=link)
        target, last = resolver.resolve(schema)
        if not isinstance(target, dict):
            return SchemaNode(name, shown_type, required, notes=("not resolved",))
        seen = (*seen, ref, last)
        schema = target
    else:
        link = ""
    description = clip(schema.get("description") or schema.get("title"))
    notes = _notes(schema)
    if depth >= MAX_DEPTH:
        return SchemaNode(name, shown_type, required, description, (*notes, "nested deeper"),
                          link=link)
    children: list[SchemaNode] = []
    combinator = ""
    for key in _COMBINATORS:
        variants = schema.get(key)
        if isinstance(variants, list) and variants:
            combinator = key
            for i, variant in enumerate(variants[:50], 1):
                child = schema_tree(variant, resolver, budget, name=str(i), depth=depth + 1,
                                    seen=seen)
                if child is None:
                    break
                children.append(child)
            break
    wanted = schema.get("required")
    wanted = set(map(str, wanted)) if isinstance(wanted, list) else set()
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for key, value in properties.items():
            child = schema_tree(value, resolver, budget, name=clip(key, 200),
                                required=str(key) in wanted, depth=depth + 1, seen=seen)
            if child is None:
                break
            children.append(child)
    items = schema.get("items")
    if isinstance(items, dict) and not combinator:
        child = schema_tree(items, resolver, budget, name="[]", depth=depth + 1, seen=seen)
        if child is not None and (child.children or child.link or child.notes):
            children.append(child)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        child = schema_tree(extra, resolver, budget, name="{key}", depth=depth + 1, seen=seen)
        if child is not None:
            children.append(child)
    return SchemaNode(name, shown_type, required, description, notes,
                      link=link if not children else "", combinator=combinator,
                      children=tuple(children))
