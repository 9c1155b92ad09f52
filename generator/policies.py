"""Catalog policies: what the organisation asks of its catalog beyond valid descriptors.

Each policy is a plain function of the built catalog (and, for cycles, of the
graph's findings) that returns problems; :func:`catalog_problems` runs them all
in report order, and is the one list both ``pavedroad build`` and
``pavedroad check`` report. Nothing here renders or imports a later stage.

* lookups: PagerDuty service IDs and previous names that cannot redirect;
* lifecycles: production entities needing experimental or deprecated ones;
* cycles: every member of every dependency cycle;
* templates: steps, skeletons and forms that cannot run (:mod:`generator.scaffold.checks`);
* adoption: unknown golden paths, off-road exceptions owing a reason, an approver that
  exists or a valid, unexpired end date (:func:`generator.adoption.adoption_problems`).

:func:`renames` (old ref → current ref) is the rename rule the lookup and
history pages share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from generator.adoption import adoption_problems, build_date
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.relations import fields_for_kind
from generator.urls import cycle_anchor
from generator.validation import is_valid_name, is_valid_namespace

if TYPE_CHECKING:
    import datetime

    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["PAGERDUTY_ANNOTATION", "PREVIOUS_NAMES", "UNSTABLE_LIFECYCLES", "catalog_problems",
           "cycle_problems", "is_service_id", "lifecycle_problems", "lookup_problems",
           "previous_refs", "renames"]

PAGERDUTY_ANNOTATION = "pagerduty.com/service-id"
PREVIOUS_NAMES = "pavedroad.dev/previous-names"
UNSTABLE_LIFECYCLES = frozenset({"experimental", "deprecated"})
"""Lifecycles a production entity should not depend on."""
_SERVICE_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")


def catalog_problems(catalog: Catalog, cycles: Sequence[Sequence[EntityRef]], *,
                     loops: Mapping[EntityRef, str] | None = None,
                     history: Iterable[Problem] = (),
                     repositories: Sequence[Repository] = (),
                     today: datetime.date | None = None,
                     known: frozenset[EntityRef] = frozenset()) -> list[Problem]:
    """Every policy's problems, in report order.

    Args:
        catalog: The built catalog.
        cycles: Its dependency cycles (:func:`generator.graph.dependency_cycles`).
        history: Problems reading the previous build's history file, reported
            after the lookups (:func:`generator.history.load_history`).
        repositories: Where the entities came from; templates' skeletons are
            looked for in them (:func:`generator.scaffold.checks.template_problems`).
        today: The build date off-road exceptions expire against
            (:func:`generator.adoption.build_date` when not given).
        known: Refs that exist elsewhere (``check --catalog``): golden paths and
            approvers may be among them.
    """
    templates: list[Problem] = []
    if any(ref.kind == "template" for ref in catalog.entities):
        from generator.scaffold.checks import template_problems  # jsonschema, Jinja: only then

        templates = template_problems(catalog, repositories)
    return [*lookup_problems(catalog), *history, *lifecycle_problems(catalog),
            *cycle_problems(catalog, cycles, loops), *templates,
            *adoption_problems(catalog, today or build_date(), known)]


# --------------------------------------------------------------------------- lookups


def is_service_id(text: str) -> bool:
    """Whether ``text`` is a PagerDuty service ID: 1–32 letters and digits.

    >>> is_service_id("P1A2B3C"), is_service_id("../x")
    (True, False)
    """
    return bool(_SERVICE_ID.match(text))


def previous_refs(entity: Entity) -> list[tuple[str, EntityRef | None]]:
    """The entity's previous names as written, each with its ref (``None`` when malformed)."""
    raw = entity.annotations.get(PREVIOUS_NAMES, "")
    out = []
    for text in re.split(r"[\s,]+", raw.strip()):
        if not text:
            continue
        try:
            ref = parse_ref(text, default_kind=entity.ref.kind,
                            default_namespace=entity.ref.namespace)
        except InvalidRef:
            ref = None
        # A ref becomes a path (catalog/<namespace>/<kind>/<name>/): only entity names,
        # never '.', '..' or anything else a file system reads specially.
        valid = ref is not None and is_valid_name(ref.name) and \
            is_valid_namespace(ref.namespace) and is_valid_name(ref.kind)
        out.append((text, ref if valid else None))
    return out


def renames(catalog: Catalog) -> dict[EntityRef, EntityRef]:
    """Old ref → current ref, for every previous name no current entity holds.

    When two entities claim the same old name, the first in ref order keeps it.
    """
    renamed: dict[EntityRef, EntityRef] = {}
    for ref, entity in catalog.entities.items():
        for _text, old in previous_refs(entity):
            if old is not None and old not in catalog.entities:
                renamed.setdefault(old, ref)
    return renamed


