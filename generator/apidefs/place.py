"""Where an API's definition is written: its file, and the line before its first line.

A definition is a ``$text`` file of the repository (problems point into that
file) or inline in the descriptor (problems point at the descriptor's lines
below ``definition: |``). Read again from the descriptor, through the
repository reader, since the catalog keeps only the substituted text.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from generator.repofiles import read_repo_file
from generator.sources import repo_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["definition_place"]

_TEXT_SUBSTITUTION = re.compile(r"""\$text\s*:\s*["']?([^"'}\s,]+)""")
_BLOCK = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def definition_place(entity: Entity, repositories: Sequence[Repository]) -> tuple[str, int]:
    """``(display file, offset)``: line ``n`` of the definition is line ``offset + n`` there."""
    prov = entity.provenance
    key_line = entity.line_of(("spec", "definition"))
    repo = next((r for r in repositories if r.name == prov.repo), None)
    if repo is None or prov.format != "backstage":
        return prov.file, max(0, key_line - 1)
    text, _ = read_repo_file(repo.root / prov.path, root=repo.root)
    lines = (text or "").splitlines()
    found = _TEXT_SUBSTITUTION.search(" ".join(lines[key_line - 1:key_line + 1]))
    if found:
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(prov.path), found.group(1)))
        return repo_path(repo, rel), 0
    block = key_line <= len(lines) and _BLOCK.search(lines[key_line - 1]) is not None
    return prov.file, key_line if block else key_line - 1
