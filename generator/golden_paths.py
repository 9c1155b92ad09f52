"""Golden paths: what a scaffolder Template asks, does and gives, and what it created.

Backstage's ``scaffolder.backstage.io/v1beta3`` Template describes a form
(``spec.parameters``: a list of pages, or one JSON-schema object), the steps
run when it is submitted (``spec.steps``) and what the user gets back
(``spec.output``). Entities made from a template say so with the annotation
``backstage.io/source-template: template:default/<name>``.

The functions here read those fields defensively (descriptors are untrusted
and often hand-written) into plain data; values are never evaluated, so
``${{ parameters.name }}`` stays text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.refs import EntityRef, InvalidRef, parse_ref

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = [
    "SOURCE_TEMPLATE",
    "Output",
    "Parameter",
    "Step",
    "created_from",
    "form_pages",
    "path_noun",
    "source_template",
    "template_outputs",
    "template_parameters",
    "template_steps",
]

SOURCE_TEMPLATE = "backstage.io/source-template"
"""Annotation naming the template an entity was created from."""

MAX_TEXT = 500
"""Longest value shown as is; longer ones are cut with an ellipsis."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One field of a template's form."""

    page: str
    """Title of the form page it is on (empty when the template has one untitled page)."""
    name: str
    """Property name, e.g. ``repoUrl``."""
    title: str
    type: str
    """JSON-schema type(s), e.g. ``string``."""
    required: bool
    default: str | None
    """The default as text (JSON for non-strings), or ``None``."""
    description: str
    choices: tuple[str, ...] = ()
    """Allowed values (``enum``), as text."""


@dataclass(frozen=True, slots=True)
class Step:
    """One action the template runs."""

    id: str
    name: str
    action: str


@dataclass(frozen=True, slots=True)
class Output:
    """Something the template gives back when it has run."""

    kind: str
    """``link`` (a URL), ``entity`` (an entity ref), ``text`` or ``value``."""
    title: str
    value: str
    """The URL, ref, text or value as written (expressions are not evaluated)."""


def _text(value: object) -> str:
    """A value as display text: strings as they are, anything else as JSON.

    >>> _text("x"), _text(True), _text(3), _text(["a", 1])
    ('x', 'true', '3', '["a", 1]')
    """
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except ValueError:  # circular structures
            text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _str(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def form_pages(parameters: object) -> list[dict]:
    """``spec.parameters`` as its list of form pages (one object is one page)."""
    if isinstance(parameters, dict):
        return [parameters]
    if isinstance(parameters, list):
        return [p for p in parameters if isinstance(p, dict)]
    return []


def template_parameters(entity: Entity) -> list[Parameter]:
    """Every field of every form page, in page and property order.

    ``spec.parameters`` may be a list of pages or a single object; each has
    ``properties`` and a ``required`` list. Fields whose schema is not a
    mapping are listed with their name only.
    """
    out: list[Parameter] = []
    for page in form_pages(entity.spec.get("parameters")):
        props = page.get("properties")
        if not isinstance(props, dict):
            continue
        required = page.get("required")
        required_names = {r for r in required if isinstance(r, str)} \
            if isinstance(required, list) else set()
        for name, schema in props.items():
            schema = schema if isinstance(schema, dict) else {}
            kind = schema.get("type")
            if isinstance(kind, list):
                kind = " or ".join(k for k in kind if isinstance(k, str))
            enum = schema.get("enum")
            out.append(Parameter(
                page=_str(page.get("title")),
                name=str(name),
                title=_str(schema.get("title")),
                type=kind if isinstance(kind, str) else "",
                required=str(name) in required_names,
                default=_text(schema["default"]) if "default" in schema else None,
                description=_str(schema.get("description")),
                choices=tuple(_text(v) for v in enum) if isinstance(enum, list) else (),
            ))
    return out


def template_steps(entity: Entity) -> list[Step]:
    """The steps, in order; steps that are not mappings are skipped."""
    steps = entity.spec.get("steps")
    return [Step(_str(s.get("id")), _str(s.get("name")), _str(s.get("action")))
            for s in (steps if isinstance(steps, list) else []) if isinstance(s, dict)]


def template_outputs(entity: Entity) -> list[Output]:
    """``spec.output``: its links, its text blocks and any other values."""
    output = entity.spec.get("output")
    if not isinstance(output, dict):
        return []
    out: list[Output] = []
    for key, value in output.items():
        if key == "links" and isinstance(value, list):
            for link in value:
                if not isinstance(link, dict):
                    continue
                if isinstance(link.get("url"), str):
                    out.append(Output("link", _str(link.get("title")), _text(link["url"])))
                elif isinstance(link.get("entityRef"), str):
                    out.append(Output("entity", _str(link.get("title")),
                                      _text(link["entityRef"])))
        elif key == "text" and isinstance(value, list):
            for block in value:
                if isinstance(block, dict) and "content" in block:
                    out.append(Output("text", _str(block.get("title")),
                                      _text(block["content"])))
        else:
            out.append(Output("value", str(key), _text(value)))
    return out


_NOUNS = {"component": ("service", "services"), "resource": ("resource", "resources"),
          "api": ("API", "APIs"), "system": ("system", "systems")}


def path_noun(refs: list[EntityRef]) -> str:
    """What to call the entities made from a template: ``service(s)`` for components …

    >>> path_noun([parse_ref("component:a")]), path_noun([parse_ref("resource:a")] * 2)
    ('service', 'resources')
    """
    kinds = {r.kind for r in refs}
    one, many = _NOUNS.get(next(iter(kinds)), ("entity", "entities")) if len(kinds) == 1 \
        else ("entity", "entities")
    return one if len(refs) == 1 else many


def source_template(entity: Entity) -> EntityRef | None:
    """The template ``entity`` was created from, from its annotation.

    The reference's kind defaults to ``template`` and its namespace to the
    entity's own; a malformed value counts as none.
    """
    value = entity.annotations.get(SOURCE_TEMPLATE, "").strip()
    if not value:
        return None
    try:
        return parse_ref(value, default_kind="template", default_namespace=entity.namespace)
    except InvalidRef:
        return None


def created_from(catalog: Catalog) -> dict[EntityRef, list[EntityRef]]:
    """Template ref → the entities created from it, in ref order."""
    made: dict[EntityRef, list[EntityRef]] = defaultdict(list)
    for ref, entity in catalog.entities.items():
        template = source_template(entity)
        if template is not None:
            made[template].append(ref)
    return dict(made)
