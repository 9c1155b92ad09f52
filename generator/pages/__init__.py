"""Pages: the catalog as a set of Markdown pages and assets, independent of MkDocs."""

from typing import TYPE_CHECKING

from generator.lazy import lazy_exports

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
"""Each public name → the module defining it, imported on first use."""

__getattr__ = lazy_exports(__name__, _EXPORTS)


__all__ = [
    "AuthoredPage",
    "Feature",
    "GeneratedPage",
    "PageSet",
    "Section",
    "build_pages",
]
