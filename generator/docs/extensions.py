"""The Markdown dialect of one docs section: TechDocs' own, with the project's extensions merged in.

A repository's ``mkdocs.yml`` lists ``markdown_extensions``. Those on an
allowlist (Python-Markdown's built-ins and ``pymdownx.*``, whose code ships
with Paved Road and reads nothing outside the page) are merged over the
TechDocs dialect, as TechDocs keeps them; others are ignored and named in one
problem. Options are plain data: a ``!!python/name:`` tag is never imported
but looked up in a table of known safe functions (Material's emoji index,
``pymdownx.superfences.fence_code_format`` for Mermaid fences, the
``pymdownx.slugs`` slugifiers); anything else (a custom fence's own
formatter, custom icon folders) is dropped and named too.

``pymdownx.snippets`` is never run as an extension: the docs stage expands
snippets itself (:mod:`generator.docs.snippets`), inside the repository, and
takes ``base_path`` and ``auto_append`` from here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from generator.docs.graphviz import FENCES as GRAPHVIZ_FENCES
from generator.yamlfile import PythonTag

__all__ = [
    "BUILTINS",
    "DOCS_EXTENSIONS",
    "MERMAID_FENCE",
    "Extensions",
    "MarkdownSettings",
    "SnippetOptions",
    "merge_extensions",
]

MERMAID_FENCE = {"name": "mermaid", "class": "mermaid",
                 "format": "pymdownx.superfences:fence_code_format"}
"""```` ```mermaid ```` as ``<pre class="mermaid">``, which Material draws with Mermaid."""

Extensions = tuple[tuple[str, dict[str, Any]], ...]
"""``(extension name, settings)`` in load order; settings are plain data (see
:func:`generator.docs.render.resolve_setting`)."""

DOCS_EXTENSIONS: Extensions = (
    ("abbr", {}),
    ("admonition", {}),
    ("attr_list", {}),
    ("def_list", {}),
    ("footnotes", {}),
    ("md_in_html", {}),
    ("tables", {}),
    ("toc", {"permalink": True}),
    ("pymdownx.betterem", {"smart_enable": "all"}),
    ("pymdownx.caret", {}),
    ("pymdownx.critic", {}),
    ("pymdownx.details", {}),
    ("pymdownx.emoji", {"emoji_index": "material.extensions.emoji:twemoji",
                        "emoji_generator": "generator.docs.emoji:to_svg"}),
    ("pymdownx.highlight", {}),
    ("pymdownx.inlinehilite", {}),
    ("pymdownx.magiclink", {}),
    ("pymdownx.mark", {}),
    ("pymdownx.smartsymbols", {}),
    ("pymdownx.superfences", {"custom_fences": [*GRAPHVIZ_FENCES, MERMAID_FENCE]}),
    ("pymdownx.tabbed", {"alternate_style": True}),
    ("pymdownx.tasklist", {"custom_checkbox": True}),
    ("pymdownx.tilde", {}),
    ("mdx_truly_sane_lists", {}),
)
"""The Markdown extensions mkdocs-techdocs-core enables, as far as they work offline.

```` ```dot ```` fences are drawn by Graphviz (:mod:`generator.docs.graphviz`);
```` ```mermaid ```` fences are left to Material's Mermaid integration, with a
Mermaid script shipped in the package (``generator/assets/mermaid/``).
``mdx_truly_sane_lists`` nests lists indented by two spaces, as TechDocs does.
Emoji are inline SVG (Material icons) or the Unicode character, never an
image from a CDN.
"""

BUILTINS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
    "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
    "smarty", "tables", "toc", "wikilinks"})
"""Python-Markdown's own extensions."""

_PYMDOWNX = frozenset({
    "arithmatex", "betterem", "caret", "critic", "details", "emoji", "escapeall", "extra",
    "fancylists", "highlight", "inlinehilite", "keys", "magiclink", "mark", "progressbar",
    "quotes", "saneheaders", "smartsymbols", "striphtml", "superfences", "tabbed", "tasklist",
    "tilde", "blocks.admonition", "blocks.caption", "blocks.definition", "blocks.details",
    "blocks.html", "blocks.tab"})
"""``pymdownx`` extensions that read nothing but the page (``b64`` reads image files and
``pathconverter`` rewrites links: both are left out; ``snippets`` is the docs stage's)."""

_ALSO = frozenset({"mdx_truly_sane_lists"})
"""Others TechDocs itself enables."""

_EXTRA = ("abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables")
"""``extra`` without ``fenced_code``, which would replace superfences' fences."""
_PYMDOWNX_EXTRA = ("pymdownx.betterem", "pymdownx.superfences", "footnotes", "attr_list",
                   "def_list", "tables", "abbr", "md_in_html")

_EMOJI = "generator.docs.emoji:to_svg"
_TWEMOJI = "material.extensions.emoji:twemoji"
_SAFE_NAMES = {
    "material.extensions.emoji.twemoji": _TWEMOJI,
    "materialx.emoji.twemoji": _TWEMOJI,
    "material.extensions.emoji.to_svg": _EMOJI,
    "materialx.emoji.to_svg": _EMOJI,
    "pymdownx.emoji.twemoji": "pymdownx.emoji:twemoji",
    "pymdownx.emoji.gemoji": "pymdownx.emoji:gemoji",
    "pymdownx.emoji.emojione": "pymdownx.emoji:emojione",
    "pymdownx.emoji.to_alt": "pymdownx.emoji:to_alt",
    "pymdownx.superfences.fence_code_format": "pymdownx.superfences:fence_code_format",
    "pymdownx.superfences.fence_div_format": "pymdownx.superfences:fence_div_format",
    "markdown.extensions.toc.slugify": "markdown.extensions.toc:slugify",
    "markdown.extensions.toc.slugify_unicode": "markdown.extensions.toc:slugify_unicode",
}
"""``!!python/name:`` values known to be pure functions, as ``module:name`` settings.

Every emoji generator becomes the offline one (the others load images from a CDN)."""
_SAFE_PREFIXES = ("pymdownx.slugs.", "pymdownx.arithmatex.")
"""Modules whose public functions (and factories, ``!!python/object/apply:``) are pure."""


@dataclass(frozen=True, slots=True)
class SnippetOptions:
    """``pymdownx.snippets`` settings the docs stage honours."""

    base_path: tuple[str, ...] = (".",)
    """Folders (or files) snippets are looked up in, relative to ``mkdocs.yml``'s folder."""
    auto_append: tuple[str, ...] = ()
    """Snippets appended to every page (abbreviations, link references)."""
    line: int | None = None
    """Line of ``markdown_extensions`` in ``mkdocs.yml``, for problems."""


@dataclass(frozen=True, slots=True)
class MarkdownSettings:
    """One section's dialect and what of the project's own settings was left out."""

    extensions: Extensions = DOCS_EXTENSIONS
    snippets: SnippetOptions = SnippetOptions()
    ignored: tuple[str, ...] = ()
    """Extensions not on the allowlist, and options dropped (``name: option``)."""


def canonical_name(name: str) -> str:
    """The short name of an extension: ``markdown.extensions.toc`` → ``toc``.

    >>> canonical_name("markdown.extensions.admonition"), canonical_name("pymdownx.tabbed")
    ('admonition', 'pymdownx.tabbed')
    """
    name = name.strip()
    for prefix in ("markdown.extensions.", "mdx_"):
        if name.startswith(prefix) and name[len(prefix):] in BUILTINS:
            return name[len(prefix):]
    return name.partition(":")[0]


def is_allowed(name: str) -> bool:
    """Whether an extension may run on repository docs.

    >>> is_allowed("pymdownx.blocks.admonition"), is_allowed("toc"), is_allowed("pymdownx.b64")
    (True, True, False)
    >>> is_allowed("markdown_include.include")
    False
    """
    return name in BUILTINS or name in _ALSO or (
        name.startswith("pymdownx.") and name[len("pymdownx."):] in _PYMDOWNX)


def merge_extensions(entries: list[tuple[str, Any]]) -> MarkdownSettings:
    """The TechDocs dialect with ``entries`` (``markdown_extensions`` as read) merged over it.

    An extension TechDocs already has takes the project's options over its
    own; a new one is added after them.

    >>> s = merge_extensions([("pymdownx.blocks.admonition", None), ("toc", {"toc_depth": 2}),
    ...                       ("mkdocs_click", None)])
    >>> dict(s.extensions)["toc"], s.extensions[-1][0], s.ignored
    ({'permalink': True, 'toc_depth': 2}, 'pymdownx.blocks.admonition', ('mkdocs_click',))
    """
    merged: dict[str, dict[str, Any]] = {name: copy.deepcopy(cfg) for name, cfg in DOCS_EXTENSIONS}
    ignored: list[str] = []
    snippets = SnippetOptions()
    for raw_name, raw_options in _expand(entries):
        name = canonical_name(raw_name)
        options = raw_options if isinstance(raw_options, dict) else {}
        if name == "pymdownx.snippets":
            snippets = _snippet_options(options, ignored)
            continue
        if not is_allowed(name):
            if name not in ignored:
                ignored.append(name)
            continue
        if name == "fenced_code" and "pymdownx.superfences" in merged:
            continue  # superfences is the same, and more; loaded after, it would be replaced
        safe = {key: value for key, value in
                ((k, _safe_value(name, str(k), v, ignored)) for k, v in options.items())
                if value is not _DROP}
        if name == "pymdownx.superfences":
            safe = _fences(merged.get(name, {}), safe)
        if name == "pymdownx.emoji":
            safe = _emoji(safe)
        merged.setdefault(name, {}).update(safe)
    return MarkdownSettings(tuple(merged.items()), snippets, tuple(ignored))


def _expand(entries: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """``extra`` and ``pymdownx.extra`` as their parts (each part's options kept)."""
    out: list[tuple[str, Any]] = []
    for name, options in entries:
        short = canonical_name(name)
        if short in ("extra", "pymdownx.extra"):
            parts = _EXTRA if short == "extra" else _PYMDOWNX_EXTRA
            configs = options if isinstance(options, dict) else {}
            out += [(part, configs.get(f"markdown.extensions.{part}", configs.get(part)))
                    for part in parts]
        else:
            out.append((name, options))
    return out


class _Drop:
    """An option value that cannot be used safely."""


_DROP = _Drop()


def _safe_value(name: str, key: str, value: Any, ignored: list[str]) -> Any:
    """``value`` as plain data, tags mapped to safe functions; ``_DROP`` if it cannot be."""
    if isinstance(value, PythonTag):
        mapped = _python_tag(value)
        if mapped is None:
            ignored.append(f"{name}: {key} (!!python/{value.tag})")
            return _DROP
        return mapped
    if isinstance(value, list):
        items = [_safe_value(name, key, v, ignored) for v in value]
        return [v for v in items if v is not _DROP]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if name == "pymdownx.emoji" and k == "custom_icons":
                ignored.append(f"{name}: options.custom_icons (reads files)")
                continue
            safe = _safe_value(name, key, v, ignored)
            if safe is _DROP:
                if key in ("custom_fences", "custom_inline"):
                    return _DROP  # a fence whose formatter cannot run is left out whole
                continue
            out[str(k)] = safe
        return out
    return value


def _python_tag(tag: PythonTag) -> str | tuple | None:
    """A safe ``module:name`` (or a call of one) for a ``!!python/…`` tag, or ``None``.

    >>> _python_tag(PythonTag("name:material.extensions.emoji.twemoji"))
    'material.extensions.emoji:twemoji'
    >>> _python_tag(PythonTag("object/apply:pymdownx.slugs.slugify", {"kwds": {"case": "lower"}}))
    ('call', 'pymdownx.slugs:slugify', {'case': 'lower'})
    >>> print(_python_tag(PythonTag("object/apply:os.system", ["rm -rf /"])))
    None
    """
    kind, _, dotted = tag.tag.partition(":")
    module, _, attr = dotted.rpartition(".")
    safe_module = dotted.startswith(_SAFE_PREFIXES) and attr and not attr.startswith("_")
    if kind == "name":
        if dotted in _SAFE_NAMES:
            return _SAFE_NAMES[dotted]
        return f"{module}:{attr}" if safe_module else None
    if kind == "object/apply" and safe_module:
        kwds = tag.value.get("kwds", {}) if isinstance(tag.value, dict) else {}
        if isinstance(kwds, dict) and all(isinstance(v, str | int | float | bool | None)
                                          for v in kwds.values()):
            return ("call", f"{module}:{attr}", {str(k): v for k, v in kwds.items()})
    return None


def _fences(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """The project's custom fences after ours (Graphviz fences keep their names)."""
    fences = list(ours.get("custom_fences", []))
    names = {f.get("name") for f in fences}
    for fence in theirs.get("custom_fences", []) or []:
        if isinstance(fence, dict) and fence.get("name") not in names:
            fences.append(fence)
    return {**theirs, "custom_fences": fences}


def _emoji(options: dict[str, Any]) -> dict[str, Any]:
    """Emoji settings with the offline generator whatever the project named."""
    if options.get("emoji_generator", _EMOJI) not in (_EMOJI, "pymdownx.emoji:to_alt"):
        options["emoji_generator"] = _EMOJI
    return options


def _snippet_options(options: dict[str, Any], ignored: list[str]) -> SnippetOptions:
    def paths(value: Any) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        return tuple(str(v) for v in items if isinstance(v, str | int) and str(v).strip())

    for key in ("url_download", "url_request_headers"):
        if options.get(key):
            ignored.append(f"pymdownx.snippets: {key} (snippets are never downloaded)")
    base = paths(options["base_path"]) if "base_path" in options else (".",)
    return SnippetOptions(base or (".",), paths(options.get("auto_append", [])))
