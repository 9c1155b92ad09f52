"""Paths inside a repository's docs: containment, site paths and names.

Every path the docs stage reads goes through :func:`inside` first, so that
nothing outside the repository (as written or through a symbolic link) is
ever opened.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath

__all__ = ["MARKDOWN_SUFFIXES", "inside", "page_path", "posix_rel", "title_from_name",
           "unsafe_name_reason"]

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
