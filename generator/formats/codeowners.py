"""CODEOWNERS: who owns a path, by GitHub's rules.

GitHub reads the first of ``.github/CODEOWNERS``, ``CODEOWNERS`` and
``docs/CODEOWNERS``. Each line is a gitignore-style pattern followed by owners
(``@org/team``, ``@user`` or an e-mail); the *last* matching line wins, and a
pattern with no owners makes a path unowned. Patterns are matched with
:mod:`pathspec` (gitignore semantics, as GitHub documents for CODEOWNERS).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pathspec

__all__ = ["CODEOWNERS_PATHS", "CodeOwners", "Rule", "parse_codeowners"]

CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks, in order; the first that exists is used."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of a CODEOWNERS file."""

    pattern: str
    owners: tuple[str, ...]
    line: int
    spec: pathspec.PathSpec = field(compare=False, repr=False)


@dataclass(slots=True)
class CodeOwners:
    """The rules of one CODEOWNERS file."""

    path: str
    """Path of the file inside the repository."""
    file: str = ""
    """Display path of the file, as problems show it."""
    rules: list[Rule] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)
    """Lines that are not a pattern GitHub accepts, with why."""

    def owners_of(self, path: str) -> Rule | None:
        """The rule that decides ``path`` (relative, POSIX): the last one that matches.

        >>> co = parse_codeowners("* @acme/platform\\n/services/ @acme/payments\\n", "CODEOWNERS")
        >>> co.owners_of("services/pay/catalog-info.yaml").owners, co.owners_of("README.md").line
        (('@acme/payments',), 1)
        """
        for rule in reversed(self.rules):
            if rule.spec.match_file(path):
                return rule
        return None


def parse_codeowners(text: str, path: str, file: str = "") -> CodeOwners:
    """Read a CODEOWNERS file; lines GitHub would reject are kept in ``invalid``."""
    out = CodeOwners(path, file or path)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        pattern, *owners = line.split()
        if pattern.startswith("!") or "[" in pattern or pattern.startswith("\\#"):
            out.invalid.append((number, f"pattern '{pattern}' uses syntax CODEOWNERS does not "
                                "support (!, [ ] or \\#)"))
            continue
        try:
            spec = pathspec.PathSpec.from_lines("gitignore", [pattern])
        except ValueError as exc:
            out.invalid.append((number, f"pattern '{pattern}' is not valid: {exc}"))
            continue
        out.rules.append(Rule(pattern, tuple(owners), number, spec))
    return out
