"""Entity references: one parser and one canonical string.

A reference is written ``[kind:][namespace/]name`` and compared without case,
as in Backstage. Its canonical form ``kind:namespace/name`` (lowercase) is the
catalog key, the graph node and the URL path of the entity's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_NAMESPACE = "default"

__all__ = ["DEFAULT_NAMESPACE", "EntityRef", "InvalidRef", "parse_ref"]


_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_PART = re.compile(r"^[^\s:/]+$")


class InvalidRef(ValueError):
    """A string that is not an entity reference; the message says why."""


@dataclass(frozen=True, slots=True)
class EntityRef:
    """The identity of an entity, always lowercase."""

    kind: str
    """Entity kind, e.g. ``component``."""
    namespace: str
    """Namespace, ``default`` unless set."""
    name: str
    """Entity name."""
    _hash: int = field(init=False, repr=False, compare=False)
    _key: tuple[str, str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = (self.kind, self.namespace, self.name)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_hash", hash(key))

    # Sorted by (kind, namespace, name); the tuple is built once, not per comparison.
    def __lt__(self, other: EntityRef) -> bool:
        return self._key < other._key

    def __le__(self, other: EntityRef) -> bool:
        return self._key <= other._key

    def __gt__(self, other: EntityRef) -> bool:
        return self._key > other._key

    def __ge__(self, other: EntityRef) -> bool:
        return self._key >= other._key

    # Refs key most dicts of a build (millions of lookups): hash once, compare without tuples.
    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not EntityRef:
            return NotImplemented
        return (self._hash == other._hash and self.name == other.name  # type: ignore[attr-defined]
                and self.kind == other.kind and self.namespace == other.namespace)  # type: ignore[attr-defined]

    def __reduce__(self) -> tuple:
        return EntityRef, (self.kind, self.namespace, self.name)  # hashes differ by process

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"

    @property
    def path(self) -> str:
        """The URL path of this entity's page, ``catalog/<namespace>/<kind>/<name>``."""
        return f"catalog/{self.namespace}/{self.kind}/{self.name}"

    def short(self, default_namespace: str = DEFAULT_NAMESPACE) -> str:
        """Shortest unambiguous form for display, e.g. ``component:checkout``."""
        if self.namespace == default_namespace:
            return f"{self.kind}:{self.name}"
        return str(self)

    @classmethod
    def of(cls, kind: str, namespace: str, name: str) -> EntityRef:
        """Build a reference from parts of any case."""
        return cls(kind.lower(), namespace.lower(), name.lower())


def parse_ref(
    text: object,
    *,
    default_kind: str | None = None,
    default_namespace: str = DEFAULT_NAMESPACE,
) -> EntityRef:
    """Parse ``[kind:][namespace/]name`` into an :class:`EntityRef`.

    Args:
        text: The reference as written in a descriptor.
        default_kind: Kind to use when the reference has none; ``None`` means
            the kind is required.
        default_namespace: Namespace to use when the reference has none.

    Raises:
        InvalidRef: When ``text`` is not a string reference or lacks a kind.

    >>> str(parse_ref("checkout-team", default_kind="group"))
    'group:default/checkout-team'
    >>> str(parse_ref("Component:Payments/Ledger"))
    'component:payments/ledger'
    """
    if not isinstance(text, str):
        raise InvalidRef(f"expected a string reference, got {type(text).__name__}")
    key = (text, default_kind, default_namespace)
    found = _PARSED.get(key)
    if found is None:
        found = _parse(text, default_kind, default_namespace)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    return found


_PARSED: dict[tuple[str, str | None, str], EntityRef] = {}
"""Refs by (text, default kind, default namespace): a catalog names each entity many
times (every owner, dependency and member), and a ref is immutable, so one is shared."""
_PARSED_MAX = 1 << 18


def _parse(text: str, default_kind: str | None, default_namespace: str) -> EntityRef:
    raw = text.strip()
    kind, sep, rest = raw.partition(":")
    if not sep:
        kind, rest = "", raw
    namespace, sep, name = rest.rpartition("/")
    if not sep:
        namespace = ""
    kind = kind or (default_kind or "")
    namespace = namespace or default_namespace
    if not name:
        raise InvalidRef(f"'{text}' has no name")
    if not kind:
        raise InvalidRef(f"'{text}' needs a kind here, e.g. 'component:{name}'")
    if not (_KIND.match(kind) and _PART.match(namespace) and _PART.match(name)):
        raise InvalidRef(f"'{text}' is not of the form [kind:][namespace/]name")
    return EntityRef.of(kind, namespace, name)
