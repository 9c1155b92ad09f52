"""What a summary of an API definition holds, and the text helpers every format uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HTTP_METHODS", "MAX_OPERATIONS", "MAX_SIZE", "MAX_TEXT", "ApiSummary",
           "DefinitionError", "Operation", "Operations", "clip", "first_line", "line_of",
           "optional"]

MAX_OPERATIONS = 500
"""Most operations a summary lists; ``ApiSummary.truncated`` tells when more were cut."""
MAX_TEXT = 300
"""Longest text field (summary, title, ...) in characters, ellipsis included."""
MAX_SIZE = 10_000_000
"""Longest definition (in characters) that is parsed at all; bigger ones only get ``error``."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of an API, as plain single-line strings.

    ======== ============================ ============================= ===========================
    type     ``method`` (alias ``kind``)  ``path`` (alias ``name``)     ``summary``
    ======== ============================ ============================= ===========================
    OpenAPI  ``get``, ``post``, ...       path (or webhook name)        summary / description
    AsyncAPI ``publish``/``subscribe`` or channel (address)             summary / description
             ``send``/``receive``
    GraphQL  ``query``/``mutation``/      field name                    ``(id: ID!): Film``
             ``subscription``
    gRPC     ``rpc``                      ``Service.Method``            ``Request → Response``
    ======== ============================ ============================= ===========================
    """

    method: str
    path: str
    summary: str = ""
    operation_id: str = ""
    """OpenAPI/AsyncAPI ``operationId`` (AsyncAPI 3: the operation's key)."""
    description: str = ""
    """Longer text: a description, GraphQL doc string or the comment above an rpc."""
    webhook: bool = False
    """An OpenAPI 3.1 webhook (``path`` is then the webhook's name)."""

    @property
    def kind(self) -> str:
        """``method`` under a name that suits GraphQL, AsyncAPI and gRPC."""
        return self.method

    @property
    def name(self) -> str:
        """``path`` under a name that suits channels, fields and rpcs."""
        return self.path


@dataclass(frozen=True, slots=True)
class ApiSummary:
    """What a page shows about an API definition."""

    language: str
    """Pygments lexer for the source: ``yaml``, ``json``, ``graphql``, ``protobuf`` or ``text``."""
    title: str | None = None
    version: str | None = None
    format: str | None = None
    """What the definition turned out to be, e.g. ``OpenAPI 3.0.3`` or ``GraphQL SDL``."""
    operations: tuple[Operation, ...] = ()
    truncated: bool = False
    """More than :data:`MAX_OPERATIONS` operations; only the first ones are listed."""
    error: str | None = None
    """A short message when the definition could not be read."""


class DefinitionError(ValueError):
    """A definition that cannot be read; the message is shown on the API's page."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def clip(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as one line of at most ``limit`` characters (``""`` for non-scalars)."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = value if isinstance(value, str) else str(value)
    if len(text) > limit * 8:  # do not clean megabytes to keep 300 characters
        text = text[: limit * 8]
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def optional(value: object) -> str | None:
    """``clip(value)``, or ``None`` when that is empty."""
    return clip(value) or None


def line_of(text: str, pos: int) -> int:
    """The line number of position ``pos`` in ``text``."""
    return text.count("\n", 0, pos) + 1


def first_line(value: object) -> str:
    """The first paragraph of a description, as one clipped line."""
    return clip(value.strip().split("\n\n", 1)[0]) if isinstance(value, str) else ""


class Operations:
    """Operations collected up to :data:`MAX_OPERATIONS`; ``truncated`` once more came."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []
        self.truncated = False

    @property
    def full(self) -> bool:
        return self.truncated

    def add(self, operation: Operation) -> None:
        if len(self.operations) >= MAX_OPERATIONS:
            self.truncated = True
        else:
            self.operations.append(operation)
