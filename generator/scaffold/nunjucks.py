"""Backstage's nunjucks dialect, rendered by Jinja2 in a sandbox.

Backstage renders ``${{ parameters.name }}`` in a template and
``${{ values.name }}`` in skeleton files with nunjucks, ``{{ }}`` when
``cookiecutterCompat`` is set. Jinja2 parses the same language; this module
closes the gaps (nunjucks' filters, JavaScript string methods and
``.length``, ``===``, ``r/regex/`` literals, ``for k, v in object``, how
values print) and fences the sandbox in:

* only the values are reachable: attribute access on anything but JSON data
  (and loop helpers) is undefined, so ``__class__`` and friends never resolve;
* every render has a time budget (loops are stopped) and an output budget
  (huge strings and files are stopped), so a template cannot hang or fill
  the disk.

:class:`RenderError` carries a message fit for a problem; nothing from the
build machine's Python leaks into it.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError, Undefined, nodes
from jinja2.ext import Extension
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner

from generator.scaffold.filters import FilterError, JsRegex, backstage_filters, nunjucks_filters
from generator.scaffold.values import Unavailable, js_string, plain

__all__ = ["Budget", "RenderError", "Renderer"]

MAX_OUTPUT = 10 * 1024 * 1024
"""Characters one render may produce, and the longest string or list a template may build."""
MAX_SECONDS = 10.0
"""Seconds all renders of one run may take together."""


class RenderError(Exception):
    """A template could not be rendered; the message says why and where."""


class Budget:
    """Time and size limits shared by every render of one run."""

    def __init__(self, seconds: float = MAX_SECONDS, output: int = MAX_OUTPUT) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.output = output

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderError(f"stopped: rendering took longer than {self.seconds:g} s "
                              "(a loop that does not end, or one far too large?)")

    def check_size(self, value: object) -> object:
        if isinstance(value, str | list | tuple | dict) and len(value) > self.output:
            raise RenderError(f"stopped: a value grew beyond {self.output:,} characters")
        return value


# ----------------------------------------------------------------- nunjucks syntax

_TAG = re.compile(r"(\$\{\{|\{\{|\{%)(.*?)(\}\}|%\})", re.DOTALL)
_STRING = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')""", re.DOTALL)
_REGEX_LITERAL = re.compile(r"(?<![\w.)\]])r/((?:\\.|[^/\\\n])+)/([gimsuy]*)")
_FOR_PAIR = re.compile(r"^(\s*-?\s*for\s+\w+\s*,\s*\w+\s+in\s+)(.+?)(\s*-?\s*)$", re.DOTALL)


def _js_code(code: str) -> str:
    """nunjucks-only expression syntax in one tag, outside string literals, as Jinja2."""
    parts = _STRING.split(code)
    for i in range(0, len(parts), 2):  # even parts are outside strings
        part = parts[i].replace("===", "==").replace("!==", "!=").replace("&&", " and ")
        part = re.sub(r"!(?!=)", " not ", part.replace("||", " or "))
        part = _REGEX_LITERAL.sub(lambda m: f"__regex({m.group(1)!r}, {m.group(2)!r})", part)
        parts[i] = part
    return "".join(parts)


class NunjucksSyntax(Extension):
    """Rewrites the few nunjucks constructs Jinja2 does not parse the same way."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        start = self.environment.variable_start_string

        def tag(match: re.Match) -> str:
            opener, code, closer = match.groups()
            if opener not in (start, "{%") or (opener == "{%") != (closer == "%}"):
                return match.group(0)
            if opener == "{%":
                word = code.strip(" \t\n-+")
                if word in ("raw", "verbatim", "endraw", "endverbatim"):
                    return opener + code.replace("verbatim", "raw") + closer
                code = re.sub(r"^(\s*-?\s*)elseif\b", r"\1elif", code)
            code = _js_code(code)
            if opener == "{%":
                pair = _FOR_PAIR.match(code)
                if pair:
                    code = f"{pair.group(1)}__pairs({pair.group(2)}){pair.group(3)}"
            return opener + code + closer
        return _TAG.sub(tag, source)


def _pairs(value: object) -> object:
    """``for key, value in object`` iterates an object's entries, as in nunjucks."""
    if isinstance(value, dict):
        return list(value.items())
    return value


# ----------------------------------------------------------------- JavaScript members

def _js_split(s: str):
    def split(sep: object = None, limit: object = None) -> list[str]:
        if sep is None or isinstance(sep, Undefined):
            parts = [s]
        elif isinstance(sep, JsRegex):
            parts = sep.regex.split(s)
        elif sep == "":
            parts = list(s)
        else:
            parts = s.split(js_string(sep))
        return parts[:int(limit)] if isinstance(limit, int) else parts
    return split


