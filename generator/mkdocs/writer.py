"""Generated files written in a thread alongside the build, not by MkDocs.

Tens of thousands of small files (lookups, badges, entity.json, docs
images) cost the build process little CPU but much waiting on the disk; a
:class:`Writer` thread writes them while MkDocs renders pages. MkDocs still
knows each file (links to it resolve, ``serve`` serves it) but does not copy
it. Each goes through a :class:`~generator.mkdocs.publish.SiteOutput`, which
leaves a file whose bytes did not change alone.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from generator.mkdocs.publish import SiteOutput

__all__ = ["Writer", "WrittenAhead"]


class WrittenAhead(File):
    """A generated file that the :class:`Writer` writes, alongside the build."""

    def copy_file(self, dirty: bool = False) -> None:
        """Already written by :class:`Writer`."""

    def write_ahead(self, output: SiteOutput) -> None:
        """Write the file to the site folder (what MkDocs' ``copy_file`` would do)."""
        output.write(self.dest_uri, self.content_bytes)


class Writer(threading.Thread):
    """Writes :class:`WrittenAhead` files; the first failure stops it and is kept."""

    def __init__(self, files: Sequence[WrittenAhead], output: SiteOutput) -> None:
        super().__init__(name="pavedroad-writer", daemon=True)
        self.files = files
        self.output = output
        self.error: tuple[str, Exception] | None = None
        """The file that could not be written, and why."""

    def run(self) -> None:
        for file in self.files:
            try:
                file.write_ahead(self.output)
            except Exception as exc:
                self.error = (file.src_uri, exc)
                return

    def finish(self) -> None:
        """Wait for the files; a failure fails the build with the file named."""
        self.join()
        if self.error is not None:
            path, exc = self.error
            raise PluginError(f"Paved Road could not write {path}: {exc}")
