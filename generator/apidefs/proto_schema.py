"""The shape of a ``.proto`` file: services with rpcs, messages with numbered fields, enums.

Read from :mod:`~generator.apidefs.protobuf`'s tokens by a forgiving walk:
nested messages are named ``Outer.Inner``, ``oneof`` members are fields of
their message, ``map<K, V>`` is a field type, ``reserved`` numbers and names
are kept (a reused number is a breaking change). Every item has its line, so
the reference and the breaking-change check can point at it. Linear in the
tokens; nothing here raises on a half-written file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from generator.apidefs.model import DefinitionError, clip, line_of

__all__ = ["Cursor", "ProtoEnum", "ProtoField", "ProtoFile", "ProtoMessage", "ProtoRpc",
           "ProtoService", "Token", "proto_tokens", "read_proto"]

MAX_ITEMS = 20_000
"""Most fields, values and rpcs read from one file."""


class Token(NamedTuple):
    kind: str  # "name", "str", "num", "punct", "comment"
    value: str
    pos: int


_PROTO_TOKEN = re.compile(
    r"(?P<skip>[\s\ufeff]+)|(?P<line>//[^\n]*)|(?P<block>/\*.*?\*/)|(?P<badblock>/\*)"
    r"""|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<badstr>["'])"""
    r"|(?P<name>\.?[_A-Za-z]\w*(?:\.[_A-Za-z]\w*)*)|(?P<num>[-+]?\.?\d[\w.+-]*)|(?P<punct>.)",
    re.ASCII | re.DOTALL)


def proto_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    for found in _PROTO_TOKEN.finditer(text):
        kind, value = found.lastgroup or "", found.group()
        if kind == "skip":
            continue
        if kind == "line":
            append(Token("comment", value[2:], found.start()))
        elif kind == "block":
            append(Token("comment", value[2:-2].strip("*"), found.start()))
        elif kind in ("badblock", "badstr"):
            what = "/* comment" if kind == "badblock" else "string"
            raise DefinitionError(f"unterminated {what} on line {line_of(text, found.start())}")
        else:
            append(Token(kind, value, found.start()))
    return tokens


