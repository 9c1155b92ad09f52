"""Problems as SARIF 2.1.0, for GitHub code scanning and other tools.

One run of one tool (``Paved Road``); each problem code is a rule with its
help text (:mod:`generator.problem_help`), each problem a result at its file
and line. Severities map to SARIF levels: error → ``error``, warning →
``warning``, info → ``note``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import quote

from generator.problem_help import problem_help
from generator.problems import Problem, Severity, sort_problems

__all__ = ["SARIF_SCHEMA", "format_sarif", "sarif_log"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
"""The schema URI SARIF consumers expect in ``$schema``."""

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> tuple[str, bool]:
    """A file path as a URI reference, and whether it is relative to the source root.

    >>> _uri("repos/a b/catalog-info.yaml"), _uri("/srv/x.yaml")
    (('repos/a%20b/catalog-info.yaml', True), ('file:///srv/x.yaml', False))
    """
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(posix.as_posix()), False
    return quote(posix.as_posix().removeprefix("./")), True


def _location(file: str, line: int | None) -> dict:
    uri, relative = _uri(file)
    artifact: dict[str, object] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, object] = {"artifactLocation": artifact}
    if line and line > 0:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _rule(code: str, problems: list[Problem]) -> dict:
    text = problem_help(code) or problems[0].message
    worst = min(problems, key=lambda p: list(_LEVELS).index(p.severity)).severity
    return {
        "id": code,
        "name": "".join(part.title() for part in code.split("-")),
        "shortDescription": {"text": code.replace("-", " ").capitalize()},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": _LEVELS[worst]},
    }


def sarif_log(problems: Iterable[Problem], *, version: str,
              default_file: str | None = None) -> dict:
    """The SARIF log of ``problems`` as a JSON-ready dict.

    Args:
        problems: What ``pavedroad check`` found.
        version: The tool's version.
        default_file: Where problems without a file are placed (e.g. the
            sources file); code-scanning tools need a location for each result.

    >>> log = sarif_log([Problem(Severity.WARNING, "invalid-tag", "bad tag",
    ...                          file="catalog-info.yaml", line=4)], version="1.0")
    >>> result = log["runs"][0]["results"][0]
    >>> result["ruleId"], result["level"], result["locations"][0]["physicalLocation"]["region"]
    ('invalid-tag', 'warning', {'startLine': 4})
    """
    ordered = sort_problems(problems)
    by_code: dict[str, list[Problem]] = {}
    for p in ordered:
        by_code.setdefault(p.code, []).append(p)
    codes = sorted(by_code)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for p in ordered:
        result: dict[str, object] = {
            "ruleId": p.code,
            "ruleIndex": index[p.code],
            "level": _LEVELS[p.severity],
            "message": {"text": p.message + (f" [{p.entity}]" if p.entity else "")},
        }
        file = p.file or default_file
        if file:
            result["locations"] = [_location(file, p.line if p.file else None)]
        if p.entity:
            result["properties"] = {"entity": p.entity}
        results.append(result)
    driver = {"name": "Paved Road", "version": version, "semanticVersion": version,
              "rules": [_rule(code, by_code[code]) for code in codes]}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {
                "text": "The directory pavedroad check ran in."}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def format_sarif(problems: Iterable[Problem], *, version: str,
                 default_file: str | None = None) -> str:
    """:func:`sarif_log` as indented JSON text."""
    return json.dumps(sarif_log(problems, version=version, default_file=default_file),
                      indent=2, ensure_ascii=False)
