"""How to reach an entity's people: on call, runbook, dashboards, chat, from its descriptor.

One reading of annotations and links for every place that shows them (the
incident panel, the Markdown twins, ``pavedroad mcp``). Takes the
Backstage-shaped ``annotations`` and ``links`` (as in ``catalog.json``), so it
serves a fresh crawl and a published export alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["CONTACT_LINKS", "ONCALL_ANNOTATIONS", "links_of", "oncall"]

ONCALL_ANNOTATIONS = ("pagerduty.com/service-id", "opsgenie.com/component-selector",
                      "opsgenie.com/team")
"""Annotations naming an on-call rotation, PagerDuty first."""
CONTACT_LINKS = {"oncall": ("oncall", "pagerduty", "opsgenie"), "runbook": ("runbook",),
                 "dashboard": ("dashboard",), "chat": ("chat", "slack")}
"""What each contact is, by the link types (or words in a link's title or icon) it has."""


def links_of(links: Sequence[Mapping[str, str]], *types: str) -> list[Mapping[str, str]]:
    """The links whose type is one of ``types``, or whose title or icon names one.

    >>> links_of([{"url": "u", "type": "runbook"}, {"url": "v", "title": "Slack"}], "slack")
    [{'url': 'v', 'title': 'Slack'}]
    """
    wanted = set(types)
    return [link for link in links
            if str(link.get("type", "")).lower() in wanted
            or any(t in (str(link.get("title", "")) + " " + str(link.get("icon", ""))).lower()
                   for t in wanted)]


def oncall(annotations: Mapping[str, str]) -> list[str]:
    """The on-call rotations the annotations name: ``PagerDuty P123``, ``Opsgenie team``.

    >>> oncall({"pagerduty.com/service-id": "PCHK7Q2", "opsgenie.com/team": "ops"})
    ['PagerDuty PCHK7Q2', 'Opsgenie ops']
    """
    found = []
    for key in ONCALL_ANNOTATIONS:
        value = annotations.get(key)
        if value:
            found.append(f"{'PagerDuty' if key.startswith('pagerduty') else 'Opsgenie'} {value}")
    return found
