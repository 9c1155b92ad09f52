"""The public API is what generator/__init__.py exports, and all of it exists."""

from __future__ import annotations

import generator


def test_all_names_exist():
    for name in generator.__all__:
        assert getattr(generator, name) is not None, name


def _isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetical (ruff's RUF022 order)."""
    group = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return group, name


def test_all_is_sorted_and_unique():
    names = list(generator.__all__)
    assert names == sorted(names, key=_isort_style)
    assert len(set(names)) == len(names)


def test_pipeline_stages_are_exported():
    for name in ("load_sources", "expand_sources", "crawl", "parse_entities", "build_catalog",
                 "load_catalog"):
        assert callable(getattr(generator, name))
