"""Vocabulary the vendor formats share: lifecycles, link types, on-call ids, repositories."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.formats.model import Draft

__all__ = ["ALIASES", "COMPASS_ID", "OPSGENIE", "PAGERDUTY", "TEAM_IDS", "lifecycle_of",
           "pagerduty_id", "repository"]

ALIASES = "pavedroad.dev/aliases"
"""Annotation holding the other names an entity answers to (lookups find them)."""
COMPASS_ID = "compass.atlassian.com/component-id"
"""Annotation holding a Compass component's id (its ``relationships`` point at ids)."""
TEAM_IDS = ("compass.atlassian.com/team-id", "atlassian.com/team-id")
"""Annotations a Group may carry to be found by its Atlassian team id."""
PAGERDUTY = "pagerduty.com/service-id"
OPSGENIE = "opsgenie.com/team"

_LIFECYCLES = {
    "production": "production", "active": "production", "generally_available": "production",
    "generally-available": "production", "ga": "production", "live": "production",
    "stable": "production",
    "experimental": "experimental", "pre-alpha": "experimental", "pre_alpha": "experimental",
    "alpha": "experimental", "beta": "experimental", "pre-release": "experimental",
    "development": "experimental", "incubating": "experimental",
    "deprecated": "deprecated", "end-of-life": "deprecated", "end_of_life": "deprecated",
    "eol": "deprecated", "sunset": "deprecated", "retired": "deprecated",
}


def lifecycle_of(value: str) -> str:
    """A vendor's lifecycle as Backstage's words where one fits, else as written (a slug).

    >>> lifecycle_of("generally_available"), lifecycle_of("Pre-release"), lifecycle_of("Pilot")
    ('production', 'experimental', 'pilot')
    """
    key = value.strip().lower().replace(" ", "-")
    return _LIFECYCLES.get(key, _LIFECYCLES.get(key.replace("-", "_"), key))


_PD_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")
_PD_PATH = re.compile(r"/(?:service-directory|services)/([A-Za-z0-9]+)")


def pagerduty_id(value: str) -> str | None:
    """A PagerDuty service id, from the id itself or a service URL.

    >>> pagerduty_id("https://acme.pagerduty.com/service-directory/PX12AB3")
    'PX12AB3'
    >>> pagerduty_id("P1A2B3C")
    'P1A2B3C'
    """
    value = value.strip()
    if _PD_ID.match(value):
        return value
    match = _PD_PATH.search(urlsplit(value).path) if "://" in value else None
    return match.group(1) if match else None


_HOSTS = {"github": ("github.com", "github.com/project-slug"),
          "gitlab": ("gitlab.com", "gitlab.com/project-slug"),
          "bitbucket": ("bitbucket.org", None)}


def repository(draft: Draft, value: str, line: int, provider: str | None = None) -> None:
    """Record where the code lives: a repository link and, for GitHub and GitLab, the slug
    annotation Backstage plugins read. ``value`` is a URL or an ``org/repo`` slug."""
    value = value.strip()
    if "://" in value:
        parts = urlsplit(value)
        host = parts.hostname or ""
        path = parts.path.strip("/").removesuffix(".git")
        draft.link(value, line, "Repository", "repository")
        for name, (domain, annotation) in _HOSTS.items():
            if host.endswith(domain) and annotation and path.count("/") >= 1:
                draft.annotate(annotation, "/".join(path.split("/")[:2]), line)
                provider = name
        return
    slug = value.removeprefix("/").removesuffix(".git")
    name = (provider or "github").strip().lower()
    if slug.count("/") != 1 or name not in _HOSTS:
        return
    domain, annotation = _HOSTS[name]
    draft.link(f"https://{domain}/{slug}", line, "Repository", "repository")
    if annotation:
        draft.annotate(annotation, slug, line)
