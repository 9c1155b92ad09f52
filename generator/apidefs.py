"""Summaries of API definitions (``spec.definition`` of an API entity) for display.

Definitions come from catalog descriptors and are untrusted: everything here is
a pure function of the text, loads YAML through :mod:`generator.yamlfile` (safe
loader, alias-bomb protection), caps what it returns and never raises -- a
definition that cannot be read gives an :class:`ApiSummary` with ``error`` set.

Supported: OpenAPI 2/3 (paths and 3.1 webhooks), AsyncAPI 2.x (channels with
publish/subscribe) and 3.x (operations), GraphQL SDL (root type fields) and
gRPC ``.proto`` (service rpcs). Anything else only gets a highlighting language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from generator.yamlfile import YamlError, iter_documents

__all__ = [
    "HTTP_METHODS",
    "MAX_OPERATIONS",
    "MAX_SIZE",
    "MAX_TEXT",
    "ApiSummary",
    "Operation",
    "guess_language",
    "summarize",
]

MAX_OPERATIONS = 500
"""Most operations a summary lists; ``ApiSummary.truncated`` tells when more were cut."""
MAX_TEXT = 300
"""Longest text field (summary, title, ...) in characters, ellipsis included."""
MAX_SIZE = 10_000_000
"""Longest definition (in characters) that is parsed at all; bigger ones only get ``error``."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of an API, as plain single-line strings.

    ======== ============================ ============================= ===========================
    type     ``method`` (alias ``kind``)  ``path`` (alias ``name``)     ``summary``
    ======== ============================ ============================= ===========================
    OpenAPI  ``get``, ``post``, ...       path (or webhook name)        summary / description
    AsyncAPI ``publish``/``subscribe`` or channel (address)             summary / description
             ``send``/``receive``
    GraphQL  ``query``/``mutation``/      field name                    ``(id: ID!): Film``
             ``subscription``
    gRPC     ``rpc``                      ``Service.Method``            ``Request → Response``
    ======== ============================ ============================= ===========================
    """

    method: str
    path: str
    summary: str = ""
    operation_id: str = ""
    """OpenAPI/AsyncAPI ``operationId`` (AsyncAPI 3: the operation's key)."""
    description: str = ""
    """Longer text: a description, GraphQL doc string or the comment above an rpc."""
    webhook: bool = False
    """An OpenAPI 3.1 webhook (``path`` is then the webhook's name)."""

    @property
    def kind(self) -> str:
        """``method`` under a name that suits GraphQL, AsyncAPI and gRPC."""
        return self.method

    @property
    def name(self) -> str:
        """``path`` under a name that suits channels, fields and rpcs."""
        return self.path


@dataclass(frozen=True, slots=True)
class ApiSummary:
    """What a page shows about an API definition."""

    language: str
    """Pygments lexer for the source: ``yaml``, ``json``, ``graphql``, ``protobuf`` or ``text``."""
    title: str | None = None
    version: str | None = None
    format: str | None = None
    """What the definition turned out to be, e.g. ``OpenAPI 3.0.3`` or ``GraphQL SDL``."""
    operations: tuple[Operation, ...] = ()
    truncated: bool = False
    """More than :data:`MAX_OPERATIONS` operations; only the first ones are listed."""
    error: str | None = None
    """A short message when the definition could not be read."""


class _ParseError(ValueError):
    pass


# --- text helpers ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def _clip(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as one line of at most ``limit`` characters (``""`` for non-scalars)."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = value if isinstance(value, str) else str(value)
    if len(text) > limit * 8:  # do not clean megabytes to keep 300 characters
        text = text[: limit * 8]
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _optional(value: object) -> str | None:
    return _clip(value) or None


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# --- entry point -----------------------------------------------------------------------------

_TYPES = {
    "openapi": "openapi", "swagger": "openapi", "oas": "openapi",
    "asyncapi": "asyncapi",
    "graphql": "graphql", "gql": "graphql",
    "grpc": "grpc", "protobuf": "grpc", "proto": "grpc",
}


def summarize(api_type: str, definition: str) -> ApiSummary:
    """Summarise ``definition`` of an API whose ``spec.type`` is ``api_type``; never raises."""
    family = _TYPES.get(str(api_type or "").strip().lower())
    if not isinstance(definition, str):
        return ApiSummary("text", error="the definition is not text")
    stripped = definition.strip()
    if family in ("openapi", "asyncapi"):
        language = "json" if stripped.startswith(("{", "[")) else "yaml"
    elif family == "graphql":
        language = "graphql"
    elif family == "grpc":
        language = "protobuf"
    else:
        language = guess_language(definition)
    if not stripped:
        return ApiSummary(language, error="the definition is empty")
    if family is None:
        return ApiSummary(language)
    if len(definition) > MAX_SIZE:
        return ApiSummary(language, error=f"the definition is too large to summarise "
                                          f"({len(definition) / 1e6:.0f} MB)")
    try:
        if family == "graphql":
            return _graphql(definition)
        if family == "grpc":
            return _proto(definition)
        return _document(family, language, definition)
    except _ParseError as exc:
        return ApiSummary(language, error=_clip(str(exc)))
    except RecursionError:
        return ApiSummary(language, error="the definition is nested too deeply to read")
    except Exception as exc:  # untrusted input must never break a page
        return ApiSummary(language, error=_clip(f"could not read the definition ({exc})"))


_PROTO_HINT = re.compile(r"^\s*(?:syntax\s*=\s*[\"']proto|service\s+\w+\s*\{|message\s+\w+\s*\{)",
                         re.MULTILINE)
_GRAPHQL_HINT = re.compile(
    r"^\s*(?:extend\s+)?(?:schema\s*\{|(?:type|interface|input|enum)\s+[_A-Za-z]\w*[^\n:]*\{)",
    re.MULTILINE)
_YAML_HINT = re.compile(r"(?:(?:#[^\n]*|---[^\n]*)?\n)*(?:[\w\"'$./-][^:\n]*:(?:[ \t]|$)|- )",
                        re.MULTILINE)


def guess_language(definition: str) -> str:
    """Best pygments lexer for a definition of an unknown type (parses at most 1 MB)."""
    stripped = definition.strip()
    if not stripped:
        return "text"
    small = len(stripped) <= 1_000_000
    sample = stripped[:20_000]
    if stripped.startswith(("{", "[")):
        if not small:
            return "json"
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):
            pass
        else:
            return "json"
    if _PROTO_HINT.search(sample):
        return "protobuf"
    if _GRAPHQL_HINT.search(sample):
        return "graphql"
    if not small:
        return "yaml" if _YAML_HINT.match(sample) else "text"
    try:
        data = _load_yaml(definition)
    except (_ParseError, RecursionError):
        return "text"
    return "yaml" if isinstance(data, dict | list) else "text"


