"""Shared fixtures: real directories in tmp_path, the project's fixtures and demo."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.pipeline import CatalogRun, load_paths
from generator.sources import Repository

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_SOURCES = ROOT / "catalog-sources" / "sources.yaml"

MakeRepo = Callable[..., Path]

TECHDOCS_SVC = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
                "  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
                "  lifecycle: production\n  owner: team-a\n")
"""The descriptor of a component ``svc`` whose docs are beside it."""


def docs_of(make_repo: MakeRepo, files: dict[str, str]):
    """``(docs, svc's section or None)`` of one repository ``svc`` of ``files``, collected."""
    from generator.docs import collect_docs
    from generator.refs import EntityRef

    root = make_repo({"catalog-info.yaml": TECHDOCS_SVC, **files}, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    docs = collect_docs(run.catalog, run.repositories)
    return docs, docs.sites.get(EntityRef("component", "default", "svc"))


def pavedroad(*args: str, cwd: Path | None = ROOT, env: dict | None = None
              ) -> subprocess.CompletedProcess:
    """Run the real ``pavedroad`` command line; ``env`` replaces the environment."""
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, env=env)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Git copies and parse caches go to a temporary directory, not .cache/ in the tree."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAVEDROAD_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portal built once per session with ``pavedroad build --strict``; read-only."""
    site = tmp_path_factory.mktemp("demo") / "site"
    result = pavedroad("build", "--strict", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (browser tests screenshot failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Write ``{relative path: text or bytes}`` into a new directory and return it."""

    def make(files: dict[str, str | bytes], name: str = "repo") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return make


def load_repo(root: Path, name: str | None = None) -> CatalogRun:
    """Crawl one directory as one repository."""
    real = root.resolve()
    return load_paths([Repository(name or real.name, real, str(root))])


def copy_demo(dest: Path) -> Path:
    """A copy of the demo project (mkdocs.yml, docs, overrides, catalog-sources) at ``dest``."""
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "catalog-sources"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, dest / name)
    return dest


def codes(run: CatalogRun) -> list[str]:
    return sorted(p.code for p in run.catalog.problems)


COMPONENT = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {name}
spec:
  type: service
  lifecycle: production
  owner: {owner}
"""

GROUP = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: {name}
spec:
  type: team
  children: []
"""


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


# --- the Chromium tests (test_browser, test_accessibility): one built demo per module ----


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The demo portal, built with ``pavedroad build`` and served on 127.0.0.1; its URL."""
    site = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site-dir",
                             str(site)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    playwright = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Chromium is missing: make test installs it (apt-get)"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


DOCUMENTED = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: group:default/team
---
""" + GROUP.format(name="team")
"""A component with docs beside its descriptor (``docs/``), and its owning team."""


def init_portal(tmp_path: Path, repos: dict[str, dict[str, str | bytes]]) -> Path:
    """``pavedroad init`` at ``tmp_path/portal`` crawling ``repos`` (name → files) as
    ``catalog-sources/repos/NAME``."""
    assert pavedroad("init", str(tmp_path / "portal")).returncode == 0
    portal = tmp_path / "portal"
    for name, files in repos.items():
        for rel, content in files.items():
            path = portal / "catalog-sources" / "repos" / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
    sources = portal / "catalog-sources" / "sources.yaml"
    sources.write_text(sources.read_text().replace("sources: []", "sources:\n  - path: repos/*"))
    return portal
