"""Cortex ``cortex.yaml``: an OpenAPI document whose ``info`` holds ``x-cortex-*`` fields.

``x-cortex-tag`` is the name. A service is a Component; ``x-cortex-type: domain`` a Domain,
``team`` a Group, any other type a Component of that type. When the document also
describes an API (``paths``, ``channels``), the whole file is that component's API
definition, as an API entity of the same name.
"""

from __future__ import annotations

import re

from generator.formats.common import OPSGENIE, PAGERDUTY, repository
from generator.formats.model import Draft, FileReader, Pending, slug, tag_of, tier_of
from generator.problems import Severity

__all__ = ["FILE_NAMES", "read"]

FILE_NAMES = ("cortex.yaml", "cortex.yml")

_INFO = frozenset({
    "title", "description", "version", "summary", "contact", "license", "termsOfService",
    "x-cortex-tag", "x-cortex-type", "x-cortex-owners", "x-cortex-groups", "x-cortex-link",
    "x-cortex-dependency", "x-cortex-oncall", "x-cortex-slack", "x-cortex-git",
    "x-cortex-custom-metadata", "x-cortex-dashboards", "x-cortex-issues", "x-cortex-apm",
    "x-cortex-alerts", "x-cortex-infra", "x-cortex-k8s", "x-cortex-parents",
    "x-cortex-children", "x-cortex-domain-parents", "x-cortex-team", "x-cortex-ci-cd",
    "x-cortex-static-analysis", "x-cortex-sentry", "x-cortex-snyk", "x-cortex-rollbar",
    "x-cortex-bugsnag", "x-cortex-microsoft-teams", "x-cortex-firehydrant",
    "x-cortex-service-groups", "x-cortex-definition", "x-cortex-relationships",
    "x-cortex-serviceNow", "x-cortex-servicenow", "x-cortex-checkmarx", "x-cortex-launch-darkly",
    "x-cortex-incident-io", "x-cortex-coralogix", "x-cortex-wiz", "x-cortex-semgrep",
    "x-cortex-mend", "x-cortex-veracode", "x-cortex-sonarqube", "x-cortex-code-cov",
    "x-cortex-dependents", "x-cortex-azure", "x-cortex-aws", "x-cortex-gcp", "x-cortex-owner",
    "x-cortex-slos", "x-cortex-opsgenie", "x-cortex-victorops", "x-cortex-pagerduty",
})
_OWNER = frozenset({"type", "name", "email", "provider", "description", "inheritance"})
_TIER = re.compile(r"(?i)^tier[-_ ]?(\d+)$")
_LINK_TYPES = {"documentation": "docs", "doc": "docs", "runbook": "runbook",
               "dashboard": "dashboard", "metrics": "dashboard", "logs": "logs",
               "openapi": "api", "async_api": "api", "repository": "repository"}
_KINDS = {"service": ("Component", "service"), "domain": ("Domain", None),
          "team": ("Group", "team")}


def read(r: FileReader, data: object) -> list[Draft]:
    """The entities of one ``cortex.yaml``."""
    root = r.mapping(data, (), required=True)
    if not root:
        return []
    info = r.mapping(root.get("info"), ("info",), required=True)
    if not info:
        return []
    path = ("info",)
    r.known(info, path, _INFO, prefix="x-cortex-")
    tag = r.string(info, path, "x-cortex-tag", required=True)
    if not tag:
        return []
    name = slug(tag)
    kind_text = (r.string(info, path, "x-cortex-type") or "service").lower()
    kind, spec_type = _KINDS.get(kind_text, ("Component", slug(kind_text) or "service"))
    draft = Draft(r.line(path), kind, name)
    if not name:
        r.problem((*path, "x-cortex-tag"), "invalid-name",
                  f"x-cortex-tag '{tag}' has no letters or digits to make a name of")
        return []
    draft.names += [tag]
    title = r.string(info, path, "title", required=True)
    if title and title != name:
        draft.set("metadata.title", title, r.line((*path, "title")))
    description = r.string(info, path, "description")
    if description:
        draft.set("metadata.description", description, r.line((*path, "description")))
    line = r.line((*path, "x-cortex-type"))
    if kind == "Group":
        draft.set("spec.type", "team", line)
        draft.set("spec.children", [], line)
        _team(r, info, path, draft)
    elif kind == "Component":
        draft.set("spec.type", spec_type, line, "" if "x-cortex-type" in info else
                  "Cortex service")
        draft.set("spec.lifecycle", "unknown", draft.line, "not set in cortex.yaml")
    if kind != "Group":
        _owners(r, info, path, draft)
    _groups(r, info, path, draft)
    _links(r, info, path, draft)
    _dependencies(r, info, path, draft)
    _oncall(r, info, path, draft)
    _slack(r, info, path, draft)
    _git(r, info, path, draft)
    drafts = [draft]
    api = _api(r, root, draft)
    if api is not None:
        drafts.append(api)
    return drafts


