"""The MkDocs adapter: the page set served to ``mkdocs build`` and ``serve``.

One module per concern, the plugin only wiring MkDocs events to them
(Material's tags plugin is the model)::

    plugin.py     PavedRoadPlugin: events → the managers below, built in on_config
    config.py     the plugin's options, one reader for the plugin and `pavedroad generate`
    generated.py  the page set as MkDocs files and pages
    docs.py       repository docs, rendered by generator.docs, put into their pages
    search.py     sections found before rendering, handed to Material's search index
    pagefind.py   Pagefind's header box and indexes (pagefind_run.py runs its command line,
                  pagefind_files.py keeps the pages' index on the site record's digests)
    shells.py     page shells: the theme rendered once per page shape
    writer.py     the many small generated files, written in a thread
    nav.py        the default nav and the compact one of entity pages
    renderer.py   HTML built once per site (nav, counts), from templates/mkdocs/
    stamp.py      when and from which commit the site was generated

Inside this package ``mkdocs`` is MkDocs itself (absolute imports).
"""

from generator.mkdocs.config import (
    HISTORY_ENV,
    SOURCES_ENV,
    OptionsError,
    PavedRoadConfig,
    SiteOptions,
    read_plugin_options,
    site_options,
)
from generator.mkdocs.plugin import PavedRoadPlugin
from generator.mkdocs.renderer import STATS_MARKER, Renderer

__all__ = [
    "HISTORY_ENV",
    "SOURCES_ENV",
    "STATS_MARKER",
    "OptionsError",
    "PavedRoadConfig",
    "PavedRoadPlugin",
    "Renderer",
    "SiteOptions",
    "read_plugin_options",
    "site_options",
]
