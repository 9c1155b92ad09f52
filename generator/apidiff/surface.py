"""An API definition's surface: everything a consumer relies on, keyed and located.

A :class:`Surface` maps a stable key (``("operation", "get", "/pets")``) to an
:class:`Element`: what it is, how it reads in a message, its type, whether it
is required, which way it travels (``in``: consumers send it; ``out``:
consumers read it) and the line of the definition it is on. Comparing two
surfaces (:mod:`~generator.apidiff.compare`) is then the same for every
format. This module reads OpenAPI 2/3 and AsyncAPI; GraphQL and ``.proto``
are in :mod:`~generator.apidiff.surface_sdl`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.apidefs.model import HTTP_METHODS, DefinitionError, clip
from generator.apidefs.reference_schema import Resolver, type_name
from generator.yamlfile import LineIndex, YamlError, iter_documents, nearest_line

__all__ = ["MAX_ELEMENTS", "Element", "Surface", "document_surface", "load_with_lines"]

MAX_ELEMENTS = 20_000
"""Most elements read from one definition (a bigger one is compared up to there)."""
MAX_FIELD_DEPTH = 8
"""Deepest schema property compared."""


@dataclass(frozen=True, slots=True)
class Element:
    """One thing a consumer may rely on."""

    kind: str
    """``operation``, ``parameter``, ``field``, ``response``, ``enum value``, ``channel`` …"""
    name: str
    """How it reads in a message: ``GET /pets``, ``query parameter limit of GET /pets``."""
    line: int = 1
    """Line in the definition (1-based)."""
    type: str = ""
    required: bool = False
    direction: str = ""
    """``in`` (consumers send it), ``out`` (consumers read it) or ``""`` (both, or neither)."""
    number: str = ""
    """Protobuf field or enum value number."""
    scope: str = ""
    """Where a number is unique (the message), for finding a reused number."""
    description: str = ""


class Surface(dict):
    """Key → :class:`Element`, in definition order; ``truncated`` once full."""

    truncated = False

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, int] = {}
        """Line of the section each kind of top-level element is in (``paths:``), for
        pointing at a removal that left no parent behind."""

    def add(self, key: tuple, element: Element) -> None:
        if len(self) >= MAX_ELEMENTS:
            self.truncated = True
        else:
            self.setdefault(key, element)


def load_with_lines(text: str) -> tuple[object, LineIndex]:
    """A JSON or YAML definition's data and the line of each field path."""
    try:
        for document in iter_documents(text, line_depth=64):
            if document.data is not None:
                return document.data, document.lines
        return None, {}
    except YamlError as exc:
        if text.lstrip().startswith(("{", "[")):
            try:
                return json.loads(text), {}
            except ValueError:
                pass
        raise DefinitionError(str(exc)) from None


