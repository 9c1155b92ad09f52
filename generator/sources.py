"""Sources: what to crawl, as listed in ``sources.yaml``.

::

    sources:
      - path: repos/*               # each matching directory is one repository
      - file: org/catalog-info.yaml # one descriptor file (often a Location)
      - git: https://github.com/acme/payments.git   # (later) a git remote
        ref: main

Paths are relative to the sources file. :func:`load_sources` reads the file
and :func:`expand_sources` turns the entries into :class:`Repository` objects.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.problems import Problem, Severity

__all__ = [
    "DEFAULT_DESCRIPTOR_NAMES",
    "DEFAULT_MAX_FILE_SIZE",
    "Repository",
    "Source",
    "Sources",
    "display_path",
    "expand_sources",
    "load_sources",
    "repository_for_path",
]

DEFAULT_DESCRIPTOR_NAMES = ("catalog-info.yaml", "catalog-info.yml")
DEFAULT_MAX_FILE_SIZE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    """One entry of ``sources.yaml``."""

    type: str
    """``path``, ``file`` or ``git``."""
    value: str
    """The path, glob, file or URL as written."""
    line: int | None = None
    """Line of the entry in the sources file."""
    name: str | None = None
    """Repository name to use instead of the directory name."""
    ref: str | None = None
    """Git ref (branch, tag or commit), for ``git`` sources."""


@dataclass(slots=True)
class Sources:
    """The parsed sources file and the crawl settings it carries."""

    base: Path
    """Directory that relative paths are resolved against."""
    entries: list[Source] = field(default_factory=list)
    """The sources, in file order."""
    descriptor_names: tuple[str, ...] = DEFAULT_DESCRIPTOR_NAMES
    """File names crawled as descriptors, at any depth."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Files larger than this many bytes are refused."""
    file: str | None = None
    """Display path of the sources file itself."""


@dataclass(frozen=True, slots=True)
class Repository:
    """A directory tree crawled as one unit; nothing is read outside ``root``."""

    name: str
    """Short name shown on pages, e.g. ``checkout-service``."""
    root: Path
    """Absolute, resolved root directory."""
    display: str
    """The root as shown in problems (relative to the working directory)."""
    entry_files: tuple[Path, ...] = ()
    """Explicit descriptor files; when empty the whole tree is searched."""


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when inside it, else absolute."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.as_posix()
    return rel.as_posix() or "."


def _problem(sources_file: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(Severity.ERROR, code, message, file=sources_file, line=line)


def load_sources(path: Path) -> tuple[Sources, list[Problem]]:
    """Read a sources file; a missing or malformed file yields problems, not errors."""
    shown = display_path(path)
    sources = Sources(base=path.resolve().parent, file=shown)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return sources, [_problem(shown, None, "sources-unreadable",
                                  f"cannot read the sources file: {exc}")]
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return sources, [_problem(shown, mark.line + 1 if mark else None, "sources-yaml",
                                  f"the sources file is not valid YAML: {exc}")]
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        return sources, [_problem(shown, 1, "sources-shape",
                                  "expected a mapping with a 'sources:' list")]
    problems: list[Problem] = []
    lines = _entry_lines(node)
    for index, item in enumerate(data["sources"]):
        line = lines[index] if index < len(lines) else None
        source, problem = _parse_entry(item, line, shown)
        if problem:
            problems.append(problem)
        elif source:
            sources.entries.append(source)
    names = data.get("descriptor_names")
    if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
        sources.descriptor_names = tuple(names)
    elif names is not None:
        problems.append(_problem(shown, None, "sources-shape",
                                 "'descriptor_names' must be a list of file names"))
    size = data.get("max_file_size")
    if isinstance(size, int) and size > 0:
        sources.max_file_size = size
    elif size is not None:
        problems.append(_problem(shown, None, "sources-shape",
                                 "'max_file_size' must be a positive number of bytes"))
    return sources, problems


def _entry_lines(node: yaml.Node | None) -> list[int]:
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _parse_entry(item: object, line: int | None, shown: str
                 ) -> tuple[Source | None, Problem | None]:
    if not isinstance(item, dict):
        return None, _problem(shown, line, "sources-shape",
                              "each source must be a mapping such as '- path: repos/*'")
    kinds = [k for k in ("path", "file", "git") if k in item]
    if len(kinds) != 1 or not isinstance(item[kinds[0]], str) or not item[kinds[0]].strip():
        return None, _problem(shown, line, "sources-shape",
                              "each source needs exactly one of 'path:', 'file:' or 'git:'")
    kind = kinds[0]
    name = item.get("name")
    ref = item.get("ref")
    if kind == "git":
        return None, _problem(shown, line, "sources-git-unsupported",
                              "git sources are not supported yet; clone the repository "
                              "and list it with 'path:'")
    return Source(kind, item[kind], line, name if isinstance(name, str) else None,
                  ref if isinstance(ref, str) else None), None


def expand_sources(sources: Sources) -> tuple[list[Repository], list[Problem]]:
    """Turn source entries into repositories, in a stable order."""
    repos: list[Repository] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for src in sources.entries:
        where = sources.file
        if src.type == "path":
            pattern = str(sources.base / src.value)
            matches = sorted(glob.glob(pattern)) if glob.has_magic(src.value) else [pattern]
            dirs = [Path(m) for m in matches if Path(m).is_dir()]
            if not dirs:
                problems.append(Problem(Severity.ERROR, "source-missing",
                                        f"'{src.value}' matches no directory",
                                        file=where, line=src.line))
            for d in dirs:
                root = d.resolve()
                if root in seen:
                    continue
                seen.add(root)
                name = src.name if src.name and len(dirs) == 1 else d.name
                repos.append(Repository(name, root, display_path(d)))
        elif src.type == "file":
            path = sources.base / src.value
            if not path.is_file():
                problems.append(Problem(Severity.ERROR, "source-missing",
                                        f"'{src.value}' is not a file",
                                        file=where, line=src.line))
                continue
            root = path.resolve().parent
            repos.append(Repository(src.name or root.name, root,
                                    display_path(path.parent), (path.resolve(),)))
    return repos, problems


def repository_for_path(path: Path) -> Repository:
    """The repository a path given on the command line belongs to.

    A directory is a repository itself. A file belongs to the git work tree
    that contains it, or else to its own directory.
    """
    path = Path(os.path.normpath(path))
    if path.is_dir():
        return Repository(path.resolve().name or "repository", path.resolve(), display_path(path))
    start = path.resolve().parent
    root = start
    for parent in (start, *start.parents):
        if (parent / ".git").exists():
            root = parent
            break
    return Repository(root.name, root, display_path(root), (path.resolve(),))
