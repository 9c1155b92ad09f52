"""The shape every format reader produces: a Backstage-shaped entity and where each value was.

A reader walks one vendor file with a :class:`FileReader` (typed getters that
report wrong types, unknown keys and YAML 1.1 booleans at their line) and
fills :class:`Draft` objects. A draft is plain Backstage data, so the
entities stage validates it like any ``catalog-info.yaml``; what must be
resolved against the whole organisation (owners, dependencies by alias)
stays in the draft as :class:`Pending` names for :mod:`generator.formats.combine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from generator.problems import Severity
from generator.validation import is_valid_name, is_valid_tag
from generator.yamlfile import LineIndex

__all__ = ["Draft", "FileReader", "Pending", "ReadProblem", "slug", "tag_of", "tier_of"]

Path = tuple[str | int, ...]

YAML11_BOOLEANS = frozenset({"y", "yes", "n", "no", "on", "off", "true", "false"})
"""Words YAML 1.1 reads as booleans (any case)."""


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A problem found while reading a vendor file; the crawl adds the file and repository."""

    line: int
    severity: Severity
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Pending:
    """A name the reader cannot resolve alone (an owner, a dependency, a system)."""

    field: str
    """``owner``, ``dependsOn`` or ``system``."""
    name: str
    """As written, e.g. ``orders_team`` or ``ari:cloud:teams::team/…``."""
    line: int
    """Where it is written."""
    kind: str | None = None
    """Kind of the target when the format says it (``resource`` for a Datadog datastore)."""


@dataclass(slots=True)
class Draft:
    """One entity read from a vendor file, in Backstage's shape."""

    line: int
    """Line the entity starts on."""
    kind: str
    """``Component``, ``Resource``, ``API``, ``System``, ``Domain`` or ``Group``."""
    name: str
    """``metadata.name``: a valid Backstage name made from what the file calls it."""
    metadata: dict = field(default_factory=dict)
    spec: dict = field(default_factory=dict)
    lines: LineIndex = field(default_factory=dict)
    """Backstage field path → line in the vendor file."""
    notes: dict[str, str] = field(default_factory=dict)
    """Backstage field → how the value was derived (``lifecycle: generally_available``)."""
    pending: list[Pending] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    """Every name it answers to (aliases, tags, ids), for matching across files."""

    def set(self, where: str, value: object, line: int, note: str = "") -> None:
        """Set ``metadata.x`` or ``spec.x`` and remember its line."""
        part, key = where.split(".", 1)
        (self.metadata if part == "metadata" else self.spec)[key] = value
        self.lines[(part, key)] = line
        if note:
            self.notes[where] = note

    def owner(self, name: str, line: int) -> None:
        """The owner as written; resolved across formats by :mod:`generator.formats.combine`."""
        self.set("spec.owner", name, line)
        self.pending.append(Pending("owner", name, line))

    def annotate(self, key: str, value: str, line: int) -> None:
        self.metadata.setdefault("annotations", {})[key] = value
        self.lines.setdefault(("metadata", "annotations"), line)
        self.lines[("metadata", "annotations", key)] = line

    def label(self, key: str, value: str, line: int, note: str = "") -> None:
        self.metadata.setdefault("labels", {})[key] = value
        self.lines.setdefault(("metadata", "labels"), line)
        self.lines[("metadata", "labels", key)] = line
        if note:
            self.notes[f"metadata.labels.{key}"] = note

    def tag(self, value: str, line: int) -> None:
        tags = self.metadata.setdefault("tags", [])
        if value not in tags:
            self.lines.setdefault(("metadata", "tags"), line)
            self.lines[("metadata", "tags", len(tags))] = line
            tags.append(value)

    def link(self, url: str, line: int, title: str | None = None, type: str | None = None
             ) -> None:
        links = self.metadata.setdefault("links", [])
        link = {"url": url}
        if title:
            link["title"] = title
        if type:
            link["type"] = type
        self.lines.setdefault(("metadata", "links"), line)
        self.lines[("metadata", "links", len(links))] = line
        links.append(link)

    def data(self) -> dict:
        """The entity as a Backstage descriptor."""
        return {"apiVersion": "backstage.io/v1alpha1", "kind": self.kind,
                "metadata": {"name": self.name, **self.metadata}, "spec": self.spec}


def slug(value: str) -> str:
    """A valid Backstage name from free text: lowercase, other characters become dashes.

    >>> slug("Order Processor"), slug("orders_team"), slug("  ")
    ('order-processor', 'orders_team', '')
    """
    if is_valid_name(value) and value == value.lower():
        return value
    text = re.sub(r"[^a-z0-9_.]+", "-", value.strip().lower())
    text = re.sub(r"^[^a-z0-9]+|[^a-z0-9]+$", "", text)[:63]
    return re.sub(r"[^a-z0-9]+$", "", text)


def tag_of(value: str) -> str:
    """A valid Backstage tag from free text (``Ruby on Rails`` → ``ruby-on-rails``).

    >>> tag_of("DB:Mongo"), tag_of("C++"), tag_of("go 1.22")
    ('db:mongo', 'c++', 'go-1-22')
    """
    text = value.strip().lower()
    if is_valid_tag(text):
        return text
    text = re.sub(r"[^a-z0-9:+#]+", "-", text).strip("-")[:63].strip("-")
    return text if is_valid_tag(text) else ""


