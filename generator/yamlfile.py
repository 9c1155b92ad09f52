"""Safe, line-aware YAML loading for untrusted descriptors.

Documents are composed one at a time so that each keeps its line numbers, and
each node graph is measured before it is constructed: an alias bomb (a few
lines that expand to billions of nodes), a recursive alias or nesting deeper
than :data:`MAX_DEPTH` (anchors or not) is refused in time linear in the file,
without building anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

__all__ = ["MAX_DEPTH", "MAX_NODES", "LineIndex", "PythonTag", "YamlDocument", "YamlError",
           "iter_documents", "marked_documents", "nearest_line",
           "nesting_depth"]

MAX_NODES = 200_000
"""Most nodes a document may have once its aliases are expanded."""
MAX_DEPTH = 200
"""Deepest nesting a document may have."""

LineIndex = dict[tuple[str | int, ...], int]
"""Field path (e.g. ``("metadata", "tags", 2)``) to the 1-based line it starts on."""


def nearest_line(lines: LineIndex, path: tuple[str | int, ...]) -> int | None:
    """The line of ``path``, or of its nearest parent that has one; ``None`` if none has.

    >>> lines = {("spec",): 4, ("spec", "owner"): 6}
    >>> nearest_line(lines, ("spec", "owner")), nearest_line(lines, ("spec", "system", 0))
    (6, 4)
    >>> print(nearest_line(lines, ("metadata", "name")))
    None
    """
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps and binary scalars as plain strings."""


def _as_string(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _as_string)
_Loader.add_constructor("tag:yaml.org,2002:binary", _as_string)


class _LenientLoader(_Loader):
    """Reads application tags (``!ENV``, ``!!python/name:``) as ``None``, never running them."""


def _as_none(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_LenientLoader.add_multi_constructor("!", _as_none)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_none)


@dataclass(frozen=True, slots=True)
class PythonTag:
    """A ``!!python/…`` tag as written, never constructed (``mkdocs.yml`` extension options)."""

    tag: str
    """The tag after ``python/``: ``name:pymdownx.superfences.fence_code_format``."""
    value: object = None
    """The node's value as plain data (``{'kwds': {'case': 'lower'}}``)."""


class _TagKeepingLoader(_LenientLoader):
    """Like :class:`_LenientLoader`, but ``!!python/…`` values read as :class:`PythonTag`."""


def _as_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonTag:
    if isinstance(node, yaml.MappingNode):
        value: object = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return PythonTag(suffix, value)


_TagKeepingLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_tag)


class YamlError(ValueError):
    """A document that could not be loaded; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None, code: str = "yaml-syntax") -> None:
        super().__init__(message)
        self.line = line
        self.code = code


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """One document of a YAML stream."""

    line: int
    """Line the document's content starts on."""
    data: object
    """The constructed value (``None`` for an empty document)."""
    lines: LineIndex
    """Where the first levels of fields start, for precise problems."""


def _measure(root: yaml.Node) -> None:
    """Raise :class:`YamlError` if ``root`` expands too far, too deep or into itself."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            in_progress.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise YamlError(
                    f"document expands to more than {MAX_NODES:,} values through aliases "
                    "(an alias bomb?); remove the anchors and aliases",
                    node.start_mark.line + 1, "yaml-too-large")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in in_progress:
            raise YamlError("an alias refers to the value that contains it; remove the "
                            "recursive alias", node.start_mark.line + 1, "yaml-recursive")
        if depth > MAX_DEPTH:
            raise YamlError(f"values are nested more than {MAX_DEPTH} levels deep",
                            node.start_mark.line + 1, "yaml-too-deep")
        in_progress.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) in in_progress:
                raise YamlError("an alias refers to the value that contains it; remove the "
                                "recursive alias", child.start_mark.line + 1, "yaml-recursive")
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _check_depth(root: yaml.Node) -> None:
    """Raise :class:`YamlError` if ``root`` nests deeper than :data:`MAX_DEPTH` (no aliases)."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise YamlError(f"values are nested more than {MAX_DEPTH} levels deep",
                            node.start_mark.line + 1, "yaml-too-deep")
        if not isinstance(node, yaml.ScalarNode):
            stack.extend((child, depth + 1) for child in _children(node))


