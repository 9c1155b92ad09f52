"""The docs stage: find each entity's TechDocs and turn them into site sections.

For every entity with ``backstage.io/techdocs-ref: dir:<path>`` (relative to
the descriptor's folder, as in Backstage) this reads that folder's
``mkdocs.yml`` (or uses ``docs/`` in directory order), lists the Markdown
pages and the other files under ``docs_dir``, expands ``--8<--`` snippets,
turns GitHub alerts into admonitions and resolves every link to its place in
the portal. Nothing outside the repository is read: ``docs_dir``, snippets
and files must stay inside it, and symbolic links out of it are refused.
Everything that goes wrong is a :class:`~generator.problems.Problem` on the
entity, pointing at the file and line; the stage always completes.

Several entities often name the same folder (every component of a
repository, say). The folder becomes one section, under the first of them
(components first, then by ref); the others link to it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from generator.docs.config import DocsConfig, NavEntry, parse_mkdocs_yml
from generator.docs.markdown import (
    LinkKind,
    convert_alerts,
    markdown_title,
    plain_text,
    rewrite_links,
    split_front_matter,
)
from generator.docs.model import DocPage, Docs, DocSite, DocsLink, NavNode, SourceLinks
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.repofiles import file_refusal, read_repo_file
from generator.sources import DEFAULT_MAX_FILE_SIZE, display_path
from generator.urls import entity_page, relative_url
from generator.validation import is_safe_url
from generator.yamlfile import YamlError

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["MARKDOWN_SUFFIXES", "collect_docs", "source_links"]

TECHDOCS_REF = "backstage.io/techdocs-ref"
TECHDOCS_ENTITY = "backstage.io/techdocs-entity"
TECHDOCS_ENTITY_PATH = "backstage.io/techdocs-entity-path"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""File suffixes MkDocs reads as pages."""
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
MAX_SNIPPET_DEPTH = 8

_SNIPPET = re.compile(r"^(?P<space>[ \t]*)(?P<escape>;*)(?P<marker>-+8<-+)"
                      r"(?:[ \t]+(?P<path>\"[^\"\n]+\"|'[^'\n]+'))?[ \t]*$")
_SECTION_MARK = re.compile(r"-+8<-+[ \t]+\[[ \t]*(?:start|end)[ \t]*:[ \t]*"
                           r"[A-Za-z][-_0-9A-Za-z]*[ \t]*\]")
_SNIPPET_SPEC = re.compile(r"^(?P<path>.+?)(?::(?P<start>-?\d*)(?::(?P<end>-?\d*))?|"
                           r":(?P<section>[A-Za-z][-_0-9A-Za-z]*))?$")
_REPO_URL = [
    (re.compile(r"^(https?://[^/?#]+/.+?)/-/(?:tree|blob|edit)/([^/?#]+)"), "/-/blob/", "/-/edit/"),
    (re.compile(r"^(https?://[^/?#]+/[^/?#]+/[^/?#]+)/(?:tree|blob|edit)/([^/?#]+)"),
     "/blob/", "/edit/"),
    (re.compile(r"^(https?://[^/?#]+/[^/?#]+/[^/?#]+)/src/([^/?#]+)"), "/src/", None),
]


def collect_docs(catalog: Catalog, repositories: list[Repository], *,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Docs:
    """Every documented entity's docs section, ready to be rendered."""
    return _Collector(catalog, repositories, max_file_size).run()


def _owner_order(entity: Entity) -> tuple[bool, EntityRef]:
    return entity.ref.kind != "component", entity.ref


def _inside(root: Path, path: Path) -> Path | None:
    """``path`` resolved, if it stays inside ``root`` both as written and after symlinks."""
    normal = Path(os.path.normpath(path))
    if not normal.is_relative_to(root):
        return None
    try:
        real = normal.resolve()
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root) else None


def _rel(root: Path, path: Path) -> str:
    return PurePosixPath(os.path.relpath(path, root)).as_posix()


