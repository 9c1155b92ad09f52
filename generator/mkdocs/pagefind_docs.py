"""Write the documents of one Pagefind run, then become Pagefind: run as a script.

:class:`~generator.mkdocs.pagefind_run.IndexRun` hands its documents over as one
:mod:`marshal` file and starts this file as a script (by path, so that only the standard
library is imported): it writes each document where Pagefind gives it its URL, notes how
long that took, and replaces itself with Pagefind's command line. Writing 15,000 small
files cost the build's own process two seconds; here it is done beside the build, on
another core.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from pathlib import Path

__all__ = ["TIMING_FILE", "document_path", "write_documents"]

TIMING_FILE = "written.seconds"
"""In the scratch folder: how long writing the documents took."""


def document_path(url: str) -> str:
    """Where Pagefind gives a file ``url``: ``a/b/`` is ``a/b/index.html``.

    >>> document_path("catalog/a/"), document_path(""), document_path("x.html")
    ('catalog/a/index.html', 'index.html', 'x.html')
    """
    return url + "index.html" if url == "" or url.endswith("/") else url


def write_documents(site: Path, items: list[tuple[str, str]]) -> None:
    """Write each ``(url, html)`` of ``items`` below ``site``."""
    made: set[Path] = set()
    for url, html in items:
        path = site / document_path(url)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(html, encoding="utf-8")


def main(argv: list[str]) -> None:
    """``pagefind_docs.py SCRATCH DOCUMENTS PAGEFIND-ARGUMENTS…``."""
    scratch, documents, command = Path(argv[0]), Path(argv[1]), argv[2:]
    start = time.perf_counter()
    with open(documents, "rb") as file:
        items = marshal.load(file)
    documents.unlink()
    write_documents(scratch / "site", items)
    (scratch / TIMING_FILE).write_text(f"{time.perf_counter() - start:.3f}\n")
    os.execv(sys.executable, [sys.executable, "-m", "pagefind", *command])


if __name__ == "__main__":
    main(sys.argv[1:])
