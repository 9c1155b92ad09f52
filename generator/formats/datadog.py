"""Datadog Software Catalog ``entity.datadog.yaml`` / ``service.datadog.yaml``.

Schema v3 (``apiVersion: v3``; kinds service, datastore, queue, api, system; several
entities per file separated by ``---``) and the older service definition v2.2
(``schema-version: v2.2``, ``dd-service``; v2 and v2.1 read alike).
"""

from __future__ import annotations

from generator.formats.common import PAGERDUTY, lifecycle_of, pagerduty_id, repository
from generator.formats.model import Draft, FileReader, Pending, slug, tag_of, tier_of
from generator.problems import Severity

__all__ = ["FILE_NAMES", "read"]

FILE_NAMES = ("entity.datadog.yaml", "entity.datadog.yml", "service.datadog.yaml",
              "service.datadog.yml")

_V3_ROOT = frozenset({"apiVersion", "kind", "metadata", "spec", "integrations", "datadog",
                      "extensions"})
_V3_META = frozenset({"name", "displayName", "namespace", "description", "owner",
                      "additionalOwners", "contacts", "links", "tags", "inheritFrom", "id",
                      "managedBy"})
_V3_SPEC = frozenset({"lifecycle", "tier", "type", "languages", "dependsOn", "componentOf",
                      "components", "implementedBy", "interface", "fields"})
_V2_ROOT = frozenset({"schema-version", "dd-service", "dd-team", "team", "description",
                      "tier", "lifecycle", "application", "type", "languages", "contacts",
                      "links", "tags", "integrations", "extensions", "repos", "docs",
                      "ci-pipeline-fingerprints"})
_KINDS = {"service": ("Component", "service"), "datastore": ("Resource", "datastore"),
          "queue": ("Resource", "queue"), "api": ("API", "openapi"),
          "system": ("System", None), "frontend": ("Component", "website"),
          "library": ("Component", "library")}
"""Datadog kind → Backstage kind and default type."""
_REF_KINDS = {"service": "component", "datastore": "resource", "queue": "resource",
              "api": "api", "system": "system", "frontend": "component",
              "library": "component"}
_LINK_TYPES = {"doc": "docs", "repo": "repository", "runbook": "runbook",
               "dashboard": "dashboard", "other": "other"}


def read(r: FileReader, data: object) -> list[Draft]:
    """The entity of one document of a Datadog file."""
    root = r.mapping(data, (), required=True)
    if not root:
        return []
    draft = _v3(r, root) if "apiVersion" in root else _v2(r, root)
    return [draft] if draft else []