def _title_from_name(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _page_path(rel: str) -> str:
    """Site path of a Markdown file: any Markdown suffix becomes ``.md``."""
    stem, suffix = posixpath.splitext(rel)
    return stem + ".md" if suffix.lower() in MARKDOWN_SUFFIXES else rel


def source_links(config: DocsConfig | None, entity: Entity, docs_dir: str) -> SourceLinks | None:
    """Repository-browser URLs of ``docs_dir``, as TechDocs derives them.

    An explicit ``repo_url`` plus ``edit_uri`` in ``mkdocs.yml`` wins; else the
    repository comes from ``backstage.io/source-location``,
    ``backstage.io/edit-url`` or ``github.com/project-slug``.
    """
    if config and config.repo_url and config.edit_uri and is_safe_url(config.repo_url):
        edit = posixpath.join(config.repo_url.rstrip("/") + "/",
                              config.edit_uri.strip("/")) + "/"
        view = None
        for _, blob, edit_part in _REPO_URL:
            if edit_part and edit_part in edit:
                view = edit.replace(edit_part, blob, 1)
                break
        return SourceLinks(view if view and is_safe_url(view) else None,
                           edit if is_safe_url(edit) else None)
    notes = entity.annotations
    candidates = []
    location = notes.get("backstage.io/source-location", "")
    if location.startswith("url:"):
        candidates.append(location[4:].strip())
    if notes.get("backstage.io/edit-url"):
        candidates.append(notes["backstage.io/edit-url"].strip())
    for url in candidates:
        if not is_safe_url(url):
            continue
        for pattern, blob, edit_part in _REPO_URL:
            match = pattern.match(url)
            if match:
                root, ref = match.groups()
                return _links(root, ref, blob, edit_part, docs_dir)
        if "github.com/" in url and url.rstrip("/").count("/") == 4:
            return _links(url.rstrip("/"), "HEAD", "/blob/", "/edit/", docs_dir)
    slug = notes.get("github.com/project-slug", "")
    if re.fullmatch(r"[\w.-]+/[\w.-]+", slug):
        return _links(f"https://github.com/{slug}", "HEAD", "/blob/", "/edit/", docs_dir)
    return None


def _links(root: str, ref: str, blob: str, edit: str | None, docs_dir: str) -> SourceLinks:
    tail = f"{ref}/{docs_dir.strip('/')}/" if docs_dir not in ("", ".") else f"{ref}/"
    view = f"{root}{blob}{tail}"
    edit_url = f"{root}{edit}{tail}" if edit else None
    return SourceLinks(view if is_safe_url(view) else None,
                       edit_url if edit_url and is_safe_url(edit_url) else None)


class _Collector:
    def __init__(self, catalog: Catalog, repositories: list[Repository], max_size: int) -> None:
        self.catalog = catalog
        self.max_size = max_size
        self.docs = Docs()
        self.repos: dict[str, list[Repository]] = defaultdict(list)
        for repo in repositories:
            self.repos[repo.name].append(repo)
        self.configs: dict[EntityRef, DocsConfig | None] = {}
        self.targets: dict[str, str] = {}
        """Absolute path (as written, normalised) → site path, for every page, file and folder."""

    # -- problems -----------------------------------------------------------

    def problem(self, severity: Severity, code: str, message: str, *, repo: Repository,
                rel: str | None, line: int | None, entity: EntityRef) -> None:
        file = display_path(repo.root / rel) if rel is not None else None
        self.docs.problems.append(Problem(severity, code, message, file=file, line=line,
                                          entity=str(entity), repo=repo.name))

    def entity_problem(self, entity: Entity, severity: Severity, code: str,
                       message: str) -> None:
        prov = entity.provenance
        self.docs.problems.append(Problem(severity, code, message, file=prov.file,
                                          line=prov.line, entity=str(entity.ref),
                                          repo=prov.repo))

    # -- stage --------------------------------------------------------------

    def run(self) -> Docs:
        entities = sorted(self.catalog.entities.values(), key=_owner_order)
        by_folder: dict[tuple[Path, str], DocSite] = {}
        for entity in entities:
            if TECHDOCS_ENTITY in entity.annotations:
                continue
            ref_value = entity.annotations.get(TECHDOCS_REF)
            if ref_value is None:
                continue
            found = self.techdocs_dir(entity, ref_value)
            if found is None:
                continue
            repo, root = found
            site = by_folder.get((repo.root, root))
            if site is not None:
                site.shared_with.append(entity.ref)
                self.docs.links[entity.ref] = DocsLink(site.ref, site.index, shared=True)
                continue
            site = self.site(entity, repo, root)
            if site is None:
                continue
            by_folder[(repo.root, root)] = site
            self.docs.sites[entity.ref] = site
            self.docs.links[entity.ref] = DocsLink(site.ref, site.index)
        for entity in entities:
            if TECHDOCS_ENTITY in entity.annotations:
                self.link_other(entity)
        for site in self.docs.sites.values():
            self.index_targets(site)
        for site in self.docs.sites.values():
            for page in site.pages.values():
                self.transform(site, page)
        self.docs.sites = dict(sorted(self.docs.sites.items()))
        return self.docs

    def repository(self, entity: Entity) -> Repository | None:
        candidates = self.repos.get(entity.provenance.repo, [])
        for repo in candidates:
            if (repo.root / entity.provenance.path).is_file():
                return repo
        return candidates[0] if candidates else None

    def techdocs_dir(self, entity: Entity, value: str) -> tuple[Repository, str] | None:
        """The repository and folder (relative to it) a ``techdocs-ref`` names."""
        value = value.strip()
        kind, sep, target = value.partition(":")
        if not sep or kind not in ("dir", "url"):
            self.entity_problem(entity, Severity.WARNING, "docs-invalid-ref",
                                f"{TECHDOCS_REF} '{value}' is not 'dir:<folder>' or "
                                "'url:<address>'; write e.g. 'dir:.' for docs next to the "
                                "descriptor")
            return None
        if kind == "url":
            self.entity_problem(entity, Severity.INFO, "docs-remote-ref",
                                f"{TECHDOCS_REF} {target} is a URL; Paved Road builds docs only "
                                "from crawled repositories, so it was not fetched (use "
                                "'dir:<folder>' and list the repository in sources.yaml)")
            return None
        repo = self.repository(entity)
        if repo is None:
            return None
        target = target.strip() or "."
        base = (repo.root / entity.provenance.path).parent
        folder = base / target
        if PurePosixPath(target).is_absolute() or Path(target).is_absolute() or \
                _inside(repo.root, folder) is None:
            self.entity_problem(entity, Severity.ERROR, "docs-outside-repository",
                                f"{TECHDOCS_REF} 'dir:{target}' points outside the repository "
                                f"'{repo.name}'; docs are read only from inside it")
            return None
        if not folder.is_dir():
            self.entity_problem(entity, Severity.WARNING, "docs-missing",
                                f"{TECHDOCS_REF} 'dir:{target}' is not a folder of "
                                f"'{repo.name}'")
            return None
        rel = _rel(repo.root, Path(os.path.normpath(folder)))
        return repo, rel

    # -- one section ----------------------------------------------------------

    def site(self, entity: Entity, repo: Repository, root: str) -> DocSite | None:
        folder = repo.root / root
        config, config_rel = self.read_config(entity, repo, root)
        docs_dir_name = config.docs_dir if config else "docs"
        docs_dir = folder / docs_dir_name
        line = config.docs_dir_line if config else None
        if Path(docs_dir_name).is_absolute() or _inside(repo.root, docs_dir) is None:
            self.problem(Severity.ERROR, "docs-outside-repository",
                         f"docs_dir '{docs_dir_name}' points outside the repository "
                         f"'{repo.name}'; docs are read only from inside it",
                         repo=repo, rel=config_rel, line=line, entity=entity.ref)
            return None
        if not docs_dir.is_dir():
            where = f"'{root}'" if root != "." else "the repository root"
            what = (f"docs_dir '{docs_dir_name}' does not exist" if config else
                    f"{where} has neither mkdocs.yml nor a docs/ folder")
            message = f"{what}; add the Markdown pages there or fix {TECHDOCS_REF}"
            if config_rel is None:
                self.entity_problem(entity, Severity.WARNING, "docs-missing", message)
            else:
                self.problem(Severity.WARNING, "docs-missing", message, repo=repo,
                             rel=config_rel, line=line, entity=entity.ref)
            return None
        docs_rel = _rel(repo.root, Path(os.path.normpath(docs_dir)))
        site = DocSite(ref=entity.ref, repo=repo, root=root, docs_dir=docs_rel,
                       title=(config.site_name if config and config.site_name else entity.title),
                       description=(config.site_description if config and
                                    config.site_description else entity.description),
                       source=source_links(config, entity, docs_rel))
        sources = self.list_files(site, Path(os.path.normpath(docs_dir)))
        if not site.pages:
            self.entity_problem(entity, Severity.WARNING, "docs-missing",
                                f"'{docs_rel}' has no Markdown pages")
            return None
        if config and config.nav is not None:
            site.nav = self.nav(site, config.nav, sources, config_rel)
        else:
            site.nav = _directory_nav(site)
        return site

    def read_config(self, entity: Entity, repo: Repository, root: str
                    ) -> tuple[DocsConfig | None, str | None]:
        for name in CONFIG_NAMES:
            path = repo.root / root / name
            if not path.exists() and not path.is_symlink():
                continue
            rel = _rel(repo.root, Path(os.path.normpath(path)))
            if _inside(repo.root, path) is None:
                self.problem(Severity.ERROR, "docs-outside-repository",
                             f"'{rel}' is a symlink pointing outside the repository",
                             repo=repo, rel=rel, line=None, entity=entity.ref)
                return None, rel
            text, error = read_repo_file(path, self.max_size, root=repo.root)
            if error:
                self.problem(Severity.ERROR, error[0], f"'{rel}' {error[1]}", repo=repo,
                             rel=rel, line=None, entity=entity.ref)
                return None, rel
            try:
                config = parse_mkdocs_yml(text or "")
            except YamlError as exc:
                self.problem(Severity.ERROR, "docs-config", f"mkdocs.yml: {exc}; the docs are "
                             "built from docs/ in directory order", repo=repo, rel=rel,
                             line=exc.line, entity=entity.ref)
                return None, rel
            for line, message in config.errors:
                self.problem(Severity.WARNING, "docs-config", f"mkdocs.yml: {message}",
                             repo=repo, rel=rel, line=line, entity=entity.ref)
            return config, rel
        return None, None

    def list_files(self, site: DocSite, docs_dir: Path) -> dict[str, str]:
        """Fill ``site.pages`` and ``site.files``; return source path → section path."""
        repo = site.repo
        sources: dict[str, str] = {}
        markdown: list[tuple[str, Path]] = []
        for dirpath, dirnames, filenames in os.walk(docs_dir):
            here = Path(dirpath)
            top = here == docs_dir
            keep = []
            for name in sorted(dirnames):
                if name.startswith(".") or (top and name == "templates"):
                    continue
                if (here / name).is_symlink():
                    if _inside(repo.root, here / name) is None:
                        rel = _rel(repo.root, here / name)
                        self.problem(Severity.ERROR, "docs-outside-repository",
                                     f"'{rel}' is a symlink pointing outside the repository; "
                                     "it is left out of the docs", repo=repo, rel=rel,
                                     line=None, entity=site.ref)
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = here / name
                real = _inside(repo.root, path)
                if real is None:
                    rel = _rel(repo.root, path)
                    self.problem(Severity.ERROR, "docs-outside-repository",
                                 f"'{rel}' is a symlink pointing outside the repository; it is "
                                 "left out of the docs", repo=repo, rel=rel, line=None,
                                 entity=site.ref)
                    continue
                inner = _rel(docs_dir, path)
                refusal = file_refusal(path, repo.root)
                if refusal is not None and not name.lower().endswith(MARKDOWN_SUFFIXES):
                    rel = _rel(repo.root, path)
                    self.problem(Severity.WARNING, refusal[0], f"'{rel}' {refusal[1]}; it is "
                                 "left out of the docs", repo=repo, rel=rel, line=None,
                                 entity=site.ref)
                    continue
                if name.lower().endswith(MARKDOWN_SUFFIXES):
                    markdown.append((inner, real))
                else:
                    site.files[inner] = real
                    sources[inner] = inner
        have_index = {posixpath.dirname(p) for p, _ in markdown
                      if posixpath.basename(_page_path(p)) == "index.md"}
        for inner, real in markdown:
            path = _page_path(inner)
            folder, name = posixpath.split(path)
            if name.lower() == "readme.md":
                if folder in have_index:
                    continue  # MkDocs leaves README.md out where index.md exists
                path = posixpath.join(folder, "index.md")
                have_index.add(folder)
            source = _rel(repo.root, docs_dir / inner)
            if path in site.pages or path in site.files:
                self.problem(Severity.WARNING, "docs-duplicate-page",
                             f"'{source}' would be published at the same address as "
                             f"'{site.pages[path].source if path in site.pages else path}'; "
                             "rename one of them", repo=repo, rel=source, line=None,
                             entity=site.ref)
                continue
            page = self.read_page(site, source, real, path)
            if page is not None:
                site.pages[path] = page
                sources[inner] = path
        site.pages = dict(sorted(site.pages.items(), key=lambda kv: _dir_order(kv[0])))
        return sources

    def read_page(self, site: DocSite, source: str, real: Path, path: str) -> DocPage | None:
        text, error = read_repo_file(real, self.max_size, root=site.repo.root)
        if error:
            self.problem(Severity.WARNING, error[0], f"'{source}' {error[1]}; the page is left "
                         "out of the docs", repo=site.repo, rel=source, line=None,
                         entity=site.ref)
            return None
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
        meta, body, skipped = split_front_matter(text)
        title = meta.get("title") if isinstance(meta.get("title"), str) else None
        title = plain_text(title) if title else markdown_title(body)
        if not title:
            stem = posixpath.splitext(posixpath.basename(path))[0]
            folder = posixpath.basename(posixpath.dirname(path))
            title = _title_from_name(folder if stem == "index" and folder else
                                     (site.title if stem == "index" else stem))
        description = meta.get("description") if isinstance(meta.get("description"), str) else ""
        return DocPage(path=path, source=source, title=title, markdown=body,
                       description=description, first_line=skipped + 1)

    def nav(self, site: DocSite, entries: list[NavEntry], sources: dict[str, str],
            config_rel: str | None) -> list[NavNode]:
        nodes: list[NavNode] = []
        for entry in entries:
            if entry.is_section:
                children = self.nav(site, list(entry.children), sources, config_rel)
                if children:
                    nodes.append(NavNode(entry.title or "", children=tuple(children)))
                continue
            target = entry.target or ""
            if "://" in target or target.startswith(("mailto:", "//")):
                if is_safe_url(target):
                    nodes.append(NavNode(entry.title or target, url=target))
                else:
                    self.problem(Severity.WARNING, "docs-config",
                                 f"mkdocs.yml: nav link '{target}' is not an http, https or "
                                 "mailto URL; it is left out", repo=site.repo, rel=config_rel,
                                 line=entry.line, entity=site.ref)
                continue
            inner = posixpath.normpath(target.lstrip("/")) if target else ""
            path = sources.get(inner)
            if path is None or path not in site.pages:
                self.problem(Severity.WARNING, "docs-nav-missing",
                             f"mkdocs.yml: nav names '{target}', which is not a page of "
                             f"'{site.docs_dir}'", repo=site.repo, rel=config_rel,
                             line=entry.line, entity=site.ref)
                continue
            nodes.append(NavNode(entry.title or site.pages[path].title, page=path))
        return nodes

    # -- links between entities -------------------------------------------------

    def link_other(self, entity: Entity) -> None:
        """``techdocs-entity``: show another entity's docs (optionally one page of them)."""
        value = entity.annotations[TECHDOCS_ENTITY]
        try:
            target = parse_ref(value, default_kind="component",
                               default_namespace=entity.ref.namespace)
        except InvalidRef as exc:
            self.entity_problem(entity, Severity.WARNING, "docs-invalid-ref",
                                f"{TECHDOCS_ENTITY}: {exc}")
            return
        link = self.docs.links.get(target)
        if link is None:
            why = "is not in the catalog" if target not in self.catalog else "has no docs"
            self.entity_problem(entity, Severity.WARNING, "docs-entity-missing",
                                f"{TECHDOCS_ENTITY} names {target}, which {why}")
            return
        page = link.page
        sub = entity.annotations.get(TECHDOCS_ENTITY_PATH, "").strip().strip("/")
        if sub:
            site = self.docs.sites[link.site]
            found = _find_page(site, sub)
            if found is None:
                self.entity_problem(entity, Severity.WARNING, "docs-entity-missing",
                                    f"{TECHDOCS_ENTITY_PATH} '/{sub}' is not a page of the "
                                    f"docs of {target}")
            else:
                page = site.site_path(found)
        self.docs.links[entity.ref] = DocsLink(link.site, page, shared=True)

    def index_targets(self, site: DocSite) -> None:
        root = site.repo.root
        docs_dir = Path(os.path.normpath(root / site.docs_dir))
        self.targets.setdefault(str(docs_dir), site.index)
        for path, page in site.pages.items():
            where = site.site_path(path)
            self.targets.setdefault(os.path.normpath(root / page.source), where)
            if posixpath.basename(path) == "index.md":
                self.targets.setdefault(os.path.normpath(docs_dir / posixpath.dirname(path)),
                                        where)
        for path in site.files:
            self.targets.setdefault(os.path.normpath(docs_dir / path), site.site_path(path))

    # -- one page -----------------------------------------------------------------

    def transform(self, site: DocSite, page: DocPage) -> None:
        lines = page.markdown.split("\n")
        origins = [(page.source, page.first_line + i) for i in range(len(lines))]
        lines, origins = self.expand_snippets(site, lines, origins, [page.source])
        lines, index = convert_alerts(lines)
        origins = [origins[i] for i in index]
        resolver = _LinkResolver(self, site, page, origins)
        page.markdown = rewrite_links("\n".join(lines), resolver)

    def expand_snippets(self, site: DocSite, lines: list[str], origins: list[tuple[str, int]],
                        stack: list[str]) -> tuple[list[str], list[tuple[str, int]]]:
        """pymdownx.snippets, done here so that every path is checked first."""
        if not any("8<" in line for line in lines):
            return lines, origins
        out: list[str] = []
        where: list[tuple[str, int]] = []
        block: tuple[str, tuple[str, int]] | None = None
        for line, origin in zip(lines, origins, strict=True):
            match = _SNIPPET.match(line)
            if block is not None:
                if match and not match.group("path") and not match.group("escape"):
                    block = None
                elif line.strip() and not line.strip().startswith(";"):
                    self.include(site, line.strip(), block[0], origin, stack, out, where)
                continue
            if not match:
                out.append(line)
                where.append(origin)
                continue
            if match.group("escape"):
                out.append(line.replace(";", "", 1))
                where.append(origin)
            elif match.group("path"):
                self.include(site, match.group("path")[1:-1], match.group("space"), origin,
                             stack, out, where)
            else:
                block = (match.group("space"), origin)
        return out, where

    def include(self, site: DocSite, spec: str, indent: str, origin: tuple[str, int],
                stack: list[str], out: list[str], where: list[tuple[str, int]]) -> None:
        repo = site.repo
        file, line = origin

        def warn(severity: Severity, code: str, message: str) -> None:
            self.problem(severity, code, message, repo=repo, rel=file, line=line,
                         entity=site.ref)

        if "://" in spec:
            warn(Severity.INFO, "docs-snippet-remote", f"snippet {spec} is a URL; Paved Road "
                 "does not download snippets, so it was left out")
            return
        match = _SNIPPET_SPEC.match(spec)
        name = match.group("path") if match else spec
        base = repo.root / site.root
        target = base / name
        if Path(name).is_absolute() or PurePosixPath(name).is_absolute() or \
                _inside(base, target) is None:
            warn(Severity.ERROR, "docs-outside-repository",
                 f"snippet '{name}' points outside '{site.root}'; snippets are read only from "
                 "the folder of mkdocs.yml, inside the repository")
            return
        rel = _rel(repo.root, Path(os.path.normpath(target)))
        if rel in stack or len(stack) > MAX_SNIPPET_DEPTH:
            warn(Severity.WARNING, "docs-snippet-loop",
                 f"snippet '{name}' includes itself (through {' → '.join(stack)})")
            return
        text, error = read_repo_file(target, self.max_size, root=repo.root)
        if error:
            code = "docs-snippet-missing" if error[0] == "missing-file" else error[0]
            warn(Severity.WARNING, code, f"snippet '{name}' {error[1]}")
            return
        body = (text or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = body.split("\n")
        if body.endswith("\n"):
            lines.pop()
        numbers = list(range(1, len(lines) + 1))
        if match and match.group("section"):
            lines, numbers = _section(lines, match.group("section"))
            if not lines:
                warn(Severity.WARNING, "docs-snippet-missing",
                     f"snippet '{name}' has no section '{match.group('section')}'")
                return
        elif match and (match.group("start") or match.group("end")):
            start = int(match.group("start") or 1)
            end = int(match.group("end") or len(lines))
            lines, numbers = lines[max(0, start - 1):end], numbers[max(0, start - 1):end]
        keep = [(t, n) for t, n in zip(lines, numbers, strict=True)
                if not _SECTION_MARK.search(t)]
        inner, inner_where = self.expand_snippets(
            site, [t for t, _ in keep], [(rel, n) for _, n in keep], [*stack, rel])
        out.extend(indent + t if t else t for t in inner)
        where.extend(inner_where)


def _section(lines: list[str], name: str) -> tuple[list[str], list[int]]:
    start = re.compile(rf"-+8<-+[ \t]+\[[ \t]*start[ \t]*:[ \t]*{re.escape(name)}[ \t]*\]")
    end = re.compile(rf"-+8<-+[ \t]+\[[ \t]*end[ \t]*:[ \t]*{re.escape(name)}[ \t]*\]")
    out: list[str] = []
    numbers: list[int] = []
    inside = False
    for number, line in enumerate(lines, 1):
        if start.search(line):
            inside = True
        elif end.search(line):
            break
        elif inside:
            out.append(line)
            numbers.append(number)
    return out, numbers


def _dir_order(path: str) -> tuple:
    """Directory order: in each folder, ``index.md`` first, then names, sub-folders after pages."""
    parts = path.split("/")
    key = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key.append((not last, part != "index.md", part.lower()))
    return tuple(key)


def _directory_nav(site: DocSite) -> list[NavNode]:
    """The nav MkDocs builds without ``nav:``: folders become sections."""
    tree: dict = {}
    for path in site.pages:
        node = tree
        for part in path.split("/")[:-1]:
            node = node.setdefault(part + "/", {})
        node[path] = None

    def build(node: dict) -> list[NavNode]:
        out = []
        for key, child in node.items():
            if child is None:
                out.append(NavNode(site.pages[key].title, page=key))
            else:
                out.append(NavNode(_title_from_name(key[:-1]), children=tuple(build(child))))
        return out

    return build(tree)


def _find_page(site: DocSite, sub: str) -> str | None:
    sub = posixpath.normpath(unquote(sub)).strip("/")
    for candidate in (_page_path(sub), f"{sub}/index.md", f"{sub}.md"):
        if candidate in site.pages:
            return candidate
    if sub in ("", "."):
        return next(iter(site.pages), None)
    return None


class _LinkResolver:
    """Resolves the links of one page to their place in the portal."""

    def __init__(self, collector: _Collector, site: DocSite, page: DocPage,
                 origins: list[tuple[str, int]]) -> None:
        self.c = collector
        self.site = site
        self.page = page
        self.origins = origins
        self.here = site.site_path(page.path)
        root = site.repo.root
        self.page_dir = Path(os.path.normpath(root / page.source)).parent
        self.docs_dir = Path(os.path.normpath(root / site.docs_dir))

    def warn(self, line: int, code: str, message: str) -> None:
        file, number = self.origins[min(line, len(self.origins) - 1)]
        self.c.problem(Severity.WARNING, code, message, repo=self.site.repo, rel=file,
                       line=number, entity=self.site.ref)

    def __call__(self, url: str, kind: LinkKind, line: int) -> str | None:
        what = "image" if kind == "image" else "link"
        parts = urlsplit(url.strip())
        suffix = (f"?{parts.query}" if parts.query else "") + \
            (f"#{parts.fragment}" if parts.fragment else "")
        if parts.scheme in ("entity", "docs"):
            target = self.entity_target(parts.scheme, unquote(parts.path))
            if target is None:
                self.warn(line, "docs-broken-link", f"{what} '{url}' names no entity with "
                          f"{'docs' if parts.scheme == 'docs' else 'a page'} in the catalog "
                          "(write e.g. entity:component:default/name, or "
                          "docs:component:default/name/page.md)")
                return None
            return relative_url(self.here, target) + suffix
        if parts.scheme or parts.netloc or url.startswith("//") or not parts.path:
            return url
        path = unquote(parts.path)
        if path.startswith("/"):
            target = Path(os.path.normpath(self.docs_dir / path.lstrip("/")))
        else:
            target = Path(os.path.normpath(self.page_dir / path))
        found = self.c.targets.get(str(target))
        if found is not None:
            return relative_url(self.here, found) + suffix
        root = self.site.repo.root
        if target.is_relative_to(root) and _inside(root, target) is not None and \
                (target.exists()):
            rel = _rel(root, target)
            view = self.site.source.view_url(posixpath.relpath(rel, self.site.docs_dir)) \
                if self.site.source else None
            if view:
                return view + (f"#{parts.fragment}" if parts.fragment else "")
            self.warn(line, "docs-link-outside", f"{what} '{url}' points to '{rel}', which is "
                      f"outside the docs folder '{self.site.docs_dir}' and so not in the site; "
                      "move it into the docs folder or set backstage.io/source-location")
            return None
        shown = _rel(root, target) if target.is_relative_to(root) else "outside the repository"
        self.warn(line, "docs-broken-link",
                  f"{what} '{url}' points to {shown!r}, which does not exist"
                  if target.is_relative_to(root) else
                  f"{what} '{url}' points {shown}, to no aggregated docs page")
        return None

    def entity_target(self, scheme: str, value: str) -> str | None:
        ref_text, page = value, None
        kind, sep, rest = value.partition(":")
        if scheme == "docs" and sep and rest.count("/") >= 2:
            namespace, name, page = rest.split("/", 2)
            ref_text = f"{kind}:{namespace}/{name}"
        try:
            ref = parse_ref(ref_text, default_kind="component",
                            default_namespace=self.site.ref.namespace)
        except InvalidRef:
            return None
        if scheme == "entity":
            return entity_page(ref) if ref in self.c.catalog else None
        link = self.c.docs.links.get(ref)
        if link is None:
            return None
        if not page:
            return link.page
        site = self.c.docs.sites[link.site]
        found = _find_page(site, page)
        return site.site_path(found) if found else None