def _js_slice(seq: Any):
    def slice_(start: int = 0, end: int | None = None) -> Any:
        return seq[int(start): None if end is None else int(end)]
    return slice_


def _js_str_replace(s: str, every: bool):
    def replace(old: object, new: object = "") -> str:
        if isinstance(old, JsRegex):
            return old.sub(s, js_string(new))
        return s.replace(js_string(old), js_string(new), -1 if every else 1)
    return replace


_STR_MEMBERS: dict[str, Callable[[str], Any]] = {
    "toUpperCase": lambda s: s.upper, "toLowerCase": lambda s: s.lower,
    "trim": lambda s: s.strip, "trimStart": lambda s: s.lstrip, "trimEnd": lambda s: s.rstrip,
    "startsWith": lambda s: lambda x: s.startswith(js_string(x)),
    "endsWith": lambda s: lambda x: s.endswith(js_string(x)),
    "includes": lambda s: lambda x: js_string(x) in s,
    "indexOf": lambda s: lambda x: s.find(js_string(x)),
    "lastIndexOf": lambda s: lambda x: s.rfind(js_string(x)),
    "charAt": lambda s: lambda i=0: s[int(i)] if 0 <= int(i) < len(s) else "",
    "substring": lambda s: lambda a=0, b=None: s[min(int(a), int(b)) if b is not None
                                                  else int(a): None if b is None
                                                  else max(int(a), int(b))],
    "substr": lambda s: lambda a=0, n=None: s[int(a): None if n is None else int(a) + int(n)],
    "slice": _js_slice, "split": _js_split, "concat": lambda s: lambda *xs: s + "".join(
        js_string(x) for x in xs),
    "replace": lambda s: _js_str_replace(s, False),
    "replaceAll": lambda s: _js_str_replace(s, True),
    "padStart": lambda s: lambda n, c=" ": s.rjust(int(n), js_string(c)[:1] or " "),
    "padEnd": lambda s: lambda n, c=" ": s.ljust(int(n), js_string(c)[:1] or " "),
    "toString": lambda s: lambda: s,
    # Python's names, for templates written Jinja-style.
    "upper": lambda s: s.upper, "lower": lambda s: s.lower, "strip": lambda s: s.strip,
    "lstrip": lambda s: s.lstrip, "rstrip": lambda s: s.rstrip,
    "startswith": lambda s: s.startswith, "endswith": lambda s: s.endswith,
    "capitalize": lambda s: s.capitalize, "title": lambda s: s.title,
    "isdigit": lambda s: s.isdigit, "isalpha": lambda s: s.isalpha,
    "join": lambda s: lambda items: s.join(js_string(i) for i in items),
    "count": lambda s: s.count, "find": lambda s: s.find,
}
_LIST_MEMBERS: dict[str, Callable[[list], Any]] = {
    "includes": lambda xs: lambda x: x in xs,
    "indexOf": lambda xs: lambda x: xs.index(x) if x in xs else -1,
    "join": lambda xs: lambda sep=",": js_string(sep).join(js_string(x) for x in xs),
    "slice": _js_slice, "concat": lambda xs: lambda *more: list(xs) + [
        y for m in more for y in (m if isinstance(m, list) else [m])],
    "toString": lambda xs: lambda: js_string(xs),
    "index": lambda xs: xs.index, "count": lambda xs: xs.count,
}
_DICT_MEMBERS = ("items", "keys", "values", "get")
_LOOP_MEMBERS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last",
                           "length", "depth", "depth0", "previtem", "nextitem", "cycle",
                           "changed"})
