"""One Pagefind index from one set of documents: Pagefind's command line over a scratch folder.

:class:`IndexRun` has each document written where Pagefind should read it, into a scratch
folder at its URL (in memory where the system has room: :func:`scratch_root`), by a process
of its own (:mod:`.pagefind_docs`), which then runs Pagefind's command line (offline, from
the ``pagefind`` package) into another scratch folder; it makes the result byte-identical
for the same input (:func:`canonical_meta`) and notes what it was made from
(:data:`INPUTS_FILE`), so that an unchanged index is kept, not made again. The command line
runs in its own process: a run started early goes on while the build does.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import marshal
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.mkdocs.pagefind_docs import TIMING_FILE

__all__ = ["INPUTS_FILE", "IndexRun", "SearchIndexError", "deliver"]

INPUTS_FILE = "pavedroad-inputs.sha256"
"""Beside an index: the digest of what it was made from (Pagefind's version, each page's
URL and text), so an unchanged index is not made again."""
MEMORY_SCRATCH = Path("/dev/shm")
"""Linux's RAM-backed folder: writing 15,000 small documents there took 3.8 s where the
build machine's disk took 23 s (and 14 s of CPU in the file system)."""
_SIGNATURE = b"pagefind_dcd"
_WRITER = Path(__file__).with_name("pagefind_docs.py")
"""Run as a script: writes the documents, then becomes Pagefind."""


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message is one line."""


class IndexRun:
    """The Pagefind index of ``items`` (URL, HTML), unless the one in ``kept`` (a published
    index's folder) was made from the same items. :meth:`start` writes the documents and
    starts Pagefind's command line, in its own process, and returns; :meth:`result` waits
    for it (or does both, if never started)."""

    def __init__(self, items: list[tuple[str, str]], kept: Path | None = None,
                 digest: str | None = None) -> None:
        self.items = items
        self.digest = digest or _inputs_digest(items)
        """What the index is made from (``digest``, if given: items known to give it)."""
        self.kept = kept is not None and _read_inputs(kept / INPUTS_FILE) == self.digest
        """The index in ``kept`` holds these items: nothing is made."""
        self.made: Path | None = None
        self.seconds = (0.0, 0.0, 0.0)
        """Writing the documents, Pagefind, the canonical rewrite."""
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None
        self._started = 0.0
        self._written = 0.0

    def start(self) -> None:
        """Hand the documents over and start Pagefind (nothing if kept or without items)."""
        if self.kept or not self.items or self._process is not None:
            return
        self._started = time.perf_counter()
        size = sum(len(html) for _, html in self.items)
        # Removed by close(); at the latest when the process ends, whatever is left in it.
        self._scratch = tempfile.TemporaryDirectory(prefix="pavedroad-search-",
                                                    dir=scratch_root(size),
                                                    ignore_cleanup_errors=True)
        root = Path(self._scratch.name)
        with open(root / "documents.marshal", "wb") as file:
            marshal.dump(self.items, file)
        self._written = time.perf_counter()
        with open(root / "pagefind.log", "wb") as log:  # a file: no pipe to fill meanwhile
            # -I: the script's folder is not on the path, only the standard library is read.
            self._process = subprocess.Popen(
                [sys.executable, "-I", str(_WRITER), str(root),
                 str(root / "documents.marshal"), "--site", str(root / "site"),
                 "--output-path", str(root / "index"), "--force-language", "en", "--silent"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

    def result(self) -> Path | None:
        """The folder of the index made (``None``: kept, or no items); raises
        :class:`SearchIndexError` (or ``OSError``) if Pagefind failed."""
        if self.made is not None or self.kept or not self.items:
            return self.made
        self.start()
        assert self._process is not None and self._scratch is not None
        code = self._process.wait()
        indexed = time.perf_counter()
        root = Path(self._scratch.name)
        shutil.rmtree(root / "site", ignore_errors=True)  # the documents are not needed again
        if code != 0:
            detail = (root / "pagefind.log").read_text(errors="replace").strip().splitlines()
            why = detail[-1] if detail else code
            raise SearchIndexError(f"Pagefind failed ({why}); the option search: material "
                                   "builds without it")
        canonical_meta(root / "index")
        (root / "index" / INPUTS_FILE).write_text(self.digest + "\n", encoding="utf-8")
        self.made = root / "index"
        try:  # the documents' writing, in the process that then became Pagefind
            writing = float((root / TIMING_FILE).read_text())
        except (OSError, ValueError):
            writing = 0.0
        self.seconds = (self._written - self._started + writing,
                        indexed - self._written - writing, time.perf_counter() - indexed)
        return self.made

    def close(self) -> None:
        """Stop Pagefind if it still runs, and remove the scratch folders."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._scratch is not None:
            with contextlib.suppress(OSError):
                self._scratch.cleanup()
            self._scratch = None


def deliver(made: Path, folder: str, site_dir: Path,
            write: Callable[[str, bytes], None] | None) -> None:
    """Put the index made in ``made`` at ``site_dir/folder``: through ``write`` (by site
    path), which leaves files the site already holds alone, or copied there in place of what
    was there."""
    if write is None:
        out = site_dir / folder
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(made, out)
        return
    for path, _, files in os.walk(made):
        rel = os.path.relpath(path, made)
        for name in sorted(files):
            write(posixpath.normpath(posixpath.join(folder, rel, name)),
                  Path(path, name).read_bytes())


def _inputs_digest(items: list[tuple[str, str]]) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"pagefind {version('pagefind')}\n".encode())
    for url, html in items:
        for part in (url, html):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def _read_inputs(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def scratch_root(size: int) -> str | None:
    """Where the scratch folder goes: memory when it has room for ``size`` bytes twice over
    (containers give ``/dev/shm`` 64 MB), else the system's temporary folder."""
    try:
        if (MEMORY_SCRATCH.is_dir() and os.access(MEMORY_SCRATCH, os.W_OK)
                and shutil.disk_usage(MEMORY_SCRATCH).free > 2 * size + 2**26):
            return str(MEMORY_SCRATCH)
    except OSError:
        pass
    return None


def canonical_meta(out: Path) -> None:
    """Rewrite the filter files and ``pagefind.<hash>.pf_meta`` in sorted order, each
    named by its content.

    Pagefind lists the filters, their values and the sort keys in the order of Rust hash
    maps, seeded anew in every run, so the same site gave different bytes (and file
    names); sorted, it gives the same ones. The words' index and the fragments are stable.
    """
    entry_file = out / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        prefix = language["hash"].split("_", 1)[0]
        path = out / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_cbor(path)
        # [version, pages, index chunks, filters, sorts, meta keys]
        filters = []
        for name, chunk in meta[3]:
            values = _read_cbor(out / "filter" / f"{chunk}.pf_filter")
            values[1] = sorted(values[1], key=lambda value: str(value[0]))
            filters.append([name, _write_cbor(out / "filter", f"{prefix}_", ".pf_filter",
                                              values, 7, replaces=chunk)])
        meta[3] = sorted(filters, key=lambda item: str(item[0]))
        meta[4] = sorted(meta[4], key=lambda item: str(item[0]))
        language["hash"] = _write_cbor(out, f"pagefind.{prefix}_", ".pf_meta", meta, 10,
                                       replaces=language["hash"]).split(".", 1)[1]
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


def _read_cbor(path: Path) -> list:
    import cbor2

    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(_SIGNATURE), path
    return cbor2.loads(raw[len(_SIGNATURE):])


def _write_cbor(folder: Path, prefix: str, suffix: str, data: list, digits: int, *,
                replaces: str) -> str:
    """Write ``data`` as Pagefind does, named ``prefix + hash``; return the name's stem."""
    import cbor2

    body = _SIGNATURE + cbor2.dumps(data)
    stem = f"{prefix}{hashlib.sha256(body).hexdigest()[:digits]}"
    for candidate in folder.glob(f"*{replaces}{suffix}"):
        candidate.unlink()
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(body, mtime=0))
    return stem
