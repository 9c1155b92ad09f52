"""Crawl: find descriptor files in repositories and load their YAML documents.

This is the only stage that reads descriptor files. It finds
``catalog-info.yaml`` files at any depth, follows Location entities inside the
repository, resolves ``$text``/``$json``/``$yaml`` substitutions, and never
reads outside the repository a path came from. Everything that goes wrong
becomes a :class:`~generator.problems.Problem`; the crawl always completes.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import marshal
import os
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Protocol

from generator.parallel import split_map
from generator.parsecache import ParseCache, load_documents
from generator.problems import Problem, Severity
from generator.repofiles import is_git_name, read_repo_file, resolve_under
from generator.sources import (
    DEFAULT_DESCRIPTOR_NAMES,
    DEFAULT_MAX_FILE_SIZE,
    Repository,
    repo_path,
)
from generator.yamlfile import (
    MAX_DEPTH,
    LineIndex,
    YamlError,
    iter_documents,
    marked_documents,
    nearest_line,
    nesting_depth,
)

__all__ = ["PROBES", "CrawlResult", "Document", "FileHook", "crawl", "crawl_repository",
           "fingerprint", "read_repo_file"]

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})
"""Directories never searched for descriptors."""


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document from a descriptor file, substitutions resolved."""

    repo: Repository
    """Repository the file belongs to."""
    path: str
    """File path relative to the repository root (POSIX)."""
    line: int
    """Line the document starts on."""
    data: object
    """The document's value; a mapping for a well-formed entity."""
    lines: LineIndex
    """Field path to line, for pointing problems at a field."""

    @property
    def file(self) -> str:
        """Display path of the file."""
        return repo_path(self.repo, self.path)


@dataclass(slots=True)
class CrawlResult:
    """What the crawl found: documents in a stable order, and problems."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """Number of descriptor files read."""
    parsed: int = 0
    """Descriptor files parsed; the rest came from the parse cache."""
    entities: list = field(default_factory=list)
    """With ``crawl(parse=…)``: what it made of each document, in the documents' order."""
    entity_problems: list[Problem] = field(default_factory=list)
    """With ``crawl(parse=…)``: the problems it found in them."""
    probes: dict[tuple, bytes] | None = None
    """With ``crawl(record=True)``: every question the crawl asked the file system
    ((probe name, arguments) → :func:`fingerprint` of the answer). The crawl is a function
    of its options and these answers, so a memo of its result holds while they do."""


Parse = Callable[[Document], tuple[object | None, list[Problem]]]
"""What :func:`crawl` may make of each document: an entity (or ``None``) and problems
(:func:`generator.entities.parse_entity`)."""


class FileHook(Protocol):
    """Reads descriptor files of other formats (see :mod:`generator.formats`)."""

    names: Mapping[str, str]
    """File name → format, for the files this hook reads instead of the Backstage reader."""
    backstage: bool
    """Whether Backstage descriptors are read at all."""

    def read(self, fmt: str, repo: Repository, rel: str, file: str, text: str,
             cache: ParseCache | None) -> tuple[list[tuple[int, object, LineIndex]],
                                                list[Problem]]:
        """The documents (line, Backstage-shaped data, lines) of one file, and its problems."""

    def repository(self, repo: Repository, read: Callable[[str], str | None],
                   display: Callable[[str], str]) -> None:
        """Read what a repository says about itself (CODEOWNERS); ``read`` reads one file."""