_HELPER_MEMBERS = frozenset({"next", "current", "reset"})


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox narrowed to JSON values, with budgets."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, budget: Budget, *, compat: bool, trim_blocks: bool,
                 lstrip_blocks: bool) -> None:
        super().__init__(
            variable_start_string="{{" if compat else "${{", variable_end_string="}}",
            autoescape=False, undefined=ChainableUndefined, finalize=self._finalize,
            keep_trailing_newline=True, trim_blocks=trim_blocks, lstrip_blocks=lstrip_blocks,
            extensions=[NunjucksSyntax])
        self.budget = budget
        self.filters = {name: self._guard(fn) for name, fn in
                        {**nunjucks_filters(), **backstage_filters()}.items()}
        if compat:
            self.filters["jsonify"] = self.filters["dump"]
        for test in ("null", "none"):
            self.tests[test] = lambda v: v is None
        self.tests["truthy"] = lambda v: bool(v) and not isinstance(v, Undefined)
        self.tests["falsy"] = lambda v: not v or isinstance(v, Undefined)
        self.globals = {"range": self._range, "cycler": Cycler, "joiner": Joiner,
                        "null": None, "__regex": JsRegex, "__pairs": _pairs}

    @staticmethod
    def _finalize(value: object) -> str:
        return js_string(value)

    def _guard(self, fn: Callable) -> Callable:
        @wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self._check_args(args, kwargs)
            return self.budget.check_size(fn(*args, **kwargs))
        return guarded

    def _check_args(self, args: tuple, kwargs: dict) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) \
                    and abs(value) > self.budget.output:
                raise RenderError(f"stopped: {value:,} is larger than a template may ask for")

    def _range(self, *args: int) -> range:
        self._check_args(args, {})
        result = range(*args)
        if len(result) > 100_000:
            raise RenderError("stopped: range() of more than 100,000 numbers")
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise RenderError("stopped: exponent too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list) and isinstance(n, int) \
                        and len(seq) * n > self.budget.output:
                    raise RenderError(f"stopped: a value grew beyond {self.budget.output:,} "
                                      "characters")
        if operator == "+" and isinstance(left, str) != isinstance(right, str) \
                and not isinstance(left, Undefined | list) and not isinstance(right, Undefined):
            # JavaScript's + joins a string with anything as text.
            return self.budget.check_size(js_string(left) + js_string(right))
        if operator == "+" and isinstance(left, Undefined) != isinstance(right, Undefined) \
                and isinstance(left if isinstance(right, Undefined) else right, str):
            return js_string(left) + js_string(right)
        return self.budget.check_size(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self._member(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self._member(obj, argument)

    def _member(self, obj: Any, key: Any) -> Any:
        """What ``obj.key`` / ``obj[key]`` is: data, or a safe method, or undefined."""
        if isinstance(obj, Unavailable):
            return obj.child(key)
        if isinstance(obj, Undefined):
            return obj
        if isinstance(obj, dict):
            if isinstance(key, str | int | float) and not isinstance(key, bool):
                text = key if isinstance(key, str) else js_string(key)
                if text in obj:
                    return obj[text]
                if isinstance(key, str) and key in _DICT_MEMBERS:
                    return getattr(obj, key)
        elif isinstance(obj, str | list | tuple):
            if isinstance(key, int) and not isinstance(key, bool):
                return obj[key] if -len(obj) <= key < len(obj) else self.undefined(
                    obj=obj, name=str(key))
            if isinstance(key, slice):
                return obj[key]
            if key == "length":
                return len(obj)
            members = _STR_MEMBERS if isinstance(obj, str) else _LIST_MEMBERS
            if isinstance(key, str) and key in members:
                return members[key](obj)
        elif isinstance(obj, int | float) and not isinstance(obj, bool):
            if key == "toString":
                return lambda: js_string(obj)
            if key == "toFixed":
                return lambda digits=0: f"{obj:.{min(int(digits), 100)}f}"
        elif (isinstance(obj, LoopContext) and key in _LOOP_MEMBERS) \
                or (isinstance(obj, Cycler | Joiner) and key in _HELPER_MEMBERS):
            return getattr(obj, key)
        if isinstance(key, str) and key.startswith("_"):
            raise SecurityError(f"access to attribute {key!r} is not allowed")
        return self.undefined(obj=obj, name=str(key) if isinstance(key, str | int) else None)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self._check_args(args, kwargs)
        return __self.budget.check_size(super().call(__context, __obj, *args, **kwargs))


# ----------------------------------------------------------------- the renderer

class _Watch:
    """Stops template code that runs past the budget's deadline (loops with no output)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.lines = 0

    def __enter__(self) -> _Watch:
        self.previous = sys.gettrace()
        sys.settrace(self._call)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.settrace(self.previous)

    def _call(self, frame: Any, event: str, arg: Any) -> Any:
        return self._line if frame.f_code.co_filename == "<template>" else None

    def _line(self, frame: Any, event: str, arg: Any) -> Any:
        self.lines += 1
        if self.lines % 1000 == 0:
            self.budget.check_time()
        return self._line


def _where(what: str, exc: TemplateError) -> str:
    line = getattr(exc, "lineno", None)
    at = f"{what}, line {line}" if line and isinstance(exc, TemplateSyntaxError) else what
    if isinstance(exc, SecurityError):
        return f"{at}: refused by the sandbox: {exc.message}"
    return f"{at}: {exc.message or type(exc).__name__}"


class Renderer:
    """Renders Backstage template strings with one set of options.

    ``compat`` is ``cookiecutterCompat`` (``{{ }}``, values under
    ``cookiecutter``, the ``jsonify`` filter).
    """

    def __init__(self, budget: Budget | None = None, *, compat: bool = False,
                 trim_blocks: bool = False, lstrip_blocks: bool = False) -> None:
        self.budget = budget or Budget()
        self.env = _Sandbox(self.budget, compat=compat, trim_blocks=trim_blocks,
                            lstrip_blocks=lstrip_blocks)

    def parse(self, source: str, what: str) -> None:
        """Raise :class:`RenderError` when ``source`` is not a valid template."""
        try:
            self.env.parse(source)
        except TemplateError as exc:
            raise RenderError(_where(what, exc)) from None

    def render(self, source: str, context: dict, what: str) -> str:
        """``source`` rendered with ``context``; ``what`` names it in errors."""
        if "{" not in source:
            return source
        try:
            template = self.env.from_string(source)
            out: list[str] = []
            size = 0
            with _Watch(self.budget):
                for chunk in template.generate(context):
                    size += len(chunk)
                    if size > self.budget.output:
                        raise RenderError(f"stopped: output beyond {self.budget.output:,} "
                                          "characters")
                    out.append(chunk)
            return "".join(out)
        except RenderError as exc:
            raise RenderError(f"{what}: {exc}") from None
        except (TemplateError, FilterError) as exc:
            msg = _where(what, exc) if isinstance(exc, TemplateError) else f"{what}: {exc}"
            raise RenderError(msg) from None
        except (RecursionError, MemoryError):
            raise RenderError(f"{what}: stopped: the template recurses or grows without "
                              "end") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            raise RenderError(f"{what}: {type(exc).__name__.lower()}: {exc}") from None

    def single_expression(self, source: str) -> str | None:
        """The expression of a string that is exactly one ``${{ … }}``, else ``None``."""
        start = self.env.variable_start_string
        if not source.startswith(start) or not source.endswith("}}"):
            return None
        try:
            body = self.env.parse(source).body
        except TemplateError:
            return None
        if len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1 \
                and not isinstance(body[0].nodes[0], nodes.TemplateData):
            return source[len(start):-2]
        return None

    def evaluate(self, expression: str, context: dict, what: str) -> Any:
        """One expression's value (a dict stays a dict), or an Undefined."""
        source = f"{self.env.variable_start_string}{expression}}}}}"
        try:
            code = _js_code(expression)
            compiled = self.env.compile_expression(code, undefined_to_none=False)
            with _Watch(self.budget):
                return self.budget.check_size(compiled(**context))
        except RenderError as exc:
            raise RenderError(f"{what}: {exc}") from None
        except (TemplateError, FilterError) as exc:
            if isinstance(exc, TemplateSyntaxError):
                self.parse(source, what)  # the same error, with nunjucks' wording
            msg = _where(what, exc) if isinstance(exc, TemplateError) else f"{what}: {exc}"
            raise RenderError(msg) from None
        except (RecursionError, MemoryError):
            raise RenderError(f"{what}: stopped: the expression recurses") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            raise RenderError(f"{what}: {type(exc).__name__.lower()}: {exc}") from None

    def render_input(self, value: Any, context: dict, what: str) -> Any:
        """A step's input with every string rendered, as Backstage's workflow runner does.

        A string that is one expression keeps the expression's type (an
        object stays an object); a string that renders empty, and an
        undefined value, leave the key out.
        """
        return _DROP_TO_NONE(self._render_input(value, context, what, 0))

    def _render_input(self, value: Any, context: dict, what: str, depth: int) -> Any:
        if depth > 50:
            raise RenderError(f"{what}: nested more than 50 deep")
        if isinstance(value, str):
            expression = self.single_expression(value)
            if expression is not None:
                result = self.evaluate(expression, context, what)
                if isinstance(result, Unavailable):
                    return str(result)
                if isinstance(result, Undefined):
                    return _DROP
                try:
                    return plain(result)
                except ValueError as exc:
                    raise RenderError(f"{what}: {exc}") from None
            text = self.render(value, context, what)
            return _DROP if text == "" else text
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                rendered = self._render_input(v, context, f"{what}.{k}", depth + 1)
                if rendered is not _DROP:
                    out[str(k)] = rendered
            return out
        if isinstance(value, list):
            return [None if r is _DROP else r for r in
                    (self._render_input(v, context, f"{what}[{i}]", depth + 1)
                     for i, v in enumerate(value))]
        return plain(value, depth)

    def iter_expressions(self, value: Any) -> Iterator[str]:
        """Every string in ``value`` that holds template syntax."""
        if isinstance(value, str):
            if "{" in value:
                yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from self.iter_expressions(v)
        elif isinstance(value, list):
            for v in value:
                yield from self.iter_expressions(v)


_DROP = object()


def _DROP_TO_NONE(value: Any) -> Any:
    return None if value is _DROP else value
