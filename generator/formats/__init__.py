"""Descriptor formats other than Backstage's, read into the same entity model.

Each vendor format has a small reader module mapping its file onto Backstage-shaped
entities (:class:`~generator.formats.model.Draft`), so the entities stage validates them
like any ``catalog-info.yaml`` and the rest of the pipeline never knows the difference:

* :mod:`~generator.formats.opslevel` — ``opslevel.yml``
* :mod:`~generator.formats.cortex` — ``cortex.yaml`` (OpenAPI with ``x-cortex-*``)
* :mod:`~generator.formats.compass` — ``compass.yml``
* :mod:`~generator.formats.datadog` — ``entity.datadog.yaml`` / ``service.datadog.yaml``

The crawl calls :func:`read_file` for each vendor file it finds and
:func:`read_codeowners` once per repository; :func:`~generator.formats.combine.combine`
then resolves owners and dependencies by name across formats, merges descriptions of the
same service (Backstage wins field by field) and applies CODEOWNERS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.formats import compass, cortex, datadog, opslevel
from generator.formats.codeowners import CODEOWNERS_PATHS, CodeOwners, parse_codeowners
from generator.formats.model import Draft, FileReader, Pending
from generator.formats.options import FORMATS, FormatOptions, parse_options
from generator.formats.sniff import sniff
from generator.parsecache import load_documents
from generator.problems import Problem, Severity
from generator.refs import EntityRef

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.parsecache import ParseCache
    from generator.sources import Repository
    from generator.yamlfile import LineIndex

__all__ = [
    "FORMATS",
    "FormatFinds",
    "FormatHook",
    "FormatOptions",
    "Note",
    "file_names",
    "parse_options",
    "read_codeowners",
    "read_file",
]

_READERS: dict[str, tuple[tuple[str, ...], Callable[[FileReader, object], list[Draft]]]] = {
    "opslevel": (opslevel.FILE_NAMES, opslevel.read),
    "cortex": (cortex.FILE_NAMES, cortex.read),
    "compass": (compass.FILE_NAMES, compass.read),
    "datadog": (datadog.FILE_NAMES, datadog.read),
}

LABELS = {"backstage": "Backstage", "opslevel": "OpsLevel", "cortex": "Cortex",
          "compass": "Compass", "datadog": "Datadog"}
"""Display name of each format."""
_LOOKS_LIKE = {**LABELS, "openapi": "plain OpenAPI (no x-cortex-tag in info)"}


@dataclass(slots=True)
class Note:
    """What the entity model does not hold about an entity read from a vendor file."""

    format: str
    file: str
    """Display path of the file."""
    path: str
    """Path of the file inside its repository."""
    lines: LineIndex
    notes: dict[str, str]
    pending: list[Pending]
    names: list[str]
    defaults: dict = field(default_factory=dict)
    """For an OpsLevel ``repository:`` file: the metadata it gives the repository."""


@dataclass(slots=True)
class FormatFinds:
    """What the crawl found besides Backstage documents."""

    notes: dict[tuple[str, str, int, str], Note] = field(default_factory=dict)
    """(repository, path, line, lowercase kind) of each vendor entity → its note."""
    repositories: dict[str, Note] = field(default_factory=dict)
    """Repository name → an OpsLevel ``repository:`` description of it."""
    codeowners: dict[str, CodeOwners] = field(default_factory=dict)
    """Repository name → its CODEOWNERS rules."""


def file_names(options: FormatOptions) -> dict[str, str]:
    """Vendor file name → format, for the formats ``options`` turns on."""
    return {name: fmt for fmt, (names, _) in _READERS.items() if fmt in options.formats
            for name in names}


def read_file(fmt: str, repo: Repository, rel: str, file: str, text: str, finds: FormatFinds,
              cache: ParseCache | None = None
              ) -> tuple[list[tuple[int, dict, LineIndex]], list[Problem]]:
    """The Backstage-shaped documents of one vendor file, and its problems.

    Returns ``(line, data, lines)`` for each entity; what the entity model does not hold
    is recorded in ``finds``.
    """
    key = cache.key(text) if cache is not None else b""
    parsed = cache.get(key) if cache is not None else None
    if parsed is None:
        parsed = load_documents(text)
        if cache is not None:
            cache.put(key, parsed)
    ydocs, error = parsed
    problems: list[Problem] = []

    def located(line: int, severity: Severity, code: str, message: str,
                entity: str | None = None) -> None:
        problems.append(Problem(severity, code, message, file=file, line=line, entity=entity,
                                repo=repo.name))

    if error is not None:
        located(error.line or 1, Severity.ERROR, error.code, str(error))
    out: list[tuple[int, dict, LineIndex]] = []
    _, read = _READERS[fmt]
    for ydoc in ydocs:
        if ydoc.data is None:
            continue
        found = sniff(ydoc.data)
        if found is not None and found != fmt:
            located(ydoc.line, Severity.ERROR, "wrong-format",
                    f"this looks like a {_LOOKS_LIKE[found]} file, not {LABELS[fmt]}; "
                    f"rename it (a {LABELS[fmt]} file is named {_READERS[fmt][0][0]}) — it is "
                    "not read")
            continue
        reader = FileReader(rel.rsplit("/", 1)[-1], text, ydoc.line, ydoc.lines)
        try:
            drafts = read(reader, ydoc.data)
        except RecursionError:
            drafts = []
            reader.problem((), "yaml-too-deep", "values are nested too deeply to read")
        entity = None
        for draft in drafts:
            note = Note(fmt, file, rel, draft.lines, draft.notes, draft.pending,
                        [draft.name, *draft.names])
            if draft.kind == "Repository":
                note.defaults = draft.metadata
                finds.repositories.setdefault(repo.name, note)
                continue
            finds.notes[(repo.name, rel, draft.line, draft.kind.lower())] = note
            out.append((draft.line, draft.data(), draft.lines))
            entity = entity or str(EntityRef.of(draft.kind, "default", draft.name))
        for p in reader.problems:
            located(p.line, p.severity, p.code, p.message, entity)
    return out, problems


def read_codeowners(repo: Repository, read: Callable[[str], str | None],
                    display: Callable[[str], str] = str) -> CodeOwners | None:
    """The repository's CODEOWNERS, from the first of ``.github/``, the root and ``docs/``
    (GitHub's order); ``read`` returns a file's text or ``None``, ``display`` its path as
    problems show it."""
    for rel in CODEOWNERS_PATHS:
        if (repo.root / rel).is_file():
            text = read(rel)
            return parse_codeowners(text, rel, display(rel)) if text is not None else None
    return None


class FormatHook:
    """The crawl's hook (:class:`generator.crawl.FileHook`) for the formats ``options`` turn
    on; what it finds is kept in :attr:`finds` for :func:`~generator.formats.combine.combine`."""

    def __init__(self, options: FormatOptions | None = None) -> None:
        self.options = options or FormatOptions()
        self.names = file_names(self.options)
        self.backstage = "backstage" in self.options.formats
        self.finds = FormatFinds()

    def read(self, fmt: str, repo: Repository, rel: str, file: str, text: str,
             cache: ParseCache | None) -> tuple[list[tuple[int, dict, LineIndex]],
                                                list[Problem]]:
        return read_file(fmt, repo, rel, file, text, self.finds, cache)

    def repository(self, repo: Repository, read: Callable[[str], str | None],
                   display: Callable[[str], str]) -> None:
        if self.options.codeowners == "off":
            return
        owners = read_codeowners(repo, read, display)
        if owners is not None:
            self.finds.codeowners[repo.name] = owners
