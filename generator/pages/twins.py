"""Markdown twins and ``llms.txt``: the portal for language models and assistants.

Beside every entity, team and docs page's HTML an ``index.md`` says the same
compactly (owner, on call, runbook, dependencies, dependents, docs), linking
other twins; ``llms.txt`` at the site root (the llms.txt convention) says what
the portal is and links the twins by section. Twins are published files
(:attr:`generator.pages.PageSet.twins`), never pages or docs sources.
Descriptor text is flattened to one line and Markdown's syntax characters are
escaped, so no value can start a heading, a list or a link of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.contacts import CONTACT_LINKS, links_of, oncall
from generator.parallel import split_map
from generator.urls import (
    CATALOG_EXPORT,
    CHANGES_FEED,
    LLMS_TXT,
    entity_page,
    markdown_twin,
    relative_file,
)
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.catalog import Catalog
    from generator.docs import Docs
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView, ViewBuilder
    from generator.refs import EntityRef

__all__ = ["TwinFeature"]

_SYNTAX = re.compile(r"([\\`*_\[\]<>#|!])")
_SECTIONS = (("Teams", ("group",)), ("Systems and domains", ("system", "domain")),
             ("Components", ("component",)), ("APIs", ("api",)), ("Resources", ("resource",)),
             ("Templates", ("template",)))
"""llms.txt's sections, by kind; users are listed on their teams' twins."""
_OUT = (("Depends on", "dependsOn"), ("Consumes APIs", "consumesApi"),
        ("Provides APIs", "providesApi"), ("Part of", "partOf"), ("Subcomponent of", "partOf"))
_IN = (("Depended on by", "dependencyOf"), ("Consumed by", "apiConsumedBy"),
       ("Provided by", "apiProvidedBy"))
_PARTS = (("Part", "hasPart"),)


def md(value: object) -> str:
    """Text on one line with Markdown's syntax characters escaped.

    >>> md("a [link](x)\\n# head")
    'a \\\\[link\\\\](x) \\\\# head'
    """
    return _SYNTAX.sub(r"\\\1", " ".join(str(value).split()))


@dataclass(slots=True)
class TwinFeature:
    """Adds a Markdown twin beside entity and docs pages, and ``llms.txt``."""

    docs: Docs | None = None
    """Each entity's docs, for its twin's Docs line."""
    kept: Mapping[str, str] = field(default_factory=dict)
    """Twins the build before made of the same inputs (:class:`generator.portalmemo.Earlier`),
    taken as they are."""

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        """Twins are written in :meth:`site`, from the catalog."""

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        paths = {markdown_twin(entity_page(ref)): entity
                 for ref, entity in catalog.entities.items()}
        todo = [(path, entity) for path, entity in paths.items() if path not in self.kept]
        made = dict(zip((path for path, _ in todo), split_map(  # on every core, as pages are
            lambda item: self._entity(catalog, item[1]), todo), strict=True))
        for path in paths:
            pages.twins[path] = made[path] if path in made else self.kept[path]
        docs_titles: dict[str, str] = {}
        for site in self.docs.sites.values() if self.docs is not None else ():
            entity = catalog.get(site.ref)
            for path, page in site.pages.items():
                twin = markdown_twin(site.site_path(path))
                owner = relative_file(twin, markdown_twin(entity_page(site.ref)))
                docs_titles[twin] = f"{site.title}: {page.title}"
                pages.twins[twin] = (
                    f"> Docs of [{md(entity.title if entity else site.ref)}]({owner}) "
                    f"`{site.ref}` · [HTML](./)\n\n{page.markdown.rstrip()}\n")
        pages.add_asset(LLMS_TXT, _llms_txt(catalog, dict(sorted(docs_titles.items()))))

    def _entity(self, catalog: Catalog, entity: Entity) -> str:
        ref = entity.ref
        here = markdown_twin(entity_page(ref))

        def link(target: EntityRef) -> str:
            other = catalog.get(target)
            if other is None:
                return f"`{target}` (not in the catalog)"
            to = relative_file(here, markdown_twin(entity_page(target)))
            return f"[{md(other.title)}]({to}) `{target}`"

        def urls(items: list) -> str:
            return "; ".join(f"[{md(i.get('title') or i['url'])}]({i['url'].strip()})"
                             if is_safe_url(i.get("url")) else md(i.get("title") or "link")
                             for i in items)

        kicker = " · ".join(md(x) for x in (ref, entity.kind, entity.type, entity.lifecycle) if x)
        lines = [f"# {md(entity.title)}", "", kicker, ""]
        if entity.description:
            lines += [md(entity.description), ""]
        facts = [("Page", "[HTML](./)")]
        for label, type_ in (("Owner", "ownedBy"), ("System", "partOf")):
            targets = [t for t in catalog.related(ref, type_)
                       if label == "Owner" or t.kind in ("system", "domain")]
            if targets:
                facts.append((label, ", ".join(link(t) for t in targets)))
        tier = entity.labels.get("tier") or entity.annotations.get("tier")
        if tier:
            facts.append(("Tier", md(tier)))
        links = [link_ for link_ in entity.links if isinstance(link_, dict) and "url" in link_]
        rotations = [md(r) for r in oncall(entity.annotations)]
        for label, kind in (("On call", "oncall"), ("Runbook", "runbook"),
                            ("Dashboards", "dashboard"), ("Chat", "chat")):
            found = urls(links_of(links, *CONTACT_LINKS[kind]))
            value = "; ".join([*(rotations if kind == "oncall" else []), *([found] if found
                                                                           else [])])
            if value or (kind in ("oncall", "runbook") and ref.kind in ("component", "resource")):
                facts.append((label, value or "not set"))
        facts += self._people(catalog, entity, link)
        docs = self.docs.links.get(ref) if self.docs is not None else None
        if docs is not None:
            facts.append(("Docs", f"[docs]({relative_file(here, markdown_twin(docs.page))})"))
        source = entity.annotations.get("backstage.io/source-location", "").removeprefix("url:")
        if is_safe_url(source):
            facts.append(("Source", f"<{source.strip()}>"))
        lines += [f"- {label}: {value}" for label, value in facts]
        for heading, pairs in (("Dependencies", _OUT), ("Dependents", _IN), ("Parts", _PARTS)):
            rows = []
            for label, type_ in pairs:
                targets = catalog.related(ref, type_)
                if type_ == "partOf":  # a system is a fact above; parts of components here
                    wanted = label == "Subcomponent of"
                    targets = [t for t in targets if (t.kind == "component") == wanted]
                    if label == "Part of":
                        continue
                rows += [f"- {label}: {link(t)}" for t in targets]
            if rows:
                lines += ["", f"## {heading}", "", *rows]
        if ref.kind == "group":
            lines += self._team(catalog, ref, link)
        return "\n".join(lines) + "\n"

    @staticmethod
    def _people(catalog: Catalog, entity: Entity, link) -> list[tuple[str, str]]:
        profile = entity.spec.get("profile") if isinstance(entity.spec.get("profile"), dict) \
            else {}
        facts = []
        if isinstance(profile.get("displayName"), str):
            facts.append(("Name", md(profile["displayName"])))
        if isinstance(profile.get("email"), str):
            facts.append(("E-mail", md(profile["email"])))
        for label, type_ in (("Parent", "childOf"), ("Groups", "memberOf")):
            targets = catalog.related(entity.ref, type_)
            if targets:
                facts.append((label, ", ".join(link(t) for t in targets)))
        return facts

    @staticmethod
    def _team(catalog: Catalog, ref: EntityRef, link) -> list[str]:
        lines = []
        for heading, type_ in (("Members", "hasMember"), ("Child groups", "parentOf"),
                               ("Owns", "ownerOf")):
            targets = catalog.related(ref, type_)
            if targets:
                lines += ["", f"## {heading}", "", *(f"- {link(t)}" for t in targets)]
        return lines


def _llms_txt(catalog: Catalog, docs: dict[str, str]) -> str:
    """The llms.txt: title, summary, a section of links per kind, docs, then the rest."""
    counts = ", ".join(f"{n} {kind.lower()}" for kind, n in sorted(catalog.kind_counts().items()))
    lines = ["# Developer portal", "",
             f"> The organisation's software catalog: {counts or 'no entities'}. Each link is "
             "the Markdown twin of a portal page: owner, on call, runbook, dependencies, "
             "dependents and docs.", ""]
    by_kind: dict[str, list[Entity]] = defaultdict(list)
    for ref, entity in catalog.entities.items():
        by_kind[ref.kind].append(entity)
    for title, kinds in _SECTIONS:
        entities = [e for k in kinds for e in by_kind.get(k, ())]
        if not entities:
            continue
        lines += [f"## {title}", ""]
        for entity in entities:
            note = f": {md(entity.description)}" if entity.description else ""
            lines.append(f"- [{md(entity.title)}]({markdown_twin(entity_page(entity.ref))})"
                         f"{note}")
        lines.append("")
    if docs:
        lines += ["## Docs", "", *(f"- [{md(t)}]({p})" for p, t in docs.items()), ""]
    lines += ["## Optional", "",
              f"- [Catalog export]({CATALOG_EXPORT}): every entity as JSON, Backstage's shape",
              f"- [Changes]({CHANGES_FEED}): what changed recently, as an Atom feed", ""]
    return "\n".join(lines)