def _dependencies(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    """``- tag: other`` items; a mapping of such lists (by provider) is read too."""
    items = r.items(info, path, "x-cortex-dependency")
    if len(items) == 1 and isinstance(items[0][1], dict) and "tag" not in items[0][1]:
        where, group = items[0]
        items = [(w, v) for key in group for w, v in r.items(group, where, key)]
    for where, item in items:
        target = r.string(item, where, "tag", required=True) if isinstance(item, dict) \
            else item if isinstance(item, str) else None
        if target:
            draft.pending.append(Pending("dependsOn", target, r.line(where)))


def _owners(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    owners: list[tuple[str, int]] = []
    for where, item in r.records(info, path, "x-cortex-owners",
                                 _OWNER,
                                 "such as {type: group, name: my-team}"):
        kind = (r.string(item, where, "type") or "group").lower()
        value = r.string(item, where, "email") if kind == "email" else \
            r.string(item, where, "name")
        if value:
            owners.append((value, r.line(where)))
        else:
            r.problem(where, "missing-field", f"{r.name(where)} needs "
                      f"{'email' if kind == 'email' else 'name'}")
    if owners:
        draft.owner(*owners[0])
        if len(owners) > 1:
            draft.annotate("cortex.io/owners", ", ".join(o for o, _ in owners),
                           r.line((*path, "x-cortex-owners")))


def _team(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    team = r.mapping(info.get("x-cortex-team"), (*path, "x-cortex-team"))
    emails = []
    for where, member in r.items(team, (*path, "x-cortex-team"), "members"):
        if isinstance(member, dict):
            email = r.string(member, where, "email")
            if email:
                emails.append(email)
    if emails:
        draft.annotate("cortex.io/members", ", ".join(emails),
                       r.line((*path, "x-cortex-team")))


def _groups(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    for text, line in r.strings(info, path, "x-cortex-groups"):
        tier = _TIER.match(text.strip())
        if tier:
            draft.label("tier", tier_of(tier.group(1)), line, f"x-cortex-groups: {text}")
        elif tag_of(text):
            draft.tag(tag_of(text), line)


def _links(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    for where, item in r.records(info, path, "x-cortex-link",
                                 frozenset({"name", "type", "url", "description"}),
                                 "with a url"):
        url = r.string(item, where, "url", required=True)
        if url:
            kind = (r.string(item, where, "type") or "").lower()
            draft.link(url, r.line(where), r.string(item, where, "name"),
                       _LINK_TYPES.get(kind, kind or None))


def _oncall(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    where = (*path, "x-cortex-oncall")
    oncall = r.mapping(info.get("x-cortex-oncall"), where)
    for vendor, value in oncall.items():
        sub = r.mapping(value, (*where, vendor))
        ident = r.string(sub, (*where, vendor), "id")
        kind = (r.string(sub, (*where, vendor), "type") or "SERVICE").upper()
        line = r.line((*where, vendor))
        if not ident:
            continue
        if vendor == "pagerduty" and kind == "SERVICE":
            draft.annotate(PAGERDUTY, ident, line)
        elif vendor == "pagerduty":
            draft.annotate(f"pagerduty.com/{kind.lower().replace('_', '-')}-id", ident, line)
        elif vendor == "opsgenie":
            draft.annotate(OPSGENIE, ident, line)
        else:
            draft.annotate(f"cortex.io/oncall-{slug(vendor) or 'other'}", ident, line)


def _slack(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    slack = r.mapping(info.get("x-cortex-slack"), (*path, "x-cortex-slack"))
    for where, item in r.items(slack, (*path, "x-cortex-slack"), "channels"):
        name = r.string(item, where, "name") if isinstance(item, dict) else \
            item if isinstance(item, str) else None
        if name:
            channel = name.lstrip("#")
            draft.link(f"https://slack.com/app_redirect?channel={channel}", r.line(where),
                       f"#{channel}", "chat")


def _git(r: FileReader, info: dict, path: tuple, draft: Draft) -> None:
    where = (*path, "x-cortex-git")
    git = r.mapping(info.get("x-cortex-git"), where)
    for provider, value in git.items():
        sub = r.mapping(value, (*where, provider))
        repo = r.string(sub, (*where, provider), "repository")
        if repo:
            repository(draft, repo, r.line((*where, provider)), str(provider))


def _api(r: FileReader, root: dict, component: Draft) -> Draft | None:
    """The API the OpenAPI part describes, when it describes one."""
    if component.kind != "Component" or not (root.get("paths") or root.get("channels")):
        return None
    api = Draft(component.line, "API", component.name)
    api.metadata = {k: v for k, v in component.metadata.items()
                    if k in ("title", "description")}
    api.lines = {k: v for k, v in component.lines.items() if k[:2] in (
        ("metadata", "title"), ("metadata", "description"))}
    kind = "asyncapi" if "asyncapi" in root else "openapi"
    api.set("spec.type", kind, r.start, "the OpenAPI document of cortex.yaml")
    api.set("spec.lifecycle", "unknown", r.start, "not set in cortex.yaml")
    api.set("spec.definition", r.text, r.start, "the whole cortex.yaml")
    owner = next((p for p in component.pending if p.field == "owner"), None)
    if owner is not None:
        api.owner(owner.name, owner.line)
    component.set("spec.providesApis", [f"api:default/{component.name}"], r.start)
    if "openapi" not in root and "swagger" not in root and "asyncapi" not in root:
        r.problem((), "missing-field", "the document has paths but no openapi: version",
                  Severity.WARNING)
    return api
