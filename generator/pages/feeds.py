"""Atom 1.0 feeds (RFC 4287) of catalog changes, written as text.

Every id is a ``urn:uuid`` derived from what it names (the feed's path, the
change's facts), so it is the same in every build; the times come from the
change log, so the same input gives the same bytes. Text from descriptors is
escaped and stripped of characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from generator.changes import Change

__all__ = ["atom_feed", "change_id"]

_NAMESPACE = uuid.UUID("6f1c5a0e-2b8e-4d1c-9a55-70a7ed70ad00")
"""The namespace of Paved Road's feed and entry ids (any fixed UUID would do)."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_ENTRIES = 100
"""Entries in one feed, newest first."""


def change_id(change: Change) -> str:
    """The entry id of a change: the same change seen by the same build, the same id.

    >>> from generator.changes import Change
    >>> change = Change("2026-12-02T00:00:00Z", "component:default/a", "added")
    >>> change_id(change) == change_id(change), change_id(change)[:9]
    (True, 'urn:uuid:')
    """
    key = "\n".join((change.at, change.ref, change.kind, change.relation, change.before,
                     change.after))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def atom_feed(*, path: str, title: str, page: str, updated: str, changes: Sequence[Change],
              link: Callable[[Change], str]) -> str:
    """An Atom feed at ``path`` (site-relative) about the page ``page`` (a URL relative to
    the feed); ``link`` gives each change's entity page relative to the feed."""
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + path)}</id>",
        f"<title>{_text(title)}</title>",
        f"<updated>{changes[0].at if changes else updated}</updated>",
        f"<link rel=\"self\" href={quoteattr(path.rsplit('/', 1)[-1])}/>",
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(page)}/>",
        "<author><name>Paved Road</name></author>",
        "<generator>Paved Road</generator>",
    ]
    entries = [_entry(change, link(change)) for change in changes[:MAX_ENTRIES]]
    return "\n".join([*head, *entries, "</feed>"]) + "\n"


def _entry(change: Change, href: str) -> str:
    summary = f"{change.ref}: {change.describe()}"
    if change.owner:
        summary += f" (owner {change.owner})"
    return (f"<entry>\n<id>{change_id(change)}</id>\n"
            f"<title>{_text(change.title + ': ' + change.describe())}</title>\n"
            f"<updated>{change.at}</updated>\n"
            f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(href)}/>\n"
            f"<category term={quoteattr(change.kind)}/>\n"
            f"<summary>{_text(summary)}</summary>\n</entry>")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))