class _RepoReader:
    """Reads files of one repository, refusing anything that leaves it."""

    def __init__(self, repo: Repository, max_size: int, out: CrawlResult,
                 cache: ParseCache | None = None) -> None:
        self.repo = repo
        self.max_size = max_size
        self.out = out
        self.cache = cache

    def problem(self, rel: str, line: int | None, code: str, message: str,
                severity: Severity = Severity.ERROR) -> None:
        self.out.problems.append(Problem(severity, code, message, file=repo_path(self.repo, rel),
                                         line=line, repo=self.repo.name))

    def probe(self, name: str, *args: object) -> object:
        """Ask the file system through :data:`PROBES`, recording the answer when asked to."""
        answer = PROBES[name](*args)
        if self.out.probes is not None:
            self.out.probes[(name, args)] = fingerprint(name, answer)
        return answer

    def inside(self, path: Path) -> bool:
        """Whether ``path``, resolved, stays inside the repository."""
        return self.probe("inside", str(self.repo.root), str(path)) is not None

    def rel(self, path: Path) -> str:
        return PurePosixPath(os.path.relpath(path, self.repo.root)).as_posix()

    def read(self, path: Path, rel: str, *, blame: tuple[str, int | None] | None = None
             ) -> str | None:
        """Text of ``path`` or ``None`` after recording why not.

        ``blame`` names the file and line that asked for this one; problems
        are reported there.
        """
        where, line = blame or (rel, None)
        if not self.inside(path):
            what = "a symlink pointing" if self.probe("islink", str(path)) else "a path"
            self.problem(where, line, "outside-repository",
                         f"'{rel}' is {what} outside the repository; only files inside "
                         f"'{self.repo.name}' are read")
            return None
        text, error = self.read_file(path)
        if error:
            code, message = error
            self.problem(where, line, code, f"'{rel}' {message}")
        return text

    def read_file(self, path: Path) -> tuple[str | None, tuple[str, str] | None]:
        """:func:`~generator.repofiles.read_repo_file` of a path of this repository."""
        return self.probe("read", str(self.repo.root), str(path), self.max_size)  # type: ignore[return-value]


def _walk(root: str, names: tuple[str, ...]) -> tuple[list[str], list[tuple[str | None, str]]]:
    """Descriptor files anywhere under ``root``, in a stable order, and each folder that
    could not be listed (unreadable, or a path longer than the file system allows) with why."""
    errors: list[tuple[str | None, str]] = []
    found: list[str] = []
    wanted = set(names)
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda exc: errors.append(
            (exc.filename, str(exc.strerror or exc)))):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not is_git_name(d))
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f in wanted)
    return found, errors


def _inside(root: str, path: str) -> str | None:
    """``path`` resolved, if it stays inside ``root`` (a resolved directory)."""
    try:
        real = resolve_under(path, root)[0]
    except (OSError, RuntimeError, ValueError):
        return None
    return real if real == root or real.startswith(root.rstrip(os.sep) + os.sep) else None


def _read(root: str, path: str, max_size: int) -> tuple[str | None, tuple[str, str] | None]:
    text, error = read_repo_file(path, max_size, root=Path(root))
    return text, (error[0], error[1]) if error else None


def _glob(pattern: str) -> list[str]:
    return [str(m) for m in sorted(Path(m) for m in glob.glob(pattern))]  # in path order


PROBES: dict[str, Callable[..., object]] = {
    "walk": _walk, "inside": _inside, "islink": os.path.islink, "read": _read,
    "glob": _glob, "isdir": lambda path: _is_dir(Path(path)),
    "exists": lambda path: _exists(Path(path)),
}
"""Every question the crawl asks the file system, by name; arguments and answers are
plain data (strings, numbers), so a recorded crawl can be asked again."""


def fingerprint(name: str, answer: object) -> bytes:
    """A short digest of a probe's answer (a file's text hashed directly)."""
    if name == "read":
        text, error = answer  # type: ignore[misc]
        data = (text or "").encode("utf-8", "surrogatepass") + repr((text is None, error)).encode()
    else:
        data = repr(answer).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).digest()[:16]


def crawl(repos: list[Repository], *, descriptor_names: tuple[str, ...] = DEFAULT_DESCRIPTOR_NAMES,
          max_file_size: int = DEFAULT_MAX_FILE_SIZE,
          parse_cache: ParseCache | None = None,
          hook: FileHook | None = None, record: bool = False,
          parse: Parse | None = None) -> CrawlResult:
    """Crawl every repository; one broken repository never stops the others.

    With ``parse_cache``, files whose text was parsed before are not parsed again;
    ``hook`` reads the files of other descriptor formats; ``record`` keeps the file
    system's answers in :attr:`CrawlResult.probes`; ``parse`` turns each document into
    :attr:`CrawlResult.entities` (and its problems) in the process that crawled it, and the
    documents are then not kept.
    """
    out = CrawlResult(probes={} if record else None)
    options = {"descriptor_names": descriptor_names, "max_file_size": max_file_size,
               "parse_cache": parse_cache, "hook": hook}
    if len(repos) < PARALLEL_REPOS:
        for repo in repos:
            crawl_repository(repo, out, **options)  # type: ignore[arg-type]
        _parse(out, parse)
        return out
    half = (len(repos) + 1) // 2
    index = {id(repo): i for i, repo in enumerate(repos)}
    here = os.getpid()

    def part(chunk: list[Repository]) -> _Part:
        return _crawl_part(chunk, index, record, options, parse, forked=os.getpid() != here)

    # The second half in a forked process (it sees the parse cache and options as they are
    # now), the first here meanwhile; merged in order, so the result is a plain loop's.
    for done in split_map(part, [repos[:half], repos[half:]], min_items=1):
        _merge(out, done, repos, parse_cache, hook)
    return out


