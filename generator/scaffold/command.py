"""``pavedroad new``: run a template into a new directory, or show what it would write.

The command line hands over its arguments; this module finds the template,
gathers and validates the parameters, runs the steps in memory and writes
the result only when every step succeeded and the target directory is new
or empty. ``--dry-run`` prints the tree and the step log instead.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator.golden_paths import created_from, path_noun
from generator.problems import Problem, Severity, format_problems
from generator.scaffold.filters import FilterError, parse_repo_url
from generator.scaffold.parameters import (
    ParameterErrors,
    Parameters,
    ask,
    coerce,
    field_schema,
    load_values,
    pages,
    with_defaults,
)
from generator.scaffold.runner import run_steps
from generator.scaffold.template import TemplateError, find_template, load_template_file
from generator.scaffold.workspace import target_problem

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.pipeline import CatalogRun

__all__ = ["NewOptions", "UsageProblem", "list_templates", "run_new"]

EXIT_OK, EXIT_PROBLEMS = 0, 1
DEFAULT_USER = "user:default/guest"
"""``user.ref`` when ``--user`` is not given (the same on every machine)."""
_NAME_FIELDS = ("name", "component_id", "componentName", "component_name", "appName",
                "app_name", "serviceName", "service_name", "projectName", "repoName")


class UsageProblem(Exception):
    """Wrong arguments: no such template, a ``--set`` without ``=``, an unreadable file."""


@dataclass(frozen=True, slots=True)
class NewOptions:
    """What ``pavedroad new`` was asked to do."""

    template: str
    directory: str | None = None
    values_file: str | None = None
    sets: tuple[str, ...] = ()
    dry_run: bool = False
    interactive: bool = False
    user: str | None = None


def _looks_like_path(text: str) -> bool:
    """A template file or a directory holding one, rather than a ref in the catalog."""
    path = Path(text)
    if text.endswith((".yaml", ".yml")):
        return True
    return path.is_dir() and any((path / n).is_file() for n in ("template.yaml", "template.yml"))


def _values(options: NewOptions, form: list[dict]) -> dict:
    values: dict = {}
    if options.values_file:
        path = Path(options.values_file)
        if not path.is_file():
            raise UsageProblem(f"no values file at {options.values_file}")
        try:
            values = load_values(path.read_text(encoding="utf-8"), options.values_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageProblem(f"cannot read {options.values_file}: {exc}") from None
        except ParameterErrors as exc:
            raise UsageProblem(str(exc)) from None
    for item in options.sets:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise UsageProblem(f"--set {item!r}: expected key=value")
        keys = key.strip().split(".")
        holder = values
        for part in keys[:-1]:
            holder = holder.setdefault(part, {}) if isinstance(holder.get(part, {}), dict) \
                else holder
        schema = field_schema(form, values, keys[0]) if len(keys) == 1 else {}
        holder[keys[-1]] = coerce(text, schema)
    return values


def default_directory(values: dict, template_name: str) -> str:
    """A directory name from the parameters (``name``, the repository …), else the template's.

    >>> default_directory({"repoUrl": "github.com?owner=o&repo=shop"}, "service")
    'shop'
    """
    candidates = [values.get(k) for k in _NAME_FIELDS]
    with contextlib.suppress(FilterError):
        candidates.append(parse_repo_url(values.get("repoUrl"))["repo"])
    for value in candidates:
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", value):
            return value
    return template_name


def _asker(err: TextIO) -> Callable[[str], str]:
    """Questions go to stderr, so stdout keeps only the run's report."""
    def read(prompt: str) -> str:
        err.write(prompt)
        err.flush()
        return input()
    return read


def _write(out: TextIO, lines: list[str]) -> None:
    for line in lines:
        print(line, file=out)