class Cursor:
    """Position in a token list; every ``take`` advances, so loops always end."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> Token | None:
        at = self.pos + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def at(self, value: str, kind: str | None = None) -> bool:
        token = self.peek()
        return token is not None and token.value == value and (
            kind is None or token.kind == kind)

    def take(self) -> Token | None:
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



@dataclass(frozen=True, slots=True)
class ProtoField:
    name: str
    type: str
    number: str
    label: str = ""
    """``repeated``, ``optional``, ``required`` or ``oneof <name>``."""
    comment: str = ""
    line: int = 0
    deprecated: bool = False


@dataclass(slots=True)
class ProtoMessage:
    name: str
    comment: str = ""
    line: int = 0
    fields: list[ProtoField] = field(default_factory=list)
    reserved: set[str] = field(default_factory=set)
    """Reserved numbers (ranges expanded up to 1,000) and names."""


@dataclass(slots=True)
class ProtoEnum:
    name: str
    comment: str = ""
    line: int = 0
    values: list[ProtoField] = field(default_factory=list)
    reserved: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ProtoRpc:
    name: str
    request: str
    response: str
    comment: str = ""
    line: int = 0


@dataclass(slots=True)
class ProtoService:
    name: str
    comment: str = ""
    line: int = 0
    rpcs: list[ProtoRpc] = field(default_factory=list)


@dataclass(slots=True)
class ProtoFile:
    syntax: str = ""
    package: str = ""
    services: list[ProtoService] = field(default_factory=list)
    messages: list[ProtoMessage] = field(default_factory=list)
    enums: list[ProtoEnum] = field(default_factory=list)
    truncated: bool = False


class _Walker:
    def __init__(self, text: str) -> None:
        tokens = proto_tokens(text)
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.comments: dict[int, str] = {}
        code: list[Token] = []
        self.trailing: dict[int, str] = {}
        """Comments after code on the same line (``int64 amount = 1; // cents``), by line."""
        pending: list[str] = []
        for token in tokens:
            if token.kind == "comment":
                line = self.line(token)
                if code and self.line(code[-1]) == line:
                    self.trailing[line] = clip(token.value.strip())
                else:
                    pending.append(token.value.strip())
            else:
                if pending:
                    self.comments[len(code)] = " ".join(p for p in pending if p)
                    pending = []
                code.append(token)
        self.cursor = Cursor(code)
        self.out = ProtoFile()
        self.items = 0

    def line(self, token: Token) -> int:
        return bisect.bisect_left(self.newlines, token.pos) + 1

    def comment(self, index: int) -> str:
        return clip(self.comments.get(index, ""))

    def full(self) -> bool:
        self.items += 1
        if self.items > MAX_ITEMS:
            self.out.truncated = True
        return self.out.truncated

    def walk(self) -> ProtoFile:
        cursor = self.cursor
        while (token := cursor.peek()) is not None:
            start = cursor.pos
            cursor.take()
            if token.kind != "name":
                if token.value == "{":
                    cursor.pos -= 1
                    cursor.skip_group()
                continue
            if token.value in ("syntax", "edition") and cursor.at("="):
                cursor.take()
                self.out.syntax = clip(cursor.value().strip("\"'"), 40)
            elif token.value == "package":
                self.out.package = clip(cursor.value(), 200)
            elif token.value == "service" and cursor.kind_at() == "name":
                self._service(start, token)
            elif token.value == "message" and cursor.kind_at() == "name":
                self._message("", start, token)
            elif token.value == "enum" and cursor.kind_at() == "name":
                self._enum("", start, token)
        return self.out

    def _punct(self) -> bool:
        """Take the punctuation at the cursor (a bracketed group whole); True after ``}``."""
        cursor = self.cursor
        token = cursor.peek()
        if token is not None and token.value in ("{", "(", "["):
            cursor.skip_group()
            return False
        cursor.take()
        return token is not None and token.value == "}"

    def _block_start(self) -> bool:
        if self.cursor.at("{", "punct"):
            self.cursor.take()
            return True
        return False

    def _service(self, start: int, keyword: Token) -> None:
        cursor = self.cursor
        name = cursor.value()
        if not self._block_start():
            return
        service = ProtoService(clip(name, 200), self.comment(start), self.line(keyword))
        self.out.services.append(service)
        while (token := cursor.peek()) is not None:
            if token.value == "}" and token.kind == "punct":
                cursor.take()
                return
            if token.value == "{" and token.kind == "punct":
                cursor.skip_group()
                continue
            at = cursor.pos
            cursor.take()
            if token.kind != "name" or token.value != "rpc" or cursor.kind_at() != "name":
                continue
            rpc_name = cursor.value()
            request = self._rpc_type()
            if request is None or not cursor.at("returns", "name"):
                continue
            cursor.take()
            response = self._rpc_type()
            if response is None:
                continue
            if cursor.at("{", "punct"):
                cursor.skip_group()
            if self.full():
                return
            service.rpcs.append(ProtoRpc(clip(rpc_name, 200), request, response,
                                         self.comment(at), self.line(token)))

    def _rpc_type(self) -> str | None:
        cursor = self.cursor
        if not cursor.at("(", "punct"):
            return None
        cursor.take()
        words: list[str] = []
        while cursor.kind_at() == "name" and len(words) < 2:
            words.append(cursor.value())
        if not cursor.at(")", "punct") or not words or (len(words) == 2 and words[0] != "stream"):
            return None
        cursor.take()
        return clip(" ".join(words), 200)

    def _reserved(self, into: set[str]) -> None:
        cursor = self.cursor
        previous = ""
        while (token := cursor.take()) is not None and token.value != ";":
            if token.kind == "str":
                into.add(token.value.strip("\"'"))
            elif token.kind == "num":
                previous = token.value
                into.add(previous)
            elif token.value == "to" and previous.isdigit():
                end = cursor.value()
                high = int(end) if end.isdigit() else int(previous) + 1000
                for n in range(int(previous) + 1, min(high, int(previous) + 1000) + 1):
                    into.add(str(n))
            if token.value == "}":
                cursor.pos -= 1
                return

    def _message(self, outer: str, start: int, keyword: Token) -> None:
        cursor = self.cursor
        name = f"{outer}.{cursor.value()}" if outer else cursor.value()
        if not self._block_start():
            return
        message = ProtoMessage(clip(name, 200), self.comment(start), self.line(keyword))
        self.out.messages.append(message)
        self._message_body(message, "")

    def _message_body(self, message: ProtoMessage, oneof: str) -> None:
        cursor = self.cursor
        while (token := cursor.peek()) is not None:
            at = cursor.pos
            if token.kind == "punct":
                if self._punct():
                    return
                continue
            word = token.value
            if word in ("message", "enum") and cursor.kind_at(1) == "name" \
                    and cursor.peek(2) is not None and cursor.peek(2).value == "{":
                cursor.take()
                if word == "message":
                    self._message(message.name, at, token)
                else:
                    self._enum(message.name, at, token)
                continue
            if word == "oneof" and cursor.kind_at(1) == "name":
                cursor.take()
                group = cursor.value()
                if self._block_start():
                    self._message_body(message, f"oneof {clip(group, 100)}")
                continue
            if word == "reserved":
                cursor.take()
                self._reserved(message.reserved)
                continue
            if word in ("option", "extensions", "extend", "syntax", "import", "package"):
                self._skip_statement()
                continue
            self._field(message, oneof, at)

    def _skip_statement(self) -> None:
        cursor = self.cursor
        while (token := cursor.peek()) is not None:
            if token.value == "{":
                cursor.skip_group()
                return
            cursor.take()
            if token.value == ";":
                return

    def _field(self, message: ProtoMessage, oneof: str, at: int) -> None:
        cursor = self.cursor
        first = cursor.take()
        label = oneof
        if first.value in ("repeated", "optional", "required") and cursor.kind_at() == "name":
            label = first.value
            first = cursor.take()
        kind = first.value
        if kind == "map" and cursor.at("<"):
            cursor.take()
            parts = []
            while (token := cursor.take()) is not None and token.value != ">":
                parts.append(token.value)
            kind = "map<" + " ".join(parts).replace(" ,", ",") + ">"
        if cursor.kind_at() != "name":
            self._skip_statement()
            return
        name = cursor.value()
        if not cursor.at("="):
            self._skip_statement()
            return
        cursor.take()
        number = cursor.value()
        deprecated = False
        if cursor.at("[", "punct"):
            start = cursor.pos
            cursor.skip_group()
            words = [t.value for t in cursor.tokens[start:cursor.pos]]
            deprecated = "deprecated" in words and "true" in words
        self._skip_statement()
        if self.full():
            return
        line = self.line(first)
        message.fields.append(ProtoField(clip(name, 200), clip(kind, 200), clip(number, 20),
                                         label, self.comment(at) or self.trailing.get(line, ""),
                                         line, deprecated))

    def _enum(self, outer: str, start: int, keyword: Token) -> None:
        cursor = self.cursor
        name = f"{outer}.{cursor.value()}" if outer else cursor.value()
        if not self._block_start():
            return
        enum = ProtoEnum(clip(name, 200), self.comment(start), self.line(keyword))
        self.out.enums.append(enum)
        while (token := cursor.peek()) is not None:
            at = cursor.pos
            if token.kind == "punct":
                if self._punct():
                    return
                continue
            if token.value == "reserved":
                cursor.take()
                self._reserved(enum.reserved)
                continue
            if token.value == "option":
                self._skip_statement()
                continue
            cursor.take()
            if not cursor.at("="):
                self._skip_statement()
                continue
            cursor.take()
            number = cursor.value()
            self._skip_statement()
            if self.full():
                return
            line = self.line(token)
            enum.values.append(ProtoField(clip(token.value, 200), "", clip(number, 20),
                                          comment=self.comment(at) or self.trailing.get(line, ""),
                                          line=line))


def read_proto(text: str) -> ProtoFile:
    """Services, messages and enums of a ``.proto`` text (a DefinitionError if unreadable).

    >>> f = read_proto('syntax = "proto3"; message A { int32 id = 1; reserved 2 to 3; }')
    >>> f.syntax, [(x.name, x.type, x.number) for x in f.messages[0].fields]
    ('proto3', [('id', 'int32', '1')])
    >>> sorted(f.messages[0].reserved)
    ['2', '3']
    """
    return _Walker(text).walk()
