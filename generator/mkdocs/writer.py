"""Generated files written in a thread alongside the build, not by MkDocs.

Tens of thousands of small files (lookups, badges, entity.json, docs
images) cost the build process little CPU but much waiting on the disk; a
:class:`Writer` thread writes them while MkDocs renders pages. MkDocs still
knows each file (links to it resolve, ``serve`` serves it) but does not copy
it. :meth:`WrittenAhead.write_ahead` is the one place a file reaches the
disk, so a rule such as "leave unchanged files alone" goes there.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

__all__ = ["Writer", "WrittenAhead"]


class WrittenAhead(File):
    """A generated file that the :class:`Writer` writes, alongside the build."""

    def copy_file(self, dirty: bool = False) -> None:
        """Already written by :class:`Writer`."""

    def write_ahead(self) -> None:
        """Write the file to the site folder (what MkDocs' ``copy_file`` would do)."""
        File.copy_file(self)


class Writer(threading.Thread):
    """Writes :class:`WrittenAhead` files; the first failure stops it and is kept."""

    def __init__(self, files: Sequence[WrittenAhead]) -> None:
        super().__init__(name="pavedroad-writer", daemon=True)
        self.files = files
        self.error: tuple[str, Exception] | None = None
        """The file that could not be written, and why."""

    def run(self) -> None:
        for file in self.files:
            try:
                file.write_ahead()
            except Exception as exc:
                self.error = (file.src_uri, exc)
                return

    def finish(self) -> None:
        """Wait for the files; a failure fails the build with the file named."""
        self.join()
        if self.error is not None:
            path, exc = self.error
            raise PluginError(f"Paved Road could not write {path}: {exc}")
