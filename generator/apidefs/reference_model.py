"""What an API reference holds: plain frozen data a template turns into HTML.

Every format (OpenAPI, AsyncAPI, GraphQL, gRPC) is read into the same few
shapes: a :class:`Reference` of :class:`Group` s of :class:`Entry` s (an
operation, a channel, a type, a message), each with parameters, bodies,
responses and fields. Text is already clipped; ``description`` is sanitised
HTML (:mod:`~generator.apidefs.reference_text`). A :class:`Budget` bounds how
much one page holds, so a 5 MB definition costs no more than a capped one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

__all__ = ["MAX_ENTRIES", "MAX_NODES", "MAX_TREE", "NO_HTML", "Body", "Budget", "Entry", "Field",
           "Group", "Param", "Reference", "Response", "SchemaNode", "anchor_id"]

NO_HTML = Markup("")
"""An empty description."""
MAX_ENTRIES = 400
"""Most entries (operations, types, messages …) one reference page shows."""
MAX_NODES = 15_000
"""Most schema-tree nodes, parameters and fields one reference page shows."""
MAX_TREE = 200
"""Most nodes of one schema tree."""


@dataclass(frozen=True, slots=True)
class SchemaNode:
    """One node of a schema tree: a property, an array's items, a variant of ``oneOf``."""

    name: str
    """Property name; ``""`` for a root, ``[]`` for array items, ``1``… for variants."""
    type: str = ""
    """Readable type, e.g. ``string (int64)``, ``array``, ``Pet``."""
    required: bool = False
    description: str = ""
    notes: tuple[str, ...] = ()
    """Short facts: ``enum: a, b``, ``default: 3``, ``deprecated``, ``read-only``."""
    link: str = ""
    """Anchor of the named schema this node repeats (a cycle, or a depth cut)."""
    combinator: str = ""
    """``allOf``, ``oneOf`` or ``anyOf`` when the children are its variants."""
    children: tuple[SchemaNode, ...] = ()


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter or argument: OpenAPI parameters, GraphQL arguments, channel parameters."""

    name: str
    location: str = ""
    """``query``, ``path``, ``header``, ``cookie`` (OpenAPI); empty elsewhere."""
    type: str = ""
    required: bool = False
    default: str = ""
    description: str = ""
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    """A request body, response content or message: a media type with its schema."""

    title: str
    """Media type (``application/json``) or message name."""
    schema: SchemaNode | None = None
    example: str = ""
    """An example, as YAML-ish text (clipped)."""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """One response status of an operation."""

    status: str
    description: str = ""
    bodies: tuple[Body, ...] = ()
    headers: tuple[Param, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a GraphQL type or a protobuf message, an enum value."""

    name: str
    type: str = ""
    link: str = ""
    """Anchor of the entry describing ``type``, when the reference has one."""
    number: str = ""
    """Protobuf field number (or enum value number)."""
    description: str = ""
    deprecated: str = ""
    """Why it is deprecated (``"deprecated"`` without a reason); empty when it is not."""
    arguments: tuple[Param, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing with an anchor: an operation, channel, message, type, rpc or schema."""

    anchor: str
    badge: str
    """What it is: ``get``, ``send``, ``query``, ``rpc``, ``type``, ``message`` …"""
    name: str
    summary: str = ""
    description: Markup = NO_HTML
    deprecated: bool = False
    facts: tuple[tuple[str, str, str], ...] = ()
    """``(label, text, anchor)`` lines such as ``("Channel", "lights/on", "channel-…")``."""
    params: tuple[Param, ...] = ()
    bodies: tuple[Body, ...] = ()
    bodies_title: str = "Request body"
    responses: tuple[Response, ...] = ()
    fields: tuple[Field, ...] = ()
    schema: SchemaNode | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Entries under one heading: a tag, ``Channels``, ``Types``, a service."""

    title: str
    entries: tuple[Entry, ...] = ()
    description: Markup = NO_HTML


@dataclass(frozen=True, slots=True)
class Reference:
    """The reference of one API definition."""

    format: str = ""
    title: str = ""
    version: str = ""
    description: Markup = NO_HTML
    servers: tuple[tuple[str, str], ...] = ()
    """``(url, description)`` of each server (AsyncAPI: ``host (protocol)``)."""
    groups: tuple[Group, ...] = ()
    security: tuple[tuple[str, str, str], ...] = ()
    """``(name, type, detail)`` of each security scheme."""
    notes: tuple[str, ...] = ()
    """What was left out (the page cap) and what could not be read."""
    problems: tuple[str, ...] = ()
    """What is wrong with the definition (external ``$ref``, unreadable), for the catalog."""

    @property
    def empty(self) -> bool:
        return not self.groups and not self.servers and not self.security


class Budget:
    """How much more one page may hold; every count is charged before it is built."""

    def __init__(self, entries: int = MAX_ENTRIES, nodes: int = MAX_NODES) -> None:
        self.entries = entries
        self.nodes = nodes
        self.cut_entries = 0
        self.cut_nodes = False
        self.tree = MAX_TREE
        self.anchors: set[str] = set()

    def entry(self) -> bool:
        """Charge one entry; False (and counted) once the page is full."""
        if self.entries <= 0 or self.nodes <= 0:
            self.cut_entries += 1
            return False
        self.entries -= 1
        return True

    def node(self) -> bool:
        """Charge one node; False once the page is full."""
        if self.nodes <= 0 or self.tree <= 0:
            self.cut_nodes = True
            return False
        self.nodes -= 1
        self.tree -= 1
        return True

    def field(self) -> bool:
        """Charge one parameter, field or enum value (page budget only); False once full."""
        if self.nodes <= 0:
            self.cut_nodes = True
            return False
        self.nodes -= 1
        return True

    def new_tree(self) -> Budget:
        """Start a schema tree: it may hold :data:`MAX_TREE` nodes of the page's budget."""
        self.tree = MAX_TREE
        return self

    def anchor(self, kind: str, name: str) -> str:
        """A unique, stable anchor ``kind-name`` (:func:`anchor_id`); ``_2``… on repeats."""
        base = anchor_id(kind, name)
        anchor, n = base, 1
        while anchor in self.anchors:
            n += 1
            anchor = f"{base}_{n}"
        self.anchors.add(anchor)
        return anchor

    def notes(self, what: str = "entries") -> tuple[str, ...]:
        out = []
        if self.cut_entries:
            out.append(f"This page shows the first {MAX_ENTRIES - self.entries} {what}; "
                       f"{self.cut_entries} more are in the definition (download it below).")
        elif self.cut_nodes:
            out.append("Some schemas are cut short to keep this page small; the definition "
                       "below has them in full.")
        return tuple(out)


_NOT_IN_ID = re.compile(r"[\s\"'<>`#%\\^|\x00-\x1f\x7f]+")


def anchor_id(kind: str, name: str) -> str:
    """An HTML id that a ticket can link to as written: ``get-/orders/{id}``.

    Whitespace, quotes, ``#``, ``%`` and the characters a browser would
    percent-encode in a fragment become ``-``, so the id is valid HTML and the
    link works whether it was typed or copied.

    >>> anchor_id("get", "/orders/{id}"), anchor_id("type", "Film"), anchor_id("send", "a b")
    ('get-/orders/{id}', 'type-Film', 'send-a-b')
    """
    return f"{kind}-{_NOT_IN_ID.sub('-', name).strip('-') or 'x'}"[:200]