def nesting_depth(value: object, limit: int = MAX_DEPTH) -> int:
    """How deep lists and mappings nest in ``value``, counted up to ``limit + 1``.

    For data that did not come through :func:`iter_documents` (JSON, say), so
    that no later stage recurses past Python's limit.

    >>> nesting_depth({"a": [1, {"b": 2}]}), nesting_depth([[[[]]]], limit=2)
    (3, 3)
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line_index(root: yaml.Node, depth: int = 4) -> LineIndex:
    index: LineIndex = {}
    stack: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if len(path) >= depth:
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    sub = (*path, key.value)
                    index.setdefault(sub, key.start_mark.line + 1)
                    stack.append((sub, value))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                sub = (*path, i)
                index.setdefault(sub, value.start_mark.line + 1)
                stack.append((sub, value))
    return index


def _error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def iter_documents(text: str, *, index_lines: bool = True, lenient_tags: bool = False,
                   python_tags: bool = False, line_depth: int = 4) -> Iterator[YamlDocument]:
    """Yield each document of ``text``; raise :class:`YamlError` at the first bad one.

    Documents before the bad one have already been yielded, so a caller keeps
    them. With ``lenient_tags`` (an ``mkdocs.yml``), values with application
    tags such as ``!ENV`` or ``!!python/name:`` read as ``None``; with
    ``python_tags`` too, ``!!python/…`` values read as :class:`PythonTag`
    (what they name, never imported or called). ``line_depth`` is how deep field paths
    are indexed (an API definition's checks point deeper than a descriptor's).

    >>> [d.data for d in iter_documents("a: 1\\n---\\n---\\nb: 2\\n")]
    [{'a': 1}, None, {'b': 2}]
    """
    has_anchors = "&" in text  # without anchors there are no aliases to expand
    if not (has_anchors or lenient_tags or python_tags) and _Loader is not yaml.SafeLoader:
        fast = _plain_documents(text, line_depth if index_lines else 0)
        if fast is not None:
            yield from fast
            return
    loader = (_TagKeepingLoader if python_tags else
              _LenientLoader if lenient_tags else _Loader)(text)
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
            except yaml.YAMLError as exc:
                raise YamlError(f"invalid YAML: {_describe(exc)}", _error_line(exc)) from None
            if node is None:
                continue
            if has_anchors:
                _measure(node)
            else:
                _check_depth(node)
            try:
                data = construct(loader, node, has_anchors)
            except yaml.YAMLError as exc:
                raise YamlError(f"cannot read value: {_describe(exc)}",
                                _error_line(exc), "yaml-value") from None
            except TypeError as exc:
                raise YamlError(f"cannot read value: {exc}", node.start_mark.line + 1,
                                "yaml-value") from None
            except RecursionError:
                raise YamlError("values are nested too deeply to read",
                                node.start_mark.line + 1, "yaml-too-deep") from None
            lines = _line_index(node, line_depth) if index_lines else {}
            yield YamlDocument(_content_line(node), data, lines)
    finally:
        loader.dispose()


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE, _VALUE = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"


class _Unusual(Exception):
    """A node the plain constructor leaves to PyYAML's (merge keys, tagged collections…)."""


def construct(loader: yaml.BaseLoader, node: yaml.Node, shared: bool = True) -> object:
    """``loader.construct_document(node)``, faster for plain documents.

    PyYAML's constructor runs several Python calls per node; for strings, mappings and
    lists with their standard tags the values are built here directly (other scalars by
    the loader's own constructors), and anything else (merge keys, ``=`` keys, tagged or
    complex keys, tagged collections) is left to PyYAML. ``shared``: the document may
    have aliases, so a node met twice gives the same object, as PyYAML does.
    """
    seen: dict[int, object] | None = {} if shared else None
    scalar = loader.construct_object

    def build(node: yaml.Node) -> object:
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return node.value if node.tag == _STR else scalar(node, deep=True)
        if seen is not None and id(node) in seen:
            return seen[id(node)]
        if cls is yaml.MappingNode:
            if node.tag != _MAP:
                raise _Unusual
            out: dict = {}
            if seen is not None:
                seen[id(node)] = out
            for key_node, value_node in node.value:
                if key_node.__class__ is not yaml.ScalarNode or key_node.tag in (_MERGE, _VALUE):
                    raise _Unusual
                key = build(key_node)
                try:
                    hash(key)
                except TypeError:
                    raise _Unusual from None
                out[key] = build(value_node)
            return out
        if cls is yaml.SequenceNode and node.tag == _SEQ:
            items: list = []
            if seen is not None:
                seen[id(node)] = items
            items.extend(build(child) for child in node.value)
            return items
        raise _Unusual

    try:
        return build(node)
    except _Unusual:
        return loader.construct_document(node)
    finally:
        loader.constructed_objects = {}


