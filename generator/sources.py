"""Sources: what to crawl, as listed in ``sources.yaml``.

::

    sources:
      - path: repos/*               # each matching directory is one repository
      - file: org/catalog-info.yaml # one descriptor file (often a Location)
      - git: https://github.com/acme/payments.git   # a remote, copied into the cache
        ref: main                   # branch, tag or commit (default: the remote's HEAD)
        paths: [services/payments]  # sparse: only these directories
      - discover: /srv/mirrors      # every git repository directly under a directory
    cache_dir: .cache/pavedroad     # optional; $PAVEDROAD_CACHE overrides it
    fetch: {jobs: 8, timeout: 300, retries: 2, keep_days: 30}   # optional

Paths are relative to the sources file. :func:`load_sources` reads the file
and :func:`expand_sources` turns the entries into :class:`Repository` objects,
fetching git remotes (see :mod:`generator.git`) on the way.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.git import (
    Checkout,
    FetchOptions,
    GitRemote,
    checkout_dir,
    find_repositories,
    head_commit,
    redact,
    sync,
)
from generator.problems import Problem, Severity
from generator.progress import Progress

__all__ = [
    "CACHE_ENV",
    "DEFAULT_CACHE_DIR",
    "DEFAULT_DESCRIPTOR_NAMES",
    "DEFAULT_MAX_FILE_SIZE",
    "Repository",
    "Source",
    "Sources",
    "cache_root",
    "display_path",
    "expand_sources",
    "load_sources",
    "repository_for_path",
]

DEFAULT_DESCRIPTOR_NAMES = ("catalog-info.yaml", "catalog-info.yml")
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
DEFAULT_CACHE_DIR = Path(".cache/pavedroad")
"""Cache directory, relative to the working directory, unless configured."""
CACHE_ENV = "PAVEDROAD_CACHE"
"""Environment variable naming the cache directory; overrides ``cache_dir:``."""
_KINDS = ("path", "file", "git", "discover")


@dataclass(frozen=True, slots=True)
class Source:
    """One entry of ``sources.yaml``."""

    type: str
    """``path``, ``file``, ``git`` or ``discover``."""
    value: str
    """The path, glob, file or URL as written."""
    line: int | None = None
    """Line of the entry in the sources file."""
    name: str | None = None
    """Repository name to use instead of the directory name."""
    ref: str | None = None
    """Git ref (branch, tag or commit), for ``git`` and ``discover`` sources."""
    paths: tuple[str, ...] = ()
    """Directories to check out (sparse), for ``git`` and ``discover`` sources."""


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
    cache_dir: Path | None = None
    """``cache_dir:`` resolved; see :func:`cache_root` for the one in effect."""
    fetch: FetchOptions = field(default_factory=FetchOptions)
    """Parallelism, timeout and retries of git commands."""
    settings: dict = field(default_factory=dict)
    """The whole mapping, for settings later stages read (``formats:`` …), and
    ``settings_lines``: the line of each top-level key."""
    settings_lines: dict[str, int] = field(default_factory=dict)


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
    url: str | None = None
    """Where a git repository came from (credentials hidden), or its local directory."""
    ref: str | None = None
    """The ref asked for, for a git source."""
    commit: str | None = None
    """The commit crawled, when known."""
    stale: bool = False
    """The last fetch failed and this is the copy an earlier run left in the cache."""


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
    cache_dir = data.get("cache_dir")
    if isinstance(cache_dir, str) and cache_dir.strip():
        sources.cache_dir = (sources.base / os.path.expanduser(cache_dir)).resolve()
    elif cache_dir is not None:
        problems.append(_problem(shown, None, "sources-shape",
                                 "'cache_dir' must be a directory path"))
    fetch, problem = _parse_fetch(data.get("fetch"), shown)
    sources.fetch = fetch
    problems.extend([problem] if problem else [])
    sources.settings = data
    sources.settings_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value
                              if isinstance(k, yaml.ScalarNode)} \
        if isinstance(node, yaml.MappingNode) else {}
    return sources, problems


def _parse_fetch(value: object, shown: str) -> tuple[FetchOptions, Problem | None]:
    if value is None:
        return FetchOptions(), None
    limits = {"jobs": (int, 1, 256), "timeout": ((int, float), 1, 86_400),
              "retries": (int, 0, 10), "keep_days": (int, 1, 3_650)}
    if isinstance(value, dict) and set(value) <= set(limits) and all(
            isinstance(v, limits[k][0]) and not isinstance(v, bool)
            and limits[k][1] <= v <= limits[k][2] for k, v in value.items()):
        return FetchOptions(**value), None
    return FetchOptions(), _problem(shown, None, "sources-shape",
                                    "'fetch' takes jobs (1-256), timeout (seconds), retries "
                                    "(0-10) and keep_days (1-3650), e.g. {jobs: 8, timeout: "
                                    "300, retries: 2, keep_days: 30}")


def cache_root(sources: Sources) -> Path:
    """The cache directory in effect: ``$PAVEDROAD_CACHE``, else ``cache_dir:``, else
    ``.cache/pavedroad`` in the working directory."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(os.path.expanduser(env)).resolve()
    return sources.cache_dir or (Path.cwd() / DEFAULT_CACHE_DIR).resolve()


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
    kinds = [k for k in _KINDS if k in item]
    if len(kinds) != 1 or not isinstance(item[kinds[0]], str) or not item[kinds[0]].strip():
        return None, _problem(shown, line, "sources-shape",
                              "each source needs exactly one of 'path:', 'file:', 'git:' "
                              "or 'discover:'")
    kind = kinds[0]
    value = item[kind].strip()
    name = item.get("name")
    ref = item.get("ref")
    paths = item.get("paths", [])
    if isinstance(paths, str):
        paths = [paths]
    why = None
    if kind == "git" and value.startswith("-"):
        why = f"'{redact(value)}' is not a git URL"
    elif ref is not None and (not isinstance(ref, str) or not _SAFE_REF.fullmatch(ref)):
        why = "'ref' must be a branch, tag or commit name"
    elif not isinstance(paths, list) or not all(_is_sparse_path(p) for p in paths):
        why = ("'paths' must be a list of directories inside the repository, "
               "e.g. [services/payments]")
    elif kind in ("path", "file") and (ref is not None or paths):
        why = f"'ref' and 'paths' apply only to 'git:' and 'discover:' sources, not '{kind}:'"
    if why:
        return None, _problem(shown, line, "sources-shape", why)
    return Source(kind, value, line, name if isinstance(name, str) else None, ref,
                  tuple(p.strip("/") for p in paths)), None


