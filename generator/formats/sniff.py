"""Which format a loaded YAML document is written in, by its top-level keys."""

from __future__ import annotations

__all__ = ["sniff"]


def sniff(data: object) -> str | None:
    """``backstage``, ``opslevel``, ``cortex``, ``compass``, ``datadog`` or ``None``.

    >>> sniff({"apiVersion": "backstage.io/v1alpha1", "kind": "Component"}), sniff({"a": 1})
    ('backstage', None)
    >>> sniff({"schema-version": "v2.2", "dd-service": "cart"})
    'datadog'
    """
    if not isinstance(data, dict):
        return None
    api = data.get("apiVersion")
    if isinstance(api, str) and "kind" in data:
        if api.startswith("v") and api[1:2].isdigit():
            return "datadog"
        if "/" in api:
            return "backstage"
    if "schema-version" in data or "dd-service" in data:
        return "datadog"
    if "configVersion" in data or "typeId" in data:
        return "compass"
    info = data.get("info")
    if ("openapi" in data or "swagger" in data or "asyncapi" in data) and isinstance(info, dict):
        return "cortex" if any(str(k).startswith("x-cortex") for k in info) else "openapi"
    if any(k in data for k in ("component", "service", "repository")) and \
            ("version" in data or len(data) == 1):
        return "opslevel"
    return None
