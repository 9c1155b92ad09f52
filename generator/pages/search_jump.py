"""The header box's "jump to" list, split so that a query fetches a few small files.

Every entity answers to its title, name, aliases, previous names and PagerDuty id
(:func:`entity_names`). Each of those, normalised (:func:`normalise`), is a *key*, and so
is every word of it from the second on (``checkout service`` → ``service``); a key is
also kept without its first character as a *tail* key (``heckout``), so a typo in a
name's first letter still leads to its file. Keys are sorted (in UTF-16 code units, as
JavaScript compares strings) and cut into files of about :data:`SHARD_BYTES`, like the
leaves of a B-tree: :data:`~generator.urls.JUMP_INDEX` (the manifest, fetched on first
focus) lists each file's lowest key in order, shortened to the shortest prefix that still
separates it from the file before. A query ``q`` fetches (at most 8 files) the file where
``q`` would sort and the two after it (names ``q`` begins), from four characters the files
of ``q[1:]``, of ``q`` with its first two letters swapped and of the tail keys ``q`` and
``q[1:]`` (an edit to the first letter), then the files where its prefixes sort (a typo
later in a name mostly sorts near it: in a trial over 2,000 titles of the 10,000-component
organisation, about 88 % with one letter deleted or replaced were found). The browser
scores the entities of those files as before (``assets/search.js``).

A common word (``service``) would put thousands of entities under one key: each key keeps
its :data:`KEY_ENTITIES` shortest-titled entities (the others are found by their other
keys). The files' names carry a digest of their content, so the same catalog gives the
same files and a browser may cache them for good.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import unicodedata
from typing import TYPE_CHECKING

from generator.formats.common import ALIASES
from generator.policies import PAGERDUTY_ANNOTATION, PREVIOUS_NAMES, previous_refs
from generator.urls import JUMP_INDEX, jump_shard

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = ["KEY_ENTITIES", "SHARD_BYTES", "entity_names", "jump_files", "keys", "normalise"]

SHARD_BYTES = 12_000
"""About how many bytes of entity rows one file of the list holds."""
KEY_ENTITIES = 16
"""Entities kept under one key (the shortest titles first)."""
MIN_WORD = 3
"""Characters of the shortest word kept as a key of its own."""
MIN_TAIL = 4
"""Characters of the shortest key also kept as a tail key."""
_WORD_START = re.compile(r"(?<=[\W_])[^\W_]")


def entity_names(entity: Entity) -> list[str]:
    """Every name ``entity`` answers to besides its title, each once: name, ref, aliases,
    previous names (with the old name alone), PagerDuty service id."""
    annotations = entity.annotations
    names = [entity.name, str(entity.ref)]
    names += annotations.get(ALIASES, "").replace(",", " ").split()
    if PREVIOUS_NAMES in annotations:
        for text, old in previous_refs(entity):
            names += [text] + ([old.name] if old is not None else [])
    service = annotations.get(PAGERDUTY_ANNOTATION, "").strip()
    if service:
        names.append(service)
    return list(dict.fromkeys(n for n in names if n))


def normalise(text: str) -> str:
    """Lower case without accents, as ``search.js`` normalises a query."""
    if text.isascii():
        return text.lower().strip()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").strip()


def keys(names: list[str]) -> list[str]:
    """The keys of an entity with ``names``: each name, then each later word of it."""
    out = []
    for name in names:
        key = normalise(name)
        out.append(key)
        out += [key[m.start():] for m in _WORD_START.finditer(key, 1, len(key) - MIN_WORD + 1)]
    return list(dict.fromkeys(k for k in out if k))


def _order(key: str) -> bytes:
    return key.encode("utf-16-be")


def _separator(previous: str, key: str) -> str:
    """The shortest prefix of ``key`` that sorts after ``previous`` (``key`` does)."""
    for end in range(1, len(key)):
        if _order(key[:end]) > _order(previous):
            return key[:end]
    return key


def _shards(index: dict[str, list[int]], rows: list[str]) -> tuple[list[str], list[str]]:
    """Cut the sorted keys of ``index`` into files of rows: (separators, contents)."""
    separators: list[str] = []
    contents: list[str] = []
    current: dict[int, None] = {}
    size, separator, previous = 0, "", ""

    def close() -> None:
        separators.append(separator)
        contents.append("[" + ",".join(rows[i] for i in current) + "]")

    for key in sorted(index, key=_order):
        if size >= SHARD_BYTES:
            close()
            current, size, separator = {}, 0, _separator(previous, key)
        for row in index[key]:
            if row not in current:
                current[row] = None
                size += len(rows[row]) + 1
        previous = key
    if current or not separators:
        close()
    return separators, contents


def jump_files(catalog: Catalog) -> dict[str, str]:
    """The manifest and the files of the jump-to list: site path → JSON text.

    The manifest is ``{"kinds": [...], "files": "jump/<digest>-", "keys": [separator, ...],
    "tails": [...]}``: the i-th key file is ``<files>k<i>.json`` relative to it, the i-th
    tail file ``<files>t<i>.json``; a file is ``[row, ...]`` with a row ``[kind index, namespace
    or "", name, title or "", other names...]``: the page is
    ``catalog/<namespace>/<kind>/<name>/`` (namespace ``default`` when empty); a title
    equal to the name is left out.
    """
    kinds = sorted({ref.kind for ref in catalog.entities})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    rows: list[str] = []
    titles: list[int] = []
    main: dict[str, list[int]] = {}
    tails: dict[str, list[int]] = {}
    for ref, entity in sorted(catalog.entities.items()):
        others = entity_names(entity)[2:]
        title = "" if entity.title == ref.name else entity.title
        at = len(rows)
        rows.append(json.dumps([kind_index[ref.kind], "" if ref.namespace == "default"
                                else ref.namespace, ref.name, title, *others],
                               ensure_ascii=False, separators=(",", ":")))
        titles.append(len(entity.title))
        for key in keys([entity.title, ref.name, *others]):
            main.setdefault(key, []).append(at)
            if len(key) >= MIN_TAIL:
                tails.setdefault(key[1:], []).append(at)
    for index in (main, tails):
        for key, found in index.items():
            if len(found) > KEY_ENTITIES:
                index[key] = sorted(found, key=lambda row: (titles[row], row))[:KEY_ENTITIES]
    key_separators, key_files = _shards(main, rows)
    tail_separators, tail_files = _shards(tails, rows)
    digest = hashlib.sha256("\n".join(key_files + tail_files).encode("utf-8")).hexdigest()[:12]
    files = {jump_shard(digest, f"k{i}"): text for i, text in enumerate(key_files)}
    files |= {jump_shard(digest, f"t{i}"): text for i, text in enumerate(tail_files)}
    stem = posixpath.relpath(jump_shard(digest, ""), posixpath.dirname(JUMP_INDEX))
    manifest = {"kinds": kinds, "files": stem.removesuffix(".json"), "keys": key_separators,
                "tails": tail_separators}
    files[JUMP_INDEX] = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))
    return files
