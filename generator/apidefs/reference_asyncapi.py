"""AsyncAPI 2.x and 3.0 as a reference: servers, channels, operations, messages, schemas.

Anchors: ``channel-<address>``, ``<action>-<address>`` for an operation
(``publish``/``subscribe`` in 2.x, ``send``/``receive`` in 3.0, whose
operations also get ``operation-<key>``), ``message-<name>`` and
``schema-<name>`` for components. Bindings are named, not expanded.
"""

from __future__ import annotations

from generator.apidefs.model import clip
from generator.apidefs.reference_model import Body, Budget, Entry, Group, Param, Reference
from generator.apidefs.reference_schema import Resolver, schema_tree, type_name
from generator.apidefs.reference_text import description_html, example_text

__all__ = ["asyncapi_reference"]


def asyncapi_reference(data: dict, spec_format: str, version: str) -> Reference:
    """The reference of an AsyncAPI document ``data`` of ``version`` (2.x or 3.x)."""
    resolver = Resolver(data, ("#/components/schemas/", "#/components/messages/"))
    reader = _Reader(data, resolver, Budget(), version.startswith("3"))
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    groups = [Group("Channels", tuple(reader.channels()))]
    groups.append(Group("Operations", tuple(reader.operations3() if reader.v3
                                            else reader.operations2)))
    groups += [Group("Messages", tuple(reader.components("messages"))),
               Group("Schemas", tuple(reader.components("schemas")))]
    return Reference(
        spec_format, clip(info.get("title")), clip(info.get("version"), 60),
        description_html(info.get("description")), reader.servers(),
        tuple(g for g in groups if g.entries), (), reader.budget.notes(),
        tuple(resolver.problems))


def _bindings(value: object) -> str:
    return ", ".join(clip(k, 40) for k in list(value)[:20]) if isinstance(value, dict) else ""


