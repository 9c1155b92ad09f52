"""Docs: each repository's TechDocs, aggregated under its entity.

    techdocs-ref → collect (mkdocs.yml, pages, files, snippets, links)
                 → (pages stage: generator.pages.docs_pages publishes them)
                 → render (TechDocs' Markdown dialect, sanitised HTML)

The stage reads only inside each repository and reports what goes wrong as
problems on the entity. Pages are rendered at the output boundary, by the
MkDocs plugin or by ``pavedroad generate``, under the ``docs_html`` trust
setting.
"""

from typing import TYPE_CHECKING

from generator.lazy import lazy_exports

if TYPE_CHECKING:
    from generator.docs.collect import collect_docs
    from generator.docs.fences import FenceBudget, draw_fences
    from generator.docs.model import DocPage, Docs, DocSite, DocsLink, NavNode, SourceLinks
    from generator.docs.render import Dialect, DocsRenderer, Rendered, docs_dialect, render_markdown
    from generator.docs.sanitize import HTML_POLICIES, sanitize_html

_EXPORTS = {
    "collect_docs": "generator.docs.collect",
    "FenceBudget": "generator.docs.fences",
    "draw_fences": "generator.docs.fences",
    "DocPage": "generator.docs.model",
    "Docs": "generator.docs.model",
    "DocSite": "generator.docs.model",
    "DocsLink": "generator.docs.model",
    "NavNode": "generator.docs.model",
    "SourceLinks": "generator.docs.model",
    "Dialect": "generator.docs.render",
    "DocsRenderer": "generator.docs.render",
    "Rendered": "generator.docs.render",
    "docs_dialect": "generator.docs.render",
    "render_markdown": "generator.docs.render",
    "HTML_POLICIES": "generator.docs.sanitize",
    "sanitize_html": "generator.docs.sanitize",
}
"""Each public name → the module defining it, imported on first use."""

__getattr__ = lazy_exports(__name__, _EXPORTS)


__all__ = [
    "HTML_POLICIES",
    "Dialect",
    "DocPage",
    "DocSite",
    "Docs",
    "DocsLink",
    "DocsRenderer",
    "FenceBudget",
    "NavNode",
    "Rendered",
    "SourceLinks",
    "collect_docs",
    "docs_dialect",
    "draw_fences",
    "render_markdown",
    "sanitize_html",
]
