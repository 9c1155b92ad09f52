"""Pages: the catalog as a set of Markdown pages and assets, independent of MkDocs."""

from generator.pages.build import build_pages
from generator.pages.features import Feature, Section
from generator.pages.model import AuthoredPage, GeneratedPage, PageSet

__all__ = [
    "AuthoredPage",
    "Feature",
    "GeneratedPage",
    "PageSet",
    "Section",
    "build_pages",
]
