"""``pavedroad init``: a new portal repository in one command.

Writes the MkDocs configuration, ``catalog-sources/sources.yaml`` (commented
examples, no sources yet), ``scorecards.yaml`` with the default rules written
out, the home and golden-paths pages, a GitHub workflow that builds and
publishes the portal, ``.gitignore`` and the JSON Schemas that the files'
``# yaml-language-server: $schema=…`` lines point at. ``pavedroad build``
succeeds in the result at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from generator.schemas import SCHEMA_NAMES, schema_file, schema_text
from generator.scorecards import DEFAULT_RULES

__all__ = ["ACTION_REF", "InitError", "init_portal", "portal_files"]

ACTION_REF = "your-org/paved-road@v1"
"""The Action the generated workflow uses; replace ``your-org`` with your fork's owner."""
SCHEMAS_DIR = ".pavedroad/schemas"
"""Where ``init`` puts the schemas, for editors that read ``$schema`` lines."""

_TEMPLATES = {
    "mkdocs.yml": "mkdocs.yml",
    "catalog-sources/sources.yaml": "sources.yaml",
    "docs/index.md": "index.md",
    "docs/golden-paths/index.md": "golden-paths.md",
    ".github/workflows/portal.yml": "portal.yml",
    ".gitignore": "gitignore",
}
"""Path in the new repository → template in ``generator/init_files``."""


class InitError(Exception):
    """The directory cannot be initialised; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Written:
    """One file ``init`` wrote."""

    path: str
    """Relative to the new repository, POSIX."""
    replaced: bool
    """Whether a file was there before (only with ``force``)."""


def _scorecards() -> str:
    return ("# yaml-language-server: $schema=../.pavedroad/schemas/scorecards.schema.json\n"
            "#\n# Scorecard rules: Paved Road's defaults, written out to adapt. An entity "
            "reaches a\n# level by passing every rule of it and of the levels below; "
            "`pavedroad schema scorecards`\n# lists every check and field.\n" + DEFAULT_RULES)


def portal_files(site_name: str) -> dict[str, str]:
    """Every file of a new portal repository: relative path → text."""
    templates = resources.files("generator") / "init_files"
    files = {}
    for path, template in _TEMPLATES.items():
        text = templates.joinpath(template).read_text(encoding="utf-8")
        files[path] = text.replace("@@SITE_NAME@@", site_name).replace("@@ACTION@@",
                                                                       ACTION_REF)
    files["catalog-sources/scorecards.yaml"] = _scorecards()
    for name in SCHEMA_NAMES:
        files[f"{SCHEMAS_DIR}/{schema_file(name)}"] = schema_text(name)
    return dict(sorted(files.items()))


def _site_name(directory: Path) -> str:
    name = directory.resolve().name.replace("-", " ").replace("_", " ").strip()
    return f"{name[:1].upper()}{name[1:]}" if name else "Developer portal"


def init_portal(directory: Path, *, force: bool = False) -> list[Written]:
    """Write a new portal into ``directory`` (created if missing).

    Raises:
        InitError: ``directory`` is a file, cannot be written, or is not empty and
            ``force`` is not set.
    """
    shown = str(directory)
    if directory.exists() and not directory.is_dir():
        raise InitError(f"{shown} is a file, not a directory; name a new or empty directory")
    if directory.is_dir() and not force:
        try:
            entries = sorted(p.name for p in directory.iterdir())
        except OSError as exc:
            raise InitError(f"cannot read {shown}: {exc.strerror or exc}") from None
        if entries:
            listed = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
            raise InitError(f"{shown} is not empty ({listed}); use --force to add the portal's "
                            "files anyway (existing ones are replaced and listed)")
    files = portal_files(_site_name(directory))
    written = []
    try:
        for rel, text in files.items():
            path = directory / rel
            if path.is_dir():
                raise InitError(f"{path} is a directory; move it away or init elsewhere")
            replaced = path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.pavedroad-init")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            written.append(Written(rel, replaced))
    except OSError as exc:
        where = exc.filename or shown
        raise InitError(f"cannot write {where}: {exc.strerror or exc}") from None
    return written
