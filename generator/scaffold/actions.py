"""The step actions that run on this machine, with Backstage's semantics.

``fetch:template``, ``fetch:plain``, ``fetch:template:file``, ``fetch:cookiecutter``,
``fetch:plain:file``, ``fs:rename``, ``fs:delete``, ``catalog:write`` and
``debug:log`` (``debug:wait`` does not wait). Each takes the step's rendered
input and works on the in-memory :class:`~generator.scaffold.workspace.Workspace`.
Skeletons are read relative to the template file, inside its repository
only; a URL is not fetched (:class:`NotRunHere`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.scaffold.nunjucks import Budget, Renderer
from generator.scaffold.workspace import PathError, Workspace, glob_regex, safe_path

if TYPE_CHECKING:
    from generator.scaffold.template import TemplateSource

__all__ = ["ACTIONS", "ActionError", "NotRunHere", "RunContext", "file_extension"]

MAX_SKELETON_FILE = 10 * 1024 * 1024
"""Largest skeleton file read, in bytes."""


class ActionError(Exception):
    """A step cannot do what its input asks; the message says what to change."""


class NotRunHere(Exception):
    """The step needs something this machine does not do (a URL to download)."""


@dataclass(slots=True)
class RunContext:
    """What actions work with: the template, the workspace, the log."""

    source: TemplateSource
    workspace: Workspace = field(default_factory=Workspace)
    budget: Budget = field(default_factory=Budget)
    log: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def renderer(self, inp: dict) -> Renderer:
        return Renderer(self.budget, compat=bool(inp.get("cookiecutterCompat")),
                        trim_blocks=bool(inp.get("trimBlocks")),
                        lstrip_blocks=bool(inp.get("lstripBlocks")))

    def local(self, url: object, want: str) -> tuple[Path, str]:
        """The skeleton ``url`` names, inside the template's repository, and how to show it."""
        if not isinstance(url, str) or not url.strip():
            raise ActionError("input url is required: the skeleton's path relative to the "
                              "template file")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
            raise NotRunHere(f"{url} is not in the template's repository and is not "
                             "downloaded")
        shown = os.path.normpath(os.path.join(os.path.dirname(self.source.display), url))
        path = (self.source.file.parent / url).resolve()
        if not self.source.inside(path):
            raise ActionError(f"url {url} leaves the template's repository; skeletons are "
                              "read from inside it only")
        if want == "dir" and not path.is_dir():
            raise ActionError(f"skeleton {url} does not exist (no directory {shown})"
                              if not path.exists() else f"skeleton {url} is not a directory")
        if want == "file" and not path.is_file():
            raise ActionError(f"skeleton file {url} does not exist (no file {shown})")
        return path, shown


def _read(path: Path, shown: str) -> bytes:
    if path.stat().st_size > MAX_SKELETON_FILE:
        raise ActionError(f"{shown} is larger than {MAX_SKELETON_FILE:,} bytes")
    return path.read_bytes()


