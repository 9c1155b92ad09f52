"""Page-set memo: a rebuild whose every input is unchanged loads the pages the build
before made, instead of analysing the graph, scoring and making 15,000 pages again.

:func:`~generator.portal.build_portal` always runs the cheap stages (the catalog stage,
itself memoised; the scorecard rules; the descriptors' last commits). What follows, the
docs stage included, is a function of their results and of the files the later stages read
in the repositories (docs, scorecard checks for files, golden-path skeletons, API
definitions). The key is therefore a digest of:

* the catalog as the catalog stage's memo stores it (:attr:`CatalogRun.digest`), with
  the repositories (roots, URLs, commits) and the sources file's bytes;
* every repository's tree as ``lstat`` sees it (path, type, size, modification time and
  link target of each entry; ``.git`` folders left out, their commits are above): any
  file added, removed or touched in a repository is a new key;
* the previous build's ``history.json`` (the change log and adoption trend continue it),
  the build's date and epoch, the portal options, the scorecard rules, the descriptors'
  last commits;
* this package's files (code, templates, assets), the libraries' versions and the
  ``dot`` program.

A key that does not match costs nothing but the digest; a matching file gives the stored
page set and the build's problems. The file is :mod:`marshal` records (reading it runs no
code): the build's :mod:`incremental <generator.incremental>` stamp, its pages' own
digests, its slices (name, size, and for pages each one's path, digest and row id) and the
pages' order first, then the page set's smaller parts; the pages and assets are in
content-addressed slices of 500 (:mod:`generator.memoslices`), written one at a time, so
storing a 10,000-component page set (hundreds of MB) never holds a second copy of it in
memory, and a rebuild that changed one page writes one slice. A loaded page is read from its
slice only when asked for (:mod:`generator.memopages`): a rebuild keeps most pages unread,
and the pages in the nav, which every build draws, have slices of their own. A SHA-256 of
every record closes the file, each slice has its own; a damaged file, or a slice missing or of
another size, is a miss (a slice damaged in place is found when read, see
:mod:`generator.memopages`). A page set marshal cannot store (an authored page's extension
options) is not memoised.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import re
import struct
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator.cachestore import add_versions, prune, store_path
from generator.catalogmemo import decode_problems, encode_problems, package_digest
from generator.memopages import Shelf, live_slices, page_row, row_id
from generator.memoslices import SliceStore
from generator.pages.model import (
    AuthoredPage,
    GeneratedPage,
    PageSet,
    SearchContext,
    SearchDocument,
)
from generator.problems import Problem
from generator.sources import Repository
from generator.treedigest import MAX_ENTRIES, tree_digest
from generator.urls import ENTITY_DATA, markdown_twin, page_url

__all__ = ["MAX_ENTRIES", "Earlier", "PortalMemo", "canonical", "portal_key", "portal_memo_path",
           "slice_names", "tree_digest"]

_MAGIC = b"PRPAGES6"
_SLICE = 500
"""Pages (or assets) per slice."""
_LENGTH = struct.Struct("<Q")
KEEP_FILES = 2
"""Memo files kept in the folder (each holds a whole page set)."""
_VERSIONS = ("jinja2", "markdown", "mkdocs", "mkdocs-material", "networkx", "pydot",
             "pygments", "nh3", "pyyaml")


def portal_memo_path(cache_dir: Path, sources_file: Path) -> Path:
    """The memo file of one sources file."""
    return store_path(cache_dir, "portal", sources_file)


def portal_key(*, catalog: bytes, repositories: list[Repository], sources_file: Path,
               history: Path | None, parts: tuple,
               skip: Mapping[Path, set[str]] | None = None) -> bytes | None:
    """The key of a build, or ``None`` when it cannot be memoised (no catalog digest, a
    repository tree too large to digest); ``skip`` as :func:`tree_digest` takes it."""
    if not catalog:
        return None
    tree = tree_digest((r.root for r in repositories), skip=skip)
    if tree is None:
        return None
    digest = hashlib.sha256(_MAGIC + package_digest(None) + catalog + tree)
    add_versions(digest, _VERSIONS)
    for path in (sources_file, history):
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest() if path else b"-")
        except OSError:
            digest.update(b"missing")
    repos = [(r.name, str(r.root), r.display, tuple(map(str, r.entry_files)), r.url, r.ref,
              r.commit, r.stale) for r in repositories]
    digest.update(canonical((sys.version, repos, parts)).encode("utf-8", "surrogatepass"))
    return digest.digest()


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def canonical(value: object) -> str:
    """A text of ``value`` that is the same in every process: sets and mappings in sorted
    order (a ``frozenset``'s ``repr`` follows the process's hash seed), dataclasses field
    by field but for those not compared (caches, such as a ref's hash), objects' addresses
    left out."""
    kind = type(value)  # the plain types first, by identity: most of a build's values
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return repr(value)  # a text's own " at 0x…" is kept: only objects' addresses vary
    if kind is list or kind is tuple:
        return "[" + ", ".join(map(canonical, value)) + "]"
    if kind is dict:
        return "{" + ", ".join(sorted(f"{canonical(k)}: {canonical(v)}"
                                      for k, v in value.items())) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ", ".join(f"{f.name}={canonical(getattr(value, f.name))}"
                           for f in dataclasses.fields(value) if f.compare)
        return f"{type(value).__name__}({fields})"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(sorted(f"{canonical(k)}: {canonical(v)}"
                                      for k, v in value.items())) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(canonical(v) for v in value) + "]"
    return _ADDRESS.sub("", repr(value))


@dataclass(frozen=True, slots=True)
class Earlier:
    """What the build before made that still holds (:meth:`PortalMemo.earlier`): per entity
    page kept, the page, its Markdown twin, its search document and its ``entity.json``."""

    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    """Entity page path → page."""
    twins: dict[str, str] = field(default_factory=dict)
    """Twin path (:func:`~generator.urls.markdown_twin`) → its text."""
    search: dict[str, str] = field(default_factory=dict)
    """Page URL → the HTML of its :class:`~generator.pages.model.SearchDocument`."""
    data: dict[str, bytes] = field(default_factory=dict)
    """Asset path (:data:`~generator.urls.ENTITY_DATA` beside the page) → its bytes."""


class PortalMemo:
    """The stored page set of one sources file, loaded only for the same key."""

    def __init__(self, path: Path | None, key: bytes | None) -> None:
        self.path = path if key is not None else None
        self.key = key or b""

    def load(self) -> tuple[PageSet, list[Problem]] | None:
        """The stored pages and problems, or ``None`` (no file, another key, damage)."""
        if self.path is None:
            return None
        try:
            with open(self.path, "rb") as handle:
                if handle.read(len(_MAGIC) + 32) != _MAGIC + self.key:
                    return None
                records = _read_records(handle, self.key)
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not records:
            return None
        try:
            return _decode(records, self.slices)[:2]
        except Exception:  # a damaged or outdated record, a slice gone: build again
            return None

    def earlier(self, stamp: bytes | None, owns: Mapping[str, bytes]) -> Earlier:
        """What of the stored build still holds (:mod:`generator.incremental`): nothing
        unless it was saved with ``stamp``; else the entity pages whose own digest is
        ``owns``', with their twins, search documents and ``entity.json`` (made of the same
        inputs)."""
        if self.path is None or stamp is None:
            return Earlier()
        try:
            with open(self.path, "rb") as handle:
                key, first = _head(handle)
                if first[0] != stamp:  # another build's: read no further
                    return Earlier()
                handle.seek(len(_MAGIC) + len(key))
                # Not the diagrams' slices (most of the memo): only entity.json is taken.
                pages, _, _, stored = _decode(_read_records(handle, key), self.slices,
                                              kinds=("pages", "data"))
        except Exception:  # missing, damaged or outdated: build every page
            return Earlier()
        kept = {path: page for path, page in pages.pages.items()
                if (own := stored.get(path)) is not None and owns.get(path) == own}
        urls = {page_url(path) for path in kept}
        twins = {twin: pages.twins[twin] for path in kept
                 if (twin := markdown_twin(path)) in pages.twins}
        data = {asset: pages.assets[asset] for url in urls
                if (asset := url + ENTITY_DATA) in pages.assets}
        return Earlier(kept, twins, {d.url: d.html for d in pages.search if d.url in urls}, data)

    def save(self, pages: PageSet, problems: list[Problem], stamp: bytes | None = None,
             owns: Mapping[str, bytes] | None = None) -> bool:
        """Store ``pages`` and ``problems`` under the key, with the build's :func:`stamp
        <generator.incremental.shared_stamp>` and its pages' own digests; ``False`` if
        nothing was kept."""
        if self.path is None:
            return False
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        live = live_slices()  # before the new slices read any: the build still needs these
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            slices = _put_slices(self.slices, pages)
            with open(tmp, "wb") as handle:
                _write_records(handle, self.key, _encode(pages, problems, stamp or b"",
                                                         dict(owns or {}), slices))
            os.replace(tmp, self.path)
        except (OSError, ValueError, TypeError):  # a value marshal cannot store, a full disk
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return False
        prune(self.path.parent, self.path, KEEP_FILES)
        self.slices.keep_only(_slices_in(self.path.parent) | live)
        return True

    @property
    def slices(self) -> SliceStore:
        """Where the pages and assets are, in slices (:mod:`generator.memoslices`)."""
        assert self.path is not None
        return SliceStore(self.path.parent / "slices")


def _write_records(handle: BinaryIO, key: bytes, records: Iterator[object]) -> None:
    handle.write(_MAGIC + key)
    check = hashlib.sha256(key)
    for record in records:
        data = marshal.dumps(record)
        check.update(data)
        handle.write(_LENGTH.pack(len(data)))
        handle.write(data)
    handle.write(_LENGTH.pack(0))
    handle.write(check.digest())


def _read_records(handle: BinaryIO, key: bytes) -> list:
    check = hashlib.sha256(key)
    records = []
    while True:
        (size,) = _LENGTH.unpack(handle.read(_LENGTH.size))
        if size == 0:
            break
        data = handle.read(size)
        if len(data) != size:
            raise EOFError
        check.update(data)
        records.append(marshal.loads(data))
    if handle.read(32) != check.digest():
        raise ValueError("damaged")
    return records


def _plain(value: object) -> object:
    """``value`` with every ``str`` subclass (Jinja's ``Markup``) made a plain ``str``, which
    marshal stores; the text is the same."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value


def _texts(mapping: dict[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in mapping.items()}


def _put_slices(store: SliceStore, pages: PageSet) -> list[tuple]:
    """Store the pages and assets in slices (those not stored yet): per slice its kind,
    name and size, and for pages each page's path, digest and :func:`row_id`."""
    slices: list[tuple] = []
    # The pages in the nav apart: every build draws them, so reads their slices.
    items = [(k, p) for k, p in pages.pages.items() if k not in pages.listed]
    listed = [(k, p) for k, p in pages.pages.items() if k in pages.listed]
    for part in [*_chunks(items), *_chunks(listed)]:
        rows = [(k, p.digest(), row_id(k, p)) for k, p in part]
        name = store.put(b"pages", (row for _, _, row in rows),
                         lambda part=part: [page_row(k, p, _plain) for k, p in part])
        slices.append(("pages", name, store.size(name), rows))
    data = [(k, v) for k, v in pages.assets.items() if k.endswith(ENTITY_DATA)]
    assets = [(k, v) for k, v in pages.assets.items() if not k.endswith(ENTITY_DATA)]
    for kind, items in (("assets", assets), ("data", data)):  # data: PortalMemo.earlier reads
        for i in range(0, len(items), _SLICE):
            chunk = items[i:i + _SLICE]
            name = store.put(kind.encode(), (
                k.encode("utf-8", "surrogatepass") + b"\0" + hashlib.blake2b(v).digest()
                for k, v in chunk), lambda chunk=chunk: chunk)  # type: ignore[misc]
            slices.append((kind, name, store.size(name), None))
    return slices


def _chunks(items: list) -> list[list]:
    return [items[i:i + _SLICE] for i in range(0, len(items), _SLICE)]


def _head(handle: BinaryIO) -> tuple[bytes, tuple]:
    """A memo file's key and first record (stamp, own digests, slices), whatever its key.
    Raises ``ValueError`` for a file of another kind or version."""
    head = handle.read(len(_MAGIC) + 32)
    if len(head) != len(_MAGIC) + 32 or not head.startswith(_MAGIC):
        raise ValueError("not a page-set memo")
    (size,) = _LENGTH.unpack(handle.read(_LENGTH.size))
    return head[len(_MAGIC):], marshal.loads(handle.read(size))


def slice_names(path: Path, kind: str | None = None) -> set[str]:
    """The slices the memo file ``path`` names, or only those of ``kind`` (``pages``,
    ``assets`` or ``data``); none if it cannot be read."""
    with contextlib.suppress(Exception), open(path, "rb") as handle:
        return {entry[1] for entry in _head(handle)[1][2] if kind in (None, entry[0])}
    return set()


def _slices_in(folder: Path) -> set[str]:
    """The slices the memo files in ``folder`` name (several sources files share them)."""
    return set().union(*map(slice_names, folder.glob("*.marshal")))


def _encode(pages: PageSet, problems: list[Problem], stamp: bytes, owns: dict[str, bytes],
            slices: list[tuple]) -> Iterator[object]:
    # First and small: :meth:`PortalMemo.earlier` and the slices' pruning read it alone.
    yield (stamp, owns, slices, list(pages.pages))  # the pages' order, as built
    yield (encode_problems(problems), _plain(pages.nav), pages.extra_css,
           pages.extra_javascript, sorted(pages.listed), pages.stats,
           {page: _texts(inserts) for page, inserts in pages.inserts.items()},
           [(k, str(a.markdown), str(a.title), str(a.header), _plain(a.meta), _plain(a.links),
             a.edit_url, a.extensions) for k, a in pages.authored.items()],
           {k: str(v) for k, v in pages.files.items()}, _texts(pages.twins),
           [(d.url, str(d.html)) for d in pages.search],
           {k: (_plain(c.meta), _plain(c.filters)) for k, c in pages.search_context.items()})


def _decode(records: list, store: SliceStore, kinds: tuple[str, ...] = ("pages", "assets", "data")
            ) -> tuple[PageSet, list[Problem], bytes, dict[str, bytes]]:
    stamp, owns, slices, order = records[0]
    (problems, nav, css, js, listed, stats, inserts, authored, files, twins, search,
     context) = records[1]
    pages = PageSet(nav=nav, extra_css=css, extra_javascript=js, listed=set(listed),
                    stats=stats, inserts=inserts, twins=twins)
    pages.authored = {k: AuthoredPage(md, title, header, meta, links, edit, ext)
                      for k, md, title, header, meta, links, edit, ext in authored}
    pages.files = {k: Path(v) for k, v in files.items()}
    pages.search = [SearchDocument(url, html) for url, html in search]
    pages.search_context = {k: SearchContext(meta, filters)
                            for k, (meta, filters) in context.items()}
    for kind, name, size, rows in slices:
        if kind not in kinds:
            continue
        if store.size(name) != size:  # gone or rewritten: damaged, or another build's
            raise ValueError(f"slice {name} is not the one written")
        if kind == "pages":  # read when a page is (memopages): most are kept unread
            shelf = Shelf(store, name)
            for k, digest, row in rows:
                pages.pages[k] = shelf.add(digest, row)
        else:
            pages.assets.update(store.get(name))
    if "pages" in kinds:
        pages.pages = {k: pages.pages[k] for k in order}
    return pages, decode_problems(problems), stamp, owns
