"""Atlassian Compass ``compass.yml`` (config as code, ``configVersion: 1``).

``typeId`` gives the component type (``CLOUD_RESOURCE`` becomes a Resource), ``ownerId``
an Atlassian team id resolved against Groups (by the ``compass.atlassian.com/team-id``
annotation or name), ``relationships.DEPENDS_ON`` other components' ids.
"""

from __future__ import annotations

from generator.formats.common import (
    COMPASS_ID,
    PAGERDUTY,
    lifecycle_of,
    pagerduty_id,
    repository,
)
from generator.formats.model import Draft, FileReader, Pending, slug, tag_of, tier_of
from generator.problems import Severity

__all__ = ["FILE_NAMES", "read"]

FILE_NAMES = ("compass.yml", "compass.yaml")

_ROOT = frozenset({"configVersion", "name", "id", "description", "typeId", "ownerId",
                   "fields", "links", "relationships", "labels", "customFields"})
_TYPES = frozenset({"SERVICE", "LIBRARY", "APPLICATION", "CAPABILITY", "CLOUD_RESOURCE",
                    "DATA_PIPELINE", "MACHINE_LEARNING_MODEL", "UI_ELEMENT", "WEBSITE",
                    "OTHER"})
_LINKS = {"REPOSITORY": "repository", "DOCUMENT": "docs", "DASHBOARD": "dashboard",
          "ON_CALL": "oncall", "CHAT_CHANNEL": "chat", "PROJECT": "project",
          "OTHER_LINK": "other"}


def read(r: FileReader, data: object) -> list[Draft]:
    """The component of one ``compass.yml``."""
    root = r.mapping(data, (), required=True)
    if not root:
        return []
    r.known(root, (), _ROOT)
    version = root.get("configVersion")
    if version is not None and str(version) != "1":
        r.problem(("configVersion",), "unknown-version",
                  f"configVersion {version} is not known; this reader follows version 1",
                  Severity.WARNING)
    title = r.string(root, (), "name", required=True)
    if not title:
        return []
    type_id = (r.string(root, (), "typeId") or "SERVICE").upper()
    if type_id not in _TYPES:
        r.problem(("typeId",), "unknown-value",
                  f"typeId {type_id} is not a Compass type ({', '.join(sorted(_TYPES))}); "
                  "it is kept as the component type", Severity.WARNING)
    resource = type_id == "CLOUD_RESOURCE"
    draft = Draft(r.start, "Resource" if resource else "Component", slug(title))
    if not draft.name:
        r.problem(("name",), "invalid-name", f"name '{title}' has no letters or digits")
        return []
    draft.names.append(title)
    if title != draft.name:
        draft.set("metadata.title", title, r.line(("name",)))
    ident = r.string(root, (), "id")
    if ident:
        draft.annotate(COMPASS_ID, ident, r.line(("id",)))
        draft.names.append(ident)
    description = r.string(root, (), "description")
    if description:
        draft.set("metadata.description", description, r.line(("description",)))
    draft.set("spec.type", type_id.lower().replace("_", "-"), r.line(("typeId",)),
              f"typeId: {type_id}")
    owner = r.string(root, (), "ownerId")
    if owner:
        draft.owner(owner, r.line(("ownerId",)))
    fields = r.mapping(root.get("fields"), ("fields",))
    r.known(fields, ("fields",), frozenset({"tier", "lifecycle", "isMonorepo"}))
    tier = r.string(fields, ("fields",), "tier")
    if tier:
        draft.label("tier", tier_of(tier), r.line(("fields", "tier")), f"fields.tier: {tier}")
    if not resource:
        lifecycle = r.string(fields, ("fields",), "lifecycle")
        draft.set("spec.lifecycle", lifecycle_of(lifecycle) if lifecycle else "unknown",
                  r.line(("fields", "lifecycle")),
                  f"fields.lifecycle: {lifecycle}" if lifecycle else "not set in compass.yml")
    _links(r, root, draft)
    relationships = r.mapping(root.get("relationships"), ("relationships",))
    r.known(relationships, ("relationships",), frozenset({"DEPENDS_ON", "CHILD_OF"}))
    for target, line in r.strings(relationships, ("relationships",), "DEPENDS_ON"):
        draft.pending.append(Pending("dependsOn", target, line))
    for text, line in r.strings(root, (), "labels"):
        if tag_of(text):
            draft.tag(tag_of(text), line)
    for where, item in r.records(root, (), "customFields",
                                 frozenset({"name", "type", "value"}),
                                 "with name, type and value"):
        name = r.string(item, where, "name")
        value = item.get("value")
        if name and slug(name) and value is not None:
            text = ", ".join(str(v) for v in value) if isinstance(value, list) else \
                str(value).lower() if isinstance(value, bool) else str(value)
            draft.annotate(f"compass.atlassian.com/{slug(name)}", text, r.line(where))
    return [draft]


def _links(r: FileReader, root: dict, draft: Draft) -> None:
    for where, item in r.records(root, (), "links",
                                 frozenset({"name", "type", "url"}),
                                 "with type and url"):
        url = r.string(item, where, "url", required=True)
        if not url:
            continue
        kind = (r.string(item, where, "type") or "OTHER_LINK").upper()
        if kind not in _LINKS:
            r.problem((*where, "type"), "unknown-value", f"{r.name(where)}.type {kind} is not "
                      f"a Compass link type ({', '.join(_LINKS)})", Severity.WARNING)
        line = r.line(where)
        if kind == "REPOSITORY":
            repository(draft, url, line)
            continue
        draft.link(url, line, r.string(item, where, "name"), _LINKS.get(kind, "other"))
        service = pagerduty_id(url) if kind == "ON_CALL" and "pagerduty" in url else None
        if service and PAGERDUTY not in draft.metadata.get("annotations", {}):
            draft.annotate(PAGERDUTY, service, line)
