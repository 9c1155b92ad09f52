"""Read a repository's ``mkdocs.yml`` the way TechDocs does, without running any of it.

Only what a docs section needs is read: ``site_name``, ``site_description``,
``docs_dir``, ``nav``, ``repo_url``, ``edit_uri`` and ``markdown_extensions``
(as written: :mod:`generator.docs.extensions` decides what runs). Plugins,
themes, hooks and ``INHERIT`` are ignored; ``!ENV`` values read as unset and
``!!python/…`` tags as :class:`~generator.yamlfile.PythonTag`, never imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.yamlfile import LineIndex, YamlError, iter_documents, nearest_line

__all__ = ["DocsConfig", "NavEntry", "parse_mkdocs_yml"]


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A nav item as written: a page path, a URL, or a section."""

    title: str | None
    target: str | None
    line: int | None
    children: tuple[NavEntry, ...] = ()
    is_section: bool = False


@dataclass(slots=True)
class DocsConfig:
    """The parts of ``mkdocs.yml`` a docs section uses."""

    site_name: str | None = None
    site_description: str | None = None
    docs_dir: str = "docs"
    docs_dir_line: int | None = None
    nav: list[NavEntry] | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    markdown_extensions: list[tuple[str, Any]] | None = None
    """``(name, options)`` in the order written; ``None`` if not set."""
    extensions_line: int | None = None
    plugins: list[str] = field(default_factory=list)
    """Names of the ``plugins`` listed (never run; ``macros`` says ``{{ … }}`` are macros)."""
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    """``(line, message)`` for settings that were present but unusable."""


def _str(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_mkdocs_yml(text: str) -> DocsConfig:
    """Parse ``mkdocs.yml`` text; raise :class:`~generator.yamlfile.YamlError` if not YAML.

    >>> config = parse_mkdocs_yml("site_name: !ENV [NAME, x]\\ndocs_dir: src\\nnav:\\n  - a.md\\n")
    >>> config.site_name, config.docs_dir, [e.target for e in config.nav]
    (None, 'src', ['a.md'])
    """
    docs = list(iter_documents(text, lenient_tags=True, python_tags=True))
    data = docs[0].data if docs else None
    lines = docs[0].lines if docs else {}
    config = DocsConfig()
    if data is None:
        return config
    if not isinstance(data, dict):
        raise YamlError("mkdocs.yml is not a mapping of settings", docs[0].line, "docs-config")
    config.site_name = _str(data.get("site_name"))
    config.site_description = _str(data.get("site_description"))
    config.repo_url = _str(data.get("repo_url"))
    config.edit_uri = _str(data.get("edit_uri"))
    if "docs_dir" in data:
        config.docs_dir_line = lines.get(("docs_dir",))
        docs_dir = _str(data["docs_dir"])
        if docs_dir is None:
            config.errors.append((config.docs_dir_line, "docs_dir must be a folder name"))
        else:
            config.docs_dir = docs_dir
    if data.get("markdown_extensions") is not None:
        config.extensions_line = lines.get(("markdown_extensions",))
        config.markdown_extensions = _extensions(data["markdown_extensions"], lines, config)
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        plugins = list(plugins)
    if isinstance(plugins, list):
        config.plugins = [name for item in plugins for name in
                          ([item] if isinstance(item, str) else
                           list(item) if isinstance(item, dict) else []) if isinstance(name, str)]
    nav = data.get("nav")
    if nav is not None:
        if isinstance(nav, list):
            config.nav = _entries(nav, ("nav",), lines, config)
        else:
            config.errors.append((lines.get(("nav",)), "nav must be a list"))
    return config


def _extensions(value: object, lines: LineIndex, config: DocsConfig) -> list[tuple[str, Any]]:
    """``markdown_extensions`` as MkDocs reads it: a list of names or ``{name: options}``."""
    items = list(value.items()) if isinstance(value, dict) else value
    if not isinstance(items, list):
        config.errors.append((config.extensions_line, "markdown_extensions must be a list of "
                                                      "extension names"))
        return []
    out: list[tuple[str, Any]] = []
    for i, item in enumerate(items):
        if isinstance(item, tuple):
            item = dict([item])
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), None))
        elif isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item)), str):
            (name, options), = item.items()
            if options is not None and not isinstance(options, dict):
                config.errors.append((nearest_line(lines, ("markdown_extensions", i)),
                                      f"markdown_extensions: the options of '{name}' must be "
                                      "a mapping; they are ignored"))
                options = None
            out.append((name.strip(), options))
        else:
            config.errors.append((nearest_line(lines, ("markdown_extensions", i)),
                                  "each markdown_extensions entry must be a name or "
                                  "'name: {options}'"))
    return out


def _entries(items: list, path: tuple[str | int, ...], lines: LineIndex,
             config: DocsConfig) -> list[NavEntry]:
    out: list[NavEntry] = []
    for i, item in enumerate(items):
        where = (*path, i)
        line = nearest_line(lines, where)
        if isinstance(item, str):
            out.append(NavEntry(None, item.strip(), line))
        elif isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            title = str(title)
            if isinstance(value, str):
                out.append(NavEntry(title, value.strip(), line))
            elif isinstance(value, list):
                out.append(NavEntry(title, None, line,
                                    tuple(_entries(value, (*where, title), lines, config)),
                                    is_section=True))
            else:
                config.errors.append((line, f"nav entry '{title}' must name a page, a URL "
                                            "or a list of entries"))
        else:
            config.errors.append((line, "each nav entry must be a page path or "
                                        "'Title: page.md'"))
    return out

