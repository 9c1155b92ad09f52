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
    fetch: {jobs: 8, timeout: 120, retries: 2, keep_days: 30, deadline: 600}   # optional

Paths are relative to the sources file. :func:`load_sources` reads the file
and :func:`expand_sources` turns the entries into :class:`Repository` objects,
fetching git remotes (see :mod:`generator.git`) on the way.
"""

from __future__ import annotations

import atexit
import glob
import logging
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
from generator.repofiles import DEFAULT_MAX_FILE_SIZE, in_git_directory, read_text_file

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
    "from_working_directory",
    "load_sources",
    "repo_path",
    "repository_for_path",
    "shown_under",
]

DEFAULT_DESCRIPTOR_NAMES = ("catalog-info.yaml", "catalog-info.yml")
DEFAULT_CACHE_DIR = Path(".cache/pavedroad")
"""Cache directory, relative to the working directory, unless configured."""
CACHE_ENV = "PAVEDROAD_CACHE"
"""Environment variable naming the cache directory; overrides ``cache_dir:``."""
_KINDS = ("path", "file", "git", "discover")
log = logging.getLogger("pavedroad.sources")


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
    """The root as shown in problems and pages: relative to the sources file's folder, or the
    repository's name where it lies elsewhere (a cache copy); for ``check PATH``, relative
    to the working directory. Never absolute, so the site does not depend on either."""
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
    """``path`` relative to the working directory (with ``..`` when outside it), never absolute."""
    try:
        rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive
        return path.name or "."
    return Path(rel).as_posix()


def shown_under(path: Path, base: Path, name: str) -> str:
    """A local directory as shown: relative to ``base`` (the sources file's folder) when
    inside it, else ``name``."""
    written = Path(os.path.normpath(path.absolute()))
    if written.is_relative_to(base):
        return written.relative_to(base).as_posix() or "."
    real = path.resolve()  # (a realpath walk only when the path as written is not under base)
    if real.is_relative_to(base):
        return real.relative_to(base).as_posix() or "."
    return name


def repo_path(repo: Repository, rel: str) -> str:
    """A file of ``repo`` as problems and pages show it (see :attr:`Repository.display`).

    >>> repo_path(Repository("shop", Path("/x/shop"), "repos/shop"), "a/catalog-info.yaml")
    'repos/shop/a/catalog-info.yaml'
    """
    if repo.display in ("", "."):
        return posixpath.normpath(rel)
    return posixpath.normpath(posixpath.join(repo.display, rel))


def from_working_directory(problems: list[Problem], base: Path,
                           cache_dir: Path | None = None,
                           repositories: Sequence[Repository] = ()) -> list[Problem]:
    """``problems`` with each local file shown relative to the working directory.

    The site shows files relative to the sources file's folder (``base``), and
    a repository outside it by its name; a terminal, an editor or a GitHub
    annotation wants them from where the command runs. ``repositories`` find
    the files of those shown by name. Files that are not on disk (git copies
    in the cache, shown by repository name) are left as they are.
    """
    local: dict[str, list[Repository]] = {}
    for repo in repositories:
        if cache_dir is None or not repo.root.is_relative_to(cache_dir):
            local.setdefault(repo.name, []).append(repo)
    out = []
    shown: dict[tuple[str | None, str | None], str | None] = {}
    """(repository, file) → the file as shown here (``None``: as it is); many problems
    share a file."""
    for problem in problems:
        where = (problem.repo, problem.file)
        if where not in shown:
            path = _on_disk(problem, base, local.get(problem.repo or "", []))
            shown[where] = display_path(path) if path is not None and not (
                cache_dir is not None and path.resolve().is_relative_to(cache_dir)) else None
        if shown[where] is not None:
            problem = replace(problem, file=shown[where])
        out.append(problem)
    return out


def _on_disk(problem: Problem, base: Path, repos: list[Repository]) -> Path | None:
    """The file a problem names, if it is on disk: under ``base`` or in its repository."""
    if not problem.file:
        return None
    if os.path.lexists(base / problem.file):
        return base / problem.file
    for repo in repos:
        prefix = "" if repo.display in ("", ".") else f"{repo.display}/"
        if problem.file.startswith(prefix) and os.path.lexists(
                repo.root / problem.file[len(prefix):]):
            return repo.root / problem.file[len(prefix):]
    return None


def _problem(sources_file: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(Severity.ERROR, code, message, file=sources_file, line=line)


def load_sources(path: Path) -> tuple[Sources, list[Problem]]:
    """Read a sources file; a missing or malformed file yields problems, not errors."""
    shown = path.name
    sources = Sources(base=path.resolve().parent, file=shown)
    try:
        text = read_text_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        return sources, [_problem(shown, None, "sources-unreadable",
                                  "cannot read the sources file: "
                                  f"{getattr(exc, 'strerror', None) or exc}")]
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 1,000 entries in ms
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return sources, [_problem(shown, mark.line + 1 if mark else None, "sources-yaml",
                                  f"the sources file is not valid YAML: {exc}")]
    except RecursionError:
        return sources, [_problem(shown, 1, "sources-yaml",
                                  "the sources file nests too deeply to read")]
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
              "retries": (int, 0, 10), "keep_days": (int, 1, 3_650),
              "deadline": ((int, float), 1, 86_400)}
    if isinstance(value, dict) and set(value) <= set(limits) and all(
            isinstance(v, limits[k][0]) and not isinstance(v, bool)
            and limits[k][1] <= v <= limits[k][2] for k, v in value.items()):
        return FetchOptions(**value), None
    return FetchOptions(), _problem(shown, None, "sources-shape",
                                    "'fetch' takes jobs (1-256), timeout (seconds), retries "
                                    "(0-10), keep_days (1-3650) and deadline (seconds), e.g. "
                                    "{jobs: 8, timeout: 120, retries: 2, keep_days: 30, "
                                    "deadline: 600}")


def cache_root(sources: Sources) -> Path:
    """The cache directory in effect: ``$PAVEDROAD_CACHE``, else ``cache_dir:``, else
    ``.cache/pavedroad`` in the working directory.

    A directory that cannot be written (read-only, say) is replaced, with one
    warning, by a temporary one removed at exit: the build goes on without
    caching.
    """
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        wanted = Path(os.path.expanduser(env)).resolve()
    else:
        wanted = sources.cache_dir or (Path.cwd() / DEFAULT_CACHE_DIR).resolve()
    return _writable_cache(wanted)


_FALLBACK_CACHES: dict[Path, Path] = {}


def _writable_cache(path: Path) -> Path:
    if path in _FALLBACK_CACHES:
        return _FALLBACK_CACHES[path]
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        log.warning("the cache directory cannot be written (%s); building without the cache",
                    exc.strerror or exc)
        temp = Path(tempfile.mkdtemp(prefix="pavedroad-cache-")).resolve()
        atexit.register(shutil.rmtree, temp, ignore_errors=True)
        _FALLBACK_CACHES[path] = temp
        return temp
    return path


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
                if _git_directory_problem(src, root, where, problems) or root in seen:
                    continue
                seen.add(root)
                name = src.name if src.name and len(dirs) == 1 else d.name
                planned.append(Repository(name, root, shown_under(d, sources.base, name)))
        elif src.type == "file":
            path = sources.base / src.value
            if not path.is_file():
                problems.append(Problem(Severity.ERROR, "source-missing",
                                        f"'{src.value}' is not a file",
                                        file=where, line=src.line))
                continue
            root = path.resolve().parent
            if _git_directory_problem(src, path.resolve(), where, problems):
                continue
            name = src.name or root.name
            planned.append(Repository(name, root, shown_under(path.parent, sources.base, name),
                                      (path.resolve(),)))
        elif src.type == "git":
            planned.append((src, GitRemote(src.value, src.ref, src.paths),
                            src.name or _repo_name(src.value)))
        else:
            planned.extend(_discover(sources, src, seen, problems))
    remotes = [item[1] for item in planned if isinstance(item, tuple)]
    cache = cache_dir or cache_root(sources)
    checkouts = iter(_sync(remotes, cache, sources.fetch, progress))
    copies = (cache / "repos").resolve() if remotes else cache  # one realpath walk, not 1,000
    repos: list[Repository] = []
    for item in planned:
        if isinstance(item, Repository):
            repos.append(item)
            continue
        src, remote, name = item
        checkout = next(checkouts)
        local = _local_path(remote.url, sources.base)
        shown = shown_under(local, sources.base, name) if local else remote.shown
        if checkout.error:
            error = _hide_machine_paths(checkout.error, remote, shown, cache, sources.base)
            problems.append(_fetch_problem(replace(checkout, error=error), shown, name,
                                           sources.file, src.line))
        if checkout.skipped:
            links = ", ".join(f"'{link}'" for link in checkout.skipped[:5])
            more = f" and {len(checkout.skipped) - 5} more" if len(checkout.skipped) > 5 else ""
            problems.append(Problem(Severity.WARNING, "git-link-skipped",
                                    f"{shown}: the symbolic links {links}{more} may point "
                                    "outside the repository and were not copied",
                                    file=sources.file, line=src.line, repo=name))
        root = None if checkout.path is None else (
            checkout.path.resolve() if checkout.path.is_symlink() else copies / checkout.path.name)
        if root is None or root in seen:
            continue
        seen.add(root)
        repos.append(Repository(name, root, name, url=shown,
                                ref=remote.ref, commit=checkout.commit, stale=checkout.stale))
    return repos, problems


def _git_directory_problem(src: Source, path: Path, file: str | None,
                           problems: list[Problem]) -> bool:
    """Refuse a local source inside a ``.git`` directory (its config can hold credentials)."""
    if not in_git_directory(path):
        return False
    problems.append(Problem(Severity.ERROR, "source-in-git-directory",
                            f"'{src.value}' is inside a .git directory, which is never read; "
                            "name the work tree instead", file=file, line=src.line))
    return True


def _repo_name(url: str) -> str:
    """``https://host/org/payments.git`` → ``payments``."""
    tail = re.split(r"[?#]", url)[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return tail.removesuffix(".git") or "repository"


def _discover(sources: Sources, src: Source, seen: set[Path], problems: list[Problem]
              ) -> list[Repository | tuple[Source, GitRemote, str]]:
    """Work trees under the directory are crawled in place; bare mirrors are fetched."""
    directory = sources.base / os.path.expanduser(src.value)
    if _git_directory_problem(src, directory.resolve(), sources.file, problems):
        return []
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
            shown = shown_under(path, sources.base, name)
            planned.append(Repository(name, root, shown, url=shown,
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


def _local_path(url: str, base: Path) -> Path | None:
    """The directory a local remote (``file://`` URL or path) names, else ``None``."""
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    if "://" in url or re.match(r"[^/]+:", url):
        return None
    return base / os.path.expanduser(url)


def _hide_machine_paths(text: str, remote: GitRemote, shown: str, cache: Path,
                        base: Path) -> str:
    """``text`` with the cache directory and a local remote's path replaced."""
    text = text.replace(str(cache), "<cache>").replace(remote.shown, shown)
    local = _local_path(remote.url, base)
    for form in {str(local), str(local.resolve())} if local is not None else ():
        text = text.replace(form, shown)
    return text


def _fetch_problem(checkout: Checkout, url: str, name: str, file: str | None,
                   line: int | None) -> Problem:
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
