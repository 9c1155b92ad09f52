"""The ``sources.yaml`` settings of this package: ``formats:``, ``owners_from_codeowners:``
and ``kinds:``.

::

    formats: [backstage, opslevel, cortex, compass, datadog]   # default: all
    owners_from_codeowners: fill        # fill (default) | check | off
    kinds:
      AiResource:
        spec.model: dependsOn           # relation type …
        spec.dataset: {type: dependsOn, kind: resource}   # … and the kind a bare name has
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems import Problem, Severity
from generator.relations import INVERSE, RelationField
from generator.validation import is_valid_name

__all__ = ["CODEOWNERS_MODES", "FORMATS", "FormatOptions", "parse_options"]

FORMATS = ("backstage", "opslevel", "cortex", "compass", "datadog")
"""Every format read, in the order that breaks ties when two describe one service."""
CODEOWNERS_MODES = ("fill", "check", "off")

_DEFAULT_KIND = {"ownedBy": "group", "ownerOf": None, "partOf": "system", "hasPart": None,
                 "providesApi": "api", "consumesApi": "api", "apiProvidedBy": "component",
                 "apiConsumedBy": "component", "dependsOn": "component",
                 "dependencyOf": "component", "childOf": "group", "parentOf": "group",
                 "memberOf": "group", "hasMember": "user"}


@dataclass(frozen=True, slots=True)
class FormatOptions:
    """Which formats to read, how CODEOWNERS is used, and relation fields of custom kinds."""

    formats: tuple[str, ...] = FORMATS
    codeowners: str = "fill"
    """``fill``: owner from CODEOWNERS where a descriptor has none; ``check``: also report
    where they disagree; ``off``: CODEOWNERS is not read."""
    kinds: tuple[tuple[str, tuple[RelationField, ...]], ...] = ()
    """(lowercase kind, its declared relation fields)."""

    def relation_fields(self) -> dict[str, tuple[RelationField, ...]]:
        """Declared relation fields by lowercase kind."""
        return dict(self.kinds)


def parse_options(data: dict, lines: dict[str, int], shown: str | None
                  ) -> tuple[FormatOptions, list[Problem]]:
    """Read this package's settings from a loaded ``sources.yaml`` (``lines``: the line of
    each top-level key); mistakes are problems (the default is used) and cost nothing else."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(Severity.ERROR, "sources-shape", f"'{key}': {message}",
                                file=shown, line=lines.get(key)))

    formats = FORMATS
    value = data.get("formats")
    if value is not None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(
                isinstance(f, str) and f.lower() in FORMATS for f in items):
            bad("formats", f"must be a list of formats among {', '.join(FORMATS)}")
        else:
            wanted = {f.lower() for f in items}
            formats = tuple(f for f in FORMATS if f in wanted)
    mode = data.get("owners_from_codeowners", "fill")
    if mode is False:  # YAML 1.1 reads an unquoted off as false
        mode = "off"
    if mode not in CODEOWNERS_MODES:
        bad("owners_from_codeowners", f"must be one of {', '.join(CODEOWNERS_MODES)}, "
            f"not {mode!r}")
        mode = "fill"
    kinds = _kinds(data.get("kinds"), bad)
    return FormatOptions(formats, mode, kinds), problems


def _kinds(value: object, bad) -> tuple[tuple[str, tuple[RelationField, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        bad("kinds", "must map each kind to its relation fields, e.g. "
            "{AiResource: {spec.model: dependsOn}}")
        return ()
    out = []
    for kind, fields in value.items():
        if isinstance(fields, dict) and set(fields) == {"relations"}:
            fields = fields["relations"]
        if not isinstance(kind, str) or not kind.isalnum() or not isinstance(fields, dict):
            bad("kinds", f"{kind}: give a kind name and a mapping of spec.FIELD: relation")
            continue
        declared = []
        for key, spec in fields.items():
            relation, target = (spec, None) if isinstance(spec, str) else (
                (spec.get("type") or spec.get("relation"), spec.get("kind"))
                if isinstance(spec, dict) else (None, None))
            name = key.removeprefix("spec.") if isinstance(key, str) else ""
            if not is_valid_name(name) or "." in name:
                bad("kinds", f"{kind}.{key}: name a top-level field as spec.FIELD")
            elif not isinstance(relation, str) or relation not in INVERSE:
                bad("kinds", f"{kind}.{key}: relation {relation!r} is not one of "
                    f"{', '.join(sorted(INVERSE))}")
            elif target is not None and (not isinstance(target, str) or not target.isalnum()):
                bad("kinds", f"{kind}.{key}: kind {target!r} is not a kind name")
            else:
                declared.append(RelationField(name, relation,
                                              (target or _DEFAULT_KIND[relation] or "component")
                                              .lower(), True))
        out.append((kind.lower(), tuple(declared)))
    return tuple(out)
