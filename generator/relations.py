"""Relations between entities, declared once as symmetric pairs.

Each spec field that names other entities yields a relation and its reverse,
as Backstage's ``BuiltinKindsEntityProcessor`` does: ``owner: checkout-team``
on a component gives ``ownedBy`` from the component and ``ownerOf`` from the
group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.refs import EntityRef

__all__ = ["GENERIC_FIELDS", "INVERSE", "RELATION_FIELDS", "Relation", "RelationField",
           "fields_for_kind"]

PAIRS: tuple[tuple[str, str], ...] = (
    ("ownedBy", "ownerOf"),
    ("partOf", "hasPart"),
    ("providesApi", "apiProvidedBy"),
    ("consumesApi", "apiConsumedBy"),
    ("dependsOn", "dependencyOf"),
    ("childOf", "parentOf"),
    ("memberOf", "hasMember"),
)

INVERSE: dict[str, str] = dict(PAIRS) | {b: a for a, b in PAIRS}
"""Each relation type mapped to its reverse."""


@dataclass(frozen=True, order=True, slots=True)
class Relation:
    """A directed, typed edge from one entity to another."""

    source: EntityRef
    """The entity the relation belongs to."""
    type: str
    """Relation type, e.g. ``dependsOn``."""
    target: EntityRef
    """The entity it points at."""

    def reverse(self) -> Relation:
        """The same fact seen from the target."""
        return Relation(self.target, INVERSE[self.type], self.source)


@dataclass(frozen=True, slots=True)
class RelationField:
    """A spec field whose value refers to other entities."""

    field: str
    """Field name under ``spec``."""
    relation: str
    """Relation emitted from the entity that holds the field."""
    default_kind: str | None
    """Kind assumed when a reference has none; ``None`` means it is required."""
    many: bool
    """Whether the field holds a list of references."""


_ALL = {
    "owner": RelationField("owner", "ownedBy", "group", False),
    "system": RelationField("system", "partOf", "system", False),
    "domain": RelationField("domain", "partOf", "domain", False),
    "subcomponentOf": RelationField("subcomponentOf", "partOf", "component", False),
    "subdomainOf": RelationField("subdomainOf", "partOf", "domain", False),
    "providesApis": RelationField("providesApis", "providesApi", "api", True),
    "consumesApis": RelationField("consumesApis", "consumesApi", "api", True),
    "dependsOn": RelationField("dependsOn", "dependsOn", None, True),
    "dependencyOf": RelationField("dependencyOf", "dependencyOf", None, True),
    "parent": RelationField("parent", "childOf", "group", False),
    "children": RelationField("children", "parentOf", "group", True),
    "members": RelationField("members", "hasMember", "user", True),
    "memberOf": RelationField("memberOf", "memberOf", "group", True),
}


def _fields(*names: str) -> tuple[RelationField, ...]:
    return tuple(_ALL[n] for n in names)


RELATION_FIELDS: dict[str, tuple[RelationField, ...]] = {
    "component": _fields(
        "owner", "system", "subcomponentOf", "providesApis", "consumesApis",
        "dependsOn", "dependencyOf",
    ),
    "api": _fields("owner", "system"),
    "resource": _fields("owner", "system", "dependsOn", "dependencyOf"),
    "system": _fields("owner", "domain"),
    "domain": _fields("owner", "subdomainOf"),
    "group": _fields("parent", "children", "members"),
    "user": _fields("memberOf"),
    "template": _fields("owner"),
    "location": (),
}
"""For each kind (lowercase), the spec fields that create relations."""


GENERIC_FIELDS: tuple[RelationField, ...] = _fields("owner", "system", "dependsOn",
                                                   "dependencyOf")
"""The standard fields read on kinds Backstage does not define (``AiResource``, custom kinds)."""


def fields_for_kind(kind: str, declared: Mapping[str, tuple[RelationField, ...]] | None = None
                    ) -> tuple[RelationField, ...]:
    """The relation fields of a kind: its own, or the standard ones for other kinds, plus any
    ``declared`` for it (``kinds:`` in sources.yaml)."""
    kind = kind.lower()
    own = RELATION_FIELDS.get(kind, GENERIC_FIELDS)
    extra = declared.get(kind, ()) if declared else ()
    return own + tuple(f for f in extra if f.field not in {o.field for o in own})