def tier_of(value: object) -> str:
    """``tier_1``, ``Tier 1``, ``tier-1`` or ``1`` → ``1``; other words as a slug.

    >>> tier_of("tier_1"), tier_of(2), tier_of("critical")
    ('1', '2', 'critical')
    """
    text = str(value).strip()
    match = re.fullmatch(r"(?i)(?:tier[-_ ]?)?(\d+)", text)
    return match.group(1) if match else slug(text)


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "empty"}.get(type(value),
                                                                          type(value).__name__)


class FileReader:
    """Typed, located access to one vendor document; every surprise becomes a problem."""

    def __init__(self, fmt: str, text: str, line: int, lines: LineIndex) -> None:
        self.fmt = fmt
        self.text = text
        self.start = line
        self.index = lines
        self.problems: list[ReadProblem] = []
        self._node: yaml.Node | bool | None = False

    # -- where ------------------------------------------------------------------

    def line(self, path: Path) -> int:
        """Line of a field path, or of its nearest known parent."""
        while path:
            if path in self.index:
                return self.index[path]
            path = path[:-1]
        return self.start

    def problem(self, path: Path, code: str, message: str,
                severity: Severity = Severity.ERROR) -> None:
        self.problems.append(ReadProblem(self.line(path), severity, code, message))

    @staticmethod
    def name(path: Path) -> str:
        return ".".join(str(p) for p in path)

    # -- what -------------------------------------------------------------------

    def mapping(self, obj: object, path: Path, *, required: bool = False) -> dict:
        """``obj`` when it is a mapping; else a problem and an empty mapping."""
        if isinstance(obj, dict):
            return obj
        if obj is not None or required:
            what = "missing" if obj is None else _type_name(obj)
            self.problem(path, "wrong-type" if obj is not None else "missing-field",
                         f"{self.name(path)} must be a mapping, not {what}")
        return {}

    def known(self, obj: dict, path: Path, keys: frozenset[str] | set[str],
              prefix: str = "") -> None:
        """Warn about keys the format does not define (a typo is otherwise silently lost)."""
        for key in obj:
            if isinstance(key, str) and (key in keys or (prefix and not key.startswith(prefix))):
                continue
            where = (*path, key)
            self.problem(where, "unknown-field",
                         f"{self.name(where) if path else key}: not a field of {self.fmt}; "
                         "check the spelling (it is ignored)", Severity.WARNING)

    def string(self, obj: dict, path: Path, key: str, *, required: bool = False) -> str | None:
        """A string field. Numbers are read as text; a YAML 1.1 boolean is a warning and is
        read as the word written; other types are an error."""
        where = (*path, key)
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(where, "missing-field", f"{self.name(where)} is required")
            return None
        if isinstance(value, bool):
            raw = self.raw(where)
            word = raw if raw is not None and raw.lower() in YAML11_BOOLEANS else str(value)
            self.problem(where, "yaml11-boolean",
                         f"{self.name(where)}: {word} is read as the boolean {str(value).lower()}"
                         f" by YAML 1.1, not as text; quote it (\"{word}\")", Severity.WARNING)
            return word
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str):
            return value.strip() or None
        self.problem(where, "wrong-type",
                     f"{self.name(where)} must be a string, not {_type_name(value)}")
        return None

    def items(self, obj: dict, path: Path, key: str) -> list[tuple[Path, object]]:
        """The items of a list field with their paths; a single value counts as one item."""
        where = (*path, key)
        value = obj.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [((*where, i), v) for i, v in enumerate(value)]
        if isinstance(value, str | dict):
            return [(where, value)]
        self.problem(where, "wrong-type",
                     f"{self.name(where)} must be a list, not {_type_name(value)}")
        return []

    def records(self, obj: dict, path: Path, key: str, fields: frozenset[str], what: str
                ) -> list[tuple[Path, dict]]:
        """The mapping items of a list field, their keys checked; other items are an error
        (``what`` says what a mapping item holds, e.g. ``with a url``)."""
        out = []
        for where, item in self.items(obj, path, key):
            if not isinstance(item, dict):
                self.problem(where, "wrong-type", f"{self.name(where)} must be a mapping {what}")
                continue
            self.known(item, where, fields)
            out.append((where, item))
        return out

    def strings(self, obj: dict, path: Path, key: str) -> list[tuple[str, int]]:
        """The strings of a list field (or one string), each with its line."""
        out = []
        for where, value in self.items(obj, path, key):
            text = self.string({"v": value}, (*where[:-1], "v"), "v") \
                if not isinstance(value, dict | list) else None
            if isinstance(value, dict | list):
                self.problem(where, "wrong-type",
                             f"{self.name(where)} must be a string, not {_type_name(value)}")
            elif text:
                out.append((text, self.line(where)))
        return out

    def raw(self, path: Path) -> str | None:
        """The scalar as written in the file (before YAML 1.1 turned it into a boolean)."""
        if self._node is False:
            try:
                self._node = next((n for n in yaml.compose_all(self.text, Loader=yaml.SafeLoader)
                                   if n is not None and n.start_mark.line + 1 == self.start),
                                  None)
            except yaml.YAMLError:
                self._node = None
        node = self._node
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                    and part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) else None