def run_new(options: NewOptions, *, load_run: Callable[[], CatalogRun | None],
            known: set[str] | None, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
            read: Callable[[str], str] | None = None) -> int:
    """Run ``pavedroad new``; the exit code.

    ``load_run`` loads the organisation's catalog when needed (``None`` when
    there is none); ``known`` are refs from ``--catalog``.
    """
    problems: list[Problem] = []
    run = None
    if _looks_like_path(options.template):
        try:
            source, problems = load_template_file(Path(options.template))
        except TemplateError as exc:
            raise UsageProblem(str(exc)) from None
        if known is None:
            run = load_run()
    else:
        run = load_run()
        if run is None:
            raise UsageProblem(f"{options.template} is not a template file, and there is no "
                               "catalog to find it in; pass --sources FILE or a template.yaml")
        try:
            source = find_template(run, options.template)
        except TemplateError as exc:
            raise UsageProblem(str(exc)) from None
    if run is not None and known is None:
        known = {str(r) for r in run.catalog.entities}
    spec = source.entity.spec
    form = pages(spec)
    values = _values(options, form)
    if options.interactive:
        values = ask(form, values, read or _asker(err), err.write)
    values = with_defaults(form, values)
    checker = Parameters(form, known)
    try:
        checker.validate(values)
    except ParameterErrors as exc:
        problems += [Problem(Severity.ERROR, "scaffold-parameters", m, file=source.display,
                             entity=str(source.entity.ref)) for m in exc.messages]
        if any(m.endswith(" is required") for m in exc.messages):
            problems.append(Problem(Severity.INFO, "scaffold-parameters",
                                    "give parameters with --set NAME=VALUE or --values FILE "
                                    "(or run on a terminal to be asked)", file=source.display))
    for note in checker.notes:
        problems.append(Problem(Severity.INFO, "scaffold-parameters", note,
                                file=source.display, entity=str(source.entity.ref)))
    directory = options.directory or default_directory(values, source.entity.name)
    target = Path(directory)
    if not options.dry_run:
        why = target_problem(target)
        if why:
            problems.append(Problem(Severity.ERROR, "scaffold-target", why))
    if any(p.severity == Severity.ERROR for p in problems):
        print(format_problems(problems), file=err)
        return EXIT_PROBLEMS
    user = {"ref": options.user or DEFAULT_USER}
    result = run_steps(source, values, directory, user=user)
    print(f"{source.entity.ref} ({source.entity.title}) from {source.display}", file=out)
    _write(out, [f"  {line}" for line in result.log])
    problems += result.problems
    if result.failed:
        print(format_problems(problems), file=err)
        print("nothing was written", file=err)
        return EXIT_PROBLEMS
    if options.dry_run:
        count = len(result.workspace.files)
        print(f"\nWould write {count} file{'s' if count != 1 else ''}:", file=out)
        _write(out, result.workspace.tree(directory))
    else:
        why = target_problem(target)  # again: it may have appeared while the steps ran
        if why:
            print(format_problems([Problem(Severity.ERROR, "scaffold-target", why)]), file=err)
            return EXIT_PROBLEMS
        result.workspace.write_to(target)
        count = len(result.workspace.files)
        print(f"\nWrote {count} file{'s' if count != 1 else ''} to {directory}/", file=out)
    if result.commands:
        print("\nNot run here; to finish, run:", file=out)
        _write(out, [f"  {c}" for c in result.commands])
    if result.output:
        print("\nOutput:", file=out)
        _write(out, [f"  {o}" for o in result.output])
    if problems:
        print(format_problems(problems), file=err)
    return EXIT_OK


def list_templates(catalog: Catalog) -> list[str]:
    """One line per template: ref, title, owner and how many entities were made from it."""
    made = created_from(catalog)
    lines = []
    for template in catalog.of_kind("template"):
        owner = template.spec.get("owner")
        lines.append(f"{template.ref}\t{template.title}\towner: {owner or '-'}\t"
                     f"{len(made.get(template.ref, []))} {path_noun(made.get(template.ref, []))}"
                     " on this path")
    return lines or ["the catalog has no templates"]
