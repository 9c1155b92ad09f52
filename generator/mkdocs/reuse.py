"""Pages of the previous build kept as they are: an unchanged page costs no rendering.

A page that is not in the nav, an entity page or a repository's docs page, is a
function of its own text (an entity page's Markdown and blocks, a docs page's
Markdown, header, section nav and resolved links: each page's ``digest()``)
and of what every such page shares: the code and
library versions, the site's configuration (nav, theme options, extra, the
plugins' options), the theme's override files and the hand-written pages
whose titles the nav shows. :func:`env_key` digests the shared part;
:meth:`PageReuse.key` adds the page's own. The previous build left a record
(``$PAVEDROAD_CACHE/pages/``) of each page's key and of the size and
modification time of the file it wrote; a page whose key matches, and whose
file in the site folder is still the one written, is not rendered again
(the plugin takes it out of MkDocs' reading and drawing, but keeps it in the
templates' list of pages, which the sitemap shows) and its file is kept. The
record also says whether the page was handed to the search index, which reads a
kept page from its file.

Reuse is off where that reasoning does not hold: ``mkdocs serve``, Material's
own search (its index reads every page), any plugin this module does not know
(it may change pages in ways no key here sees), and a configuration whose
description holds an object address (it would differ on every run).
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import sysconfig
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cachestore import (
    add_versions,
    part_digest,
    prune,
    read_checked,
    store_path,
    write_checked,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from generator.pages import AuthoredPage, GeneratedPage, PageSet

__all__ = ["KNOWN_PLUGINS", "PageReuse", "env_key"]

MAGIC = b"PRPAGES2"
KNOWN_PLUGINS = frozenset({"pavedroad", "search", "material/search"})
"""Plugins whose page events are known to change nothing a page's key leaves out
(search only while switched off for Pagefind)."""
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2",
             "markupsafe", "pagefind", "pygments", "nh3", "mdx_truly_sane_lists", "pydot")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_TITLE = re.compile(r"^title: *(.*)$", re.MULTILINE)
_KEEP_FILES = 8


def _code() -> bytes:
    """The generator package's own files (code, templates, assets)."""
    digest = part_digest(repr(sys.version_info[:3]).encode())
    root = resources.files("generator")
    base = Path(str(root))
    for folder, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder, name)
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    add_versions(digest, _PACKAGES)
    return digest.digest()


def _tree(folder: Path) -> list[tuple[str, int, int]]:
    """Each file below ``folder``: relative path, size and modification time."""
    out = []
    for path, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            st = os.stat(os.path.join(path, name))
            out.append((os.path.relpath(os.path.join(path, name), folder), st.st_size,
                        st.st_mtime_ns))
    return out


def _config_text(config: MkDocsConfig) -> str:
    parts = []
    for key in sorted(config):
        if key == "plugins":
            for name, plugin in config.plugins.items():
                parts.append(f"plugin {name} {type(plugin).__qualname__} "
                             f"{sorted((k, repr(v)) for k, v in plugin.config.items())}")
        elif key == "theme":
            theme = config.theme
            parts.append(f"theme {theme.name} {theme.dirs} "
                         f"{sorted((k, repr(theme[k])) for k in theme)}")
        else:
            parts.append(f"{key} {config[key]!r}")
    return "\n".join(parts)


