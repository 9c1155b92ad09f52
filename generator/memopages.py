"""Stored pages read when first asked for: a rebuild keeps most pages without reading them.

The page-set memo of a 10,000-component site holds 600 MB of page text in its slices
(:mod:`generator.memoslices`). A rebuild keeps most of those pages as they are, and a
kept page's text is never needed: its digest says it is unchanged, and the site folder
already holds its HTML. Decoding all of it anyway cost a warm rebuild four seconds. A
:class:`StoredPage` is a :class:`~generator.pages.model.GeneratedPage` whose digest and
slice are known; its fields are read (a whole :class:`Shelf`, one slice, at a time) the
first time any of them is asked for. Everything else about it is a ``GeneratedPage``'s:
it compares equal to one with the same fields, and pickles as one.

The memo checks that each slice is there, of the size it was written, before it hands
out its pages; a slice damaged in place is found only when read, and then raises
:class:`StoredPageError` naming the cache (the slice is deleted, so the next build makes
its pages again).
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from typing import TYPE_CHECKING, Any

from generator.pages.model import GeneratedPage

if TYPE_CHECKING:
    from generator.memoslices import SliceStore

__all__ = ["Shelf", "StoredPage", "StoredPageError", "live_slices", "page_row", "row_id"]

_FIELDS = ("markdown", "blocks", "late", "toc", "search")
_LIVE: weakref.WeakSet[Shelf] = weakref.WeakSet()


class StoredPageError(ValueError):
    """A stored page's slice was damaged or removed after the memo was opened (a
    ``ValueError``, as the memo's other damage: a save that meets it stores nothing)."""


def row_id(path: str, page: GeneratedPage) -> bytes:
    """What names ``page`` at ``path`` in a slice: its path, digest and search entries
    (the only field its digest leaves out)."""
    if isinstance(page, StoredPage) and page.row is not None:
        return page.row
    return hashlib.blake2b(b"%b\0%b\0%b" % (
        path.encode("utf-8", "surrogatepass"), page.digest(),
        repr(page.search).encode("utf-8", "surrogatepass")), digest_size=20).digest()


def page_row(path: str, page: GeneratedPage, plain: Any) -> tuple:
    """``page`` as a slice stores it (``plain`` makes its values marshal-safe)."""
    return (path, str(page.markdown), {k: str(v) for k, v in page.blocks.items()}, page.late,
            plain(page.toc), plain(page.search), page.digest())


def live_slices() -> set[str]:
    """The slices whose pages this process still holds unread (not to be deleted)."""
    return {shelf.name for shelf in list(_LIVE) if shelf.pages}


class Shelf:
    """One slice of stored pages, decoded the first time one of them is read."""

    __slots__ = ("__weakref__", "_lock", "name", "pages", "store")

    def __init__(self, store: SliceStore, name: str) -> None:
        self.store = store
        self.name = name
        self.pages: list[StoredPage] = []
        """The slice's pages in its order, until they are filled."""
        self._lock = threading.Lock()
        _LIVE.add(self)

    def add(self, digest: bytes, row: bytes) -> StoredPage:
        """The next page of the slice, known by its digest and :func:`row_id`."""
        page = StoredPage.__new__(StoredPage)
        object.__setattr__(page, "_digest", digest)
        _set(page, "row", row)
        _set(page, "_shelf", self)
        self.pages.append(page)
        return page

    def fill(self) -> None:
        """Read the slice into its pages (once; the memo's background save may race the
        build for it)."""
        with self._lock:
            if not self.pages:
                return
            try:
                rows = self.store.get(self.name)
            except ValueError as error:
                raise StoredPageError(
                    f"the page cache {self.store.folder} lost slice {self.name} during the "
                    f"build ({error}); build again, its pages will be made anew") from error
            if not isinstance(rows, list) or len(rows) != len(self.pages):
                raise StoredPageError(f"slice {self.name} of {self.store.folder} does not "
                                      "hold the pages its memo names; build again")
            for page, (_, *values, _) in zip(self.pages, rows, strict=True):
                for name, value in zip(_FIELDS, values, strict=True):
                    _SLOTS[name].__set__(page, value)
                _set(page, "_shelf", None)
            self.pages = []


_set = object.__setattr__  # past the frozen dataclass's own __setattr__
_SLOTS = {name: GeneratedPage.__dict__[name] for name in _FIELDS}


def _lazy(name: str) -> property:
    slot = _SLOTS[name]

    def get(self: StoredPage) -> Any:
        shelf = self.shelf
        if shelf is not None:
            shelf.fill()
        return slot.__get__(self, GeneratedPage)

    def put(self: StoredPage, value: Any) -> None:
        slot.__set__(self, value)

    return property(get, put, doc=f"The page's ``{name}``, read from its slice when asked.")


def _plain_page(markdown: str, blocks: dict, late: frozenset, toc: Any, search: Any,
                digest: bytes | None) -> GeneratedPage:
    return GeneratedPage(markdown, blocks, late, toc, search).with_digest(digest)


class StoredPage(GeneratedPage):
    """A page of a stored page set: digest known, fields read from its shelf on demand."""

    __slots__ = ("_shelf", "row")

    markdown = _lazy("markdown")
    blocks = _lazy("blocks")
    late = _lazy("late")
    toc = _lazy("toc")
    search = _lazy("search")

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # dataclasses.replace: filled
        _set(self, "_shelf", None)
        _set(self, "row", None)
        super().__init__(*args, **kwargs)

    @property
    def shelf(self) -> Shelf | None:
        try:
            return self._shelf
        except AttributeError:  # made by unpickling or copying: filled
            return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GeneratedPage):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # as a GeneratedPage's: its blocks are a dict

    def __reduce__(self) -> tuple:
        return _plain_page, (*(getattr(self, f) for f in _FIELDS), self._digest)