PARALLEL_REPOS = 64
"""Fewer repositories than this are crawled in this process alone (a fork costs more)."""


@dataclass(slots=True)
class _Part:
    """What crawling some repositories found, in plain data that crosses a process."""

    documents: list[tuple[int, str, int, object, LineIndex]] | bytes
    """(index of the repository, path, line, data, lines) of each document (from a forked
    process, :mod:`marshal`'s bytes of that list)."""
    entities: list
    entity_problems: list[Problem]
    problems: list[Problem]
    files: int
    parsed: int
    probes: dict[tuple, bytes] | None
    finds: object
    """The hook's finds (:class:`generator.formats.FormatFinds`) for these repositories."""
    cache: tuple[dict[bytes, object], bool, int, int] | None
    """In a forked process: the parse cache's entries used, whether any is new, hits and
    misses (here, the cache itself has them)."""


def _parse(out: CrawlResult, parse: Parse | None) -> None:
    if parse is not None:
        for doc in out.documents:
            entity, problems = parse(doc)
            out.entity_problems.extend(problems)
            if entity is not None:
                out.entities.append(entity)
        out.documents = []


def _crawl_part(repos: list[Repository], index: dict[int, int], record: bool,
                options: dict, parse: Parse | None, forked: bool) -> _Part:
    out = CrawlResult(probes={} if record else None)
    hook, cache = options["hook"], options["parse_cache"]
    if forked and cache is not None:
        cache.hits = cache.misses = 0  # this copy's own counts are sent back
    finds = None
    if hook is not None and hasattr(hook, "finds"):
        finds, hook.finds = hook.finds, type(hook.finds)()
    try:
        for repo in repos:
            crawl_repository(repo, out, **options)
    finally:
        if finds is not None:
            finds, hook.finds = hook.finds, finds
    _parse(out, parse)
    docs: list | bytes = [(index[id(d.repo)], d.path, d.line, d.data, d.lines)
                          for d in out.documents]
    if forked:  # marshal's bytes cross the pipe faster than pickle's objects
        with contextlib.suppress(ValueError):
            docs = marshal.dumps(docs)
    return _Part(docs, out.entities, out.entity_problems, out.problems, out.files, out.parsed,
                 out.probes, finds,
                 cache.state() if cache is not None and forked else None)


def _merge(out: CrawlResult, part: _Part, repos: list[Repository],
           cache: ParseCache | None, hook: FileHook | None) -> None:
    docs = part.documents
    out.documents.extend(Document(repos[i], path, line, data, lines) for i, path, line, data, lines
                         in (marshal.loads(docs) if isinstance(docs, bytes) else docs))
    out.entities.extend(part.entities)
    out.entity_problems.extend(part.entity_problems)
    out.problems.extend(part.problems)
    out.files += part.files
    out.parsed += part.parsed
    if out.probes is not None and part.probes is not None:
        out.probes.update(part.probes)
    if hook is not None and part.finds is not None:
        for name in fields(part.finds):  # type: ignore[arg-type]
            getattr(hook.finds, name.name).update(getattr(part.finds, name.name))  # type: ignore[attr-defined]
    if cache is not None and part.cache is not None:
        cache.merge(*part.cache)


