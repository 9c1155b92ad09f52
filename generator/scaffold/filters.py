"""The filters a Backstage template can use: nunjucks' built-ins and Backstage's own.

Jinja2 has most of nunjucks' built-in filters under the same names; the ones
nunjucks defines differently (``replace`` with a regular expression, ``title``,
``indent``, ``truncate``, ``sort``, ``list``, ``reverse`` …) or that Jinja2 lacks
(``dump``, ``nl2br``) are written here after nunjucks' behaviour. Backstage adds
``parseRepoUrl``, ``parseEntityRef``, ``pick`` and ``projectSlug``.
Filters Jinja2 has and nunjucks does not (``attr``, ``format``, ``map`` …) are
left out: a template that works here works in Backstage.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Undefined, filters

from generator.scaffold.values import dump, js_string

__all__ = ["FilterError", "JsRegex", "backstage_filters", "nunjucks_filters", "parse_repo_url"]


class FilterError(ValueError):
    """A filter was given a value it cannot work with (Backstage's ``InputError``)."""


class JsRegex:
    """A nunjucks regular-expression literal, ``r/pattern/flags``."""

    def __init__(self, pattern: str, flags: str = "") -> None:
        py_flags = 0
        for flag, value in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL)):
            if flag in flags:
                py_flags |= value
        try:
            self.regex = re.compile(re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", pattern), py_flags)
        except re.error as exc:
            raise FilterError(f"bad regular expression r/{pattern}/: {exc}") from None
        self.global_ = "g" in flags

    def sub(self, text: str, replacement: str) -> str:
        # JavaScript's $1, $& and $$ in the replacement.
        def expand(match: re.Match) -> str:
            def one(m: re.Match) -> str:
                token = m.group(0)
                if token == "$$":
                    return "$"
                if token == "$&":
                    return match.group(0)
                index = int(token[1:])
                return (match.group(index) or "") if index <= (match.re.groups or 0) else token
            return re.sub(r"\$\$|\$&|\$\d{1,2}", one, replacement)
        return self.regex.sub(expand, text, count=0 if self.global_ else 1)


# ----------------------------------------------------------------- Backstage's filters

_REPO_KINDS = (("github", "github"), ("gitlab", "gitlab"), ("bitbucket", "bitbucket"),
               ("dev.azure.com", "azure"), ("visualstudio.com", "azure"), ("gitea", "gitea"),
               ("gerrit", "gerrit"))
_REQUIRED = {"bitbucket": ("project", "repo"), "azure": ("project", "repo"),
             "gitea": ("repo",), "gerrit": ("repo",)}


def parse_repo_url(repo_url: object) -> dict[str, str]:
    """``github.com?owner=o&repo=r`` as ``{host, owner, repo}`` (``RepoUrlPicker``'s format).

    Which parts are required depends on the host's kind, as in Backstage;
    the kind is told from the host name (Backstage reads its integrations).

    >>> parse_repo_url("github.com?owner=northwind&repo=gift-cards")
    {'host': 'github.com', 'owner': 'northwind', 'repo': 'gift-cards'}
    """
    if not isinstance(repo_url, str) or not repo_url.strip():
        raise FilterError(f"parseRepoUrl: expected a repository URL such as "
                          f"github.com?owner=ORG&repo=NAME, got {js_string(repo_url)!r}")
    parts = urlsplit(f"https://{repo_url.strip()}")
    host = parts.netloc
    if not host or "@" in host:
        raise FilterError(f"parseRepoUrl: no host in {repo_url!r}")
    query = {k: v[0].strip("/") for k, v in parse_qs(parts.query).items()}
    kind = next((k for marker, k in _REPO_KINDS if marker in host.lower()), "default")
    if kind == "gitlab" and query.get("project"):
        required: tuple[str, ...] = ()
    else:
        required = _REQUIRED.get(kind, ("repo", "owner"))
    if kind == "bitbucket" and host == "www.bitbucket.org":
        required = ("workspace", *required)
    for name in required:
        if not query.get(name):
            raise FilterError(f"parseRepoUrl: {repo_url!r} has no {name} "
                              f"(expected {host}?owner=ORG&repo=NAME)")
    out = {"host": host}
    for name in ("owner", "organization", "workspace", "project", "repo"):
        if name in query:
            out[name] = query[name]
    return out


def _parse_entity_ref(ref: object, context: object = None) -> dict[str, str]:
    """Backstage's ``parseEntityRef``: ``[kind:][namespace/]name`` with defaults from context."""
    if not isinstance(ref, str) or not ref.strip():
        raise FilterError(f"parseEntityRef: expected an entity reference, got {js_string(ref)!r}")
    ctx = context if isinstance(context, dict) else {}
    kind = namespace = None
    rest = ref.strip()
    if ":" in rest:
        kind, rest = rest.split(":", 1)
    if "/" in rest:
        namespace, rest = rest.split("/", 1)
    kind = kind or ctx.get("defaultKind")
    namespace = namespace or ctx.get("defaultNamespace") or "default"
    if not kind:
        raise FilterError(f"parseEntityRef: {ref!r} has no kind and no defaultKind was given")
    if not rest or "/" in rest or ":" in rest:
        raise FilterError(f"parseEntityRef: {ref!r} is not a valid entity reference")
    return {"kind": str(kind), "namespace": str(namespace), "name": rest}


def _pick(obj: object, key: object) -> Any:
    """lodash's ``get``: ``a.b[0].c`` into nested values."""
    if not isinstance(key, str):
        return Undefined()
    current: Any = obj
    for part in re.findall(r"[^.\[\]]+", key):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return Undefined()
    return current


def _project_slug(repo_url: object) -> str:
    parsed = parse_repo_url(repo_url)
    return f"{parsed.get('owner', '')}/{parsed['repo']}"


def backstage_filters() -> dict[str, Callable]:
    """The filters Backstage's scaffolder adds to nunjucks."""
    return {"parseRepoUrl": parse_repo_url, "parseEntityRef": _parse_entity_ref,
            "pick": _pick, "projectSlug": _project_slug}


# ----------------------------------------------------------------- nunjucks' built-ins

def _str(value: object) -> str:
    return js_string(value)


def _replace(value: object, old: object, new: object = "", max_count: object = None) -> Any:
    if isinstance(old, JsRegex):
        return old.sub(_str(value), _str(new))
    if isinstance(old, int | float) and not isinstance(old, bool):
        old = js_string(old)
    if not isinstance(old, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = js_string(value)
    if not isinstance(value, str):
        return value
    count = int(max_count) if isinstance(max_count, int | float) and max_count >= 0 else -1
    return value.replace(old, _str(new), count)


def _title(value: object) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in _str(value).split(" "))


def _indent(value: object, width: object = 2, first: bool = False) -> str:
    pad = " " * (int(width) if isinstance(width, int | float) else 2)
    lines = _str(value).split("\n")
    return "\n".join(line if i == 0 and not first else pad + line for i, line in enumerate(lines))


def _truncate(value: object, length: object = 255, killwords: bool = False,
              end: object = "...") -> str:
    text = _str(value)
    size = int(length) if isinstance(length, int | float) and length else 255
    if len(text) <= size:
        return text
    if killwords:
        text = text[:size]
    else:
        cut = text.rfind(" ", 0, size + 1)
        text = text[:cut if cut != -1 else size]
    return text + (_str(end) if end is not None else "...")


def _sort_key(case_sensitive: bool, attribute: object):
    def key(item: object) -> tuple:
        if attribute is not None and isinstance(item, dict):
            item = item.get(str(attribute))
        if isinstance(item, str):
            return (1, item if case_sensitive else item.lower())
        if isinstance(item, int | float):
            return (0, item)
        return (2, js_string(item))
    return key


def _sort(value: object, reverse: bool = False, case_sensitive: bool = False,
          attribute: object = None) -> list:
    items = list(value) if isinstance(value, list | tuple) else []
    return sorted(items, key=_sort_key(bool(case_sensitive), attribute), reverse=bool(reverse))


def _reverse(value: object) -> Any:
    if isinstance(value, str):
        return value[::-1]
    return list(value)[::-1] if isinstance(value, list | tuple) else value


def _list(value: object) -> list:
    if isinstance(value, str):
        return list(value)
    if isinstance(value, dict):
        return [{"key": k, "value": v} for k, v in value.items()]
    if isinstance(value, list | tuple):
        return list(value)
    raise FilterError("list filter: type not iterable")


def _join(value: object, delimiter: object = "", attribute: object = None) -> str:
    items = value if isinstance(value, list | tuple) else []
    if attribute is not None:
        items = [i.get(str(attribute)) if isinstance(i, dict) else None for i in items]
    return _str(delimiter).join(_str(i) for i in items)


def _length(value: object) -> int:
    if isinstance(value, Undefined) or value is None:
        return 0
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


def _first(value: object) -> Any:
    return value[0] if isinstance(value, str | list | tuple) and value else Undefined()


def _last(value: object) -> Any:
    return value[-1] if isinstance(value, str | list | tuple) and value else Undefined()


def _split(value: object, separator: object = None) -> list:
    text = _str(value)
    if separator is None:
        return text.split()
    return list(text) if separator == "" else text.split(_str(separator))


def _nl2br(value: object) -> str:
    return re.sub(r"\r\n|\n", "<br />\n", _str(value))


def _random(value: object) -> Any:
    # Same input, same output: a fixed seed.
    return random.Random(0).choice(value) if isinstance(value, list | tuple) and value \
        else Undefined()


def _string(value: object) -> str:
    return _str(value)


def _escape(value: object) -> str:
    return escape(_str(value))


_SAME = ("abs", "batch", "capitalize", "center", "d", "default", "dictsort", "float",
         "forceescape", "groupby", "int", "lower", "reject", "rejectattr", "round", "safe",
         "select", "selectattr", "slice", "striptags", "sum", "trim", "upper", "urlencode",
         "urlize", "wordcount")


def nunjucks_filters() -> dict[str, Callable]:
    """nunjucks' built-in filters, with nunjucks' semantics."""
    out: dict[str, Callable] = {name: filters.FILTERS[name] for name in _SAME}
    out.update({"dump": dump, "replace": _replace, "title": _title, "indent": _indent,
                "truncate": _truncate, "sort": _sort, "reverse": _reverse, "list": _list,
                "join": _join, "length": _length, "first": _first, "last": _last,
                "nl2br": _nl2br, "split": _split, "random": _random, "string": _string,
                "escape": _escape, "e": _escape})
    return out
