"""OpenAPI 2 (Swagger) and 3: the operations of ``paths`` and 3.1 ``webhooks``."""

from __future__ import annotations

from collections.abc import Iterator

from generator.apidefs.model import HTTP_METHODS, Operation, Operations, clip, first_line

__all__ = ["mappings", "openapi_operations"]


def mappings(value: object) -> Iterator[tuple[str, dict]]:
    """Items of ``value`` whose values are mappings, keys as text."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                yield clip(key), item


def openapi_operations(data: dict, out: Operations) -> None:
    """Add every operation of an OpenAPI document ``data`` to ``out``, in document order."""
    for section, webhook in (("paths", False), ("webhooks", True)):
        for path, item in mappings(data.get(section)):
            for method, operation in item.items():
                if not isinstance(method, str) or method.lower() not in HTTP_METHODS:
                    continue
                operation = operation if isinstance(operation, dict) else {}
                summary = (clip(operation.get("summary"))
                           or first_line(operation.get("description"))
                           or clip(item.get("summary")))
                out.add(Operation(
                    method.lower(), path, summary, clip(operation.get("operationId")),
                    clip(operation.get("description") or item.get("description")), webhook))
                if out.full:
                    return
