"""List a site folder's files and folders: run as a script, beside the build.

:class:`~generator.mkdocs.publish.SiteListing` starts this file by path (``-I``: only the
standard library is read) as soon as a build knows its site folder. Walking a
10,000-component site (156,000 files in 25,000 folders) to find what the build no longer
makes cost every build two seconds at its end; listed here, on another core while the
catalog's pages are built, it costs the build reading one :mod:`marshal` file.
"""

from __future__ import annotations

import marshal
import os
import sys

__all__ = ["list_site"]


def list_site(site_dir: str) -> tuple[list[str], list[str]]:
    """The files and the folders under ``site_dir``, relative to it, parents before their
    children; hidden top-level entries (a Pages checkout's ``.git``) are not looked into."""
    files: list[str] = []
    folders: list[str] = []
    for folder, dirs, names in os.walk(site_dir):
        rel = os.path.relpath(folder, site_dir)
        if rel == ".":
            dirs[:] = [name for name in dirs if not name.startswith(".")]
            names = [name for name in names if not name.startswith(".")]
        prefix = "" if rel == "." else rel + os.sep
        files.extend(prefix + name for name in names)
        folders.extend(prefix + name for name in dirs)
    return files, folders


def main(argv: list[str]) -> None:
    """``sitelist.py SITE_DIR OUT``: the listing of ``SITE_DIR``, as marshal, into ``OUT``."""
    site_dir, out = argv
    listing = list_site(site_dir)
    with open(out + ".part", "wb") as file:
        marshal.dump(listing, file)
    os.replace(out + ".part", out)


if __name__ == "__main__":
    main(sys.argv[1:])
