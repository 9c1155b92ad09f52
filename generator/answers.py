"""Answers about the catalog for assistants: the questions ``pavedroad mcp`` serves.

Works on the published export (``catalog.json``: Backstage-shaped entities with
``relations``, and ``history.json`` beside it when there) or on a
fresh crawl, which is turned into the same records. Every answer is plain JSON
data and carries the entity's portal URL (``url``); an unknown ref raises
:class:`UnknownRef` with the nearest refs as suggestions. Impact uses the
portal's own rule (:func:`generator.graph.needs.needs_from`, the rule of
:func:`generator.graph.dependency_graph`) over the records' relations, built
on first use without networkx (``pavedroad mcp`` answers its first question
while the assistant waits).
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.contacts import CONTACT_LINKS, links_of, oncall
from generator.refs import InvalidRef, parse_ref
from generator.urls import entity_page_url

__all__ = ["Answers", "BadQuestion", "UnknownRef", "load_answers"]

MAX_RESULTS = 50
"""Entities listed in one answer at most (the count says how many there are)."""


class BadQuestion(ValueError):
    """A question that cannot be answered as asked; the message says what to ask."""


class UnknownRef(BadQuestion):
    """No entity has this ref; the message names the nearest ones."""


class Answers:
    """The catalog, indexed for questions."""

    def __init__(self, records: Iterable[Mapping[str, Any]], *, site_url: str = "",
                 changes: Sequence[Mapping[str, Any]] = ()) -> None:
        self.records: dict[str, Mapping[str, Any]] = {}
        self.relations: dict[str, dict[str, list[str]]] = {}
        for record in records:
            meta = record.get("metadata") or {}
            ref = f"{str(record.get('kind', '')).lower()}:{meta.get('namespace', 'default')}/" \
                  f"{meta.get('name', '')}"
            self.records[ref] = record
            by_type: dict[str, list[str]] = defaultdict(list)
            for relation in record.get("relations") or ():
                by_type[relation["type"]].append(relation["targetRef"])
            self.relations[ref] = dict(by_type)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.changes = list(changes)
        self._needs: dict[str, set[str]] | None = None
        self._needed_by: dict[str, set[str]] | None = None
        self._names: dict[str, list[str]] | None = None

    # -- the questions -------------------------------------------------------

    def find_entities(self, query: str = "", kind: str | None = None,
                      owner: str | None = None) -> dict:
        """Entities whose name, title, description or tags contain ``query``."""
        words = query.lower().split()
        owner_ref = self.resolve(owner, default_kind="group") if owner else None
        kind_name = kind.lower() if kind else None
        hits = []
        for ref, record in self.records.items():
            if kind_name and not ref.startswith(kind_name + ":"):
                continue
            if owner_ref and owner_ref not in self.relations[ref].get("ownedBy", ()):
                continue
            score = _match(words, ref, record)
            if score is not None:
                hits.append((score, ref))
        hits.sort()
        return {"query": query, "count": len(hits),
                "entities": [self.summary(ref) for _, ref in hits[:MAX_RESULTS]]}

    def get_entity(self, ref: str) -> dict:
        """One entity: its facts, links, contacts and relations."""
        ref = self.resolve(ref)
        record = self.records[ref]
        meta = record.get("metadata") or {}
        return {**self.summary(ref), "tags": meta.get("tags") or [],
                "annotations": meta.get("annotations") or {},
                "links": meta.get("links") or [], **self._contacts(record),
                "relations": {k: sorted(v) for k, v in sorted(self.relations[ref].items())}}

    def who_owns(self, ref: str) -> dict:
        """The owning team, its members and how to reach whoever is on call."""
        ref = self.resolve(ref)
        owners = self.relations[ref].get("ownedBy", [])
        answer = {**self.summary(ref), **self._contacts(self.records[ref]), "owners": []}
        for owner in owners:
            team = self._team_card(owner)
            team["members"] = [self._person(m) for m in
                               sorted(self.relations.get(owner, {}).get("hasMember", []))]
            answer["owners"].append(team)
        if not owners:
            answer["note"] = "no owner is set (spec.owner)"
        return answer

    def blast_radius(self, ref: str, depth: int | None = None) -> dict:
        """Everything that transitively needs ``ref``, nearest first."""
        from generator.graph.needs import reach

        ref = self.resolve(ref)
        depth = _depth(depth)
        found = reach(self.needed_by(), ref, max_distance=depth)
        return {**self.summary(ref), "depth": depth, "count": len(found),
                "dependents": [{**self.summary(i.ref), "distance": i.distance, "via": str(i.via)}
                               for i in found[:MAX_RESULTS]]}

    def depends_on(self, ref: str, depth: int | None = 1) -> dict:
        """What ``ref`` needs (its dependencies, consumed APIs and their providers)."""
        from generator.graph.needs import reach

        ref = self.resolve(ref)
        depth = _depth(depth)
        found = reach(self.needs(), ref, max_distance=depth)
        return {**self.summary(ref), "depth": depth, "count": len(found),
                "dependencies": [{**self.summary(i.ref), "distance": i.distance}
                                 for i in found[:MAX_RESULTS]]}

    def team(self, ref: str) -> dict:
        """A team: contact, members, parent and child teams, what it owns."""
        ref = self.resolve(ref, default_kind="group")
        if not ref.startswith("group:"):
            raise BadQuestion(f"{ref} is not a team (a Group); ask who_owns({ref!r})")
        related = self.relations[ref]
        owned = sorted(related.get("ownerOf", []))
        return {**self._team_card(ref),
                "members": [self._person(m) for m in sorted(related.get("hasMember", []))],
                "parent": sorted(related.get("childOf", [])),
                "children": sorted(related.get("parentOf", [])),
                "owns_count": len(owned),
                "owns": [self.summary(r) for r in owned[:MAX_RESULTS]]}

    def changes_since(self, since: str) -> dict:
        """Changes the builds saw since ``since`` (a date or an ISO time), newest first."""
        start = _since(since)
        found = [{**change, "url": self.url(change["ref"])} for change in self.changes
                 if str(change.get("at", "")) >= start]
        answer: dict = {"since": start, "count": len(found), "changes": found[:200]}
        if not self.changes:
            answer["note"] = ("no change log: serve a published catalog.json with its "
                              "history.json beside it (or --history)")
        return answer

    # -- building blocks -------------------------------------------------------

    def resolve(self, text: str | None, *, default_kind: str = "component") -> str:
        """The canonical ref an entity is asked about by (ref, or name if unambiguous)."""
        if not isinstance(text, str) or not text.strip():
            raise BadQuestion("give an entity ref such as component:default/checkout-service "
                              "or a name")
        text = text.strip()
        if text in self.records:
            return text
        try:
            ref = str(parse_ref(text, default_kind=default_kind))
        except InvalidRef as exc:
            raise UnknownRef(f"{text!r} is not an entity ref ({exc}){self._suggest(text)}"
                             ) from None
        if ref in self.records:
            return ref
        if ":" not in text and "/" not in text:
            named = self.names().get(text.lower(), [])
            if len(named) == 1:
                return named[0]
            if named:
                raise UnknownRef(f"{text!r} names {len(named)} entities: {', '.join(named)}")
        raise UnknownRef(f"no entity {ref} in the catalog{self._suggest(text)}")

    def summary(self, ref: str) -> dict:
        """Ref, kind, title, type, lifecycle, owner, description and portal URL."""
        record = self.records.get(ref)
        if record is None:
            return {"ref": ref, "missing": True, "url": None}
        meta, spec = record.get("metadata") or {}, record.get("spec") or {}
        owners = self.relations[ref].get("ownedBy", [])
        answer = {"ref": ref, "kind": record.get("kind"),
                  "title": meta.get("title") or meta.get("name"),
                  "type": spec.get("type"), "lifecycle": spec.get("lifecycle"),
                  "owner": owners[0] if owners else None,
                  "description": meta.get("description") or "", "url": self.url(ref)}
        return {k: v for k, v in answer.items() if v is not None or k in ("owner", "url")}

    def url(self, ref: str) -> str | None:
        """The entity page's URL: absolute with a site URL, else relative to the site root."""
        try:
            path = entity_page_url(parse_ref(ref))
        except InvalidRef:
            return None
        return self.site_url + path

    def names(self) -> dict[str, list[str]]:
        """Lowercase name → refs with that name."""
        if self._names is None:
            self._names = defaultdict(list)
            for ref in self.records:
                self._names[ref.rsplit("/", 1)[-1]].append(ref)
        return self._names

    def needs(self) -> dict[str, set[str]]:
        """What each entity needs (ref → refs), by the portal's rule."""
        if self._needs is None:
            from generator.graph.needs import needs_from

            self._needs = needs_from((ref, kind, target)
                                     for ref, related in self.relations.items()
                                     for kind, targets in related.items() for target in targets)
        return self._needs

    def needed_by(self) -> dict[str, set[str]]:
        """What needs each entity (ref → refs): :meth:`needs` reversed."""
        if self._needed_by is None:
            reverse: dict[str, set[str]] = {}
            for ref, targets in self.needs().items():
                for target in targets:
                    reverse.setdefault(target, set()).add(ref)
            self._needed_by = reverse
        return self._needed_by

    def _suggest(self, text: str) -> str:
        key = text.lower()
        candidates = difflib.get_close_matches(key, list(self.records), n=5, cutoff=0.6)
        by_name = difflib.get_close_matches(key.rsplit("/", 1)[-1].rsplit(":", 1)[-1],
                                            list(self.names()), n=5, cutoff=0.6)
        for name in by_name:
            candidates += [r for r in self.names()[name] if r not in candidates]
        return f"; did you mean {', '.join(candidates[:5])}?" if candidates else \
            "; find_entities lists what there is"

    def _contacts(self, record: Mapping[str, Any]) -> dict:
        meta = record.get("metadata") or {}
        links = [link for link in meta.get("links") or () if isinstance(link, dict)]
        found = {kind: [{"title": link.get("title") or link.get("url"), "url": link.get("url")}
                        for link in links_of(links, *types)]
                 for kind, types in CONTACT_LINKS.items()}
        return {"on_call": oncall(meta.get("annotations") or {}) + found["oncall"],
                "runbook": found["runbook"], "dashboards": found["dashboard"],
                "chat": found["chat"]}

    def _team_card(self, ref: str) -> dict:
        record = self.records.get(ref)
        if record is None:
            return {"ref": ref, "missing": True, "url": None}
        spec = record.get("spec") or {}
        profile = spec.get("profile") if isinstance(spec.get("profile"), dict) else {}
        return {**self.summary(ref), "email": profile.get("email"),
                "display_name": profile.get("displayName"), "chat": self._contacts(record)["chat"]}

    def _person(self, ref: str) -> dict:
        record = self.records.get(ref) or {}
        spec = record.get("spec") or {}
        profile = spec.get("profile") if isinstance(spec.get("profile"), dict) else {}
        return {"ref": ref, "name": profile.get("displayName") or ref.rsplit("/", 1)[-1],
                "email": profile.get("email"), "url": self.url(ref) if record else None}