def lookup_problems(catalog: Catalog) -> list[Problem]:
    """Malformed PagerDuty IDs and previous names that cannot redirect."""
    problems = []
    for ref, entity in catalog.entities.items():
        prov = entity.provenance
        service = entity.annotations.get(PAGERDUTY_ANNOTATION)
        if service is not None and not is_service_id(service.strip()):
            problems.append(Problem(
                Severity.WARNING, "invalid-pagerduty-id",
                f"annotation {PAGERDUTY_ANNOTATION} '{service[:40]}' is not a PagerDuty service "
                "ID (letters and digits, e.g. P1A2B3C)", file=prov.file, line=prov.line,
                entity=str(ref), repo=prov.repo))
        for text, old in previous_refs(entity):
            why = None
            if old is None:
                why = "is not an entity name or ref"
            elif old in catalog.entities:
                why = f"is still a current entity ({old}), so its page cannot redirect"
            if why:
                problems.append(Problem(
                    Severity.WARNING, "invalid-previous-name",
                    f"annotation {PREVIOUS_NAMES}: '{text}' {why}", file=prov.file,
                    line=prov.line, entity=str(ref), repo=prov.repo))
    return problems


# --------------------------------------------------------------------------- lifecycles


def lifecycle_problems(catalog: Catalog) -> list[Problem]:
    """Production entities that depend on or consume experimental or deprecated ones.

    One ``production-depends-on-unstable`` warning per such relation, located
    at the list item that declares it (or at the entity, when the other side
    declared it with ``dependencyOf``). Dangling refs are left to the catalog's
    ``missing-ref``.
    """
    problems: list[Problem] = []
    for ref, entity in catalog.entities.items():
        if (entity.lifecycle or "").lower() != "production":
            continue
        declared = _declared(entity)
        for rel in catalog.relations.get(ref, ()):
            if rel.type not in ("dependsOn", "consumesApi"):
                continue
            target = catalog.entities.get(rel.target)
            stage = (target.lifecycle or "").lower() if target else ""
            if stage not in UNSTABLE_LIFECYCLES:
                continue
            where, line = declared.get((rel.type, rel.target),
                                       (None, entity.provenance.line))
            verb = "depends on" if rel.type == "dependsOn" else "consumes"
            prefix = f"{where}: " if where else ""
            problems.append(Problem(
                Severity.WARNING, "production-depends-on-unstable",
                f"{prefix}this production {ref.kind} {verb} {rel.target.short(ref.namespace)}, "
                f"whose lifecycle is {stage}; move to a production alternative, or "
                "mark this entity experimental too",
                file=entity.provenance.file, line=line, entity=str(ref),
                repo=entity.provenance.repo))
    return problems


def _declared(entity: Entity) -> dict[tuple[str, EntityRef], tuple[str, int]]:
    """Where ``entity`` declares each dependsOn/consumesApi target: field path and line."""
    found: dict[tuple[str, EntityRef], tuple[str, int]] = {}
    for spec_field in fields_for_kind(entity.ref.kind):
        values = entity.spec.get(spec_field.field)
        if spec_field.relation not in ("dependsOn", "consumesApi") or not isinstance(values, list):
            continue
        for index, value in enumerate(values):
            try:
                target = parse_ref(value, default_kind=spec_field.default_kind,
                                   default_namespace=entity.ref.namespace)
            except InvalidRef:
                continue
            path = ("spec", spec_field.field, index)
            found.setdefault((spec_field.relation, target),
                             (".".join(map(str, path)), entity.line_of(path)))
    return found


# --------------------------------------------------------------------------- cycles


def cycle_problems(catalog: Catalog, cycles: Iterable[Sequence[EntityRef]],
                   loops: Mapping[EntityRef, str] | None = None) -> list[Problem]:
    """One ``dependency-cycle`` warning for every catalog entity in a cycle.

    Each names the cycle's size, one loop through the entity (``loops``, from
    :func:`generator.graph.cycle_loops`) and the cycle's entry on the graph
    page: never the other members, which would be quadratic in a large cycle.
    """
    problems = []
    loops = loops or {}
    for number, cycle in enumerate(cycles, 1):
        for ref in cycle:
            entity = catalog.get(ref)
            if entity is None:
                continue
            loop = loops.get(ref)
            through = f" ({loop})" if loop else ""
            prov = entity.provenance
            problems.append(Problem(
                Severity.WARNING, "dependency-cycle",
                f"{ref} is in a dependency cycle of {len(cycle):,} entities{through}; break "
                "the cycle so each can be deployed and fail on its own (cycle "
                f"{number} on the graph page, {cycle_anchor(number)})", file=prov.file,
                line=prov.line, entity=str(ref), repo=prov.repo))
    return problems