_SAFE_REF = re.compile(r"(?!-)(?!.*\.\.)[A-Za-z0-9._/@+-]+")


def _is_sparse_path(value: object) -> bool:
    """A plain relative directory: no glob characters, no ``..``, not absolute."""
    if not isinstance(value, str) or not value.strip("/").strip():
        return False
    parts = value.strip("/").split("/")
    return (not value.startswith("/") and ".." not in parts and "." not in parts
            and not any(c in value for c in "*?[]!#\\\n") and "" not in parts)


def expand_sources(sources: Sources, *, cache_dir: Path | None = None,
                   progress: bool = True) -> tuple[list[Repository], list[Problem]]:
    """Turn source entries into repositories, in a stable order.

    Git remotes (``git:`` entries and the bare mirrors ``discover:`` finds)
    are fetched into ``cache_dir`` (default: :func:`cache_root`) in parallel;
    one that cannot be fetched is reported and its last good copy is used,
    marked stale. ``progress`` shows a progress display on stderr for long
    fetches.
    """
    planned: list[Repository | tuple[Source, GitRemote, str]] = []
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
                planned.append(Repository(name, root, display_path(d)))
        elif src.type == "file":
            path = sources.base / src.value
            if not path.is_file():
                problems.append(Problem(Severity.ERROR, "source-missing",
                                        f"'{src.value}' is not a file",
                                        file=where, line=src.line))
                continue
            root = path.resolve().parent
            planned.append(Repository(src.name or root.name, root,
                                      display_path(path.parent), (path.resolve(),)))
        elif src.type == "git":
            planned.append((src, GitRemote(src.value, src.ref, src.paths),
                            src.name or _repo_name(src.value)))
        else:
            planned.extend(_discover(sources, src, seen, problems))
    remotes = [item[1] for item in planned if isinstance(item, tuple)]
    checkouts = iter(_sync(remotes, cache_dir or cache_root(sources), sources.fetch, progress))
    repos: list[Repository] = []
    for item in planned:
        if isinstance(item, Repository):
            repos.append(item)
            continue
        src, remote, name = item
        checkout = next(checkouts)
        if checkout.error:
            problems.append(_fetch_problem(checkout, name, sources.file, src.line))
        if checkout.path is None or checkout.path.resolve() in seen:
            continue
        root = checkout.path.resolve()
        seen.add(root)
        repos.append(Repository(name, root, display_path(checkout.path), url=remote.shown,
                                ref=remote.ref, commit=checkout.commit, stale=checkout.stale))
    return repos, problems


