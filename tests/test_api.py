"""The public API is what generator/__init__.py exports, and all of it exists."""

from __future__ import annotations

import generator


def test_all_names_exist():
    for name in generator.__all__:
        assert getattr(generator, name) is not None, name


def test_all_is_sorted_and_unique():
    assert list(generator.__all__) == sorted(set(generator.__all__), key=generator.__all__.index)
    assert len(set(generator.__all__)) == len(generator.__all__)


def test_pipeline_stages_are_exported():
    for name in ("load_sources", "expand_sources", "crawl", "parse_entities", "build_catalog",
                 "load_catalog"):
        assert callable(getattr(generator, name))