def _v3(r: FileReader, root: dict) -> Draft | None:
    r.known(root, (), _V3_ROOT)
    version = r.string(root, (), "apiVersion")
    if version != "v3":
        r.problem(("apiVersion",), "unknown-version",
                  f"apiVersion {version} is not known; this reader follows v3", Severity.WARNING)
    kind_text = (r.string(root, (), "kind", required=True) or "service").lower()
    if kind_text not in _KINDS:
        r.problem(("kind",), "unknown-value", f"kind {kind_text} is not a Datadog v3 kind "
                  f"({', '.join(_KINDS)}); read as a service", Severity.WARNING)
    kind, default_type = _KINDS.get(kind_text, _KINDS["service"])
    meta = r.mapping(root.get("metadata"), ("metadata",), required=True)
    spec = r.mapping(root.get("spec"), ("spec",))
    r.known(meta, ("metadata",), _V3_META)
    r.known(spec, ("spec",), _V3_SPEC)
    name = r.string(meta, ("metadata",), "name", required=True)
    if not name:
        return None
    draft = _start(r, kind, name, ("metadata", "name"))
    if draft is None:
        return None
    title = r.string(meta, ("metadata",), "displayName")
    if title:
        draft.set("metadata.title", title, r.line(("metadata", "displayName")))
    description = r.string(meta, ("metadata",), "description")
    if description:
        draft.set("metadata.description", description, r.line(("metadata", "description")))
    owner = r.string(meta, ("metadata",), "owner")
    if owner:
        draft.owner(owner, r.line(("metadata", "owner")))
    extra = [o for where, item in r.items(meta, ("metadata",), "additionalOwners")
             if isinstance(item, dict) and (o := r.string(item, where, "name"))]
    if extra:
        draft.annotate("datadoghq.com/additional-owners", ", ".join(extra),
                       r.line(("metadata", "additionalOwners")))
    _contacts(r, meta, ("metadata",), draft)
    _links(r, meta, ("metadata",), draft)
    for text, line in r.strings(meta, ("metadata",), "tags"):
        if tag_of(text):
            draft.tag(tag_of(text), line)
    _spec(r, spec, ("spec",), draft, kind, default_type)
    for text, line in r.strings(spec, ("spec",), "dependsOn"):
        _pending(draft, "dependsOn", text, line)
    for text, line in r.strings(spec, ("spec",), "componentOf"):
        _pending(draft, "system", text, line)
    if kind == "System":
        for text, line in r.strings(spec, ("spec",), "components"):
            _pending(draft, "part", text, line)
    if kind == "API":
        interface = r.mapping(spec.get("interface"), ("spec", "interface"))
        definition = interface.get("definition")
        text = definition if isinstance(definition, str) else ""
        if isinstance(definition, dict):
            import yaml
            text = yaml.safe_dump(definition, sort_keys=False, allow_unicode=True)
        draft.set("spec.definition", text, r.line(("spec", "interface")),
                  "" if text else "not set in the Datadog file")
    _integrations(r, root, draft)
    return draft


def _v2(r: FileReader, root: dict) -> Draft | None:
    r.known(root, (), _V2_ROOT)
    version = r.string(root, (), "schema-version")
    if version is None:
        r.problem((), "missing-field", "schema-version is required (v2.2)", Severity.WARNING)
    elif version.lower().removeprefix("v") not in ("2", "2.1", "2.2"):
        r.problem(("schema-version",), "unknown-version",
                  f"schema-version {version} is not known; this reader follows v2.2",
                  Severity.WARNING)
    name = r.string(root, (), "dd-service", required=True)
    if not name:
        return None
    draft = _start(r, "Component", name, ("dd-service",))
    if draft is None:
        return None
    description = r.string(root, (), "description")
    if description:
        draft.set("metadata.description", description, r.line(("description",)))
    owner = r.string(root, (), "team") or r.string(root, (), "dd-team")
    if owner:
        draft.owner(owner, r.line(("team",) if "team" in root else ("dd-team",)))
    _contacts(r, root, (), draft)
    _links(r, root, (), draft)
    for text, line in r.strings(root, (), "tags"):
        if tag_of(text):
            draft.tag(tag_of(text), line)
    for where, item in r.items(root, (), "repos"):
        url = r.string(item, where, "url") if isinstance(item, dict) else None
        if url:
            repository(draft, url, r.line(where))
    for where, item in r.items(root, (), "docs"):
        url = r.string(item, where, "url") if isinstance(item, dict) else None
        if url:
            draft.link(url, r.line(where), r.string(item, where, "name"), "docs")
    _spec(r, root, (), draft, "Component", "service")
    application = r.string(root, (), "application")
    if application:
        draft.annotate("datadoghq.com/application", application, r.line(("application",)))
        draft.pending.append(Pending("system", application, r.line(("application",))))
    _integrations(r, root, draft)
    return draft


def _start(r: FileReader, kind: str, name: str, path: tuple) -> Draft | None:
    draft = Draft(r.start, kind, slug(name))
    if not draft.name:
        r.problem(path, "invalid-name", f"{r.name(path)} '{name}' has no letters or digits")
        return None
    draft.names.append(name)
    return draft


