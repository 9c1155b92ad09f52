"""A docs section's Markdown dialect: its ``mkdocs.yml``'s extensions over TechDocs' own.

What of the project's ``markdown_extensions`` is left out, or cannot load, is a problem on
the section; the dialect is then TechDocs' (:mod:`generator.docs.extensions`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from generator.docs.extensions import merge_extensions
from generator.problems import Severity

if TYPE_CHECKING:
    from generator.docs.config import DocsConfig
    from generator.docs.model import DocSite, Report

__all__ = ["section_extensions"]


def section_extensions(site: DocSite, config: DocsConfig, report: Report) -> None:
    """Give ``site`` the project's ``markdown_extensions`` merged over TechDocs' (those
    allowed); what is left out, or cannot load, is reported."""
    from generator.docs.render import dialect_error, docs_dialect

    settings = merge_extensions(config.markdown_extensions or [])
    if settings.ignored:
        report(Severity.INFO, "docs-extensions-ignored",
               f"mkdocs.yml: {', '.join(settings.ignored)} "
               f"{'is' if len(settings.ignored) == 1 else 'are'} not run on the portal "
               "(only Python-Markdown's and pymdownx extensions whose options run no code "
               "of the repository's and read no files); the pages render without them",
               site.config_file, config.extensions_line)
    error = dialect_error(docs_dialect(extensions=settings.extensions))
    if error is not None:
        report(Severity.WARNING, "docs-config",
               f"mkdocs.yml: markdown_extensions cannot be loaded ({error}); the pages "
               "render in TechDocs' dialect instead", site.config_file,
               config.extensions_line)
        return
    site.extensions = settings.extensions
    site.snippets = dataclasses.replace(settings.snippets, line=config.extensions_line)
