"""Example parameters for a template, and the ``pavedroad new`` command that uses them.

Each golden-path page shows how to run its template on one's own machine.
The example fills every required field without a default: an entity of
the right kind from the catalog for pickers, ``github.com?owner=…&repo=…``
for repository pickers, the first choice of an ``enum``, and for text a
value that matches the field's ``pattern``. Nothing here needs jsonschema,
so the portal's build does not load it.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Any

from generator.golden_paths import form_pages
from generator.refs import InvalidRef, parse_ref

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity

__all__ = ["example_command", "example_values", "pattern_example"]


def pattern_example(pattern: str, preferred: list[str]) -> str | None:
    """A short string matching ``pattern``: the first of ``preferred`` that does, else built.

    >>> pattern_example("^[a-z][a-z0-9-]{2,40}-db$", ["my-service"])
    'my-service-db'
    """
    try:
        regex = re.compile(pattern)
    except re.error:
        return None
    for word in [*preferred, *(f"{w}-db" for w in preferred), "example", "1"]:
        if regex.search(word):
            return word
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        built = _build(sre_parse.parse(pattern))
    except Exception:
        return None
    return built if built is not None and regex.search(built) else None


def _build(parsed: Any) -> str | None:
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "IN":
            chars = [chr(a) for o, a in arg if str(o) == "LITERAL"]
            ranges = [chr(a[0]) for o, a in arg if str(o) == "RANGE"]
            out.append((ranges or chars or ["a"])[0])
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, _high, sub = arg
            piece = _build(sub)
            if piece is None:
                return None
            out.append(piece * low)
        elif name == "SUBPATTERN":
            piece = _build(arg[-1])
            if piece is None:
                return None
            out.append(piece)
        elif name == "BRANCH":
            piece = _build(arg[1][0])
            if piece is None:
                return None
            out.append(piece)
        elif name == "ANY":
            out.append("a")
        elif name == "AT":
            continue
        else:
            return None
    return "".join(out)


def _picker_example(schema: dict, catalog: Catalog | None) -> str | None:
    field = schema.get("ui:field")
    if field not in ("OwnerPicker", "EntityPicker", "OwnedEntityPicker", "MyGroupsPicker"):
        return None
    options = schema.get("ui:options") if isinstance(schema.get("ui:options"), dict) else {}
    kinds = options.get("allowedKinds")
    filters = options.get("catalogFilter")
    for f in filters if isinstance(filters, list) else [filters]:
        if not kinds and isinstance(f, dict) and f.get("kind"):
            kinds = f["kind"]
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else (
        ["group"] if field in ("OwnerPicker", "MyGroupsPicker") else [])
    wanted = [str(k).lower() for k in kinds]
    if catalog is not None:
        for ref in sorted(catalog.entities, key=str):
            if not wanted or ref.kind in wanted:
                return ref.name if ref.namespace == "default" and len(wanted) == 1 \
                    else str(ref)
    return f"{wanted[0]}:default/example" if wanted else "component:default/example"


def _repo_example(schema: dict, name: str) -> str | None:
    if schema.get("ui:field") != "RepoUrlPicker":
        return None
    options = schema.get("ui:options") if isinstance(schema.get("ui:options"), dict) else {}
    hosts = options.get("allowedHosts") if isinstance(options.get("allowedHosts"), list) else []
    owners = options.get("allowedOwners") if isinstance(options.get("allowedOwners"),
                                                         list) else []
    host = str(hosts[0]) if hosts else "github.com"
    owner = str(owners[0]) if owners else "my-org"
    return f"{host}?owner={owner}&repo={name}"


def _value(name: str, schema: dict, catalog: Catalog | None, base: str) -> Any:
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for special in (_picker_example(schema, catalog), _repo_example(schema, base)):
        if special is not None:
            return special
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        low = schema.get("minimum")
        return low if isinstance(low, int | float) else 1
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return [_value(name, items, catalog, base)] if items.get("type") != "object" else []
    if kind == "object":
        return {}
    pattern = schema.get("pattern")
    words = [base] if "name" in name.lower() or name in ("component_id", "id") else [
        f"Example {name}", base]
    if isinstance(pattern, str):
        return pattern_example(pattern, words) or base
    return words[0]


def example_values(entity: Entity, catalog: Catalog | None = None) -> dict[str, Any]:
    """Values for the fields a run must be given: required, without a default."""
    kind = entity.spec.get("type")
    word = kind if isinstance(kind, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,20}", kind) \
        else entity.name if len(entity.name) < 30 else "project"
    base = f"my-{word}"
    out: dict[str, Any] = {}
    for page in form_pages(entity.spec.get("parameters")):
        props = page.get("properties") if isinstance(page.get("properties"), dict) else {}
        required = page.get("required") if isinstance(page.get("required"), list) else []
        for name in required:
            schema = props.get(name)
            if not isinstance(name, str) or not isinstance(schema, dict) or "default" in schema:
                continue
            out[name] = _value(name, schema, catalog, base)
    return out


def _set(name: str, value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ",".join(str(v) for v in value)
    else:
        text = str(value)
    return f"--set {shlex.quote(f'{name}={text}')}"


def example_command(entity: Entity, catalog: Catalog | None = None) -> str:
    """``pavedroad new REF --set …`` with example values, one option per line."""
    try:
        ref = parse_ref(str(entity.ref), default_kind="template")
        name = ref.name if ref.namespace == "default" else str(ref)
    except InvalidRef:
        name = str(entity.ref)
    parts = [f"pavedroad new {shlex.quote(name)}"]
    parts += [_set(k, v) for k, v in example_values(entity, catalog).items()]
    return " \\\n    ".join(parts)