def _pending(draft: Draft, field: str, text: str, line: int) -> None:
    """``service:cart`` → a pending reference to component ``cart``."""
    kind, sep, name = text.partition(":")
    if sep and kind.lower() in _REF_KINDS:
        draft.pending.append(Pending(field, name, line, _REF_KINDS[kind.lower()]))
    else:
        draft.pending.append(Pending(field, text, line, "system" if field == "system" else None))


def _spec(r: FileReader, spec: dict, path: tuple, draft: Draft, kind: str,
          default_type: str | None) -> None:
    kind_type = r.string(spec, path, "type")
    if kind in ("Component", "Resource", "API"):
        draft.set("spec.type", slug(kind_type) if kind_type else default_type,
                  r.line((*path, "type")), "" if kind_type else "Datadog kind")
    elif kind_type:
        draft.set("spec.type", slug(kind_type), r.line((*path, "type")))
    if kind in ("Component", "API"):
        lifecycle = r.string(spec, path, "lifecycle")
        draft.set("spec.lifecycle", lifecycle_of(lifecycle) if lifecycle else "unknown",
                  r.line((*path, "lifecycle")),
                  f"lifecycle: {lifecycle}" if lifecycle else "not set in the Datadog file")
    tier = r.string(spec, path, "tier")
    if tier and tier_of(tier):
        draft.label("tier", tier_of(tier), r.line((*path, "tier")), f"tier: {tier}")
    for text, line in r.strings(spec, path, "languages"):
        if tag_of(text):
            draft.tag(tag_of(text), line)


def _contacts(r: FileReader, obj: dict, path: tuple, draft: Draft) -> None:
    for where, item in r.records(obj, path, "contacts",
                                 frozenset({"name", "type", "contact"}),
                                 "with type and contact"):
        contact = r.string(item, where, "contact", required=True)
        kind = (r.string(item, where, "type") or "").lower()
        if not contact:
            continue
        if kind == "email" and "://" not in contact:
            contact = f"mailto:{contact.removeprefix('mailto:')}"
        link_type = {"email": "email", "slack": "chat", "microsoft-teams": "chat"}.get(kind,
                                                                                      kind)
        draft.link(contact, r.line(where), r.string(item, where, "name"), link_type or None)


def _links(r: FileReader, obj: dict, path: tuple, draft: Draft) -> None:
    for where, item in r.records(obj, path, "links",
                                 frozenset({"name", "type", "url", "provider"}),
                                 "with a url"):
        url = r.string(item, where, "url", required=True)
        if not url:
            continue
        kind = (r.string(item, where, "type") or "other").lower()
        if kind == "repo":
            repository(draft, url, r.line(where), r.string(item, where, "provider"))
        else:
            draft.link(url, r.line(where), r.string(item, where, "name"),
                       _LINK_TYPES.get(kind, kind))


def _integrations(r: FileReader, root: dict, draft: Draft) -> None:
    where = ("integrations",)
    integrations = r.mapping(root.get("integrations"), where)
    r.known(integrations, where, frozenset({"pagerduty", "opsgenie"}))
    pagerduty = r.mapping(integrations.get("pagerduty"), (*where, "pagerduty"))
    url = r.string(pagerduty, (*where, "pagerduty"), "serviceURL") or \
        r.string(pagerduty, (*where, "pagerduty"), "service-url")
    if url:
        service = pagerduty_id(url)
        line = r.line((*where, "pagerduty"))
        if service:
            draft.annotate(PAGERDUTY, service, line)
            draft.link(url, line, "PagerDuty", "oncall") if "://" in url else None
        else:
            r.problem((*where, "pagerduty"), "invalid-pagerduty-id",
                      f"'{url}' is not a PagerDuty service URL", Severity.WARNING)
    opsgenie = r.mapping(integrations.get("opsgenie"), (*where, "opsgenie"))
    url = r.string(opsgenie, (*where, "opsgenie"), "serviceURL") or \
        r.string(opsgenie, (*where, "opsgenie"), "service-url")
    if url:
        draft.link(url, r.line((*where, "opsgenie")), "Opsgenie", "oncall")
