"""A template's parameters: taken from ``--values``/``--set`` or asked, then validated.

``spec.parameters`` is one JSON Schema object or a list of them (the form's
pages). Values are filled with each schema's ``default`` (also inside
``dependencies``/``oneOf`` branches and ``if``/``then``), asked on a
terminal when missing, and validated with ``jsonschema`` (draft 7, as
Backstage's form) before anything runs; each error names its field.
``OwnerPicker``/``EntityPicker`` fields are checked against the catalog when
one is at hand. ``ui:*`` options are only hints.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import yaml

from generator.golden_paths import form_pages
from generator.refs import InvalidRef, parse_ref

__all__ = ["ParameterErrors", "Parameters", "ask", "coerce", "load_values", "pages",
           "schema_problems", "with_defaults"]

_PICKERS = {"OwnerPicker": ("group", "user"), "EntityPicker": (), "OwnedEntityPicker": (),
            "MultiEntityPicker": (), "MyGroupsPicker": ("group",)}


class ParameterErrors(Exception):
    """Values that do not fit the template's form; each message names its field."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def pages(spec: dict) -> list[dict]:
    """``spec.parameters`` as a list of schema objects."""
    return form_pages(spec.get("parameters"))


def schema_problems(spec: dict) -> list[tuple[int, str]]:
    """``(page index, message)`` for every form page that is not valid JSON Schema."""
    out = []
    params = spec.get("parameters")
    if params is not None and not isinstance(params, dict | list):
        return [(0, "spec.parameters must be an object or a list of objects")]
    for i, page in enumerate(params if isinstance(params, list) else [params] if params else []):
        if not isinstance(page, dict):
            out.append((i, f"spec.parameters[{i}] must be an object"))
            continue
        try:
            jsonschema.Draft7Validator.check_schema(_plain_schema(page))
        except jsonschema.SchemaError as exc:
            where = ".".join(str(p) for p in exc.absolute_path) or "(the page)"
            out.append((i, f"spec.parameters[{i}] is not valid JSON Schema at {where}: "
                           f"{exc.message}"))
    return out


def _plain_schema(schema: Any) -> Any:
    """The schema without ``ui:*`` keys (jsonschema ignores them, but keep it tidy)."""
    if isinstance(schema, dict):
        return {k: _plain_schema(v) for k, v in schema.items()
                if not (isinstance(k, str) and k.startswith("ui:"))}
    if isinstance(schema, list):
        return [_plain_schema(v) for v in schema]
    return schema


def _properties(schema: dict, values: dict) -> Iterable[tuple[str, dict, bool]]:
    """``(name, schema, required)`` of the page's fields, with the branches ``values`` select."""
    required = set(schema.get("required") or []) if isinstance(schema.get("required"), list) \
        else set()
    props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    for name, sub in props.items():
        yield str(name), sub if isinstance(sub, dict) else {}, str(name) in required
    for branch in _active_branches(schema, values):
        yield from _properties(branch, values)


def _active_branches(schema: dict, values: dict) -> list[dict]:
    out = []
    deps = schema.get("dependencies")
    if isinstance(deps, dict):
        for name, dep in deps.items():
            if name not in values or not isinstance(dep, dict):
                continue
            plain_dep = {k: v for k, v in dep.items() if k != "oneOf"}
            if plain_dep.get("properties") or plain_dep.get("required"):
                out.append(plain_dep)
            for option in dep.get("oneOf") or []:
                if isinstance(option, dict) and _selects(option, name, values):
                    out.append(option)
                    break
    for part in schema.get("allOf") or []:
        if not isinstance(part, dict):
            continue
        condition = part.get("if")
        if isinstance(condition, dict):
            branch = part.get("then") if _valid(values, condition) else part.get("else")
            if isinstance(branch, dict):
                out.append(branch)
        elif part.get("properties"):
            out.append(part)
    return out


def _selects(option: dict, name: str, values: dict) -> bool:
    props = option.get("properties")
    sub = props.get(name) if isinstance(props, dict) else None
    return isinstance(sub, dict) and _valid(values.get(name), sub)


def _valid(value: Any, schema: dict) -> bool:
    try:
        return jsonschema.Draft7Validator(_plain_schema(schema)).is_valid(value)
    except (jsonschema.SchemaError, TypeError):
        return False