def crawl_repository(repo: Repository, out: CrawlResult, *,
                     descriptor_names: tuple[str, ...] = DEFAULT_DESCRIPTOR_NAMES,
                     max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                     parse_cache: ParseCache | None = None,
                     hook: FileHook | None = None) -> None:
    """Crawl one repository into ``out``."""
    reader = _RepoReader(repo, max_file_size, out, parse_cache)
    vendor = hook.names if hook is not None else {}
    if hook is not None and not hook.backstage:
        descriptor_names = ()
    if repo.entry_files:
        starts = list(repo.entry_files)
    else:
        if hook is not None:
            hook.repository(repo, lambda rel: reader.read(repo.root / rel, rel),
                            lambda rel: repo_path(repo, rel))

        found, errors = reader.probe("walk", str(repo.root), (*descriptor_names, *vendor))  # type: ignore[misc]
        for filename, why in errors:
            rel = reader.rel(Path(filename)) if filename else "."
            reader.problem(rel, None, "unreadable", f"'{rel}' cannot be listed "
                           f"({why}); descriptors in it are not found", Severity.WARNING)
        starts = [Path(f) for f in found]
    queue: deque[tuple[Path, tuple[str, int | None] | None]] = deque((p, None) for p in starts)
    seen: set[Path] = set()
    while queue:
        path, blame = queue.popleft()
        key = Path(os.path.abspath(path))
        if key in seen:
            continue
        seen.add(key)
        rel = reader.rel(key)
        text = reader.read(key, rel, blame=blame)
        if text is None:
            continue
        out.files += 1
        if hook is not None and blame is None and key.name in vendor \
                and key.name not in descriptor_names:
            docs, problems = hook.read(vendor[key.name], repo, rel, repo_path(repo, rel), text,
                                       parse_cache)
            out.documents.extend(Document(repo, rel, line, data, lines)
                                 for line, data, lines in docs)
            out.problems.extend(problems)
            continue
        for doc in _load_file(reader, rel, text):
            out.documents.append(doc)
            for target, line in _location_targets(reader, doc):
                queue.append((target, (rel, line)))


def _load_file(reader: _RepoReader, rel: str, text: str) -> list[Document]:
    cache = reader.cache
    key = cache.key(text) if cache is not None else b""
    parsed = cache.get(key) if cache is not None else None
    if parsed is None:
        parsed = load_documents(text)
        reader.out.parsed += 1
        if cache is not None:
            cache.put(key, parsed)
    ydocs, error = parsed
    docs: list[Document] = []
    # A key starting with "$" is written with a "$" or a "\" escape; without either no
    # document of the file has one, and most have none: walking every node costs more.
    # Per document, the same holds for its lines (a multi-document file of components has
    # "$text" only in its APIs' documents).
    maybe = "$" in text or "\\" in text
    marked = marked_documents(text, [d.line for d in ydocs]) if maybe and len(ydocs) > 1 \
        else None
    for i, ydoc in enumerate(ydocs):
        if ydoc.data is None:
            continue
        data = ydoc.data
        if maybe and (marked is None or marked[i]) and _may_substitute(data):
            data = _Substituter(reader, rel, ydoc.lines).resolve(data, ())
        docs.append(Document(reader.repo, rel, ydoc.line, data, ydoc.lines))
    if error is not None:
        reader.problem(rel, error.line, error.code, str(error))
    return docs


def _may_substitute(data: object) -> bool:
    """Whether ``data`` may hold a ``{$…: …}`` value: its JSON (C speed) has ``"$``."""
    try:
        return '"$' in json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return True