def env_key(config: MkDocsConfig, files: Files, pages: PageSet) -> bytes | None:
    """What every kept page's HTML depends on besides its own text; ``None`` when it
    cannot be told reliably (then no page is reused)."""
    if not set(config.plugins) <= KNOWN_PLUGINS:
        return None
    for plugin in config.plugins.values():
        if (type(plugin).__module__.startswith(("material.plugins.search", "mkdocs.contrib"))
                and plugin.config.get("enabled", True)):
            return None
    text = _config_text(config)
    if _ADDRESS.search(text):
        return None
    installed = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    theme_files = [(d, _tree(Path(d))) for d in config.theme.dirs
                   if not any(Path(d).resolve().is_relative_to(p) for p in installed)]
    authored = []
    for file in files:
        if not file.generated_by and file.abs_src_path:
            st = os.stat(file.abs_src_path)
            authored.append((file.src_uri, st.st_size, st.st_mtime_ns))
    titles = [(path, m.group(1) if (m := _TITLE.search(pages.pages[path].markdown[:2000]))
               else "") for path in sorted(pages.listed) if path in pages.pages]
    return part_digest(_code(), text.encode(), repr(theme_files).encode(),
                       repr(sorted(authored)).encode(), repr(titles).encode()).digest()


Entry = tuple[bytes, int, int, bool]
"""A page's key, its file's size and modification time, whether search indexed it."""


class PageReuse:
    """One build's record of its entity and docs pages, and the previous build's."""

    def __init__(self, path: Path | None, site_dir: Path, env: bytes | None,
                 previous: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.site_dir = site_dir
        self.env = env
        self.previous = previous or {}
        self.current: dict[str, Entry] = {}

    @classmethod
    def off(cls) -> PageReuse:
        """A record that reuses nothing and keeps nothing."""
        return cls(None, Path("."), None)

    @classmethod
    def open(cls, cache_dir: Path | None, site_dir: Path, env: bytes | None) -> PageReuse:
        """The record kept for ``site_dir`` under ``cache_dir`` (empty if missing, damaged,
        or made with another :func:`env_key`)."""
        if cache_dir is None or env is None:
            return cls(None, site_dir, None)
        path = store_path(cache_dir, "pages", site_dir)
        previous: dict = {}
        try:
            payload = read_checked(path.read_bytes(), MAGIC)
            if payload is not None:
                stamp, entries = marshal.loads(payload)
                if stamp == env and isinstance(entries, dict):
                    previous = entries
        except Exception:  # missing or damaged: nothing to reuse
            previous = {}
        return cls(path, site_dir, env, previous)

    @property
    def enabled(self) -> bool:
        return self.env is not None

    def key(self, src: str, page: GeneratedPage | AuthoredPage) -> bytes:
        """The digest of everything of ``page`` that reaches its HTML, at ``src``."""
        return part_digest(src.encode(), page.digest()).digest()

    def reusable(self, dest: str, key: bytes) -> bool:
        """Whether the file the previous build wrote at ``dest`` from ``key`` is still there,
        untouched (same size and modification time, a regular file)."""
        entry = self.previous.get(dest)
        if entry is None or entry[0] != key:
            return False
        try:
            st = os.lstat(self.site_dir / dest)
        except OSError:
            return False
        return (stat.S_ISREG(st.st_mode) and st.st_size == entry[1]
                and st.st_mtime_ns == entry[2])

    def searched(self, dest: str) -> bool:
        """Whether the previous build handed the page at ``dest`` to the search index."""
        entry = self.previous.get(dest)
        return entry is not None and entry[3]

    def carry(self, dest: str) -> None:
        """Note the page at ``dest`` as the previous build's, found untouched by
        :meth:`reusable` in this build (no second look at its file)."""
        entry = self.previous.get(dest)
        if entry is not None:
            self.current[dest] = entry

    def record(self, dest: str, key: bytes, *, searched: bool = False) -> None:
        """Note the file now at ``dest`` as made from ``key`` (and indexed if ``searched``)."""
        try:
            st = os.lstat(self.site_dir / dest)
        except OSError:
            return
        self.current[dest] = (key, st.st_size, st.st_mtime_ns, searched)

    def save(self) -> None:
        """Keep this build's record for the next (errors are ignored)."""
        if self.path is None:
            return
        if self.current == self.previous:
            return
        if write_checked(self.path, MAGIC, marshal.dumps((self.env, self.current))):
            prune(self.path.parent, self.path, _KEEP_FILES)