def _repo_name(url: str) -> str:
    """``https://host/org/payments.git`` → ``payments``."""
    tail = re.split(r"[?#]", url)[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return tail.removesuffix(".git") or "repository"


def _discover(sources: Sources, src: Source, seen: set[Path], problems: list[Problem]
              ) -> list[Repository | tuple[Source, GitRemote, str]]:
    """Work trees under the directory are crawled in place; bare mirrors are fetched."""
    directory = sources.base / os.path.expanduser(src.value)
    try:
        found = find_repositories(directory)
    except OSError as exc:
        problems.append(Problem(Severity.ERROR, "source-missing",
                                f"cannot list '{src.value}': {exc.strerror or exc}",
                                file=sources.file, line=src.line))
        return []
    if not found:
        problems.append(Problem(Severity.WARNING, "source-empty",
                                f"'{src.value}' holds no git repositories",
                                file=sources.file, line=src.line))
    planned: list[Repository | tuple[Source, GitRemote, str]] = []
    for path, bare in found:
        name = path.name.removesuffix(".git") if bare else path.name
        root = path.resolve()
        if bare:
            planned.append((src, GitRemote(root.as_uri(), src.ref, src.paths), name))
        elif root not in seen:
            seen.add(root)
            planned.append(Repository(name, root, display_path(path), url=display_path(path),
                                      commit=head_commit(root / ".git")))
    return planned


def _sync(remotes: list[GitRemote], cache_dir: Path, options: FetchOptions,
          progress: bool) -> list[Checkout]:
    if not remotes:
        return []
    repos_dir = cache_dir / "repos"
    total = len({checkout_dir(repos_dir, r) for r in remotes})
    bar = Progress(total, "fetching repositories") if progress else None
    try:
        return sync(remotes, repos_dir, options,
                    (lambda c: bar.advance(failed=c.error is not None)) if bar else None)
    finally:
        if bar:
            bar.close()


def _fetch_problem(checkout: Checkout, name: str, file: str | None, line: int | None
                   ) -> Problem:
    url = checkout.remote.shown
    if checkout.stale:
        short = (checkout.commit or "")[:7]
        return Problem(Severity.WARNING, "git-stale",
                       f"cannot fetch {url} ({checkout.error}); using the copy fetched "
                       f"earlier (commit {short}), which may be out of date",
                       file=file, line=line, repo=name)
    return Problem(Severity.ERROR, "git-unavailable",
                   f"cannot fetch {url} ({checkout.error}); its entities are missing from "
                   "the portal", file=file, line=line, repo=name)


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
