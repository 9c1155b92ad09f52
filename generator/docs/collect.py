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

import functools
import os
import posixpath
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.docs.config import DocsConfig, parse_mkdocs_yml
from generator.docs.dialect import section_extensions
from generator.docs.links import (
    LinkIndex,
    PageLinks,
    link_index,
    resolve_html_link,
    resolve_link,
)
from generator.docs.markdown import (
    convert_alerts,
    markdown_title,
    plain_text,
    split_front_matter,
)
from generator.docs.model import DocPage, Docs, DocSite, DocsLink, Report
from generator.docs.nav import config_nav, dir_order, directory_nav, find_page
from generator.docs.paths import (
    MARKDOWN_SUFFIXES,
    case_renames,
    inside,
    page_path,
    posix_rel,
    title_from_name,
    too_long_reason,
    unsafe_name_reason,
)
from generator.docs.scan import Locator, has_macros
from generator.docs.snippets import Origin, Snippets
from generator.docs.source import source_links
from generator.docs.static import SvgRefused, refused_reason, sanitize_svg
from generator.problems import Problem, Severity
from generator.refs import EntityRef, InvalidRef, parse_ref
from generator.repofiles import file_refusal, read_repo_file
from generator.sources import DEFAULT_MAX_FILE_SIZE, repo_path
from generator.yamlfile import YamlError

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.docs.cache import DocsCache
    from generator.docs.render import Dialect
    from generator.docs.sectionmemo import SectionMemo
    from generator.entities import Entity
    from generator.sources import Repository

__all__ = ["MARKDOWN_SUFFIXES", "collect_docs", "source_links"]

TECHDOCS_REF = "backstage.io/techdocs-ref"
TECHDOCS_ENTITY = "backstage.io/techdocs-entity"
TECHDOCS_ENTITY_PATH = "backstage.io/techdocs-entity-path"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


def collect_docs(catalog: Catalog, repositories: list[Repository], *,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE, html: str = "sanitize",
                 cache: DocsCache | None = None, memo: SectionMemo | None = None) -> Docs:
    """Every documented entity's docs section, ready to be rendered.

    ``max_file_size`` is the sources file's limit on any file read (pages,
    ``mkdocs.yml``, snippets). ``html`` is the ``docs_html`` trust setting:
    unless it is ``trust``, static files are published only as
    :mod:`generator.docs.static` allows. With ``cache``, pages parsed by an
    earlier build are not parsed again (the renderer uses it too:
    ``Docs.cache``); with ``memo``, sections whose repository did not change are not read.
    """
    collector = _Collector(catalog, repositories, max_file_size, html)
    collector.docs.cache, collector.memo = cache, memo
    return collector.run()


@functools.cache
def _techdocs_dialect() -> Dialect:
    """The TechDocs dialect; Markdown is imported only when there are docs to parse."""
    from generator.docs.render import docs_dialect

    return docs_dialect()


_Prepared = tuple[DocSite, DocPage, "Dialect", list[Origin], list[Problem]]
"""A page ready to parse: its section, itself, its dialect, its lines' origins, its problems."""


def _owner_order(entity: Entity) -> tuple[bool, EntityRef]:
    return entity.ref.kind != "component", entity.ref


