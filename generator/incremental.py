"""Which entity pages of the build before still hold, when only some entities' own text changed.

An entity page is a function of three things: what every page shares (the code, the
options, the repositories' other files, the history, and every analysis the later
stages made: problems, scores, the change log, adoption, diagrams, docs), what other
pages may show of each entity (its record without its own-only fields), and the
entity's own-only fields. The own-only fields are those no other entity's page shows,
only its own page, what is made per entity beside it (its Markdown twin, search document
and ``entity.json``, kept with it) and pages built once per site (indexes, exports), which
every build makes again: :data:`OWN_ONLY`, ``metadata.description``, ``links`` and
``tags``, but for a user's description (the role their groups' member tables show); and the
line its document starts on, the commit its repository was read at and the commit that last
changed its descriptor, so a merge to one git repository rebuilds that repository's pages.

:func:`shared_stamp` digests the first two; :func:`own_digests` the third, per page. Where
a build's stamp is the build before's, a page whose own digest is unchanged is the page
the build before made (:meth:`generator.portalmemo.PortalMemo.earlier`), and only the
others are built: editing one component's description, links or tags rebuilds one entity
page, not 15,000; editing the text of a docs page rebuilds none (the docs page itself is
kept or rendered again by its own key). Anything else that changed (a title, an owner, a
dependency, a file other than a descriptor or a docs page, a docs page's title, a score, a
problem) gives another stamp and every page is built, so a page is never kept on a guess.
Each digest is of values, so the same inputs give the same stamp
in any process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from generator.cachestore import part_digest
from generator.catalogmemo import encode_problems
from generator.portalmemo import canonical, portal_key
from generator.urls import entity_page

if TYPE_CHECKING:
    from pathlib import Path

    from generator.catalog import Catalog
    from generator.docs import Docs
    from generator.entities import Entity
    from generator.refs import EntityRef
    from generator.scorecards import Scores
    from generator.scorecards.model import RuleResult
    from generator.sources import Repository

__all__ = ["OWN_ONLY", "SHOWN_ELSEWHERE", "catalog_faces", "docs_sources", "own_digests",
           "shared_face", "shared_stamp"]

OWN_ONLY = ("description", "links", "tags")
"""``metadata`` fields only an entity's own page (and per-site pages) shows: its About, its
incident panel. Its tags and links also select scorecard rules and runbooks, which the
stamp digests by their results."""
SHOWN_ELSEWHERE = {"user": frozenset({"description"})}
"""Of :data:`OWN_ONLY`, those other pages show for a kind: a user's description is their
role in their groups' member tables."""
_MAGIC = b"PRSTAMP1"


def _own_fields(entity: Entity) -> tuple[str, ...]:
    shown = SHOWN_ELSEWHERE.get(entity.ref.kind, frozenset())
    return tuple(k for k in OWN_ONLY if k not in shown)


def _blake(parts: Iterable[bytes]) -> bytes:
    return part_digest(*parts).digest()


def _json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str,
                      separators=(",", ":")).encode("utf-8", "surrogatepass")


def shared_face(entity: Entity) -> bytes:
    """What other pages may show of ``entity``: its record but for :data:`OWN_ONLY`."""
    data = entity.to_backstage()
    own = _own_fields(entity)
    data = {**data, "metadata": {k: v for k, v in entity.metadata.items() if k not in own}}
    # Its line and commit are its own page's ("Defined in", "Repository"): an edit above it
    # moves it, any commit to its repository changes the other, and neither shows elsewhere
    # (problems and conflicts, which name lines, are digested apart).
    return _json([str(entity.ref), data, dataclasses.astuple(dataclasses.replace(
        entity.provenance, line=0, commit=None, stale=False))])


def own_digests(catalog: Catalog, last: Mapping[EntityRef, object]) -> dict[str, bytes]:
    """Each entity page → the digest of its entity's :data:`OWN_ONLY` fields, of the line its
    document starts on, the commit it was read at, and ``last``, the commit that last changed
    its descriptor (which only its own page shows)."""
    out = {}
    for ref, entity in catalog.entities.items():
        own = {k: entity.metadata.get(k) for k in _own_fields(entity)}
        prov = entity.provenance
        out[entity_page(ref)] = _blake([_json([own, prov.line, prov.commit, prov.stale]),
                                        canonical(last.get(ref)).encode("utf-8",
                                                                         "surrogatepass")])
    return out


