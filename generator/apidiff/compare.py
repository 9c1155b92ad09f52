"""Two surfaces of one API compared: breaking changes and the rest.

Breaking, for a consumer written against the published definition:

* anything removed (an operation, path, parameter, field, response status,
  channel, message, type, enum value, rpc …);
* something consumers send (``in``) newly required, or added as required;
* a type changed (GraphQL: an output that may now be null, too);
* a protobuf field's number changed, or a number reused by another field.

Everything else (additions, optional parameters, descriptions) is listed as
information. Changes come in the new definition's order, then removals in
the old one's; each carries the line it points at in the new definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.apidiff.surface import Element, Surface

__all__ = ["Change", "compare_surfaces"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the published definition and the changed one."""

    breaking: bool
    message: str
    """``removed operation GET /pets``, ``added field tag in …``."""
    line: int
    """Line in the changed definition (for a removal: its nearest surviving parent)."""


def _parent_line(key: tuple, new: Surface, new_by_tail: dict[tuple, Element]) -> int:
    """The line of the nearest element of the new surface that ``key`` belongs to."""
    tail = key[1:]
    for size in range(len(tail) - 1, 0, -1):
        element = new_by_tail.get(tail[:size])
        if element is not None:
            return element.line
    return getattr(new, "sections", {}).get(key[0], 1)


def _type_change(old: Element, new: Element) -> str:
    """Why a type change breaks consumers, or ``""`` when it does not."""
    if old.type == new.type or not old.type or not new.type:
        return ""
    if old.type.rstrip("!") == new.type.rstrip("!") and old.type.replace("!", "") == \
            new.type.replace("!", ""):
        # Only nullability moved (GraphQL): an output that may now be null breaks readers;
        # an input that became non-null is reported as newly required.
        if new.direction == "out" and old.type.endswith("!") and not new.type.endswith("!"):
            return f"{new.kind} {new.name} may now be null ({old.type} → {new.type})"
        return ""
    return f"type of {new.kind} {new.name} changed from {old.type} to {new.type}"


def compare_surfaces(old: Surface, new: Surface) -> list[Change]:
    """Every change from ``old`` (published) to ``new`` (checked), breaking ones flagged.

    >>> from generator.apidiff.surface import Element, Surface
    >>> old, new = Surface(), Surface()
    >>> old.add(("op", "a"), Element("operation", "GET /a", 3))
    >>> new.add(("op", "b"), Element("operation", "GET /b", 4))
    >>> [(c.breaking, c.message, c.line) for c in compare_surfaces(old, new)]
    [(False, 'added operation GET /b', 4), (True, 'removed operation GET /a', 1)]
    """
    changes: list[Change] = []
    numbers: dict[tuple[str, str], tuple] = {
        (e.scope, e.number): k for k, e in old.items() if e.scope and e.number}
    added = {key[1:] for key in new if key not in old}
    for key, element in new.items():
        before = old.get(key)
        if before is None and any(key[1:][:size] in added for size in range(1, len(key) - 1)):
            continue  # its parent's addition says it already
        if before is None:
            reused = numbers.get((element.scope, element.number)) if element.scope else None
            if reused is not None and reused != key:
                changes.append(Change(True, f"number {element.number} of {element.scope} is "
                                            f"reused: it was {reused[-1]}, now {key[-1]}",
                                      element.line))
            elif element.required and element.direction in ("in", ""):
                changes.append(Change(True, f"added required {element.kind} {element.name}",
                                      element.line))
            else:
                changes.append(Change(False, f"added {element.kind} {element.name}",
                                      element.line))
            continue
        why = _type_change(before, element)
        if why:
            changes.append(Change(True, why, element.line))
        if element.number and before.number and element.number != before.number:
            changes.append(Change(True, f"number of {element.kind} {element.name} changed from "
                                        f"{before.number} to {element.number}", element.line))
        if element.required and not before.required and element.direction in ("in", ""):
            changes.append(Change(True, f"{element.kind} {element.name} is now required",
                                  element.line))
        elif before.required and not element.required and element.direction in ("in", ""):
            changes.append(Change(False, f"{element.kind} {element.name} is now optional",
                                  element.line))
        if before.description != element.description:
            changes.append(Change(False, f"description of {element.kind} {element.name} "
                                         "changed", element.line))
    new_by_tail = {key[1:]: element for key, element in new.items()}
    removed = {key[1:] for key in old if key not in new}
    for key, element in old.items():
        if key in new:
            continue
        tail = key[1:]
        if any(tail[:size] in removed for size in range(1, len(tail))):
            continue  # its parent's removal says it already
        changes.append(Change(True, f"removed {element.kind} {element.name}",
                              _parent_line(key, new, new_by_tail)))
    return changes
