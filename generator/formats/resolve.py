"""Names across formats: which Group, User or entity a vendor file's name means.

OpsLevel names a team by alias (``orders_team``), Cortex by tag or e-mail,
Compass by an Atlassian team id, Datadog by team handle, CODEOWNERS by
``@org/team``; the team itself may be defined in any format or as a Backstage
Group. :class:`Names` indexes every entity once under each name it answers to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from generator.formats.common import ALIASES, COMPASS_ID, TEAM_IDS
from generator.formats.model import slug
from generator.refs import EntityRef, InvalidRef, parse_ref

if TYPE_CHECKING:
    from collections.abc import Iterable

    from generator.entities import Entity

__all__ = ["Names"]


_ORDER = ("component", "resource", "api", "system", "domain", "group", "user")


def _keys(text: str) -> list[str]:
    """The forms a name is looked up by, the exact one first."""
    low = text.strip().lower()
    if not low:
        return []
    if len(low) > 63 or low.startswith("ari:"):
        return [low]
    return list(dict.fromkeys(k for k in (low, slug(low), low.replace("_", "-"),
                                          slug(low.replace("_", "-"))) if k))


class Names:
    """Every entity under each name it answers to."""

    def __init__(self, entities: Iterable[Entity],
                 extra: dict[EntityRef, list[str]] | None = None) -> None:
        self.by_name: dict[str, list[EntityRef]] = defaultdict(list)
        self.by_email: dict[str, list[EntityRef]] = defaultdict(list)
        self.refs: set[EntityRef] = set()
        for entity in entities:
            ref = entity.ref
            self.refs.add(ref)
            names = [entity.name, entity.title, *(extra or {}).get(ref, ())]
            names += [n for n in re.split(r"\s*,\s*", entity.annotations.get(ALIASES, "")) if n]
            names += [entity.annotations[k] for k in (COMPASS_ID, *TEAM_IDS)
                      if k in entity.annotations]
            profile = entity.spec.get("profile")
            if isinstance(profile, dict):
                if isinstance(profile.get("displayName"), str):
                    names.append(profile["displayName"])
                if isinstance(profile.get("email"), str):
                    self.by_email[profile["email"].strip().lower()].append(ref)
            for key in {k for n in names if isinstance(n, str) for k in _keys(n)}:
                if ref not in self.by_name[key]:
                    self.by_name[key].append(ref)

    def find(self, name: str, kinds: tuple[str, ...] = _ORDER) -> EntityRef | None:
        """The entity ``name`` means among ``kinds`` (earlier kinds first), or ``None``."""
        name = name.strip()
        if ":" in name and not name.startswith("ari:"):
            try:
                ref = parse_ref(name)
            except InvalidRef:
                ref = None
            if ref is not None and ref in self.refs:
                return ref
        for key in _keys(name):
            found = self.by_name.get(key, ())
            for kind in kinds:
                match = sorted({r for r in found if r.kind == kind})
                if match:
                    return match[0]
        return None

    def owner(self, name: str) -> EntityRef | None:
        """The Group or User an owner reference means.

        ``@org/team`` and ``@user`` (CODEOWNERS, GitHub), e-mails (Cortex), Atlassian
        team ids (Compass, ``ari:cloud:teams::team/…``) and names or aliases.
        """
        text = name.strip()
        if "@" in text and not text.startswith("@"):
            hit = self.by_email.get(text.lower())
            if hit:
                return sorted(hit)[0]
            return self.find(text.split("@", 1)[0], ("user", "group"))
        if text.startswith("@"):
            text = text[1:]
            if "/" in text:
                return self.find(text.split("/", 1)[1], ("group",))
            return self.find(text, ("user", "group"))
        if text.startswith("ari:"):
            return self.find(text, ("group",)) or self.find(text.rsplit("/", 1)[-1],
                                                            ("group",))
        return self.find(text, ("group", "user"))
