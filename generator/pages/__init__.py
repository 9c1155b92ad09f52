"""Pages: the catalog as a set of Markdown pages and assets, independent of MkDocs."""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.pages.build import build_pages
    from generator.pages.features import Feature, Section
    from generator.pages.model import AuthoredPage, GeneratedPage, PageSet

_EXPORTS = {
    "build_pages": "generator.pages.build",
    "Feature": "generator.pages.features",
    "Section": "generator.pages.features",
    "AuthoredPage": "generator.pages.model",
    "GeneratedPage": "generator.pages.model",
    "PageSet": "generator.pages.model",
}
"""Each public name → the module defining it, imported on first use (PEP 562), so that
importing one submodule does not import every other."""


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(module), name)
    return value


__all__ = [
    "AuthoredPage",
    "Feature",
    "GeneratedPage",
    "PageSet",
    "Section",
    "build_pages",
]