def with_defaults(form: list[dict], values: dict) -> dict:
    """``values`` with every missing field that has a ``default`` filled in."""
    out = copy.deepcopy(values)
    for _ in range(3):  # defaults can select branches that have defaults of their own
        for schema in form:
            for name, sub, _required in _properties(schema, out):
                if name not in out and "default" in sub:
                    out[name] = copy.deepcopy(sub["default"])
    return out


def field_schema(form: list[dict], values: dict, name: str) -> dict:
    """The schema of one field (first page that has it), or ``{}``."""
    for schema in form:
        for prop, sub, _required in _properties(schema, values):
            if prop == name:
                return sub
    return {}


def coerce(text: str, schema: dict) -> Any:
    """A ``--set`` or typed-in text as the field's type; text that does not fit stays text.

    >>> coerce("true", {"type": "boolean"}), coerce("3", {"type": "integer"})
    (True, 3)
    >>> coerce("a, b", {"type": "array"})
    ['a', 'b']
    """
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "boolean" in kinds and text.lower() in ("true", "yes", "y", "false", "no", "n"):
        return text.lower() in ("true", "yes", "y")
    if "integer" in kinds:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in kinds:
        try:
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        except ValueError:
            pass
    if ("array" in kinds or "object" in kinds) and text.strip()[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except ValueError:
            pass
    if "array" in kinds:
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return [coerce(part.strip(), items) for part in text.split(",") if part.strip()]
    return text


def load_values(text: str, name: str) -> dict:
    """A ``--values`` file's mapping (YAML or JSON)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterErrors([f"{name} is not YAML or JSON: {exc}"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterErrors([f"{name} must hold a mapping of parameter names to values"])
    return json.loads(json.dumps(data, default=str))


@dataclass(slots=True)
class Parameters:
    """Checks values against a template's form."""

    form: list[dict]
    known: set[str] | None = None
    """Canonical refs of the catalog's entities, or ``None`` without a catalog."""
    notes: list[str] = field(default_factory=list)

    def validate(self, values: dict) -> None:
        """Raise :class:`ParameterErrors` naming every field that is wrong."""
        errors: list[str] = []
        for schema in self.form:
            validator = jsonschema.Draft7Validator(_plain_schema(schema))
            for error in sorted(validator.iter_errors(values), key=lambda e: list(
                    map(str, e.absolute_path))):
                errors += [_message(e) for e in _branch_errors(error)]
        errors += self._pickers(values)
        names = {n for schema in self.form for n, _s, _r in _properties(schema, values)}
        for name in sorted(set(values) - names):
            self.notes.append(f"parameter {name} is not in the template's form; "
                              "it is passed on as given")
        if errors:
            raise ParameterErrors(list(dict.fromkeys(errors)))

    def _pickers(self, values: dict) -> list[str]:
        errors: list[str] = []
        for schema in self.form:
            for name, sub, _required in _properties(schema, values):
                picker = sub.get("ui:field")
                if picker not in _PICKERS or name not in values:
                    continue
                given = values[name]
                for ref_text in given if isinstance(given, list) else [given]:
                    problem = self._check_ref(name, picker, sub, ref_text)
                    if problem:
                        errors.append(problem)
        return errors

    def _check_ref(self, name: str, picker: str, schema: dict, text: object) -> str | None:
        if not isinstance(text, str):
            return None
        kinds = _allowed_kinds(picker, schema)
        options = schema.get("ui:options") if isinstance(schema.get("ui:options"), dict) else {}
        default_kind = options.get("defaultKind") or (kinds[0] if kinds else None)
        namespace = options.get("defaultNamespace") or "default"
        try:
            ref = parse_ref(text, default_kind=str(default_kind).lower() if default_kind
                            else None, default_namespace=str(namespace))
        except InvalidRef as exc:
            return f"parameter {name}: {text!r} is not an entity reference ({exc})"
        if kinds and ref.kind not in kinds:
            return f"parameter {name}: {ref} is a {ref.kind}; {picker} allows {', '.join(kinds)}"
        if self.known is None:
            note = (f"parameter {name}: {ref} checked for form only (no catalog at hand; "
                    "pass --sources or --catalog to check it exists)")
            if note not in self.notes:
                self.notes.append(note)
            return None
        candidates = [str(ref)] if text.count(":") or not kinds or len(kinds) == 1 else [
            str(parse_ref(text, default_kind=k, default_namespace=str(namespace)))
            for k in kinds]
        if any(c in self.known for c in candidates):
            return None
        pool = sorted(r for r in self.known if not kinds or r.split(":", 1)[0] in kinds)
        names = [r.rsplit("/", 1)[-1] for r in pool]
        close = difflib.get_close_matches(ref.name, names, n=3, cutoff=0.75)
        near = [r for c in close for r in pool if r.rsplit("/", 1)[-1] == c]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return f"parameter {name}: {ref} is not in the catalog{hint}"


def _allowed_kinds(picker: str, schema: dict) -> tuple[str, ...]:
    options = schema.get("ui:options") if isinstance(schema.get("ui:options"), dict) else {}
    kinds = options.get("allowedKinds")
    if not kinds:
        filters = options.get("catalogFilter")
        for f in filters if isinstance(filters, list) else [filters]:
            if isinstance(f, dict) and f.get("kind"):
                kinds = f["kind"]
                break
    if isinstance(kinds, str):
        kinds = [kinds]
    if isinstance(kinds, list) and kinds:
        return tuple(str(k).lower() for k in kinds)
    return _PICKERS.get(picker, ())


def _branch_errors(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """For a failed ``oneOf``/``anyOf``: the errors of the branch the values chose.

    A branch is chosen by a field it fixes with ``enum``/``const`` (the
    ``dependencies``/``oneOf`` pattern of Backstage forms).
    """
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches: dict[int, list[jsonschema.ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    chosen = [errs for errs in branches.values()
              if not any(e.validator in ("enum", "const") for e in errs)]
    if len(chosen) == 1:
        return [e for sub in chosen[0] for e in _branch_errors(sub)]
    return [jsonschema.exceptions.best_match(error.context) or error]


def _message(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = next((r for r in error.validator_value if r not in error.instance), None)
        if missing is not None:
            where = f"{path}.{missing}" if path else str(missing)
            return f"parameter {where} is required"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "pattern":
        return f"parameter {path}: {error.instance!r} does not match {schema.get('pattern')}"
    if error.validator == "enum":
        choices = ", ".join(json.dumps(c) for c in error.validator_value)
        return f"parameter {path}: {json.dumps(error.instance)} is not one of {choices}"
    if error.validator == "type":
        return (f"parameter {path}: {json.dumps(error.instance)} is not of type "
                f"{error.validator_value}")
    return f"parameter {path or '(form)'}: {error.message}"


def ask(form: list[dict], values: dict, read: Callable[[str], str],
        write: Callable[[str], None]) -> dict:
    """Ask for each field that has no value yet, page by page, on a terminal.

    An empty answer keeps the default (or leaves an optional field out);
    an answer that does not fit the field is asked again.
    """
    given = dict(values)
    out = with_defaults(form, given)
    for schema in form:
        title = schema.get("title")
        if isinstance(title, str) and title:
            write(f"\n{title}\n")
        seen: set[str] = set()
        while True:
            pending = [(n, s, r) for n, s, r in _properties(schema, out)
                       if n not in seen and n not in values]
            if not pending:
                break
            name, sub, required = pending[0]
            seen.add(name)
            if sub.get("ui:widget") == "hidden" or sub.get("ui:field") == "Secret":
                continue
            answer = _ask_one(name, sub, required, out.get(name), read, write)
            if answer is not _SKIP:
                given[name] = answer
            out = with_defaults(form, given)
    return out


_SKIP = object()


def _ask_one(name: str, schema: dict, required: bool, current: Any,
             read: Callable[[str], str], write: Callable[[str], None]) -> Any:
    label = schema.get("title") if isinstance(schema.get("title"), str) else name
    if isinstance(schema.get("description"), str):
        write(f"  {schema['description']}\n")
    enum = schema.get("enum") if isinstance(schema.get("enum"), list) else None
    if enum:
        names = schema.get("enumNames") if isinstance(schema.get("enumNames"), list) else enum
        for i, value in enumerate(enum):
            shown = names[i] if i < len(names) else value
            write(f"    {i + 1}) {shown}\n")
    hint = f" [{json.dumps(current) if not isinstance(current, str) else current}]" \
        if current is not None else ""
    for _ in range(5):
        text = read(f"{label}{' *' if required else ''}{hint}: ").strip()
        if not text:
            if current is not None:
                return current
            if not required:
                return _SKIP
            write("  this field is required\n")
            continue
        if enum and text.isdigit() and 0 < int(text) <= len(enum):
            return enum[int(text) - 1]
        value = coerce(text, schema)
        if _valid(value, schema):
            return value
        write(f"  {text!r} does not fit this field "
              f"({schema.get('pattern') or schema.get('type') or 'see the description'})\n")
    raise ParameterErrors([f"parameter {name}: no valid answer"])
