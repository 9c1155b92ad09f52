"""Section memo: a docs section whose repository did not change is not read again.

Reading a section (its ``mkdocs.yml``, the listing of ``docs_dir`` with every path checked
to stay inside the repository, each page's text and title, the static files) cost the docs
stage 2 s of a rebuild of 10,000 repositories where one had changed. What
``_Collector.site`` makes of a section depends only on the entity that names it (its
record and where it was read), its repository (root, URL, commit) and the files of that
repository, and the docs stage's limits; the memo keys each section by those, with the
repository's tree as ``lstat`` sees it (:func:`~generator.treedigest.tree_digest`: any file
added, removed or touched is a new key), this package's code and the Markdown libraries'
versions. A hit gives the section as it was read, and the problems reading it reported, as
new objects.

A :class:`~generator.cachestore.CacheStore` (:mod:`marshal`, reading it runs no code); a
section marshal cannot store is read every build.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cachestore import CacheStore, add_versions, store_path
from generator.catalogmemo import decode_problems, encode_problems, package_digest
from generator.docs.extensions import SnippetOptions
from generator.docs.model import DocPage, DocSite, NavNode, SourceLinks
from generator.refs import EntityRef
from generator.treedigest import tree_digest

if TYPE_CHECKING:
    from generator.entities import Entity
    from generator.problems import Problem
    from generator.sources import Repository

__all__ = ["MAX_TREE", "SectionMemo", "section_memo_path"]


def section_memo_path(cache_dir: Path, sources_file: Path) -> Path:
    """The section memo file of one sources file."""
    return store_path(cache_dir, "docsections", sources_file)


MAX_TREE = 50_000
"""Entries of a repository the memo's key looks at; past this its sections are read every
build (the walk, on top of the page-set memo's, would cost more than reading them)."""
_PACKAGES = ("markdown", "pymdown-extensions", "mkdocs-material", "nh3", "pyyaml")
"""What reading a section also depends on: whether its ``markdown_extensions`` load, how
its ``mkdocs.yml`` parses, what a static file becomes."""


@functools.cache
def _stamp() -> bytes:
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode() + package_digest())
    add_versions(digest, _PACKAGES)
    return digest.digest()


class SectionMemo(CacheStore):
    """Docs sections as read, by everything reading them depends on."""

    MAGIC = b"PRDSEC01"
    KEEP_FILES = 8

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self._trees: dict[Path, bytes | None] = {}
        self.hits = 0

    @classmethod
    def stamp(cls) -> object:
        return _stamp()

    def read(self, entity: Entity, repo: Repository, root: str, limits: tuple,
             make: Callable[[], tuple[DocSite | None, list[Problem]]]
             ) -> tuple[DocSite | None, list[Problem]]:
        """The section of ``entity`` at ``root`` in ``repo`` and the problems reading it
        reported: the stored one, or what ``make`` reads (then stored)."""
        key = self._key(entity, repo, root, limits)
        if key is None:
            return make()
        stored = self.find(key)
        if stored is not None:
            try:
                found = _decode(stored, repo)
            except (TypeError, ValueError, IndexError, KeyError):
                found = None
            if found is not None:
                self.keep(key, stored)
                self.hits += 1
                return found
        site, problems = make()
        value = _encode(site, problems)
        try:
            marshal.dumps(value)  # a value marshal cannot store is not kept
        except ValueError:
            return site, problems
        self.put(key, value)
        return site, problems

    def _key(self, entity: Entity, repo: Repository, root: str, limits: tuple) -> bytes | None:
        if repo.root not in self._trees:  # ten entities of a repository, one walk
            self._trees[repo.root] = tree_digest([repo.root], limit=MAX_TREE)
        tree = self._trees[repo.root]
        if tree is None:  # a tree too large to digest: read every build
            return None
        data = json.dumps([str(entity.ref), entity.to_backstage(),
                           dataclasses.astuple(entity.provenance),
                           [repo.name, str(repo.root), repo.display,
                            [str(p) for p in repo.entry_files], repo.url, repo.ref,
                            repo.commit, repo.stale], root, list(limits)],
                          sort_keys=True, default=str, ensure_ascii=False)
        digest = hashlib.sha256(_stamp() + tree)
        digest.update(data.encode("utf-8", "surrogatepass"))
        return digest.digest()


def _ref(ref: EntityRef) -> tuple[str, str, str]:
    return ref.kind, ref.namespace, ref.name


def _nav(node: NavNode) -> tuple:
    return node.title, node.page, node.url, tuple(_nav(child) for child in node.children)


def _unnav(row: tuple) -> NavNode:
    title, page, url, children = row
    return NavNode(title, page, url, tuple(_unnav(child) for child in children))


def _encode(site: DocSite | None, problems: list[Problem]) -> tuple:
    rows = encode_problems(problems)
    if site is None:
        return (None, rows)
    pages = [(p.path, p.source, p.title, p.markdown, p.description, p.first_line,
              dict(p.links), list(p.fences)) for p in site.pages.values()]
    snippets = None if site.snippets is None else dataclasses.astuple(site.snippets)
    return ((_ref(site.ref), site.root, site.docs_dir, site.title, site.description, pages,
             {k: str(v) for k, v in site.files.items()}, dict(site.contents),
             [_nav(n) for n in site.nav],
             None if site.source is None else (site.source.view, site.source.edit),
             [_ref(r) for r in site.shared_with], dict(site.renamed), site.extensions,
             snippets, site.config_file, site.macros), rows)


def _decode(value: tuple, repo: Repository) -> tuple[DocSite | None, list[Problem]]:
    fields, rows = value
    problems = decode_problems(rows)
    if fields is None:
        return None, problems
    (ref, root, docs_dir, title, description, pages, files, contents, nav, source, shared,
     renamed, extensions, snippets, config_file, macros) = fields
    site = DocSite(
        ref=EntityRef(*ref), repo=repo, root=root, docs_dir=docs_dir, title=title,
        description=description,
        pages={row[0]: DocPage(row[0], row[1], row[2], row[3], row[4], row[5], dict(row[6]),
                               list(row[7])) for row in pages},
        files={k: Path(v) for k, v in files.items()}, contents=dict(contents),
        nav=[_unnav(n) for n in nav],
        source=None if source is None else SourceLinks(*source),
        shared_with=[EntityRef(*r) for r in shared], renamed=dict(renamed),
        extensions=extensions, snippets=None if snippets is None else SnippetOptions(*snippets),
        config_file=config_file, macros=macros)
    return site, problems
