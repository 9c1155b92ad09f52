"""OpsLevel ``opslevel.yml`` (version 1): a ``component:``, or the older ``service:``, or a
``repository:`` that describes the repository itself.

Names are OpsLevel *aliases* (``orders_team``, ``tier_1``); owners and dependencies are
resolved across formats later. Tools become typed links, PagerDuty alert sources feed the
incident panel and ``lookup/pagerduty/``.
"""

from __future__ import annotations

from generator.formats.common import (
    ALIASES,
    OPSGENIE,
    PAGERDUTY,
    lifecycle_of,
    pagerduty_id,
    repository,
)
from generator.formats.model import Draft, FileReader, Pending, slug, tag_of, tier_of
from generator.problems import Severity

__all__ = ["FILE_NAMES", "read"]

FILE_NAMES = ("opslevel.yml", "opslevel.yaml")
"""OpsLevel detects only ``opslevel.yml``; ``opslevel.yaml`` is read too, as people write it."""

_ROOT = frozenset({"version", "component", "service", "repository"})
_COMPONENT = frozenset({
    "name", "description", "type", "owner", "lifecycle", "tier", "product", "language",
    "framework", "system", "aliases", "tags", "tools", "dependencies", "alert_sources",
    "repositories", "properties", "parent", "note", "notes", "infrastructure", "contacts",
})
_REPOSITORY = frozenset({"name", "owner", "tier", "tags", "description", "properties",
                         "visible", "aliases"})
_TOOL = frozenset({"name", "category", "url", "environment", "displayName", "display_name"})
_ALERT = frozenset({"type", "external_id", "id", "name", "url", "service_id", "integration"})
_TOOL_TYPES = {
    "runbooks": "runbook", "runbook": "runbook", "metrics": "dashboard",
    "observability": "dashboard", "dashboards": "dashboard", "logs": "logs",
    "incidents": "oncall", "code": "repository", "wiki": "docs", "api_documentation": "api-docs",
    "architecture_diagram": "docs", "continuous_integration": "ci", "deployment": "deployment",
    "errors": "errors", "feature_flag": "feature-flags", "health_checks": "health",
    "issue_tracking": "issues", "backlog": "issues", "status_page": "status",
    "orchestrator": "deployment", "security_scans": "security", "admin": "admin",
}
"""OpsLevel tool categories → Backstage link types (the incident panel reads runbook,
dashboard, oncall, chat)."""


def read(r: FileReader, data: object) -> list[Draft]:
    """The entities of one ``opslevel.yml`` document."""
    root = r.mapping(data, (), required=True)
    if not root:
        return []
    r.known(root, (), _ROOT)
    version = root.get("version")
    if version is None:
        r.problem((), "missing-field", "version is required (version: 1)", Severity.WARNING)
    elif str(version) != "1":
        r.problem(("version",), "unknown-version",
                  f"version {version} is not known; this reader follows version 1",
                  Severity.WARNING)
    roots = [k for k in ("component", "service", "repository") if k in root]
    if len(roots) != 1:
        r.problem((), "missing-field" if not roots else "ambiguous-root",
                  "an opslevel.yml holds one of component:, service: or repository:"
                  + (f", not {', '.join(roots)}" if roots else ""))
        if not roots:
            return []
    key = roots[0]
    body = r.mapping(root.get(key), (key,), required=True)
    if not body:
        return []
    if key == "repository":
        return [_repository(r, body)]
    draft = _component(r, body, key)
    return [draft] if draft else []


