"""Finding a template: by ref or name in the catalog, or a ``template.yaml`` on disk.

Either way the result is a :class:`TemplateSource`: the Template entity as
the catalog parsed it, the file it came from and the repository that file
belongs to. Skeletons are read relative to the file and never from outside
that repository.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.pipeline import load_paths
from generator.refs import InvalidRef, parse_ref
from generator.sources import repository_for_path

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pipeline import CatalogRun
    from generator.problems import Problem
    from generator.sources import Repository

__all__ = ["TemplateError", "TemplateSource", "find_template", "load_template_file",
           "template_source"]


class TemplateError(Exception):
    """The template asked for cannot be found or read."""


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A Template entity and where it lives."""

    entity: Entity
    file: Path
    """The template's descriptor file (resolved)."""
    root: Path
    """The repository the file belongs to (resolved); nothing is read outside it."""

    @property
    def display(self) -> str:
        """The descriptor file as problems name it."""
        return self.entity.provenance.file

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (resolved) is inside the template's repository."""
        return path == self.root or self.root in path.parents


def template_source(entity: Entity, repositories: list[Repository]) -> TemplateSource | None:
    """The source of a Template entity from the catalog's repositories."""
    for repo in repositories:
        if repo.name == entity.provenance.repo:
            file = (repo.root / entity.provenance.path).resolve()
            if file.is_file():
                return TemplateSource(entity, file, repo.root.resolve())
    return None


def load_template_file(path: Path) -> tuple[TemplateSource, list[Problem]]:
    """The Template entity defined in ``path`` (a ``template.yaml`` or its directory)."""
    if path.is_dir():
        candidates = [path / n for n in ("template.yaml", "template.yml")]
        path = next((c for c in candidates if c.is_file()), candidates[0])
    if not path.is_file():
        raise TemplateError(f"no template at {path}")
    repo = repository_for_path(path)
    cwd = Path.cwd().resolve()
    if not (repo.root / ".git").exists() and cwd in path.resolve().parents:
        # Not in a git work tree: the repository is the directory the command runs in
        # (skeletons are often shared between templates, e.g. ../../skeletons).
        repo = dataclasses.replace(repo, root=cwd)
    run = load_paths([repo])
    templates = [e for e in run.catalog.of_kind("template")
                 if (repo.root / e.provenance.path).resolve() == path.resolve()]
    problems = [p for p in run.catalog.problems if p.severity == "error"]
    if not templates:
        detail = f": {problems[0].message}" if problems else ""
        raise TemplateError(f"{path} defines no Template entity{detail}")
    source = TemplateSource(templates[0], path.resolve(), repo.root.resolve())
    return source, problems


def find_template(run: CatalogRun, text: str) -> TemplateSource:
    """The template named ``text`` (``template:default/x``, ``default/x`` or ``x``)."""
    try:
        ref = parse_ref(text, default_kind="template")
    except InvalidRef as exc:
        raise TemplateError(str(exc)) from None
    entity = run.catalog.entities.get(ref)
    if entity is None or ref.kind != "template":
        raise TemplateError(f"{ref} is not in the catalog{_suggest(run.catalog, ref.name)}")
    source = template_source(entity, run.repositories)
    if source is None:
        raise TemplateError(f"the descriptor of {ref} ({entity.provenance.file}) cannot be read")
    return source


def _suggest(catalog: Catalog, name: str) -> str:
    import difflib

    names = {str(t.ref): t.ref.name for t in catalog.of_kind("template")}
    close = difflib.get_close_matches(name, list(names.values()), n=3, cutoff=0.75)
    near = [r for r, n in names.items() if n == name] or [
        r for c in close for r, n in names.items() if n == c]
    if near:
        return f"; did you mean {', '.join(near)}?"
    if names:
        return f"; templates: {', '.join(sorted(names))} (pavedroad new --list)"
    return "; the catalog has no templates"
