"""gRPC ``.proto`` as a reference: each service's rpcs, then messages and enums.

Anchors: ``rpc-<Service>.<Method>``, ``message-<Name>`` and ``enum-<Name>``
(nested ones ``Outer.Inner``); request, response and field types link to
the message or enum they name.
"""

from __future__ import annotations

from generator.apidefs.proto_schema import ProtoFile, read_proto
from generator.apidefs.reference_model import (
    Budget,
    Entry,
    Field,
    Group,
    Reference,
    anchor_id,
)
from generator.apidefs.reference_text import description_html

__all__ = ["proto_reference", "resolve_type"]


def resolve_type(name: str, proto: ProtoFile, names: dict[str, str]) -> str:
    """The declared name (a key of ``names``) that a field or rpc type refers to, or ``""``.

    >>> resolve_type(".shop.Order", read_proto("package shop; message Order {}"),
    ...              {"Order": "message"})
    'Order'
    """
    bare = name.removeprefix("stream ").lstrip(".")
    if proto.package and bare.startswith(proto.package + "."):
        bare = bare[len(proto.package) + 1:]
    if bare in names:
        return bare
    tail = bare.rsplit(".", 1)[-1]
    matches = [n for n in names if n == tail or n.endswith("." + tail)]
    return matches[0] if len(matches) == 1 else ""


def proto_reference(text: str) -> Reference:
    """The reference of a ``.proto`` file."""
    proto = read_proto(text)
    names = {m.name: "message" for m in proto.messages} | {e.name: "enum" for e in proto.enums}

    def link(type_name: str) -> str:
        found = resolve_type(type_name, proto, names)
        return anchor_id(names[found], found) if found else ""

    budget = Budget()
    groups = []
    for service in proto.services:
        entries = []
        for rpc in service.rpcs:
            if not budget.entry():
                continue
            full = f"{service.name}.{rpc.name}"
            entries.append(Entry(budget.anchor("rpc", full), "rpc", full, "",
                                 description_html(rpc.comment),
                                 facts=(("Request", rpc.request, link(rpc.request)),
                                        ("Response", rpc.response, link(rpc.response)))))
        groups.append(Group(f"Service {service.name}", tuple(entries),
                            description_html(service.comment)))
    messages = []
    for message in proto.messages:
        if not budget.entry():
            continue
        fields = []
        for item in message.fields:
            if not budget.field():
                break
            shown = f"{item.label} {item.type}" if item.label in (
                "repeated", "optional", "required") else item.type
            note = item.label if item.label.startswith("oneof") else ""
            fields.append(Field(item.name, shown, link(item.type), item.number,
                                " ".join(p for p in (note, item.comment) if p),
                                "deprecated" if item.deprecated else ""))
        facts = (("Reserved", ", ".join(sorted(message.reserved, key=_order)[:40]), ""),) \
            if message.reserved else ()
        messages.append(Entry(budget.anchor("message", message.name), "message", message.name,
                              description=description_html(message.comment), facts=facts,
                              fields=tuple(fields)))
    enums = []
    for enum in proto.enums:
        if not budget.entry():
            continue
        values = tuple(Field(v.name, number=v.number, description=v.comment)
                       for v in enum.values[:500])
        enums.append(Entry(budget.anchor("enum", enum.name), "enum", enum.name,
                           description=description_html(enum.comment), fields=values))
    if messages:
        groups.append(Group("Messages", tuple(messages)))
    if enums:
        groups.append(Group("Enums", tuple(enums)))
    label = f"Protocol Buffers ({proto.syntax})" if proto.syntax else "Protocol Buffers"
    notes = budget.notes("rpcs, messages and enums")
    if proto.truncated:
        notes += ("The file has more fields than a page reads; the rest are left out.",)
    return Reference(label, proto.package, groups=tuple(groups), notes=notes)


def _order(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdigit() else (1, 0, value)