def load_answers(*, catalog: Path | None = None, sources: Path | None = None,
                 history: Path | None = None, site_url: str = "") -> Answers:
    """:class:`Answers` from a catalog.json (with history.json beside it when there) or
    from a fresh crawl of ``sources``. Raises ``OSError``/``ValueError``."""
    from generator.changes import SECTION

    if catalog is not None:
        from generator.export import catalog_records

        try:
            records = catalog_records(json.loads(catalog.read_bytes()))
        except ValueError as exc:
            raise ValueError(f"{catalog.name} is {exc}") from None
        odd = next((i for i, r in enumerate(records) if not isinstance(r, dict)), None)
        if odd is not None:
            raise ValueError(f"{catalog.name} is not a catalog.json export (entity {odd + 1} "
                             f"is {json.dumps(records[odd])[:40]}, not an object)")
        history = history or (catalog.parent / "history.json")
    else:
        from generator.export import entity_json
        from generator.pipeline import load_catalog

        run = load_catalog(sources or Path("catalog-sources/sources.yaml"))
        records = [entity_json(run.catalog, e) for e in run.catalog.entities.values()]
    changes: list = []
    if history is not None and history.is_file():
        section = json.loads(history.read_text(encoding="utf-8")).get(SECTION)
        changes = [c for c in (section or {}).get("log", []) if isinstance(c, dict)]
    return Answers(records, site_url=site_url, changes=changes)


def _match(words: list[str], ref: str, record: Mapping[str, Any]) -> tuple | None:
    """A sort key (better first) when every word is found, else ``None``."""
    if not words:
        return (3, ref)
    meta = record.get("metadata") or {}
    name = str(meta.get("name", "")).lower()
    title = str(meta.get("title") or "").lower()
    text = " ".join([ref, title, str(meta.get("description") or ""),
                     " ".join(str(t) for t in meta.get("tags") or ())]).lower()
    if not all(w in text for w in words):
        return None
    phrase = " ".join(words)
    rank = 0 if phrase in (name, title) else 1 if name.startswith(phrase) else 2
    return (rank, ref)


def _depth(depth: int | None) -> int | None:
    if depth is None:
        return None
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise BadQuestion(f"depth must be a whole number of hops, 1 or more (got {depth!r})")
    return depth


def _since(since: str) -> str:
    """``since`` as the change log writes times, for comparing strings."""
    text = str(since or "").strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).isoformat()
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadQuestion(f"since must be a date (2026-12-01) or an ISO time, not {since!r}"
                          ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