class _Collector:
    def __init__(self, catalog: Catalog, repositories: list[Repository], max_size: int,
                 html: str) -> None:
        self.catalog = catalog
        self.max_size = max_size
        self.trusted = html == "trust"
        self.docs = Docs()
        self.repos: dict[str, list[Repository]] = defaultdict(list)
        for repo in repositories:
            self.repos[repo.name].append(repo)
        self._inside: dict[tuple[Path, Path], Path | None] = {}
        self.memo: SectionMemo | None = None

    def inside(self, root: Path, path: Path) -> Path | None:
        """:func:`inside`, asked once per folder: ten entities of one repository name the
        same docs folder (and a file system does not change during a build)."""
        key = (root, path)
        try:
            return self._inside[key]
        except KeyError:
            found = self._inside[key] = inside(root, path)
            return found

    # -- problems -----------------------------------------------------------

    def problem(self, severity: Severity, code: str, message: str, *, repo: Repository,
                rel: str | None, line: int | None, entity: EntityRef) -> None:
        file = repo_path(repo, rel) if rel is not None else None
        self.docs.problems.append(Problem(severity, code, message, file=file, line=line,
                                          entity=str(entity), repo=repo.name))

    def reporter(self, repo: Repository, entity: EntityRef) -> Report:
        """A :data:`~generator.docs.model.Report` for problems of one section."""
        def report(severity: Severity, code: str, message: str, rel: str | None,
                   line: int | None) -> None:
            self.problem(severity, code, message, repo=repo, rel=rel, line=line, entity=entity)
        return report

    def held_since(self, mark: int) -> list[Problem]:
        """The problems reported since there were ``mark``, taken out to be added later."""
        held = self.docs.problems[mark:]
        del self.docs.problems[mark:]
        return held

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
            site = self.section(entity, repo, root)
            if site is None:
                continue
            by_folder[(repo.root, root)] = site
            self.docs.sites[entity.ref] = site
            self.docs.links[entity.ref] = DocsLink(site.ref, site.index)
        for entity in entities:
            if TECHDOCS_ENTITY in entity.annotations:
                self.link_other(entity)
        index = link_index(self.docs, frozenset(self.catalog.entities))
        # Every page's text, then all parsed at once (on every core), then links in page order.
        prepared: list[_Prepared] = []
        for site in self.docs.sites.values():
            mark = len(self.docs.problems)
            snippets = Snippets(site, self.reporter(site.repo, site.ref), self.max_size)
            held = self.held_since(mark)  # the section's own, before its first page's
            dialect = _techdocs_dialect().with_extensions(site.extensions)
            for page in site.pages.values():
                origins, problems = self.expand(page, snippets)
                prepared.append((site, page, dialect, origins, held + problems))
                held = []
        from generator.docs.render import pages_links

        found = pages_links([(page.markdown, dialect) for _, page, dialect, _, _ in prepared],
                            self.docs.cache, self.docs.drafts)
        for (site, page, _, origins, problems), links in zip(prepared, found, strict=True):
            self.docs.problems += problems  # the page's snippet problems before its links'
            self.transform(site, page, origins, links, index)
        self.docs.sites = dict(sorted(self.docs.sites.items()))
        return self.docs

    def repository(self, entity: Entity) -> Repository | None:
        candidates = self.repos.get(entity.provenance.repo, [])
        for repo in candidates:
            if os.path.isfile(repo.root / entity.provenance.path):
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
                self.inside(repo.root, folder) is None:
            self.entity_problem(entity, Severity.ERROR, "docs-outside-repository",
                                f"{TECHDOCS_REF} 'dir:{target}' points outside the repository "
                                f"'{repo.name}'; docs are read only from inside it")
            return None
        if not os.path.isdir(folder):  # False for a name too long, too
            self.entity_problem(entity, Severity.WARNING, "docs-missing",
                                f"{TECHDOCS_REF} 'dir:{target}' is not a folder of "
                                f"'{repo.name}'")
            return None
        rel = posix_rel(repo.root, Path(os.path.normpath(folder)))
        return repo, rel

    # -- one section ----------------------------------------------------------

    def section(self, entity: Entity, repo: Repository, root: str) -> DocSite | None:
        """:meth:`site`, or the memo's copy where nothing it reads changed."""
        if self.memo is None:
            return self.site(entity, repo, root)
        mark = len(self.docs.problems)
        site, problems = self.memo.read(entity, repo, root, (self.max_size, self.trusted),
                                        lambda: (self.site(entity, repo, root),
                                                 self.held_since(mark)))
        self.docs.problems += problems
        return site

    def site(self, entity: Entity, repo: Repository, root: str) -> DocSite | None:
        folder = repo.root / root
        config, config_rel = self.read_config(entity, repo, root)
        docs_dir_name = config.docs_dir if config else "docs"
        docs_dir = folder / docs_dir_name
        line = config.docs_dir_line if config else None
        if Path(docs_dir_name).is_absolute() or self.inside(repo.root, docs_dir) is None:
            self.problem(Severity.ERROR, "docs-outside-repository",
                         f"docs_dir '{docs_dir_name}' points outside the repository "
                         f"'{repo.name}'; docs are read only from inside it",
                         repo=repo, rel=config_rel, line=line, entity=entity.ref)
            return None
        if not os.path.isdir(docs_dir):
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
        docs_rel = posix_rel(repo.root, Path(os.path.normpath(docs_dir)))
        site = DocSite(ref=entity.ref, repo=repo, root=root, docs_dir=docs_rel,
                       title=(config.site_name if config and config.site_name else entity.title),
                       description=(config.site_description if config and
                                    config.site_description else entity.description),
                       source=source_links(config, entity, docs_rel), config_file=config_rel)
        if config and config.markdown_extensions is not None:
            section_extensions(site, config, self.reporter(repo, entity.ref))
        if config is not None:
            site.macros = any(name.partition("/")[2] == "macros" or name == "macros"
                              for name in config.plugins)
        sources = self.list_files(site, Path(os.path.normpath(docs_dir)))
        if not site.pages:
            self.entity_problem(entity, Severity.WARNING, "docs-missing",
                                f"'{docs_rel}' has no Markdown pages")
            return None
        if config and config.nav is not None:
            site.nav = config_nav(site, config.nav, sources, self.reporter(repo, entity.ref),
                                  config_rel)
        else:
            site.nav = directory_nav(site)
        return site

    def read_config(self, entity: Entity, repo: Repository, root: str
                    ) -> tuple[DocsConfig | None, str | None]:
        for name in CONFIG_NAMES:
            path = repo.root / root / name
            if not os.path.lexists(path):
                continue
            rel = posix_rel(repo.root, Path(os.path.normpath(path)))
            if self.inside(repo.root, path) is None:
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
        def unlisted(error: OSError) -> None:  # a folder too deep or unreadable
            rel = posix_rel(repo.root, Path(error.filename or docs_dir))
            self.problem(Severity.WARNING, "unreadable", f"'{rel}' cannot be listed "
                         f"({error.strerror or error}); its pages are left out", repo=repo,
                         rel=rel, line=None, entity=site.ref)

        for dirpath, dirnames, filenames in os.walk(docs_dir, onerror=unlisted):
            here = Path(dirpath)
            top = here == docs_dir
            keep = []
            for name in sorted(dirnames):
                if name.startswith(".") or (top and name == "templates"):
                    continue
                if self.unsafe_name(site, here / name, "folder"):
                    continue
                if os.path.islink(here / name):
                    if inside(repo.root, here / name) is None:
                        rel = posix_rel(repo.root, here / name)
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
                if self.unsafe_name(site, path, "file"):
                    continue
                real = inside(repo.root, path)
                if real is None:
                    rel = posix_rel(repo.root, path)
                    self.problem(Severity.ERROR, "docs-outside-repository",
                                 f"'{rel}' is a symlink pointing outside the repository; it is "
                                 "left out of the docs", repo=repo, rel=rel, line=None,
                                 entity=site.ref)
                    continue
                inner = posix_rel(docs_dir, path)
                refusal = file_refusal(path, repo.root) or too_long_reason(inner)
                if refusal is not None and (refusal[0] == "name-too-long" or
                                            not name.lower().endswith(MARKDOWN_SUFFIXES)):
                    rel = posix_rel(repo.root, path)
                    self.problem(Severity.WARNING, refusal[0], f"'{rel}' {refusal[1]}; it is "
                                 "left out of the docs", repo=repo, rel=rel, line=None,
                                 entity=site.ref)
                    continue
                if name.lower().endswith(MARKDOWN_SUFFIXES):
                    markdown.append((inner, real))
                elif self.static_file(site, inner, real, posix_rel(repo.root, path)):
                    sources[inner] = inner
        have_index = {posixpath.dirname(p) for p, _ in markdown
                      if posixpath.basename(page_path(p)) == "index.md"}
        for inner, real in markdown:
            path = page_path(inner)
            folder, name = posixpath.split(path)
            if name.lower() == "readme.md":
                if folder in have_index:
                    continue  # MkDocs leaves README.md out where index.md exists
                path = posixpath.join(folder, "index.md")
                have_index.add(folder)
            source = posix_rel(repo.root, docs_dir / inner)
            if path in site.pages or path in site.files or path in site.contents:
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
        self.rename_case_collisions(site, docs_dir, sources)
        site.pages = dict(sorted(site.pages.items(), key=lambda kv: dir_order(kv[0])))
        return sources

    def rename_case_collisions(self, site: DocSite, docs_dir: Path,
                               sources: dict[str, str]) -> None:
        """Rename pages, files and folders whose paths differ from another's only in case."""
        renames, collisions = case_renames([*site.pages, *site.files, *site.contents])
        base = posix_rel(site.repo.root, docs_dir)
        for kept, renamed, new in collisions:
            rel = posixpath.join(base, renamed).rstrip("/")
            self.problem(Severity.WARNING, "docs-case-collision",
                         f"'{posixpath.join(base, kept)}' and '{posixpath.join(base, renamed)}' "
                         "differ only in case, so one would overwrite the other on "
                         "case-insensitive file systems and hosts (macOS, Windows, many CDNs); "
                         f"the second is published as '{new}' (rename one of them)",
                         repo=site.repo, rel=rel, line=None, entity=site.ref)
        if not renames:
            return
        for table in (site.pages, site.files, site.contents):
            for old in [p for p in table if p in renames]:
                table[renames[old]] = table.pop(old)  # type: ignore[index]
                site.renamed[renames[old]] = old
        for page in site.pages.values():
            page.path = renames.get(page.path, page.path)
        for inner, path in sources.items():
            sources[inner] = renames.get(path, path)

    def unsafe_name(self, site: DocSite, path: Path, what: str) -> bool:
        """Whether ``path``'s name cannot be part of a URL; a problem says so."""
        reason = unsafe_name_reason(path.name)
        if reason is None:
            return False
        rel = posix_rel(site.repo.root, path)
        self.problem(Severity.WARNING, "docs-unsafe-name",
                     f"{what} name {path.name!r} {reason}; it is left out of the docs (rename "
                     "it)", repo=site.repo, rel=rel, line=1 if what == "file" else None,
                     entity=site.ref)
        return True

    def static_file(self, site: DocSite, inner: str, real: Path, rel: str) -> bool:
        """Add a non-Markdown file to ``site`` if it may be published; else a problem."""
        if self.trusted:
            site.files[inner] = real
            return True
        reason = refused_reason(posixpath.basename(inner))
        if reason is None and inner.lower().endswith(".svg"):
            text, error = read_repo_file(real, self.max_size)
            try:
                if error:
                    raise SvgRefused(error[1])
                site.contents[inner] = sanitize_svg((text or "").encode("utf-8"))
                return True
            except SvgRefused as exc:
                reason = f"{exc}, so it cannot be published as a sanitised image"
        if reason is not None:
            self.problem(Severity.WARNING, "docs-unsafe-file",
                         f"'{rel}' {reason}; it is not published (docs_html is not 'trust')",
                         repo=site.repo, rel=rel, line=1, entity=site.ref)
            return False
        site.files[inner] = real
        return True

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
            title = title_from_name(folder if stem == "index" and folder else
                                     (site.title if stem == "index" else stem))
        description = meta.get("description") if isinstance(meta.get("description"), str) else ""
        return DocPage(path=path, source=source, title=title, markdown=body,
                       description=description, first_line=skipped + 1)

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
            found = find_page(site.pages, sub)
            if found is None:
                self.entity_problem(entity, Severity.WARNING, "docs-entity-missing",
                                    f"{TECHDOCS_ENTITY_PATH} '/{sub}' is not a page of the "
                                    f"docs of {target}")
            else:
                page = site.site_path(found)
        self.docs.links[entity.ref] = DocsLink(link.site, page, shared=True)

    # -- one page -----------------------------------------------------------------

    def expand(self, page: DocPage, snippets: Snippets) -> tuple[list[Origin], list[Problem]]:
        """Snippets expanded and alerts converted in ``page.markdown``; returns where each
        line came from and the problems met on the way (held back, to keep page order)."""
        mark = len(self.docs.problems)
        lines = page.markdown.split("\n")
        origins: list[Origin] = [(page.source, page.first_line + i) for i in range(len(lines))]
        lines, origins = snippets.expand(lines, origins, [page.source])
        lines, order = convert_alerts(lines)
        page.markdown = "\n".join(lines)
        return [origins[i] for i in order], self.held_since(mark)

    def transform(self, site: DocSite, page: DocPage, origins: list[Origin],
                  found: list[tuple[str, str]] | str, index: LinkIndex) -> None:
        """``page.links``: each link ``found`` on the parsed page, resolved, for the renderer."""
        text = page.markdown
        if isinstance(found, str):
            self.problem(Severity.WARNING, "docs-render-error",
                         f"'{page.source}' could not be rendered ({found}); it is shown as "
                         "text", repo=site.repo, rel=page.source, line=None, entity=site.ref)
            return
        context = PageLinks.of(site, page)
        locate = Locator(text)
        macros = has_macros(text)
        if macros and site.macros:
            self.problem(Severity.INFO, "docs-macros",
                         f"'{page.source}' uses {{{{ … }}}} macros (mkdocs-macros), which are not "
                         "run: they are shown as written", repo=site.repo, rel=page.source,
                         line=origins[min(locate.line("{{"), len(origins) - 1)][1],
                         entity=site.ref)
        page.fences = [source for kind, source in found if kind == "dot"]
        for kind, url in found:
            if kind == "dot":
                continue
            line = locate.line(url)
            key = ("html" if kind == "html" else "md", url)
            if macros and ("{{" in url or "%7B%7B" in url):
                page.links[key] = url
                continue
            if kind == "html":
                new, problem = resolve_html_link(index, context, url)
            else:
                new, problem = resolve_link(index, context, url, kind)  # type: ignore[arg-type]
            if problem is not None:
                file, number = origins[min(line, len(origins) - 1)]
                self.problem(Severity.WARNING, *problem, repo=site.repo, rel=file,
                             line=number, entity=site.ref)
            page.links[key] = new