# --- OpenAPI / AsyncAPI ----------------------------------------------------------------------

def _load_yaml(text: str) -> object:
    documents = iter_documents(text, index_lines=False)
    try:
        for document in documents:
            if document.data is not None:
                return document.data
        return None
    except YamlError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise _ParseError(f"{exc}{where}") from None
    finally:
        documents.close()


def _load(language: str, text: str) -> object:
    if language == "json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise _ParseError(f"invalid JSON: {exc}") from None
    return _load_yaml(text)


class _Collector:
    def __init__(self) -> None:
        self.operations: list[Operation] = []
        self.truncated = False

    @property
    def full(self) -> bool:
        return self.truncated

    def add(self, operation: Operation) -> None:
        if len(self.operations) >= MAX_OPERATIONS:
            self.truncated = True
        else:
            self.operations.append(operation)


def _document(family: str, language: str, text: str) -> ApiSummary:
    data = _load(language, text)
    if not isinstance(data, dict):
        name = "an OpenAPI" if family == "openapi" else "an AsyncAPI"
        raise _ParseError(f"the definition is not {name} document (expected a mapping)")
    info = data.get("info")
    info = info if isinstance(info, dict) else {}
    collected = _Collector()
    if "asyncapi" in data:
        version = _clip(data.get("asyncapi"), 40)
        spec_format = f"AsyncAPI {version}".strip()
        if version.startswith("3"):
            _asyncapi3(data, collected)
        else:
            _asyncapi2(data, collected)
    else:
        if "swagger" in data:
            spec_format = f"Swagger {_clip(data.get('swagger'), 40)}".strip()
        elif "openapi" in data:
            spec_format = f"OpenAPI {_clip(data.get('openapi'), 40)}".strip()
        else:
            spec_format = None
        _openapi(data, collected)
    return ApiSummary(
        language, title=_optional(info.get("title")), version=_optional(info.get("version")),
        format=spec_format, operations=tuple(collected.operations),
        truncated=collected.truncated)


