"""Where a docs folder lives in its repository's web view, as TechDocs derives it."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from generator.docs.model import SourceLinks
from generator.validation import is_safe_url

if TYPE_CHECKING:
    from generator.docs.config import DocsConfig
    from generator.entities import Entity

__all__ = ["source_links"]

_REPO_URL = [
    (re.compile(r"^(https?://[^/?#]+/.+?)/-/(?:tree|blob|edit)/([^/?#]+)"), "/-/blob/", "/-/edit/"),
    (re.compile(r"^(https?://[^/?#]+/[^/?#]+/[^/?#]+)/(?:tree|blob|edit)/([^/?#]+)"),
     "/blob/", "/edit/"),
    (re.compile(r"^(https?://[^/?#]+/[^/?#]+/[^/?#]+)/src/([^/?#]+)"), "/src/", None),
]


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