def _unpinned(repository: Repository) -> Repository:
    """``repository`` without the commit it was read at (its entities' own)."""
    return dataclasses.replace(repository, commit=None, stale=False)


def _docs(docs: Docs) -> bytes:
    """What entity pages show of the docs: each section's title, nav, files, and its pages'
    places, sources and titles, not their text (:func:`docs_sources`)."""
    sites = []
    for ref, site in docs.sites.items():
        contents = {path: hashlib.blake2b(data).digest() for path, data in site.contents.items()}
        outline = [(path, page.source, page.title) for path, page in site.pages.items()]
        # Its description is the entity's own (or ``site_description``, in a file the trees'
        # digest covers), shown only on the docs index, which every build makes again.
        sites.append(canonical((ref, dataclasses.replace(
            site, contents={}, pages={}, description="", repo=_unpinned(site.repo)),
            contents, outline)))
    return _blake(part.encode("utf-8", "surrogatepass")
                  for part in (*sites, canonical(docs.links)))


def docs_sources(docs: Docs) -> dict[Path, set[str]]:
    """Each repository's docs pages' Markdown files (by root, ``/``-prefixed), which the
    trees' digest leaves out: their text reaches only the docs pages themselves (each kept
    or rendered by its own key, :mod:`generator.mkdocs.reuse`) and pages built once per site;
    what entity pages show of them is in :func:`_docs`, and scores and problems made from
    them are digested by value."""
    out: dict[Path, set[str]] = {}
    for site in docs.sites.values():
        out.setdefault(site.repo.root, set()).update(f"/{page.source}"
                                                     for page in site.pages.values())
    return out


def _scores(scores: Scores) -> bytes:
    """Each score by value, each result's rule by its place in the ruleset."""
    place = {id(rule): i for i, rule in enumerate(scores.ruleset.rules)}
    def rule(result: RuleResult) -> object:
        found = place.get(id(result.rule))
        return canonical(result.rule) if found is None else found

    rows = ([str(ref), s.level, s.next_level, [[rule(r), r.passed, r.reason] for r in s.results]]
            for ref, s in scores.entities.items())
    return _blake([canonical(scores.ruleset).encode("utf-8", "surrogatepass"),
                   *map(_json, rows)])


def catalog_faces(catalog: Catalog) -> bytes:
    """The digest of what other pages may show of the catalog: its entities' faces
    (:func:`shared_face`), its relations and its conflicts (the places of a definition not
    kept, which no entity holds)."""
    return _blake([*(shared_face(e) for e in catalog.entities.values()),
                   *(_json([str(ref), [[r.type, str(r.target)] for r in rels]])
                     for ref, rels in catalog.relations.items()),
                   canonical(catalog.conflicts).encode("utf-8", "surrogatepass")])


def shared_stamp(*, catalog: Catalog, faces: bytes, repositories: list[Repository],
                 sources_file: Path,
                 history: Path | None, descriptors: Mapping[str, set[str]], parts: tuple,
                 graph: bytes, scores: Scores, docs: Docs, derived: tuple) -> bytes | None:
    """The digest of everything an entity page depends on but its own :data:`OWN_ONLY`
    fields; ``None`` where it cannot be told (no digest of the repositories' trees).

    ``faces`` is :func:`catalog_faces` of ``catalog``; ``graph`` the key its graph's
    analyses are memoised under (:class:`generator.graph.memo.GraphMemo`), which they are a
    function of.

    ``descriptors`` are the descriptor files by repository name: their sizes and times are
    left out of the trees' digest (their text is in the entities' faces), as are the docs
    pages' Markdown files (:func:`docs_sources`), and so are the
    commits the repositories were read at (each entity's own, see :func:`own_digests`);
    ``parts`` are the build's settings, ``derived`` what the later stages computed (change
    log, adoption, renames, facts …), each digested by value.
    """
    skip = {r.root: {f"/{p}" for p in descriptors.get(r.name, ())} for r in repositories}
    for root, sources in docs_sources(docs).items():
        skip.setdefault(root, set()).update(sources)
    return portal_key(
        catalog=_MAGIC + faces, repositories=[_unpinned(r) for r in repositories],
        sources_file=sources_file,
        history=history, skip=skip,
        parts=(parts, _blake([_json(encode_problems(catalog.problems)),
                              _scores(scores),
                              graph, _docs(docs),
                              canonical(derived).encode("utf-8", "surrogatepass")]).hex()))
