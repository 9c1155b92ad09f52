"""``--8<--`` snippets (pymdownx.snippets), expanded by the docs stage so every path is checked.

Snippets are read only from the folder of ``mkdocs.yml`` (or the project's
``base_path`` folders) inside the repository, never from a URL; the
project's ``auto_append`` snippets end every page, as pymdownx appends them.
Each line of the result remembers the file and line it came from, so later
problems point at the snippet's own source.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.docs.extensions import SnippetOptions
from generator.docs.paths import inside, posix_rel
from generator.problems import Severity
from generator.repofiles import read_repo_file

if TYPE_CHECKING:
    from generator.docs.model import DocSite, Report

__all__ = ["MAX_INCLUSIONS", "MAX_SNIPPET_DEPTH", "Origin", "Snippets"]

MAX_SNIPPET_DEPTH = 8
MAX_INCLUSIONS = 1_000
"""Most snippets one page may include or try to, counting nested ones (small files that include each
other many times would otherwise fan out to millions)."""

Origin = tuple[str, int]
"""``(file relative to the repository, line)`` a Markdown line came from."""

_SNIPPET = re.compile(r"^(?P<space>[ \t]*)(?P<escape>;*)(?P<marker>-+8<-+)"
                      r"(?:[ \t]+(?P<path>\"[^\"\n]+\"|'[^'\n]+'))?[ \t]*$")
_SECTION_MARK = re.compile(r"-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:[ \t]*"
                           r"[A-Za-z][-_0-9A-Za-z]*[ \t]*\]")
_SNIPPET_SPEC = re.compile(r"^(?P<path>.+?)(?::(?P<start>-?\d*)(?::(?P<end>-?\d*))?|"
                           r":(?P<section>[A-Za-z][-_0-9A-Za-z]*))?$")


class Snippets:
    """Expands the snippets of one docs section's pages."""

    def __init__(self, site: DocSite, report: Report, max_size: int) -> None:
        self.site = site
        self.report = report
        self.max_size = max_size
        self._included = 0
        """Inclusions and characters so far on the page being expanded."""
        self._size = 0
        self._capped = False
        options = site.snippets or SnippetOptions()
        self.bases: list[Path] = []
        """Where snippets are looked up (pymdownx's ``base_path``), each inside the repository."""
        for base in options.base_path:
            path = site.repo.root / site.root / base
            if Path(base).is_absolute() or PurePosixPath(base).is_absolute() or \
                    inside(site.repo.root, path) is None:
                report(Severity.ERROR, "docs-outside-repository",
                       f"mkdocs.yml: snippets base_path '{base}' points outside the repository; "
                       "snippets are not looked up there", site.config_file, options.line)
            else:
                self.bases.append(Path(os.path.normpath(path)))
        block = "\n\n".join(options.auto_append)
        self.appended = ["", *f"\n\n-8<-\n{block}\n-8<-\n".split("\n")] \
            if options.auto_append else []
        """pymdownx's ``auto_append`` block, added to the end of every page."""
        self.appended_origin: Origin = (site.config_file or "mkdocs.yml", options.line or 1)

    def expand(self, lines: list[str], origins: list[Origin], stack: list[str]
               ) -> tuple[list[str], list[Origin]]:
        """``lines`` with every snippet included; ``stack``: the files being included.

        A page (``stack`` of one) may include at most :data:`MAX_INCLUSIONS`
        snippets and ``max_size`` characters in all; the rest are left out
        with one problem.
        """
        if len(stack) == 1:
            self._included = self._size = 0
            self._capped = False
            if self.appended:
                lines = lines + self.appended
                origins = origins + [self.appended_origin] * len(self.appended)
        if not any("8<" in line for line in lines):
            return lines, origins
        out: list[str] = []
        where: list[Origin] = []
        block: tuple[str, Origin] | None = None
        for line, origin in zip(lines, origins, strict=True):
            match = _SNIPPET.match(line)
            if block is not None:
                if match and not match.group("path") and not match.group("escape"):
                    block = None
                elif line.strip() and not line.strip().startswith(";"):
                    self._include(line.strip(), block[0], origin, stack, out, where)
                continue
            if not match:
                out.append(line)
                where.append(origin)
                continue
            if match.group("escape"):
                out.append(line.replace(";", "", 1))
                where.append(origin)
            elif match.group("path"):
                self._include(match.group("path")[1:-1], match.group("space"), origin,
                              stack, out, where)
            else:
                block = (match.group("space"), origin)
        return out, where

    def _include(self, spec: str, indent: str, origin: Origin, stack: list[str],
                 out: list[str], where: list[Origin]) -> None:
        site = self.site
        file, line = origin

        def warn(severity: Severity, code: str, message: str) -> None:
            self.report(severity, code, message, file, line)

        if self._included >= MAX_INCLUSIONS or self._size > self.max_size:
            if not self._capped:
                self._capped = True
                warn(Severity.WARNING, "docs-snippet-too-large",
                     f"snippet '{spec}' and the rest of this page's snippets are left out: "
                     f"the page already includes {self._included:,} snippets "
                     f"({self._size:,} characters; at most {MAX_INCLUSIONS:,} snippets and "
                     f"{self.max_size:,} characters)")
            return
        self._included += 1  # every attempt counts: failed ones cost too
        if "://" in spec:
            warn(Severity.INFO, "docs-snippet-remote", f"snippet {spec} is a URL; Paved Road "
                 "does not download snippets, so it was left out")
            return
        match = _SNIPPET_SPEC.match(spec)
        name = match.group("path") if match else spec
        target = None if Path(name).is_absolute() or PurePosixPath(name).is_absolute() \
            else self._locate(name)
        if target is None:
            warn(Severity.ERROR, "docs-outside-repository",
                 f"snippet '{name}' points outside '{site.root}'; snippets are read only from "
                 "the folder of mkdocs.yml (or its base_path), inside the repository")
            return
        path = posix_rel(site.repo.root, Path(os.path.normpath(target)))
        if path in stack or len(stack) > MAX_SNIPPET_DEPTH:
            warn(Severity.WARNING, "docs-snippet-loop",
                 f"snippet '{name}' includes itself (through {' → '.join(stack)})")
            return
        text, error = read_repo_file(target, self.max_size, root=site.repo.root)
        if error:
            code = "docs-snippet-missing" if error[0] == "missing-file" else error[0]
            warn(Severity.WARNING, code, f"snippet '{name}' {error[1]}")
            return
        body = (text or "").replace("\r\n", "\n").replace("\r", "\n")
        self._size += len(body)
        lines = body.split("\n")
        if body.endswith("\n"):
            lines.pop()
        numbers = list(range(1, len(lines) + 1))
        if match and match.group("section"):
            lines, numbers = _section(lines, match.group("section"))
            if not lines:
                warn(Severity.WARNING, "docs-snippet-missing",
                     f"snippet '{name}' has no section '{match.group('section')}'")
                return
        elif match and (match.group("start") or match.group("end")):
            start = int(match.group("start") or 1)
            end = int(match.group("end") or len(lines))
            lines, numbers = lines[max(0, start - 1):end], numbers[max(0, start - 1):end]
        keep = [(t, n) for t, n in zip(lines, numbers, strict=True)
                if not _SECTION_MARK.search(t)]
        inner, inner_where = self.expand([t for t, _ in keep], [(path, n) for _, n in keep],
                                         [*stack, path])
        out.extend(indent + t if t else t for t in inner)
        where.extend(inner_where)


    def _locate(self, name: str) -> Path | None:
        """The file ``name`` is in the first base it exists in (else the first base it would
        be in); ``None`` if it would be outside every base (pymdownx's ``get_snippet_path``)."""
        candidates = []
        for base in self.bases:
            if os.path.isdir(base):
                if inside(base, base / name) is not None:
                    candidates.append(base / name)
            elif base.name == name and os.path.isfile(base):
                candidates.append(base)
        for candidate in candidates:
            if os.path.lexists(candidate):
                return candidate
        return candidates[0] if candidates else None


def _section(lines: list[str], name: str) -> tuple[list[str], list[int]]:
    """The lines between ``--8<-- [start:name]`` and ``--8<-- [end:name]``, with their numbers."""
    start = re.compile(rf"-+8<-+[ \t]+\[[ \t]*start[ \t]*:[ \t]*{re.escape(name)}[ \t]*\]")
    end = re.compile(rf"-+8<-+[ \t]+\[[ \t]*end[ \t]*:[ \t]*{re.escape(name)}[ \t]*\]")
    out: list[str] = []
    numbers: list[int] = []
    inside_section = False
    for number, line in enumerate(lines, 1):
        if start.search(line):
            inside_section = True
        elif end.search(line):
            break
        elif inside_section:
            out.append(line)
            numbers.append(number)
    return out, numbers
