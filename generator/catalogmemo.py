"""Catalog-stage memo: a warm run loads the catalog it built before, once it has checked
that nothing the stage read has changed.

The stage (crawl → entities → catalog) is a function of its options and of the file
system's answers to the questions the crawl asked: each directory walk that found
descriptors, each file read (descriptors, ``$text``/``$json``/``$yaml`` targets,
Location targets), each existence, glob and symlink check (:data:`~generator.crawl.PROBES`).
The memo stores the catalog with the key of those options (the sources file, the
repositories it expanded to with their git commits, the problems found before the crawl,
the settings, this package's source code, Python and PyYAML) and the recorded questions
with a digest of each answer. A run with the same key asks every question again; only if
every answer matches does it load the stored catalog instead of decoding, validating and
relating again. Any file changed, added or removed where the crawl looked changes an
answer (a new descriptor changes a walk; a new Location or ``$text`` target changes a read
or an existence check), so the stage runs in full.

It also keeps *products*, values derived from the catalog alone under a name that says
what else they depend on (``pavedroad export``'s JSON and the build date), so an unchanged
export does not even decode the catalog.

Storage: one file per sources file (and per with/without history) under the cache
directory's ``memo/``, written atomically behind a SHA-256 checksum
(:func:`~generator.cachestore.write_checked`) and encoded with :mod:`marshal`, as the parse
cache is: the catalog is turned into plain tuples, lists and dicts (refs as indices into
one table), so reading the file runs no code, unlike :mod:`pickle`, and is several times
faster than pickling the dataclasses. A damaged, foreign or outdated file is ignored; an
entity whose data marshal cannot store leaves the stage unmemoised.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import sys
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

import yaml

from generator.cachestore import prune, read_checked, write_checked
from generator.catalog import Catalog, Conflict
from generator.crawl import PROBES, fingerprint
from generator.entities import Entity, Provenance
from generator.problems import Problem, Severity
from generator.refs import EntityRef
from generator.relations import Relation

__all__ = ["KEEP_FILES", "MEMO_VERSION", "CatalogMemo", "decode_catalog", "decode_problems",
           "encode_catalog", "encode_problems", "memo_key", "memo_path", "package_digest"]

MEMO_VERSION = 1
"""Bump when the stored shape changes (the source code is in the key anyway)."""

KEEP_FILES = 4
"""Memo files kept in the directory; the least recently written go (each holds a catalog)."""

_MAGIC = b"PRMEMO01"
_PACKAGE = Path(__file__).resolve().parent
_ENTITY = tuple(f.name for f in fields(Entity) if f.name != "ref")
_PROVENANCE = tuple(f.name for f in fields(Provenance))
_PROBLEM = tuple(f.name for f in fields(Problem) if f.name != "severity")


def memo_path(cache_dir: Path, sources_file: Path, variant: str = "") -> Path:
    """The memo file of one sources file (``variant`` keeps runs with history apart)."""
    digest = hashlib.sha256(str(sources_file.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "memo" / f"{digest}{variant}.marshal"


@functools.cache
def package_digest(suffixes: tuple[str, ...] | None = (".py", ".json")) -> bytes:
    """SHA-256 of this package's files with ``suffixes`` (``None``: every file, templates and
    assets too): any change to them is a new key. Read once per process (the code it runs
    does not change under it either), however many memos key on it."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or (suffixes is not None and path.suffix not in suffixes):
            continue
        if suffixes is None and not path.is_file():
            continue
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def memo_key(*parts: object) -> bytes:
    """The key of a run: ``parts`` (plain values with a stable ``repr``), the code, Python
    and PyYAML."""
    stamp = (MEMO_VERSION, sys.version, yaml.__version__, hasattr(yaml, "CSafeLoader"))
    digest = hashlib.sha256(package_digest())
    digest.update(repr((stamp, parts)).encode("utf-8", "surrogatepass"))
    return digest.digest()