class _Reader:
    def __init__(self, data: dict, resolver: Resolver, budget: Budget, v3: bool) -> None:
        self.data = data
        self.resolver = resolver
        self.budget = budget
        self.v3 = v3
        self.channel_anchors: dict[str, tuple[str, str]] = {}
        """Channel key → (address, anchor)."""
        self.operations2: list[Entry] = []
        """AsyncAPI 2's operations, found while reading the channels."""

    def servers(self) -> tuple[tuple[str, str], ...]:
        out = []
        for name, server in self.resolver.items(self.data.get("servers")):
            where = clip(server.get("url") or server.get("host"), 200)
            if self.v3 and server.get("pathname"):
                where += clip(server.get("pathname"), 200)
            protocol = clip(server.get("protocol"), 40)
            label = f"{name}: {where}" + (f" ({protocol})" if protocol else "")
            out.append((label, clip(server.get("description"))))
            if len(out) >= 20:
                break
        return tuple(out)

    def channels(self) -> list[Entry]:
        entries = []
        operations = self.operations2
        for key, channel in self.resolver.items(self.data.get("channels")):
            address = clip(channel.get("address"), 200) if self.v3 and isinstance(
                channel.get("address"), str) else key
            if not self.budget.entry():
                continue
            anchor = self.budget.anchor("channel", address)
            self.channel_anchors[key] = (address, anchor)
            params = tuple(self.params(channel.get("parameters")))
            facts = []
            if _bindings(channel.get("bindings")):
                facts.append(("Bindings", _bindings(channel.get("bindings")), ""))
            bodies: tuple[Body, ...] = ()
            if self.v3:
                bodies = tuple(self.message(raw, name)
                               for name, raw in _raw_items(channel.get("messages")))
            else:
                for action in ("publish", "subscribe"):
                    operation = self.resolver.resolve(channel.get(action))[0]
                    if isinstance(operation, dict) and self.budget.entry():
                        operations.append(self.operation2(action, address, anchor, operation))
                        facts.append((action.capitalize(), operations[-1].summary
                                      or operations[-1].name, operations[-1].anchor))
            entries.append(Entry(anchor, "channel", address, clip(channel.get("summary")),
                                 description_html(channel.get("description")),
                                 facts=tuple(facts), params=params, bodies=bodies,
                                 bodies_title="Messages"))
        return entries

    def params(self, value: object) -> list[Param]:
        out = []
        for name, param in self.resolver.items(value):
            if not self.budget.field():
                break
            schema = param.get("schema")
            kind = type_name(schema, self.resolver) if isinstance(schema, dict) else "string"
            default = param.get("default")
            out.append(Param(name, "", kind, True, "" if default is None else clip(default, 60),
                             clip(param.get("description"))))
        return out

    def message(self, raw: object, name: str = "") -> Body:
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        message = self.resolver.resolve(raw)[0]
        message = message if isinstance(message, dict) else {}
        title = clip(message.get("name") or message.get("title"), 120) or (
            clip(ref.rsplit("/", 1)[-1], 120) if isinstance(ref, str) else name) or "message"
        example = None
        examples = message.get("examples")
        if isinstance(examples, list) and examples and isinstance(examples[0], dict):
            example = examples[0].get("payload")
        tree = schema_tree(message.get("payload"), self.resolver, self.budget.new_tree())
        return Body(title, tree, example_text(example),
                    clip(message.get("summary") or message.get("description")))

    def messages_of(self, value: object) -> list[Body]:
        """An operation's messages: one, a ``oneOf`` list (2.x) or a list of refs (3.0)."""
        if isinstance(value, list):
            return [self.message(item) for item in value[:50]]
        resolved = self.resolver.resolve(value)[0]
        if isinstance(resolved, dict) and isinstance(resolved.get("oneOf"), list):
            return [self.message(item) for item in resolved["oneOf"][:50]]
        return [self.message(value)] if isinstance(value, dict) else []

    def operation2(self, action: str, address: str, channel_anchor: str,
                   operation: dict) -> Entry:
        facts = [("Channel", address, channel_anchor)]
        if operation.get("operationId"):
            facts.append(("Operation ID", clip(operation.get("operationId"), 120), ""))
        if _bindings(operation.get("bindings")):
            facts.append(("Bindings", _bindings(operation.get("bindings")), ""))
        return Entry(self.budget.anchor(action, address), action, address,
                     clip(operation.get("summary")),
                     description_html(operation.get("description")), facts=tuple(facts),
                     bodies=tuple(self.messages_of(operation.get("message"))),
                     bodies_title="Messages")

    def operations3(self) -> list[Entry]:
        entries = []
        for key, operation in self.resolver.items(self.data.get("operations")):
            if not self.budget.entry():
                continue
            action = operation.get("action")
            action = action if action in ("send", "receive") else "operation"
            ref = operation.get("channel")
            target = ref.get("$ref") if isinstance(ref, dict) else None
            channel_key = (target[len("#/channels/"):].replace("~1", "/").replace("~0", "~")
                           if isinstance(target, str) and target.startswith("#/channels/")
                           else "")
            address, channel_anchor = self.channel_anchors.get(channel_key, (channel_key, ""))
            facts = [("Operation", key, ""), ("Channel", address, channel_anchor)]
            if _bindings(operation.get("bindings")):
                facts.append(("Bindings", _bindings(operation.get("bindings")), ""))
            if target is not None and not channel_anchor:
                self.resolver.resolve(ref)  # reports an external or dangling channel
            entries.append(Entry(self.budget.anchor(action, address or key), action,
                                 address or key, clip(operation.get("summary")
                                                     or operation.get("title")),
                                 description_html(operation.get("description")),
                                 facts=tuple(facts),
                                 bodies=tuple(self.messages_of(operation.get("messages"))),
                                 bodies_title="Messages"))
        return entries

    def components(self, section: str) -> list[Entry]:
        components = self.data.get("components")
        container = components.get(section) if isinstance(components, dict) else None
        entries = []
        for name, value in self.resolver.items(container):
            if not self.budget.entry():
                continue
            if section == "messages":
                body = self.message(value, name)
                facts = []
                if value.get("contentType"):
                    facts.append(("Content type", clip(value.get("contentType"), 80), ""))
                if _bindings(value.get("bindings")):
                    facts.append(("Bindings", _bindings(value.get("bindings")), ""))
                entries.append(Entry(self.budget.anchor("message", name), "message", name,
                                     clip(value.get("summary") or value.get("title")),
                                     description_html(value.get("description")),
                                     facts=tuple(facts), bodies=(body,),
                                     bodies_title="Payload"))
            else:
                tree = schema_tree(value, self.resolver, self.budget.new_tree())
                entries.append(Entry(self.budget.anchor("schema", name), "schema", name,
                                     type_name(value, self.resolver),
                                     description_html(value.get("description")), schema=tree))
        return entries


def _raw_items(value: object) -> list[tuple[str, object]]:
    return [(clip(k, 120), v) for k, v in value.items()][:50] if isinstance(value, dict) else []