class _Reader:
    """Walks a document with its lines; ``path`` tuples are positions in the document."""

    def __init__(self, data: dict, lines: LineIndex, prefixes: tuple[str, ...]) -> None:
        self.data = data
        self.lines = lines
        self.resolver = Resolver(data, prefixes)
        self.out = Surface()

    def line(self, path: tuple) -> int:
        return nearest_line(self.lines, path) or 1

    def follow(self, value: object, path: tuple) -> tuple[object, tuple]:
        """``value`` with its ``$ref`` followed, and its position in the document."""
        resolved, ref = self.resolver.resolve(value)
        if ref.startswith("#/"):
            path = tuple(p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/"))
        return resolved, path

    def items(self, value: object, path: tuple):
        value, path = self.follow(value, path)
        if isinstance(value, dict):
            for key, item in value.items():
                item, where = self.follow(item, (*path, key))
                if isinstance(item, dict):
                    yield clip(key, 200), item, where

    def schema(self, schema: object, path: tuple, key: tuple, where: str, direction: str,
               dotted: str = "", depth: int = 0, seen: frozenset = frozenset()) -> None:
        """Add the properties (and enum values) of ``schema`` under ``key``.

        ``where`` names the place (``the request body of POST /pets``), ``dotted``
        the property path inside it (``items[].sku``).
        """
        if self.out.truncated or depth > MAX_FIELD_DEPTH or not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return
            seen = seen | {ref}
        schema, path = self.follow(schema, path)
        if not isinstance(schema, dict):
            return
        enum = schema.get("enum")
        if isinstance(enum, list):
            of = f"{dotted} in {where}" if dotted else where
            for i, value in enumerate(enum[:200]):
                text = clip(value if isinstance(value, str) else json.dumps(value, default=str),
                            80)
                self.out.add(("enum", *key, text), Element(
                    "enum value", f"{text} of {of}", self.line((*path, "enum", i)),
                    direction=direction))
        for combinator in ("allOf", "oneOf", "anyOf"):
            variants = schema.get(combinator)
            if isinstance(variants, list):
                for i, variant in enumerate(variants[:50]):
                    self.schema(variant, (*path, combinator, i), key, where, direction,
                                dotted, depth, seen)
        items = schema.get("items")
        if isinstance(items, dict):
            self.schema(items, (*path, "items"), (*key, "[]"), where, direction,
                        f"{dotted}[]", depth + 1, seen)
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        wanted = schema.get("required")
        wanted = set(map(str, wanted)) if isinstance(wanted, list) else set()
        for name, value in properties.items():
            name = clip(name, 200)
            at = (*path, "properties", name)
            child = f"{dotted}.{name}" if dotted else name
            self.out.add(("field", *key, name), Element(
                "field", f"{child} in {where}", self.line(at),
                type_name(value, self.resolver) if isinstance(value, dict) else "",
                name in wanted, direction,
                description=clip(value.get("description")) if isinstance(value, dict) else ""))
            self.schema(value, at, (*key, name), where, direction, child, depth + 1, seen)


def _first_media(content: object) -> tuple[str, object] | None:
    if not isinstance(content, dict) or not content:
        return None
    for media, value in content.items():
        if "json" in str(media):
            return str(media), value
    media, value = next(iter(content.items()))
    return str(media), value


def document_surface(text: str) -> Surface:
    """The surface of an OpenAPI, Swagger or AsyncAPI definition (DefinitionError if bad)."""
    data, lines = load_with_lines(text)
    if not isinstance(data, dict):
        raise DefinitionError("the definition is not a document (expected a mapping)")
    if "asyncapi" in data:
        return _asyncapi(_Reader(data, lines, ("#/components/schemas/",)))
    swagger = "swagger" in data
    reader = _Reader(data, lines, ("#/definitions/",) if swagger else ("#/components/schemas/",))
    reader.out.sections.update(operation=reader.line(("webhooks",)), path=reader.line(("paths",)))
    for section in ("paths", "webhooks"):
        for path, item, where in reader.items(data.get(section), (section,)):
            if section == "paths":
                reader.out.add(("path", path), Element("path", path, reader.line(where)))
            for method, operation in item.items():
                if not isinstance(method, str) or method.lower() not in HTTP_METHODS:
                    continue
                operation, at = reader.follow(operation, (*where, method))
                if isinstance(operation, dict):
                    _operation(reader, path if section == "paths" else f"webhook {path}",
                               item, method.lower(), operation, at, where, swagger)
    return reader.out


def _operation(reader: _Reader, path: str, item: dict, method: str,
               operation: dict, at: tuple, item_at: tuple, swagger: bool) -> None:
    label = f"{method.upper()} {path}"
    out = reader.out
    out.add(("operation", path, method), Element(
        "operation", label, reader.line(at),
        description=clip(operation.get("summary")) + clip(operation.get("description"))))
    for source, base in ((item.get("parameters"), item_at), (operation.get("parameters"), at)):
        for i, raw in enumerate(source if isinstance(source, list) else ()):
            param, where = reader.follow(raw, (*base, "parameters", i))
            if not isinstance(param, dict):
                continue
            name, place = clip(param.get("name"), 120), clip(param.get("in"), 20)
            if swagger and place == "body":
                out.add(("body", path, method, "request"), Element(
                    "request body", f"of {label}", reader.line(where),
                    required=param.get("required") is True, direction="in"))
                reader.schema(param.get("schema"), (*where, "schema"),
                              (path, method, "request"), f"the request body of {label}", "in")
                continue
            schema = param.get("schema") if isinstance(param.get("schema"), dict) else param
            out.add(("parameter", path, method, place, name), Element(
                "parameter", f"{name} ({place}) of {label}", reader.line(where),
                type_name(schema, reader.resolver), param.get("required") is True, "in",
                description=clip(param.get("description"))))
            reader.schema(schema, where if schema is param else (*where, "schema"),
                          (path, method, place, name),
                          f"the {place} parameter {name} of {label}", "in")
    body, where = reader.follow(operation.get("requestBody"), (*at, "requestBody"))
    if isinstance(body, dict):
        out.add(("body", path, method, "request"), Element(
            "request body", f"of {label}", reader.line(where),
            required=body.get("required") is True, direction="in"))
        first = _first_media(body.get("content"))
        if first is not None and isinstance(first[1], dict):
            reader.schema(first[1].get("schema"), (*where, "content", first[0], "schema"),
                          (path, method, "request"), f"the request body of {label}", "in")
    for status, response, where in reader.items(operation.get("responses"),
                                                (*at, "responses")):
        out.add(("response", path, method, "response", status), Element(
            "response", f"{status} of {label}", reader.line(where), direction="out",
            description=clip(response.get("description"))))
        response_label = f"the response {status} of {label}"
        if swagger:
            reader.schema(response.get("schema"), (*where, "schema"),
                          (path, method, "response", status), response_label, "out")
            continue
        first = _first_media(response.get("content"))
        if first is not None and isinstance(first[1], dict):
            reader.schema(first[1].get("schema"), (*where, "content", first[0], "schema"),
                          (path, method, "response", status), response_label, "out")


def _asyncapi(reader: _Reader) -> Surface:
    data, out = reader.data, reader.out
    v3 = str(data.get("asyncapi", "")).startswith("3")
    out.sections.update(channel=reader.line(("channels",)), operation=reader.line(
        ("operations",)))
    for key, channel, where in reader.items(data.get("channels"), ("channels",)):
        address = clip(channel.get("address"), 200) if v3 and isinstance(
            channel.get("address"), str) else key
        out.add(("channel", address), Element("channel", address, reader.line(where)))
        for name, _, at in reader.items(channel.get("parameters"), (*where, "parameters")):
            out.add(("channel parameter", address, name), Element(
                "channel parameter", f"{name} of channel {address}", reader.line(at), "string",
                True, "in"))
        for action in () if v3 else ("publish", "subscribe"):
            operation, at = reader.follow(channel.get(action), (*where, action))
            if isinstance(operation, dict):
                out.add(("operation", address, action), Element(
                    "operation", f"{action} on channel {address}", reader.line(at),
                    description=clip(operation.get("summary"))))
                _messages(reader, operation.get("message"), (*at, "message"),
                          (address, action), f"{action} on channel {address}")
        if v3:
            for name, raw in (channel.get("messages") or {}).items() if isinstance(
                    channel.get("messages"), dict) else ():
                _messages(reader, raw, (*where, "messages", name), (address,),
                          f"channel {address}", clip(name, 120))
    if v3:
        for key, operation, where in reader.items(data.get("operations"), ("operations",)):
            action = clip(operation.get("action"), 20)
            out.add(("operation", key), Element(
                "operation", f"{key} ({action})", reader.line(where), type=action,
                description=clip(operation.get("summary"))))
    return out


def _messages(reader: _Reader, raw: object, path: tuple, scope: tuple, where: str,
              name: str = "") -> None:
    """Add one message (or each of a ``oneOf`` list) with its payload's fields."""
    ref = raw.get("$ref") if isinstance(raw, dict) else None
    message, at = reader.follow(raw, path)
    if not isinstance(message, dict):
        return
    if isinstance(message.get("oneOf"), list):
        for i, item in enumerate(message["oneOf"][:50]):
            _messages(reader, item, (*at, "oneOf", i), scope, where)
        return
    title = clip(message.get("name"), 120) or (
        clip(ref.rsplit("/", 1)[-1], 120) if isinstance(ref, str) else name) or "message"
    reader.out.add(("message", *scope, title), Element(
        "message", f"{title} of {where}", reader.line(at)))
    reader.schema(message.get("payload"), (*at, "payload"), (*scope, title),
                  f"the payload of message {title} ({where})", "")