def _component(r: FileReader, body: dict, key: str) -> Draft | None:
    path = (key,)
    r.known(body, path, _COMPONENT)
    title = r.string(body, path, "name", required=True)
    if not title:
        return None
    draft = Draft(r.line(path), "Component", slug(title))
    if not draft.name:
        r.problem((*path, "name"), "invalid-name", f"{key}.name '{title}' has no letters or "
                  "digits to make a name of")
        return None
    draft.names.append(title)
    if title != draft.name:
        draft.set("metadata.title", title, r.line((*path, "name")))
    for field, target in (("description", "metadata.description"),):
        text = r.string(body, path, field)
        if text:
            draft.set(target, text, r.line((*path, field)))
    kind = r.string(body, path, "type") if key == "component" else None
    draft.set("spec.type", slug(kind) if kind else "service",
              r.line((*path, "type")) if kind else r.line(path),
              "" if kind else "OpsLevel service")
    lifecycle = r.string(body, path, "lifecycle")
    line = r.line((*path, "lifecycle"))
    draft.set("spec.lifecycle", lifecycle_of(lifecycle) if lifecycle else "unknown",
              line, f"lifecycle: {lifecycle}" if lifecycle else "not set in opslevel.yml")
    _common(r, body, path, draft)
    for field in ("language", "framework"):
        text = r.string(body, path, field)
        if text and tag_of(text):
            draft.tag(tag_of(text), r.line((*path, field)))
            draft.notes.setdefault("metadata.tags", f"{field}: {text}")
    for name, _line in r.strings(body, path, "aliases"):
        draft.names.append(name)
    if len(draft.names) > 1:
        draft.annotate(ALIASES, ", ".join(draft.names[1:]), r.line((*path, "aliases")))
    product = r.string(body, path, "product")
    if product:
        draft.annotate("opslevel.com/product", product, r.line((*path, "product")))
        draft.pending.append(Pending("system", product, r.line((*path, "product"))))
    system = r.string(body, path, "system")
    if system:
        draft.pending.append(Pending("system", system, r.line((*path, "system"))))
    _tools(r, body, path, draft)
    for where, item in r.items(body, path, "dependencies"):
        name = item if isinstance(item, str) else None
        if isinstance(item, dict):
            r.known(item, where, frozenset({"alias", "name", "notes", "description"}))
            name = r.string(item, where, "alias") or r.string(item, where, "name")
        if name:
            draft.pending.append(Pending("dependsOn", name, r.line(where)))
        elif not isinstance(item, dict):
            r.problem(where, "wrong-type", f"{r.name(where)} must be an alias or {{alias: …}}")
    _alert_sources(r, body, path, draft)
    for where, item in r.items(body, path, "repositories"):
        if isinstance(item, str):
            repository(draft, item, r.line(where))
        elif isinstance(item, dict):
            r.known(item, where, frozenset({"name", "provider", "path", "display_name"}))
            name = r.string(item, where, "name")
            if name:
                repository(draft, name, r.line(where), r.string(item, where, "provider"))
    return draft


def _repository(r: FileReader, body: dict) -> Draft:
    """A ``repository:`` root names no entity: its owner, tier and tags describe the
    repository, and fill what the repository's entities leave unset."""
    path = ("repository",)
    r.known(body, path, _REPOSITORY)
    draft = Draft(r.line(path), "Repository", "")
    _common(r, body, path, draft)
    return draft


def _common(r: FileReader, body: dict, path: tuple, draft: Draft) -> None:
    owner = r.string(body, path, "owner")
    if owner:
        draft.owner(owner, r.line((*path, "owner")))
    tier = r.string(body, path, "tier")
    if tier and tier_of(tier):
        draft.label("tier", tier_of(tier), r.line((*path, "tier")), f"tier: {tier}")
    tags = body.get("tags")
    if isinstance(tags, dict):  # tags: {db: mongo}
        body = {**body, "tags": [{"key": k, "value": v} for k, v in tags.items()]}
    for where, item in r.items(body, path, "tags"):
        text = None
        if isinstance(item, dict):
            r.known(item, where, frozenset({"key", "value"}))
            k, v = r.string(item, where, "key"), r.string(item, where, "value")
            text = f"{k}:{v}" if k and v else k
        elif isinstance(item, str):
            text = item
        if text and tag_of(text):
            draft.tag(tag_of(text), r.line(where))
        elif text:
            r.problem(where, "invalid-tag", f"{r.name(where)} '{text}' cannot be a tag",
                      Severity.WARNING)


def _tools(r: FileReader, body: dict, path: tuple, draft: Draft) -> None:
    for where, item in r.records(body, path, "tools",
                                 _TOOL,
                                 "with a url"):
        url = r.string(item, where, "url", required=True)
        if not url:
            continue
        name = r.string(item, where, "name") or r.string(item, where, "displayName")
        category = (r.string(item, where, "category") or "other").lower()
        environment = r.string(item, where, "environment")
        title = f"{name} ({environment})" if name and environment else name or environment
        draft.link(url, r.line(where), title, _TOOL_TYPES.get(category, category))


def _alert_sources(r: FileReader, body: dict, path: tuple, draft: Draft) -> None:
    for where, item in r.records(body, path, "alert_sources",
                                 _ALERT,
                                 "such as {type: pagerduty, external_id: P1A2B3C}"):
        kind = (r.string(item, where, "type") or "").lower()
        ident = next((v for k in ("external_id", "id", "service_id", "url")
                      if (v := r.string(item, where, k))), None)
        line = r.line(where)
        if not ident:
            r.problem(where, "missing-field", f"{r.name(where)} needs external_id")
        elif kind == "pagerduty":
            service = pagerduty_id(ident)
            if service and PAGERDUTY not in draft.metadata.get("annotations", {}):
                draft.annotate(PAGERDUTY, service, line)
            elif not service:
                r.problem(where, "invalid-pagerduty-id", f"{r.name(where)}: '{ident}' is not "
                          "a PagerDuty service id or URL", Severity.WARNING)
        elif kind == "opsgenie":
            draft.annotate(OPSGENIE, ident, line)
        elif "://" in ident:
            draft.link(ident, line, r.string(item, where, "name") or kind or None, "oncall")
