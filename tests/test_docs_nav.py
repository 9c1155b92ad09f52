"""A docs section's navigation and landing page (generator/docs/nav.py)."""

from __future__ import annotations

from generator.docs import collect_docs
from generator.pipeline import load_paths
from generator.refs import EntityRef
from generator.sources import Repository

CATALOG = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
           "  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n"
           "  lifecycle: production\n  owner: team-a\n")


def build(make_repo, files: dict[str, str]):
    root = make_repo({"catalog-info.yaml": CATALOG, **files}, name="svc")
    run = load_paths([Repository(root.name, root.resolve(), str(root))])
    docs = collect_docs(run.catalog, run.repositories)
    return docs, docs.sites[EntityRef("component", "default", "svc")]


def outline(nodes) -> list:
    return [(n.title, n.page) if not n.children else (n.title, outline(n.children))
            for n in nodes]


def test_nav_folder_entries_expand_to_the_folders_pages_in_directory_order(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nnav:\n  - Home: index.md\n  - user-guide/\n"
                      "  - Reference: ref\n",
        "docs/index.md": "# Home\n",
        "docs/user-guide/b.md": "# Bee\n",
        "docs/user-guide/a.md": "# Ay\n",
        "docs/user-guide/README.md": "# Guide\n",
        "docs/user-guide/deep/x.md": "# Ex\n",
        "docs/ref/api.md": "# API\n"})
    assert outline(site.nav) == [
        ("Home", "index.md"),
        ("User guide", [("Guide", "user-guide/index.md"), ("Ay", "user-guide/a.md"),
                        ("Bee", "user-guide/b.md"), ("Deep", [("Ex", "user-guide/deep/x.md")])]),
        ("Reference", [("API", "ref/api.md")])]
    assert not docs.problems


def test_nav_folder_that_does_not_exist_is_a_problem(make_repo):
    docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nnav:\n  - index.md\n  - missing/\n",
        "docs/index.md": "# Home\n"})
    [problem] = docs.problems
    assert problem.code == "docs-nav-missing" and problem.line == 4
    assert outline(site.nav) == [("Home", "index.md")]


def test_landing_page_is_index_else_readme_else_first_nav_page(make_repo):
    _docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nnav:\n  - Start: zeta.md\n  - alpha.md\n",
        "docs/alpha.md": "# A\n", "docs/zeta.md": "# Z\n"})
    assert site.index.endswith("/zeta.md")


def test_landing_page_is_readme_when_there_is_no_index(make_repo):
    _docs, site = build(make_repo, {
        "mkdocs.yml": "site_name: S\nnav:\n  - zeta.md\n  - README.md\n",
        "docs/README.md": "# R\n", "docs/zeta.md": "# Z\n"})
    assert site.index.endswith("/svc/index.md")
