"""What ``pavedroad check`` says about templates: runnable steps, skeletons, valid forms.

For every Template entity: its form pages are valid JSON Schema (draft 7);
its steps are mappings with an ``action`` and unique ids; each ``fetch:*``
step's skeleton exists inside the template's repository and its
``targetPath`` stays in the target directory; every expression, in the
template and in the skeleton files it renders, parses. Skeleton files are
read only inside the repository, each at most once.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from generator.problems import Problem, Severity
from generator.scaffold.actions import ACTIONS, MAX_SKELETON_FILE, file_extension
from generator.scaffold.nunjucks import Renderer, RenderError
from generator.scaffold.parameters import schema_problems
from generator.scaffold.remote import is_remote
from generator.scaffold.template import TemplateSource, template_source
from generator.scaffold.workspace import PathError, glob_regex, safe_path

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["template_problems"]

MAX_CHECKED_FILES = 2000
"""Skeleton files parsed per step; a larger skeleton is checked in part."""
_FETCH_DIRS = {"fetch:template": "dir", "fetch:plain": "dir", "fetch:cookiecutter": "dir",
               "fetch:template:file": "file", "fetch:plain:file": "file"}


class _Checker:
    def __init__(self, entity: Entity, source: TemplateSource | None) -> None:
        self.entity = entity
        self.source = source
        self.problems: list[Problem] = []
        self.renderer = Renderer()
        self.compat = Renderer(compat=True)

    def add(self, severity: Severity, code: str, message: str, path: tuple = (),
            file: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(
            severity, code, message, file=file or self.entity.provenance.file,
            line=line if file else self.entity.line_of(("spec", *path)),
            entity=str(self.entity.ref), repo=self.entity.provenance.repo))

    def check(self) -> list[Problem]:
        for index, message in schema_problems(self.entity.spec):
            self.add(Severity.ERROR, "template-parameters", message, ("parameters", index))
        steps = self.entity.spec.get("steps")
        if steps is not None and not isinstance(steps, list):
            self.add(Severity.ERROR, "template-steps", "spec.steps must be a list", ("steps",))
            return self.problems
        seen: set[str] = set()
        for index, step in enumerate(steps or []):
            self.step(index, step, seen)
        self.expressions(self.entity.spec.get("output"), ("output",), self.renderer)
        return self.problems

    def step(self, index: int, step: object, seen: set[str]) -> None:
        path = ("steps", index)
        if not isinstance(step, dict) or not isinstance(step.get("action"), str) \
                or not step["action"]:
            self.add(Severity.ERROR, "template-steps",
                     f"steps[{index}] must be a mapping with an action", path)
            return
        sid = step.get("id")
        if isinstance(sid, str) and sid:
            if sid in seen:
                self.add(Severity.ERROR, "template-steps", f"step id {sid!r} is used twice; "
                         "later steps could not tell their outputs apart", path)
            seen.add(sid)
        action = step["action"]
        if action not in ACTIONS and not is_remote(action):
            self.add(Severity.INFO, "template-action",
                     f"step {sid or index}: action {action} is not run by pavedroad new "
                     "(it is listed with the next commands)", path)
        for key in ("if", "each", "input"):
            self.expressions(step.get(key), (*path, key), self.renderer)
        inp = step.get("input") if isinstance(step.get("input"), dict) else {}
        if action in _FETCH_DIRS:
            self.fetch(index, action, inp)

    def expressions(self, value: object, path: tuple, renderer: Renderer) -> None:
        for text in renderer.iter_expressions(value):
            try:
                renderer.parse(text, ".".join(str(p) for p in path))
            except RenderError as exc:
                self.add(Severity.WARNING, "template-syntax", f"{exc}; fix the expression",
                         path)

    def fetch(self, index: int, action: str, inp: dict) -> None:
        path = ("steps", index, "input")
        target = inp.get("targetPath")
        if isinstance(target, str) and "${{" not in target and "{%" not in target:
            try:
                safe_path("", target, "targetPath")
            except PathError as exc:
                self.add(Severity.ERROR, "template-target-path", str(exc), (*path, "targetPath"))
        url = inp.get("url")
        if self.source is None or not isinstance(url, str) or "{" in url \
                or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
            return
        where = (self.source.file.parent / url).resolve()
        if not self.source.inside(where):
            self.add(Severity.ERROR, "template-skeleton", f"url {url} leaves the template's "
                     "repository; skeletons must be inside it", (*path, "url"))
            return
        want = _FETCH_DIRS[action]
        if not (where.is_dir() if want == "dir" else where.is_file()):
            shown = os.path.normpath(os.path.join(os.path.dirname(self.entity.provenance.file),
                                                  url))
            self.add(Severity.ERROR, "template-skeleton",
                     f"{'skeleton' if want == 'dir' else 'file'} {url} does not exist "
                     f"(no {'directory' if want == 'dir' else 'file'} {shown})", (*path, "url"))
            return
        if action in ("fetch:template", "fetch:template:file", "fetch:cookiecutter"):
            self.skeleton(where, {**inp, "cookiecutterCompat": True}
                          if action == "fetch:cookiecutter" else inp)

    def skeleton(self, root, inp: dict) -> None:
        renderer = self.compat if inp.get("cookiecutterCompat") else self.renderer
        ext = file_extension(inp.get("templateFileExtension"))
        copy_only = inp.get("copyWithoutTemplating", inp.get("copyWithoutRender"))
        patterns = [glob_regex(str(p)) for p in copy_only] if isinstance(copy_only, list) else []
        files = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
            and ".git" not in p.relative_to(root).parts)
        for path in files[:MAX_CHECKED_FILES]:
            rel = path.name if path == root else path.relative_to(root).as_posix()
            if (ext and not rel.endswith(ext)) or any(p.match(rel) for p in patterns):
                continue
            if path.stat().st_size > MAX_SKELETON_FILE:
                continue
            data = path.read_bytes()
            if b"\0" in data[:8000]:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            shown = self._shown(path)
            try:
                renderer.parse(rel, f"file name {rel}")
                renderer.parse(text, shown)
            except RenderError as exc:
                line = re.search(r", line (\d+):", str(exc))
                self.add(Severity.WARNING, "template-syntax",
                         f"{exc}; Backstage cannot render this file either (list it in "
                         "copyWithoutTemplating to copy it as it is)",
                         file=shown, line=int(line.group(1)) if line else None)

    def _shown(self, path) -> str:
        assert self.source is not None
        rel = os.path.relpath(path, self.source.file.parent)
        return os.path.normpath(os.path.join(os.path.dirname(self.entity.provenance.file), rel))


def template_problems(catalog: Catalog, repositories: list[Repository]) -> list[Problem]:
    """Problems of every Template in the catalog (see the module docstring)."""
    problems: list[Problem] = []
    by_name: dict[str, list[Repository]] = {}
    for repo in repositories:
        by_name.setdefault(repo.name, []).append(repo)
    for entity in catalog.of_kind("template"):
        source = template_source(entity, by_name.get(entity.provenance.repo, []))
        problems += _Checker(entity, source).check()
    return problems
