"""Breaking changes between a published API definition and a changed one.

:mod:`~generator.apidiff.surface` and :mod:`~generator.apidiff.surface_sdl`
read a definition's surface (what consumers rely on, each with its line);
:mod:`~generator.apidiff.compare` compares two surfaces;
:mod:`~generator.apidiff.check` turns the changes of every changed API into
problems for ``pavedroad check --against catalog.json``.
"""

from generator.apidiff.check import (
    BREAKING_OK,
    Published,
    PublishedError,
    breaking_changes,
    definition_surface,
    load_published,
)
from generator.apidiff.compare import Change, compare_surfaces
from generator.apidiff.surface import Element, Surface

__all__ = ["BREAKING_OK", "Change", "Element", "Published", "PublishedError", "Surface",
           "breaking_changes", "compare_surfaces", "definition_surface", "load_published"]
