"""Paths inside a repository's docs: containment, site paths and names.

Every path the docs stage reads goes through :func:`inside` first, so that
nothing outside the repository (as written or through a symbolic link) is
ever opened.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath

__all__ = ["MARKDOWN_SUFFIXES", "MAX_DOCS_PATH", "CaseCollision", "case_renames", "inside",
           "page_path", "posix_rel", "title_from_name", "too_long_reason", "unsafe_name_reason"]

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""File suffixes MkDocs reads as pages."""


def inside(root: Path, path: Path) -> Path | None:
    """``path`` resolved, if it stays inside ``root`` both as written and after symlinks."""
    normal = Path(os.path.normpath(path))
    if not normal.is_relative_to(root):
        return None
    try:
        real = normal.resolve()
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) else None


def posix_rel(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, with forward slashes."""
    return PurePosixPath(os.path.relpath(path, root)).as_posix()


def title_from_name(name: str) -> str:
    """A title from a file or folder name, as MkDocs makes one.

    >>> title_from_name("getting-started"), title_from_name("API_Guide")
    ('Getting started', 'API Guide')
    """
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def page_path(path: str) -> str:
    """Site path of a Markdown file: any Markdown suffix becomes ``.md``.

    >>> page_path("guide/setup.markdown"), page_path("img/a.png")
    ('guide/setup.md', 'img/a.png')
    """
    stem, suffix = posixpath.splitext(path)
    return stem + ".md" if suffix.lower() in MARKDOWN_SUFFIXES else path


_UNSAFE_CHARS = frozenset(":?#%\\")


def unsafe_name_reason(name: str) -> str | None:
    """Why a file or folder name cannot be part of a docs URL, or ``None``.

    A ``:`` would make a relative link a scheme (``javascript:…``), ``?``,
    ``#`` and ``%`` change what a URL means, control characters and a
    leading ``-`` are not names any host or tool handles alike.

    >>> unsafe_name_reason("setup.md") is None, unsafe_name_reason("javascript:x.md")
    (True, "contains ':', which has a meaning in URLs")
    """
    for char in name:
        if char in _UNSAFE_CHARS:
            return f"contains {char!r}, which has a meaning in URLs"
        if ord(char) < 0x20 or 0x7f <= ord(char) < 0xa0:
            return f"contains the control character U+{ord(char):04X}"
    if name.startswith("-"):
        return "starts with '-', which tools read as an option"
    return None


CaseCollision = tuple[str, str, str]
"""``(kept, renamed, new)``: two paths (or folders) that differ only in case, and the new
name of the second."""


def case_renames(paths: list[str]) -> tuple[dict[str, str], list[CaseCollision]]:
    """New names for section paths that differ from another only in letter case.

    ``Guide.md`` and ``guide.md`` (or folders ``API/`` and ``api/``) would
    overwrite each other on a case-insensitive file system or host. In sorted
    order the first keeps its name; each later one gets ``-2`` (``-3`` …)
    after its name, a folder for everything under it. A page's name is
    compared without ``.md`` (it becomes a folder in the site), so
    ``Guide.md`` stays beside its folder ``Guide/``.

    >>> case_renames(["Guide.md", "guide.md", "img/A.png", "IMG/b.png"])
    ({'guide.md': 'guide-2.md', 'img/A.png': 'img-2/A.png'}, [('Guide.md', 'guide.md', \
'guide-2.md'), ('IMG/', 'img/', 'img-2/')])
    """
    holder: dict[str, tuple[str, str]] = {}  # folded output name → (written name, shown as)
    output: dict[str, str] = {}  # written name (pages without .md) → output name
    renames: dict[str, str] = {}
    collisions: list[CaseCollision] = []
    for path in sorted(paths):
        parts = path.split("/")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            page = last and part.endswith(".md")
            base, ext = posixpath.splitext(part) if last else (part, "")
            kept = "" if page else ext  # a page's name in the site has no suffix
            shown = "/".join([*parts[:i], part if last else part + "/"])
            written = "/".join([*parts[:i], base + kept])
            if written in output:
                continue
            parent = output["/".join(parts[:i])] if i else ""
            n = 1
            while True:
                name = (f"{parent}/" if parent else "") + (f"{base}-{n}" if n > 1 else base) + kept
                if holder.setdefault(name.casefold(), (written, shown))[0] == written:
                    break
                n += 1
            output[written] = name
            if n > 1:
                first = holder[((f"{parent}/" if parent else "") + base + kept).casefold()][1]
                collisions.append((first, shown, name + ("" if kept else ext)
                                   + ("" if last else "/")))
        stem = path[:-3] if path.endswith(".md") else path
        new_path = output[stem] + path[len(stem):]
        if new_path != path:
            renames[path] = new_path
    return renames, collisions


MAX_DOCS_PATH = 1024
"""Longest path of a docs file inside its docs folder (bytes): the site adds its own prefix,
and file systems refuse paths over 4,096 bytes and names over 255."""


def too_long_reason(inner: str) -> tuple[str, str] | None:
    """``(code, reason)`` when a docs path (inside its docs folder) is too long to write."""
    encoded = inner.encode("utf-8", "surrogateescape")
    if len(encoded) > MAX_DOCS_PATH or any(len(p) > 200 for p in encoded.split(b"/")):
        return "name-too-long", (f"has a path of {len(encoded):,} bytes (or a name over 200); "
                                 f"docs paths are kept under {MAX_DOCS_PATH:,} bytes so the "
                                 "site can be written")
    return None