class CatalogMemo:
    """The stored catalog of one sources file, if its key and every recorded answer hold."""

    def __init__(self, path: Path | None, key: bytes) -> None:
        self.path = path
        self.key = key
        self.valid = False
        """Whether the stored catalog is the one this run would build."""
        self.files = 0
        """Descriptor files the stored catalog was built from."""
        self._probes: list[tuple[str, tuple, bytes]] = []
        self._catalog: bytes = b""
        self._products: dict[str, str] = {}
        self._changed = False

    @classmethod
    def open(cls, path: Path, key: bytes) -> CatalogMemo:
        """The memo at ``path``, :attr:`valid` when it holds for ``key``; empty when it is
        missing, damaged, foreign or outdated."""
        memo = cls(path, key)
        with contextlib.suppress(OSError):
            memo._load(path.read_bytes())
        return memo

    def _load(self, data: bytes) -> None:
        payload = read_checked(data, _MAGIC)
        if payload is None:
            return
        try:
            key, probes, files, catalog, products = marshal.loads(payload)
        except Exception:  # any damage means no memo
            return
        if key != self.key or not (isinstance(catalog, bytes) and isinstance(products, dict)
                                   and isinstance(files, int)):
            return
        if not _answers_hold(probes):
            return
        self._probes, self._catalog, self._products = probes, catalog, products
        self.files = files
        self.valid = True

    def catalog(self) -> Catalog | None:
        """The stored catalog, or ``None`` if it cannot be decoded."""
        if not self.valid:
            return None
        try:
            return decode_catalog(marshal.loads(self._catalog))
        except Exception:  # a damaged memo: build the catalog again
            return None

    def digest(self) -> bytes:
        """SHA-256 of the stored catalog's encoding (empty when there is none): what later
        stages' memos key on (:mod:`generator.portalmemo`)."""
        return hashlib.sha256(self._catalog).digest() if self.valid and self._catalog else b""

    def product(self, name: str) -> str | None:
        """A stored product of this catalog, or ``None``."""
        value = self._products.get(name) if self.valid else None
        return value if isinstance(value, str) else None

    def record(self, catalog: Catalog, probes: dict[tuple, bytes], files: int) -> None:
        """Remember ``catalog``, built from ``files`` descriptor files by a crawl that asked
        ``probes``; nothing is kept if it cannot be encoded (or there is no file)."""
        if self.path is None:
            return
        try:
            blob = marshal.dumps(encode_catalog(catalog))
        except (ValueError, TypeError):  # a value marshal cannot store
            self.valid, self._changed = False, False
            return
        self._probes = [(name, args, answer) for (name, args), answer in probes.items()]
        self._catalog, self._products, self.files = blob, {}, files
        self.valid = self._changed = True

    def put_product(self, name: str, value: str) -> None:
        """Keep ``value`` with the catalog (only products of the latest build date are kept:
        ``name``'s part before ``@`` names the product)."""
        if not self.valid:
            return
        kind = name.partition("@")[0]
        self._products = {k: v for k, v in self._products.items()
                          if k.partition("@")[0] != kind}
        self._products[name] = value
        self._changed = True

    def save(self) -> None:
        """Write the memo if anything changed; errors are ignored."""
        if self.path is None or not (self._changed and self.valid):
            return
        payload = marshal.dumps((self.key, self._probes, self.files, self._catalog,
                                 self._products))
        if write_checked(self.path, _MAGIC, payload):
            self._changed = False
            prune(self.path.parent, self.path, KEEP_FILES)


def _answers_hold(probes: object) -> bool:
    """Whether the file system answers every recorded question as it did."""
    if not isinstance(probes, list):
        return False
    try:
        for name, args, answer in probes:
            if fingerprint(name, PROBES[name](*args)) != answer:
                return False
    except Exception:  # a damaged record, or a probe that cannot run: no memo
        return False
    return True


def encode_catalog(catalog: Catalog) -> tuple:
    """``catalog`` as plain data for :mod:`marshal` (refs as indices into one table)."""
    index: dict[tuple[str, str, str], int] = {}  # by key: hashed in C, not by __hash__
    for ref in catalog.entities:
        index.setdefault(ref._key, len(index))
    for ref, rels in catalog.relations.items():
        index.setdefault(ref._key, len(index))
        for rel in rels:
            index.setdefault(rel.source._key, len(index))
            index.setdefault(rel.target._key, len(index))
    for ref in catalog.conflicts:
        index.setdefault(ref._key, len(index))
    entities = [(index[e.ref._key], *(_provenance_row(getattr(e, n)) if n == "provenance"
                                      else getattr(e, n) for n in _ENTITY))
                for e in catalog.entities.values()]
    relations = [(index[source._key], [(index[r.source._key], r.type, index[r.target._key])
                                       for r in rels])
                 for source, rels in catalog.relations.items()]
    problems = encode_problems(catalog.problems)
    conflicts = [(index[r._key], c.places, c.reason) for r, c in catalog.conflicts.items()]
    refs = list(index)
    return refs, entities, relations, problems, conflicts


def _provenance_row(provenance: Provenance) -> tuple:
    return tuple(getattr(provenance, n) for n in _PROVENANCE)


def encode_problems(problems: Iterable[Problem]) -> list[tuple]:
    """``problems`` as plain rows for :mod:`marshal`."""
    return [(p.severity.value, *(getattr(p, n) for n in _PROBLEM)) for p in problems]


def decode_catalog(data: tuple) -> Catalog:
    """The catalog :func:`encode_catalog` encoded."""
    refs_data, entities, relations, problems, conflicts = data
    refs = [EntityRef(kind, namespace, name) for kind, namespace, name in refs_data]
    at = _ENTITY.index("provenance") + 1  # its place in a row
    catalog = Catalog()
    catalog.entities = {refs[row[0]]: Entity(refs[row[0]], *row[1:at], Provenance(*row[at]),
                                             *row[at + 1:])
                        for row in entities}
    catalog.relations = {refs[source]: [Relation(refs[s], t, refs[o]) for s, t, o in rels]
                         for source, rels in relations}
    catalog.problems = decode_problems(problems)
    catalog.conflicts = {refs[r]: Conflict(tuple(places), reason)
                         for r, places, reason in conflicts}
    return catalog


def decode_problems(rows: Iterable[tuple]) -> list[Problem]:
    """The problems :func:`encode_problems` encoded."""
    return [Problem(Severity(row[0]), *row[1:]) for row in rows]