def _mapping(value: object) -> Iterator[tuple[str, dict]]:
    """Items of ``value`` whose values are mappings, keys as text."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                yield _clip(key), item


def _first_line(value: object) -> str:
    return _clip(value.strip().split("\n\n", 1)[0]) if isinstance(value, str) else ""


def _openapi(data: dict, out: _Collector) -> None:
    for section, webhook in (("paths", False), ("webhooks", True)):
        for path, item in _mapping(data.get(section)):
            for method, operation in item.items():
                if not isinstance(method, str) or method.lower() not in HTTP_METHODS:
                    continue
                operation = operation if isinstance(operation, dict) else {}
                summary = (_clip(operation.get("summary"))
                           or _first_line(operation.get("description"))
                           or _clip(item.get("summary")))
                out.add(Operation(
                    method.lower(), path, summary, _clip(operation.get("operationId")),
                    _clip(operation.get("description") or item.get("description")), webhook))
                if out.full:
                    return


def _asyncapi2(data: dict, out: _Collector) -> None:
    for channel, item in _mapping(data.get("channels")):
        for action in ("publish", "subscribe"):
            operation = item.get(action)
            if not isinstance(operation, dict):
                continue
            description = operation.get("description") or item.get("description")
            summary = _clip(operation.get("summary")) or _first_line(description)
            out.add(Operation(action, channel, summary, _clip(operation.get("operationId")),
                              _clip(description)))
            if out.full:
                return


def _asyncapi3(data: dict, out: _Collector) -> None:
    channels = data.get("channels")
    channels = channels if isinstance(channels, dict) else {}
    for key, operation in _mapping(data.get("operations")):
        channel_name, channel = _channel3(operation.get("channel"), channels)
        description = operation.get("description") or channel.get("description")
        summary = (_clip(operation.get("summary")) or _clip(operation.get("title"))
                   or _first_line(description))
        out.add(Operation(_clip(operation.get("action")) or "operation", channel_name, summary,
                          key, _clip(description)))
        if out.full:
            return


def _channel3(ref: object, channels: dict) -> tuple[str, dict]:
    """Display name (address, else key) and object of an AsyncAPI 3 channel reference."""
    channel: object = ref
    key = ""
    if isinstance(ref, dict) and isinstance(ref.get("$ref"), str):
        target = ref["$ref"]
        if target.startswith("#/channels/"):
            key = target[len("#/channels/"):].replace("~1", "/").replace("~0", "~")
            channel = channels.get(key)
        else:
            return _clip(target), {}
    if not isinstance(channel, dict):
        return _clip(key), {}
    address = channel.get("address")
    return (_clip(address) if isinstance(address, str) and address else _clip(key)), channel


# --- tokenizing GraphQL and protobuf ---------------------------------------------------------

class _Token(NamedTuple):
    kind: str  # "name", "str", "num", "punct", "comment"
    value: str
    pos: int


_GRAPHQL_TOKEN = re.compile(
    r'(?P<skip>[\s,\ufeff]+|#[^\n\r]*)'
    r'|(?P<block>"""(?:[^"\\]|\\(?!""")|\\"""|"(?!""))*""")|(?P<badblock>""")'
    r'|(?P<str>"(?:[^"\\\n\r]|\\.)*")|(?P<badstr>")'
    r"|(?P<name>[_A-Za-z][_0-9A-Za-z]*)|(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<punct>\.\.\.|[!$&()\[\]{}:=@|])|(?P<bad>.)", re.DOTALL)
_PROTO_TOKEN = re.compile(
    r"(?P<skip>[\s\ufeff]+)|(?P<line>//[^\n]*)|(?P<block>/\*.*?\*/)|(?P<badblock>/\*)"
    r"""|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<badstr>["'])"""
    r"|(?P<name>\.?[_A-Za-z]\w*(?:\.[_A-Za-z]\w*)*)|(?P<num>[-+]?\.?\d[\w.+-]*)|(?P<punct>.)",
    re.ASCII | re.DOTALL)


def _graphql_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    for found in _GRAPHQL_TOKEN.finditer(text):
        kind = found.lastgroup or ""
        if kind == "skip":
            continue
        if kind in ("name", "punct", "num"):
            append(_Token(kind, found.group(), found.start()))
        elif kind == "str":
            raw = found.group()
            try:
                value = json.loads(raw)
            except ValueError:
                value = raw[1:-1]
            append(_Token("str", value if isinstance(value, str) else raw, found.start()))
        elif kind == "block":
            append(_Token("str", found.group()[3:-3].replace('\\"""', '"""'), found.start()))
        else:
            i = found.start()
            what = {"badblock": 'unterminated """ string', "badstr": "unterminated string"}.get(
                kind, f"unexpected character {text[i]!r}")
            raise _ParseError(f"{what} on line {_line_of(text, i)}")
    return tokens


def _proto_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    for found in _PROTO_TOKEN.finditer(text):
        kind, value = found.lastgroup or "", found.group()
        if kind == "skip":
            continue
        if kind == "line":
            append(_Token("comment", value[2:], found.start()))
        elif kind == "block":
            append(_Token("comment", value[2:-2].strip("*"), found.start()))
        elif kind in ("badblock", "badstr"):
            what = "/* comment" if kind == "badblock" else "string"
            raise _ParseError(f"unterminated {what} on line {_line_of(text, found.start())}")
        else:
            append(_Token(kind, value, found.start()))
    return tokens


class _Cursor:
    """Position in a token list; every ``take`` advances, so loops always end."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> _Token | None:
        at = self.pos + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def at(self, value: str, kind: str | None = None) -> bool:
        token = self.peek()
        return token is not None and token.value == value and (
            kind is None or token.kind == kind)

    def take(self) -> _Token | None:
        token = self.peek()
        if token is not None:
            self.pos += 1
        return token

    def value(self) -> str:
        """Take the next token's text (``""`` at the end)."""
        token = self.take()
        return token.value if token is not None else ""

    def kind_at(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return token.kind if token is not None else ""

    def skip_group(self) -> None:
        """Skip a balanced ``(...)``, ``[...]`` or ``{...}`` starting at the cursor."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack: list[str] = []
        while (token := self.take()) is not None:
            if token.kind != "punct":
                continue
            if token.value in pairs:
                stack.append(pairs[token.value])
            elif stack and token.value == stack[-1]:
                stack.pop()
            if not stack:
                return


# --- GraphQL ---------------------------------------------------------------------------------

_SDL_KEYWORDS = frozenset(
    {"schema", "type", "interface", "union", "enum", "input", "scalar", "directive", "extend"})
_ROOT_KINDS = ("query", "mutation", "subscription")


def _graphql(text: str) -> ApiSummary:
    cursor = _Cursor(_graphql_tokens(text))
    roots: dict[str, str] | None = None
    fields: dict[str, list[tuple[str, str, str]]] = {}
    while (token := cursor.peek()) is not None:
        if token.kind != "name" or token.value not in _SDL_KEYWORDS or token.value == "extend":
            if token.kind == "punct" and token.value in "{([":
                cursor.skip_group()
            else:
                cursor.take()
            continue
        keyword = cursor.value()
        name = cursor.value() if keyword != "schema" and cursor.kind_at() == "name" else ""
        if not _graphql_header(cursor):
            continue
        if keyword == "schema":
            roots = {**(roots or {}), **_schema_body(cursor)}
        elif keyword == "type" and name:
            fields.setdefault(name, []).extend(_fields_body(cursor))
        else:
            cursor.skip_group()
    if roots is None:
        roots = {kind: kind.capitalize() for kind in _ROOT_KINDS}
    collected = _Collector()
    for kind in _ROOT_KINDS:
        for name, signature, doc in fields.get(roots.get(kind, ""), []):
            collected.add(Operation(kind, name, signature, description=doc))
    return ApiSummary("graphql", format="GraphQL SDL", operations=tuple(collected.operations),
                      truncated=collected.truncated)


def _graphql_header(cursor: _Cursor) -> bool:
    """Skip ``implements A & B @dir(...)``; True when a ``{`` body follows."""
    while (token := cursor.peek()) is not None:
        if token.kind == "punct" and token.value == "{":
            return True
        if token.kind == "str" or (token.kind == "name" and token.value in _SDL_KEYWORDS):
            return False
        if token.kind == "punct" and token.value == "(":
            cursor.skip_group()
        else:
            cursor.take()
    return False


def _schema_body(cursor: _Cursor) -> dict[str, str]:
    roots: dict[str, str] = {}
    cursor.take()  # {
    while (token := cursor.take()) is not None and token.value != "}":
        if token.kind == "name" and token.value in _ROOT_KINDS and cursor.at(":"):
            cursor.take()
            target = cursor.take()
            if target is not None and target.kind == "name":
                roots[token.value] = target.value
    return roots


def _fields_body(cursor: _Cursor) -> Iterator[tuple[str, str, str]]:
    """``(name, "(args): Type", description)`` of each field up to the closing ``}``."""
    cursor.take()  # {
    while (token := cursor.peek()) is not None:
        if token.kind == "punct" and token.value == "}":
            cursor.take()
            return
        description = ""
        if token.kind == "str":
            description = _clip(cursor.value())
            token = cursor.peek()
            if token is None:
                return
        if token.kind != "name":
            if token.kind == "punct" and token.value in "([{":
                cursor.skip_group()
            else:
                cursor.take()
            continue
        name = cursor.value()
        arguments = _arguments(cursor) if cursor.at("(", "punct") else ""
        result = ""
        if cursor.at(":", "punct"):
            cursor.take()
            result = _type_text(cursor)
        while cursor.at("@", "punct"):
            cursor.take()
            cursor.take()
            if cursor.at("(", "punct"):
                cursor.skip_group()
        signature = (f"({arguments})" if arguments else "") + (f": {result}" if result else "")
        yield _clip(name), _clip(signature), description


def _arguments(cursor: _Cursor) -> str:
    cursor.take()  # (
    parts: list[str] = []
    while (token := cursor.peek()) is not None:
        if token.kind == "punct" and token.value == ")":
            cursor.take()
            break
        if token.kind == "str":  # an argument's description
            cursor.take()
            continue
        if token.kind != "name":
            cursor.take()
            continue
        part = cursor.value()
        if cursor.at(":", "punct"):
            cursor.take()
            part += f": {_type_text(cursor)}"
        if cursor.at("=", "punct"):
            cursor.take()
            part += f" = {_value_text(cursor)}"
        while cursor.at("@", "punct"):
            cursor.take()
            cursor.take()
            if cursor.at("(", "punct"):
                cursor.skip_group()
        parts.append(part)
        if sum(map(len, parts)) > MAX_TEXT:
            cursor.pos -= 1
            _skip_to(cursor, ")")
            break
    return ", ".join(parts)


def _skip_to(cursor: _Cursor, value: str) -> None:
    while (token := cursor.peek()) is not None:
        if token.kind == "punct" and token.value in "([{" and token.value != value:
            cursor.skip_group()
            continue
        cursor.take()
        if token.kind == "punct" and token.value == value:
            return


def _type_text(cursor: _Cursor, depth: int = 0) -> str:
    token = cursor.peek()
    if token is None or depth > 20:
        return ""
    if token.kind == "punct" and token.value == "[":
        cursor.take()
        inner = _type_text(cursor, depth + 1)
        if cursor.at("]", "punct"):
            cursor.take()
        text = f"[{inner}]"
    elif token.kind == "name":
        text = cursor.value()
    else:
        return ""
    if cursor.at("!", "punct"):
        cursor.take()
        text += "!"
    return text


def _value_text(cursor: _Cursor, depth: int = 0) -> str:
    token = cursor.take()
    if token is None or depth > 20:
        return ""
    if token.kind == "str":
        return json.dumps(token.value, ensure_ascii=False)
    if token.kind == "punct" and token.value == "$":
        name = cursor.take()
        return "$" + (name.value if name else "")
    if token.kind == "punct" and token.value in "[{":
        closing = "]" if token.value == "[" else "}"
        items: list[str] = []
        while (item := cursor.peek()) is not None and item.value != closing:
            if closing == "}" and item.kind == "name" and cursor.kind_at(1) == "punct" \
                    and cursor.tokens[cursor.pos + 1].value == ":":
                cursor.take()
                cursor.take()
                items.append(f"{item.value}: {_value_text(cursor, depth + 1)}")
            else:
                items.append(_value_text(cursor, depth + 1))
        cursor.take()
        return token.value + ", ".join(items) + closing
    return token.value


# --- gRPC / protobuf -------------------------------------------------------------------------

def _proto(text: str) -> ApiSummary:
    tokens = _proto_tokens(text)
    syntax = ""
    for i, token in enumerate(tokens[:-2]):
        if token.kind == "name" and token.value in ("syntax", "edition") \
                and tokens[i + 1].value == "=" and tokens[i + 2].kind == "str":
            syntax = _clip(tokens[i + 2].value.strip("\"'"), 40)
            break
    code = [t for t in tokens if t.kind != "comment"]
    comments: dict[int, str] = {}  # index in ``code`` -> comment lines right above it
    pending: list[str] = []
    index = 0
    for token in tokens:
        if token.kind == "comment":
            pending.append(token.value.strip())
        else:
            if pending:
                comments[index] = " ".join(line for line in pending if line)
                pending = []
            index += 1
    cursor = _Cursor(code)
    collected = _Collector()
    while (token := cursor.take()) is not None and not collected.full:
        if token.kind == "name" and token.value == "service":
            service = cursor.take()
            if service is None or service.kind != "name" or not cursor.at("{", "punct"):
                continue
            _service(cursor, service.value, comments, collected)
    label = f"Protocol Buffers ({syntax})" if syntax else "Protocol Buffers"
    return ApiSummary("protobuf", format=label, operations=tuple(collected.operations),
                      truncated=collected.truncated)


def _service(cursor: _Cursor, service: str, comments: dict[int, str], out: _Collector) -> None:
    cursor.take()  # {
    while (token := cursor.peek()) is not None:
        if token.kind == "punct" and token.value == "}":
            cursor.take()
            return
        if token.kind == "punct" and token.value == "{":
            cursor.skip_group()
            continue
        start = cursor.pos
        cursor.take()
        if token.kind != "name" or token.value != "rpc":
            continue
        name = cursor.take()
        if name is None or name.kind != "name":
            continue
        request = _proto_message(cursor)
        if not cursor.at("returns", "name"):
            continue
        cursor.take()
        response = _proto_message(cursor)
        if request is None or response is None:
            continue
        if cursor.at("{", "punct"):
            cursor.skip_group()
        out.add(Operation("rpc", _clip(f"{service}.{name.value}"),
                          _clip(f"{request} → {response}"),
                          description=_clip(comments.get(start, ""))))
        if out.full:
            return


def _proto_message(cursor: _Cursor) -> str | None:
    """``(stream Type)`` as ``"stream Type"``; None when malformed."""
    if not cursor.at("(", "punct"):
        return None
    cursor.take()
    words: list[str] = []
    while (token := cursor.peek()) is not None and token.kind == "name" and len(words) < 2:
        words.append(cursor.value())
    if not cursor.at(")", "punct") or not words or (len(words) == 2 and words[0] != "stream"):
        return None
    cursor.take()
    return " ".join(words)