def _text(data: bytes) -> str | None:
    """The file's text, or ``None`` for a binary file (copied as it is)."""
    if b"\0" in data[:8000]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _entries(ctx: RunContext, root: Path, shown: str) -> list[tuple[str, bool, Path]]:
    """``(relative path, is directory, path)`` under a skeleton, sorted; links left out."""
    out: list[tuple[str, bool, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        rel = base.relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for name in sorted(dirnames):
            if name == ".git" or (base / name).is_symlink():
                if name != ".git":
                    ctx.warnings.append(f"{shown}/{prefix}{name}: a symbolic link, not copied")
                continue
            out.append((prefix + name, True, base / name))
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and not (base / d).is_symlink())
        for name in sorted(filenames):
            if (base / name).is_symlink():
                ctx.warnings.append(f"{shown}/{prefix}{name}: a symbolic link, not copied")
                continue
            out.append((prefix + name, False, base / name))
    return sorted(out)


def _skipped(path: str) -> bool:
    """A rendered path whose condition removed a part (``{% if %}`` in a name)."""
    return path == "" or path.startswith("/") or "//" in path


def file_extension(value: object) -> str | None:
    """``templateFileExtension`` as the suffix of the files to render (``true``: ``.njk``).

    >>> file_extension(True), file_extension("tpl"), file_extension(None)
    ('.njk', '.tpl', None)
    """
    if not value:
        return None
    ext = ".njk" if value is True else str(value)
    return ext if ext.startswith(".") else "." + ext


def _values(inp: dict) -> dict:
    """What skeleton files see: ``values`` (``cookiecutter`` with cookiecutterCompat)."""
    values = inp.get("values") if isinstance(inp.get("values"), dict) else {}
    return {"cookiecutter" if inp.get("cookiecutterCompat") else "values": values}


def _extension(inp: dict, copy_only: list | None) -> str | None:
    ext = file_extension(inp.get("templateFileExtension"))
    if ext and (copy_only is not None or inp.get("cookiecutterCompat")):
        raise ActionError("templateFileExtension cannot be combined with "
                          "copyWithoutTemplating/copyWithoutRender or cookiecutterCompat")
    return ext


def fetch_template(ctx: RunContext, inp: dict) -> dict:
    """Copy a skeleton, rendering file names and contents with ``values``."""
    root, shown = ctx.local(inp.get("url"), "dir")
    target = _target(inp.get("targetPath", "./"))
    if inp.get("copyWithoutRender") is not None and inp.get("copyWithoutTemplating") is not None:
        raise ActionError("copyWithoutRender and copyWithoutTemplating cannot be used together")
    copy_only = inp.get("copyWithoutTemplating", inp.get("copyWithoutRender"))
    if copy_only is not None and not isinstance(copy_only, list):
        raise ActionError("copyWithoutTemplating/copyWithoutRender must be a list of globs")
    render_names = "copyWithoutRender" not in inp
    ext = _extension(inp, copy_only)
    patterns = [glob_regex(str(p)) for p in copy_only or []]
    renderer = ctx.renderer(inp)
    context = _values(inp)
    replace = bool(inp.get("replace"))
    written = 0
    for location, is_dir, path in _entries(ctx, root, shown):
        where = f"{shown}/{location}"
        if ext:
            contents = not is_dir and location.endswith(ext)
            name = location[:-len(ext)] if contents else location
            name = renderer.render(name, context, f"file name {where}")
        else:
            contents = not any(p.match(location) for p in patterns)
            name = renderer.render(location, context, f"file name {where}") \
                if render_names or contents else location
        if _skipped(name):
            continue
        out = _safe(target, name, f"skeleton file {location!r} (rendered {name!r})")
        if ctx.workspace.exists(out) and not replace:
            continue
        if is_dir:
            ctx.workspace.mkdir(out)
            continue
        data = _read(path, where)
        text = _text(data) if contents else None
        if text is not None:
            data = renderer.render(text, context, where).encode("utf-8")
        _write(ctx, out, data, path)
        written += 1
    ctx.log.append(_copied(written, shown, target))
    return {}


def _copied(count: int, shown: str, target: str) -> str:
    return f"{count} file{'s' if count != 1 else ''} from {shown}" + (
        f" into {target}/" if target else "")


def fetch_cookiecutter(ctx: RunContext, inp: dict) -> dict:
    """The deprecated ``fetch:cookiecutter``: the skeleton rendered as cookiecutter would.

    Backstage runs cookiecutter on the skeleton with ``values`` as its
    context; this is ``fetch:template`` with ``cookiecutterCompat`` (``{{ }}``,
    ``cookiecutter.*``), and ``copyWithoutRender`` as cookiecutter's
    ``_copy_without_render`` (names rendered, contents copied).
    """
    copy_only = inp.get("copyWithoutRender")
    return fetch_template(ctx, {
        "url": inp.get("url"), "targetPath": inp.get("targetPath", "./"),
        "values": inp.get("values"), "cookiecutterCompat": True,
        **({"copyWithoutTemplating": copy_only} if copy_only is not None else {})})


def fetch_plain(ctx: RunContext, inp: dict) -> dict:
    """Copy a directory as it is."""
    root, shown = ctx.local(inp.get("url"), "dir")
    target = _target(inp.get("targetPath", "./"))
    written = 0
    for location, is_dir, path in _entries(ctx, root, shown):
        out = _safe(target, location, f"file {location!r}")
        if is_dir:
            ctx.workspace.mkdir(out)
        else:
            _write(ctx, out, _read(path, f"{shown}/{location}"), path)
            written += 1
    ctx.log.append(_copied(written, shown, target))
    return {}


def _file_target(inp: dict) -> str:
    target = inp.get("targetPath")
    if not isinstance(target, str) or not target.strip():
        raise ActionError("input targetPath is required: the file to write")
    out = _target(target)
    if not out:
        raise ActionError("targetPath must name a file, not the target directory")
    return out


def fetch_plain_file(ctx: RunContext, inp: dict) -> dict:
    """Copy one file as it is."""
    path, shown = ctx.local(inp.get("url"), "file")
    out = _file_target(inp)
    _write(ctx, out, _read(path, shown), path)
    ctx.log.append(f"{shown} → {out}")
    return {}


def fetch_template_file(ctx: RunContext, inp: dict) -> dict:
    """Render one file with ``values``."""
    path, shown = ctx.local(inp.get("url"), "file")
    out = _file_target(inp)
    if ctx.workspace.exists(out) and not inp.get("replace"):
        ctx.log.append(f"{out} exists, kept")
        return {}
    data = _read(path, shown)
    text = _text(data)
    if text is not None:
        data = ctx.renderer(inp).render(text, _values(inp), shown).encode("utf-8")
    _write(ctx, out, data, path)
    ctx.log.append(f"{shown} → {out}")
    return {}


def fs_rename(ctx: RunContext, inp: dict) -> dict:
    """Move files and directories inside the workspace."""
    files = inp.get("files")
    if not isinstance(files, list):
        raise ActionError("input files must be a list of {from, to}")
    for item in files:
        if not isinstance(item, dict) or not item.get("from") or not item.get("to"):
            raise ActionError("each entry of files must have a from and a to")
        source = _safe("", item["from"], "from")
        dest = _safe("", item["to"], "to")
        try:
            ctx.workspace.move(source, dest, bool(item.get("overwrite")))
        except PathError as exc:
            raise ActionError(str(exc)) from None
        ctx.log.append(f"{source} → {dest}")
    return {}


def fs_delete(ctx: RunContext, inp: dict) -> dict:
    """Delete files and directories (globs allowed); missing ones are no error."""
    files = inp.get("files")
    if not isinstance(files, list):
        raise ActionError("input files must be a list of paths")
    for item in files:
        if not isinstance(item, str):
            raise ActionError("each entry of files must be a path")
        paths = ctx.workspace.matching(item) if any(c in item for c in "*?[{") \
            else [_safe("", item, "files entry")]
        for path in paths:
            removed = ctx.workspace.remove(_safe("", path, "files entry"))
            ctx.log.append(f"deleted {path or '.'}" + (f" ({removed} files)" if removed > 1
                                                         else ""))
    return {}


def catalog_write(ctx: RunContext, inp: dict) -> dict:
    """Write an entity as YAML (``catalog-info.yaml`` unless ``filePath`` says otherwise)."""
    entity = inp.get("entity")
    if not isinstance(entity, dict):
        raise ActionError("input entity must be an object: the entity to write")
    out = _file_target({"targetPath": inp.get("filePath") or "catalog-info.yaml"})
    text = yaml.safe_dump(entity, sort_keys=False, allow_unicode=True)
    ctx.workspace.write(out, text.encode("utf-8"))
    ctx.log.append(f"wrote {out}")
    return {}


def debug_log(ctx: RunContext, inp: dict) -> dict:
    """Write the message (and the workspace's files) into the log."""
    if inp.get("message") not in (None, ""):
        ctx.log.append(str(inp["message"]))
    if inp.get("listWorkspace"):
        ctx.log.append("workspace:" + "".join(f"\n  - {p}" for p in sorted(
            ctx.workspace.files)))
    return {}


def debug_wait(ctx: RunContext, inp: dict) -> dict:
    ctx.log.append("not waiting (debug:wait is skipped locally)")
    return {}


def _target(target: object) -> str:
    return _safe("", target if target is not None else "./", "targetPath")


def _safe(base: str, path: object, what: str) -> str:
    try:
        return safe_path(base, path, what)
    except PathError as exc:
        raise ActionError(str(exc)) from None


def _write(ctx: RunContext, out: str, data: bytes, source: Path) -> None:
    try:
        ctx.workspace.write(out, data, executable=os.access(source, os.X_OK))
    except PathError as exc:
        raise ActionError(str(exc)) from None


ACTIONS: dict[str, Callable[[RunContext, dict], dict[str, Any]]] = {
    "fetch:template": fetch_template, "fetch:plain": fetch_plain,
    "fetch:cookiecutter": fetch_cookiecutter,
    "fetch:template:file": fetch_template_file, "fetch:plain:file": fetch_plain_file,
    "fs:rename": fs_rename, "fs:delete": fs_delete, "catalog:write": catalog_write,
    "debug:log": debug_log, "debug:wait": debug_wait,
}
"""Actions run on this machine, by id."""
