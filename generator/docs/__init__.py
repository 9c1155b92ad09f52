"""Docs: each repository's TechDocs, aggregated under its entity.

    techdocs-ref → collect (mkdocs.yml, pages, files, snippets, links)
                 → (pages stage: generator.pages.docs_pages publishes them)
                 → render (TechDocs' Markdown dialect, sanitised HTML)

The stage reads only inside each repository and reports what goes wrong as
problems on the entity. Pages are rendered at the output boundary, by the
MkDocs plugin or by ``pavedroad generate``, under the ``docs_html`` trust
setting.
"""

from generator.docs.collect import collect_docs
from generator.docs.fences import FenceBudget, draw_fences
from generator.docs.model import DocPage, Docs, DocSite, DocsLink, NavNode, SourceLinks
from generator.docs.render import Dialect, DocsRenderer, Rendered, docs_dialect, render_markdown
from generator.docs.sanitize import HTML_POLICIES, sanitize_html

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