_PLAIN_TAGS = frozenset({_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                         "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                         "tag:yaml.org,2002:timestamp"})
_MISSING = object()
_SCALAR, _MAP_START, _MAP_END = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOC_END = yaml.DocumentEndEvent


def _plain_documents(text: str, depth: int) -> list[YamlDocument] | None:
    """The documents of ``text`` built straight from libyaml's events, or ``None`` when the
    stream has anything but untagged scalars, mappings with scalar keys and lists (tags,
    aliases, merge keys, nesting past :data:`MAX_DEPTH`) or is not valid YAML: then the
    composing path of :func:`iter_documents` reads it, as it reads every file it is given.

    Composing builds a node per value and asks PyYAML's Python resolver for each one's tag;
    here a plain scalar is resolved only when its first character could start a non-string
    (``resolve`` keyed by it), and field lines come from the same events' marks. Values,
    lines and :class:`YamlDocument` are the same as the composing path's.
    """
    loader = _Loader(text)
    first_chars = loader.yaml_implicit_resolvers
    if None in first_chars:  # a resolver for any first character: compose
        loader.dispose()
        return None
    constructors = loader.yaml_constructors
    resolved: dict[str, object] = {}
    docs: list[YamlDocument] = []
    get = loader.get_event
    # One frame per open collection: [container, its path if its children are indexed
    # (else None), the key awaiting its value (_MISSING: the next scalar is a key), raw key,
    # whether it is a mapping]
    stack: list[list] = []
    try:
        get()  # StreamStartEvent
        while True:
            event = get()
            if event.__class__ is yaml.StreamEndEvent:
                return docs
            index: LineIndex = {}
            root: object = _MISSING
            start = 0
            while True:
                event = get()
                cls = event.__class__
                if cls is _SCALAR:
                    if event.tag is not None:
                        return None
                    raw = event.value
                    if raw[:1] in first_chars and event.implicit[0]:
                        value = resolved.get(raw, _MISSING)
                        if value is _MISSING:
                            tag = loader.resolve(yaml.ScalarNode, raw, event.implicit)
                            if tag not in _PLAIN_TAGS:
                                return None
                            value = constructors[tag](loader, yaml.ScalarNode(
                                tag, raw, event.start_mark, event.end_mark))
                            resolved[raw] = value
                    else:
                        value = raw
                    if stack:
                        frame = stack[-1]
                        if frame[2] is _MISSING and frame[4]:  # a key
                            frame[2], frame[3] = value, raw
                            if frame[1] is not None:
                                index.setdefault((*frame[1], raw), event.start_mark.line + 1)
                            continue
                elif cls is _MAP_END or cls is _SEQ_END:
                    stack.pop()
                    continue
                elif cls is _MAP_START or cls is _SEQ_START:
                    if event.tag is not None or len(stack) >= MAX_DEPTH:
                        return None
                    value = {} if cls is _MAP_START else []
                elif cls is _DOC_END:
                    break
                else:  # an alias
                    return None
                if not stack:
                    root, start = value, event.start_mark.line + 1
                    path: tuple | None = ()
                else:
                    frame = stack[-1]
                    parent = frame[1]
                    if frame[4]:
                        if frame[2] is _MISSING:
                            return None  # a collection as a key
                        frame[0][frame[2]] = value
                        path = None if parent is None else (*parent, frame[3])
                        frame[2] = _MISSING
                    else:
                        container = frame[0]
                        if parent is None:
                            path = None
                        else:
                            path = (*parent, len(container))
                            index.setdefault(path, event.start_mark.line + 1)
                        container.append(value)
                if cls is not _SCALAR:
                    stack.append([value, path if path is not None and len(path) < depth
                                  else None, _MISSING, None, cls is _MAP_START])
            docs.append(YamlDocument(start, None if root is _MISSING else root, index))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None  # the composing path reports it, with its line
    finally:
        loader.dispose()


_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")
"""Line breaks of YAML besides "\\n": in a file with one (or Windows line ends), lines are
not counted by :func:`marked_documents`."""


def marked_documents(text: str, lines: list[int]) -> list[bool] | None:
    """For the documents starting on ``lines`` (1-based, in stream order): whether a "$" or a
    "\\" is written from each one's first line to the end of the line the next one starts on
    (where all of its text lies); ``None`` where lines are counted otherwise.

    A key such as ``$text`` is written with a "$" or a "\\" escape: a document without
    either in its lines has none.

    >>> marked_documents("a: 1\\n---\\nb: {$text: x}\\n---\\nc: 3\\n---\\nd: 4\\n", [1, 3, 5, 7])
    [True, True, False, False]
    """
    if _OTHER_BREAKS.intersection(text):
        return None
    starts: list[int] = []
    pos, line = 0, 1
    for want in lines:
        while line < want and pos < len(text):
            found = text.find("\n", pos)
            pos = len(text) if found < 0 else found + 1
            line += 1
        starts.append(pos)
    marked = []
    for i, start in enumerate(starts):
        end = len(text)
        if i + 1 < len(starts):
            found = text.find("\n", starts[i + 1])
            end = len(text) if found < 0 else found
        marked.append(text.find("$", start, end) >= 0 or text.find("\\", start, end) >= 0)
    return marked


def _content_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        return f"{problem} ({context})" if context else str(problem)
    return str(exc).splitlines()[0]
