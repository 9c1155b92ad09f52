"""Shared helpers for the descriptor-format tests: the hand-written fixture organisation."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from generator.pipeline import CatalogRun, load_catalog
from generator.refs import parse_ref

FORMATS_ORG = FIXTURES / "formats"


def copy_org(tmp_path: Path) -> Path:
    """A writable copy of the fixture organisation; returns its sources.yaml."""
    root = tmp_path / "org"
    shutil.copytree(FORMATS_ORG, root)
    return root / "sources.yaml"


def load(sources: Path = FORMATS_ORG / "sources.yaml") -> CatalogRun:
    return load_catalog(sources, progress=False)


def entity(run: CatalogRun, ref: str):
    found = run.catalog.get(parse_ref(ref))
    assert found is not None, f"{ref} not in {sorted(str(r) for r in run.catalog.entities)}"
    return found


def codes(run: CatalogRun, file_part: str = "") -> list[str]:
    return sorted(p.code for p in run.catalog.problems if file_part in (p.file or ""))


def related(run: CatalogRun, ref: str, type_: str) -> list[str]:
    return sorted(str(r) for r in run.catalog.related(parse_ref(ref), type_))
