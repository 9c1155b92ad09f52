"""AsyncAPI 2.x (channels with publish/subscribe) and 3.x (operations)."""

from __future__ import annotations

from generator.apidefs.model import Operation, Operations, clip, first_line
from generator.apidefs.openapi import mappings

__all__ = ["asyncapi_operations"]


def asyncapi_operations(data: dict, version: str, out: Operations) -> None:
    """Add the operations of an AsyncAPI document ``data`` (of ``version``) to ``out``."""
    if version.startswith("3"):
        _asyncapi3(data, out)
    else:
        _asyncapi2(data, out)


def _asyncapi2(data: dict, out: Operations) -> None:
    for channel, item in mappings(data.get("channels")):
        for action in ("publish", "subscribe"):
            operation = item.get(action)
            if not isinstance(operation, dict):
                continue
            description = operation.get("description") or item.get("description")
            summary = clip(operation.get("summary")) or first_line(description)
            out.add(Operation(action, channel, summary, clip(operation.get("operationId")),
                              clip(description)))
            if out.full:
                return


def _asyncapi3(data: dict, out: Operations) -> None:
    channels = data.get("channels")
    channels = channels if isinstance(channels, dict) else {}
    for key, operation in mappings(data.get("operations")):
        channel_name, channel = _channel3(operation.get("channel"), channels)
        description = operation.get("description") or channel.get("description")
        summary = (clip(operation.get("summary")) or clip(operation.get("title"))
                   or first_line(description))
        out.add(Operation(clip(operation.get("action")) or "operation", channel_name, summary,
                          key, clip(description)))
        if out.full:
            return


def _channel3(ref: object, channels: dict) -> tuple[str, dict]:
    """Display name (address, else key) and object of an AsyncAPI 3 channel reference."""
    channel: object = ref
    key = ""
    if isinstance(ref, dict) and isinstance(ref.get("$ref"), str):
        target = ref["$ref"]
        if target.startswith("#/channels/"):
            key = target[len("#/channels/"):].replace("~1", "/").replace("~0", "~")
            channel = channels.get(key)
        else:
            return clip(target), {}
    if not isinstance(channel, dict):
        return clip(key), {}
    address = channel.get("address")
    return (clip(address) if isinstance(address, str) and address else clip(key)), channel