class _Substituter:
    """Resolves ``{$text: path}``, ``{$json: path}`` and ``{$yaml: path}`` values."""

    KINDS = ("$text", "$json", "$yaml")

    def __init__(self, reader: _RepoReader, rel: str, lines: LineIndex) -> None:
        self.reader = reader
        self.rel = rel
        self.lines = lines

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        return nearest_line(self.lines, path)

    def resolve(self, value: object, path: tuple[str | int, ...]) -> object:
        """``value`` with substitutions made (``path`` is where it sits).

        Containers with nothing to substitute are returned as they are, not copied:
        parsed documents are read-only from here on.
        """
        return self._resolve(value, list(path))

    def _resolve(self, value: object, path: list[str | int]) -> object:
        # Hot path (every node of every descriptor): the path is one list pushed and
        # popped, made a tuple only where a substitution needs its line.
        if isinstance(value, dict):
            if len(value) == 1:
                (key, arg), = value.items()
                if isinstance(key, str) and key.startswith("$"):
                    return self.substitute(key, arg, tuple(path))
            out: dict | None = None
            for k, v in value.items():
                if isinstance(v, dict | list):
                    path.append(k)
                    new = self._resolve(v, path)
                    path.pop()
                    if new is not v:
                        if out is None:
                            out = dict(value)
                        out[k] = new
            return value if out is None else out
        if isinstance(value, list):
            items: list | None = None
            for i, v in enumerate(value):
                if isinstance(v, dict | list):
                    path.append(i)
                    new = self._resolve(v, path)
                    path.pop()
                    if new is not v:
                        if items is None:
                            items = list(value)
                        items[i] = new
            return value if items is None else items
        return value

    def substitute(self, key: str, arg: object, path: tuple[str | int, ...]) -> object:
        line = self.line_of(path)
        field_name = ".".join(str(p) for p in path)
        if key not in self.KINDS:
            self.reader.problem(self.rel, line, "unknown-substitution",
                                f"{field_name}: unknown substitution '{key}'; use $text, "
                                "$json or $yaml")
            return None
        if not isinstance(arg, str) or not arg.strip():
            self.reader.problem(self.rel, line, "invalid-substitution",
                                f"{field_name}: {key} needs a file path")
            return None
        if "://" in arg:
            self.reader.problem(self.rel, line, "remote-substitution",
                                f"{field_name}: {key} {arg} is a URL; Paved Road reads only "
                                "files inside the repository, so it was not fetched",
                                Severity.INFO)
            return arg
        base = (self.reader.repo.root / self.rel).parent
        target = base / arg
        target_rel = os.path.normpath(os.path.join(os.path.dirname(self.rel), arg))
        if Path(arg).is_absolute() or not self.reader.inside(target):
            self.reader.problem(self.rel, line, "outside-repository",
                                f"{field_name}: {key} '{arg}' points outside the repository; "
                                "keep referenced files inside it")
            return None
        text, error = self.reader.read_file(target)
        if error:
            self.reader.problem(self.rel, line, error[0],
                                f"{field_name}: {key} file '{arg}' {error[1]}")
            return None
        if key == "$text":
            return text
        try:
            if key == "$json":
                value = json.loads(text or "")
            else:
                docs = [d.data for d in iter_documents(text or "", index_lines=False)]
                value = docs[0] if docs else None
        except (ValueError, YamlError, RecursionError) as exc:
            why = "it nests too deeply" if isinstance(exc, RecursionError) else exc
            self.reader.problem(self.rel, line, "invalid-substitution",
                                f"{field_name}: {key} file '{target_rel}' cannot be parsed: {why}")
            return None
        if len(path) + nesting_depth(value) > MAX_DEPTH:
            self.reader.problem(self.rel, line, "invalid-substitution",
                                f"{field_name}: {key} file '{target_rel}' nests more than "
                                f"{MAX_DEPTH} levels deep with the document around it")
            return None
        return value


def _location_targets(reader: _RepoReader, doc: Document) -> list[tuple[Path, int | None]]:
    """Files a Location entity asks for, inside the repository."""
    data = doc.data
    if not isinstance(data, dict) or str(data.get("kind", "")).lower() != "location":
        return []
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return []
    raw: list[tuple[object, tuple[str | int, ...]]] = []
    if "target" in spec:
        raw.append((spec["target"], ("spec", "target")))
    targets = spec.get("targets")
    if isinstance(targets, list):
        raw.extend((t, ("spec", "targets", i)) for i, t in enumerate(targets))
    optional = spec.get("presence") == "optional"
    loc_type = spec.get("type", "file")
    base = (reader.repo.root / doc.path).parent
    found: list[tuple[Path, int | None]] = []
    for target, fpath in raw:
        line = doc.lines.get(fpath, doc.line)
        if not isinstance(target, str) or not target.strip():
            continue  # reported by the entity validators
        if "://" in target or loc_type == "url":
            reader.problem(doc.path, line, "remote-location",
                           f"Location target {target} is a URL; Paved Road follows only files "
                           "inside the repository (list the repository in sources.yaml instead)",
                           Severity.INFO)
            continue
        candidate = base / target
        if Path(target).is_absolute() or not _stays_inside(reader, candidate):
            reader.problem(doc.path, line, "outside-repository",
                           f"Location target '{target}' points outside the repository")
            continue
        if glob.has_magic(target):
            matches = [Path(m) for m in reader.probe("glob", str(candidate))]  # type: ignore[attr-defined]
            found.extend((m, line) for m in matches if not reader.probe("isdir", str(m)))
            continue
        if not reader.probe("exists", str(candidate)):
            if not optional:
                reader.problem(doc.path, line, "missing-file",
                               f"Location target '{target}' does not exist; fix the path or "
                               "set 'presence: optional'")
            continue
        found.append((candidate, line))
    return found


def _stays_inside(reader: _RepoReader, candidate: Path) -> bool:
    """Lexically inside the repository (the real path is checked when read)."""
    normal = Path(os.path.normpath(candidate))
    return normal.is_relative_to(reader.repo.root)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    """Whether something is at ``path`` (a dangling symlink too); a name too long is not."""
    try:
        os.lstat(path)
    except OSError as exc:
        return exc.errno not in (errno.ENOENT, errno.ENOTDIR)
    return True
