"""Values as Backstage's JavaScript templates see them: JSON data, JS strings and truthiness.

Everything a template can reach is plain JSON data (dicts, lists, strings,
numbers, booleans, ``None``); these helpers convert to it and print it the
way nunjucks does, so ``${{ values.multiAz }}`` writes ``false``, not
``False``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from jinja2 import Undefined

__all__ = ["Unavailable", "dump", "is_truthy", "js_string", "plain"]


class Unavailable(Undefined):
    """The output of a step that was not run here (``publish:github``, …).

    It is falsy and prints as ``<unavailable: steps.publish.output.remoteUrl>``
    so the reader sees what Backstage would have filled in.
    """

    __slots__ = ()

    @property
    def path(self) -> str:
        return str(self._undefined_hint or "")

    def child(self, key: object) -> Unavailable:
        return Unavailable(hint=f"{self.path}.{key}")

    def __str__(self) -> str:
        return f"<unavailable: {self.path}>"

    def __iter__(self):
        return iter(())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.child(name)


def plain(value: object, depth: int = 0) -> Any:
    """``value`` as JSON data: undefined dict values dropped, as ``JSON.stringify`` does.

    >>> plain({"a": (1, 2), "b": Undefined(), "c": {"d": None}})
    {'a': [1, 2], 'c': {'d': None}}
    """
    if depth > 100:
        raise ValueError("values nested more than 100 deep")
    if isinstance(value, Unavailable):
        return str(value)
    if isinstance(value, Undefined):
        return None
    if value is None or isinstance(value, bool | int | str):
        return value if not isinstance(value, str) else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()
                if not isinstance(v, Undefined) or isinstance(v, Unavailable)}
    if isinstance(value, list | tuple):
        return [plain(v, depth + 1) for v in value]
    return str(value)  # dates from YAML, and anything else, as text


def js_string(value: object) -> str:
    """``String(value)`` in JavaScript, as nunjucks prints a value (``null`` prints nothing).

    >>> [js_string(v) for v in (True, None, 3.0, 2.5, [1, "a", None], {"a": 1})]
    ['true', '', '3', '2.5', '1,a,', '[object Object]']
    """
    if isinstance(value, Unavailable):
        return str(value)
    if value is None or isinstance(value, Undefined):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, list | tuple):
        return ",".join(js_string(v) for v in value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return "[object Object]"  # dicts, and no Python object's repr


def dump(value: object, spaces: int | str | None = None) -> Any:
    """The ``dump`` filter: ``JSON.stringify(value, null, spaces)``.

    >>> dump({"a": [1, "é"], "b": True})
    '{"a":[1,"é"],"b":true}'
    >>> print(dump({"a": 1}, 2))
    {
      "a": 1
    }
    """
    if isinstance(value, Undefined) and not isinstance(value, Unavailable):
        return value
    indent = spaces if isinstance(spaces, int) and not isinstance(spaces, bool) and spaces > 0 \
        else (spaces if isinstance(spaces, str) and spaces else None)
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(plain(value), ensure_ascii=False, indent=indent, separators=separators)


def is_truthy(value: object) -> bool:
    """Backstage's ``isTruthy`` for a step's ``if``: JavaScript truthiness, empty arrays false.

    >>> [is_truthy(v) for v in ("", "false", 0, [], {}, None, [0])]
    [False, True, False, False, True, False, True]
    """
    if isinstance(value, Undefined) or value is None:
        return False
    if isinstance(value, list | tuple):
        return len(value) > 0
    if isinstance(value, dict):
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)
