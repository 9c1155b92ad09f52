"""Generate a deterministic synthetic organisation of Backstage catalog descriptors.

The output is meant for benchmarking the Paved Road generator at scale::

    python benchmarks/synth_org.py OUT_DIR [--components 10000] [--repos 1000]
                                           [--seed 1] [--docs-pages 0]

Layout written under ``OUT_DIR``::

    .synth-org                      marker (JSON of the parameters); allows re-generation
    sources.yaml                    crawl sources: the org Location + every repo
    org/catalog-info.yaml           Location -> groups/users/domains/systems
    org/{groups,users,domains,systems}.yaml
    repos/repo-0000/catalog-info.yaml   Components, APIs and Resources (multi-document)
    repos/repo-0000/apis/<api>.<ext>    API definitions referenced via ``$text``
    repos/repo-0000/mkdocs.yml, docs/*.md   only with ``--docs-pages K`` (K > 0)

Every entity lives in the ``default`` namespace, every name is unique across all kinds,
and every reference (owner, system, domain, parent/children, memberOf, dependsOn,
providesApis, consumesApis) resolves. ``dependsOn`` edges point almost exclusively at
lower-indexed components (an acyclic backbone) plus a handful of deliberate 2-3 node
cycles. The same arguments always produce byte-identical output.

Only the standard library is used; YAML is written by hand for speed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

from synth_model import API_EXT, MARKER, Api, Component, Org, Resource, build_org
from synth_render import (
    api_definition,
    doc_pages,
    render_api,
    render_component,
    render_domains,
    render_groups,
    render_location,
    render_mkdocs,
    render_page,
    render_resource,
    render_systems,
    render_users,
)

# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def prepare_out_dir(out: Path) -> None:
    """(Re)create ``out``; refuse to wipe a non-empty directory we did not create."""
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"error: {out} exists and is not a directory")
        if any(out.iterdir()):
            if not (out / MARKER).is_file():
                raise SystemExit(
                    f"error: refusing to delete non-empty {out}: no {MARKER} marker file "
                    "(it was not created by synth_org.py)"
                )
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def write_org(org: Org, out: Path, seed: int, docs_pages: int, params: dict[str, int]) -> int:
    """Write the whole organisation below ``out``; return the number of docs pages."""
    (out / MARKER).write_text(json.dumps(params, sort_keys=True) + "\n", encoding="utf-8")
    (out / "sources.yaml").write_text(
        "sources:\n  - file: org/catalog-info.yaml\n  - path: repos/*\n", encoding="utf-8"
    )
    org_dir = out / "org"
    org_dir.mkdir()
    (org_dir / "catalog-info.yaml").write_text(render_location(), encoding="utf-8")
    (org_dir / "groups.yaml").write_text(render_groups(org), encoding="utf-8")
    (org_dir / "users.yaml").write_text(render_users(org), encoding="utf-8")
    (org_dir / "domains.yaml").write_text(render_domains(org), encoding="utf-8")
    (org_dir / "systems.yaml").write_text(render_systems(org), encoding="utf-8")

    by_repo_c: list[list[Component]] = [[] for _ in range(org.repo_count)]
    by_repo_a: list[list[Api]] = [[] for _ in range(org.repo_count)]
    by_repo_r: list[list[Resource]] = [[] for _ in range(org.repo_count)]
    for c in org.components:
        by_repo_c[c.repo].append(c)
    for a in org.apis:
        by_repo_a[a.repo].append(a)
    for r in org.resources:
        by_repo_r[r.repo].append(r)

    pages = doc_pages(docs_pages) if docs_pages > 0 else []
    doc_rng = random.Random(f"{seed}-docs")
    repos_dir = out / "repos"
    repos_dir.mkdir()
    n_pages = 0
    for k in range(org.repo_count):
        repo_name = f"repo-{k:0{org.repo_width}d}"
        repo = repos_dir / repo_name
        repo.mkdir()
        docs = [render_component(c, repo_name) for c in by_repo_c[k]]
        docs += [render_api(a) for a in by_repo_a[k]]
        docs += [render_resource(r) for r in by_repo_r[k]]
        (repo / "catalog-info.yaml").write_text(
            "---\n" + "\n---\n".join(docs) + "\n", encoding="utf-8"
        )
        if by_repo_a[k]:
            (repo / "apis").mkdir()
            for a in by_repo_a[k]:
                (repo / "apis" / f"{a.name}.{API_EXT[a.type]}").write_text(
                    api_definition(a), encoding="utf-8"
                )
        if pages:
            (repo / "mkdocs.yml").write_text(render_mkdocs(repo_name, pages), encoding="utf-8")
            (repo / "docs").mkdir()
            for p, (fname, _title) in enumerate(pages):
                (repo / "docs" / fname).write_text(
                    render_page(doc_rng, repo_name, by_repo_c[k], pages, p), encoding="utf-8"
                )
                n_pages += 1
    return n_pages


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(
        description="Generate a deterministic synthetic Backstage organisation for benchmarks."
    )
    parser.add_argument("out_dir", type=Path, help="output directory (re)created by this script")
    parser.add_argument("--components", type=int, default=10000, help="number of components")
    parser.add_argument(
        "--repos",
        type=int,
        default=1000,
        help="number of repositories (capped at the number of components)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument(
        "--docs-pages", type=int, default=0, help="TechDocs pages per repo (0 = no mkdocs.yml/docs)"
    )
    args = parser.parse_args(argv)
    if args.components < 1:
        parser.error("--components must be >= 1")
    if args.repos < 1:
        parser.error("--repos must be >= 1")
    if args.docs_pages < 0:
        parser.error("--docs-pages must be >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    args = parse_args(argv)
    started = time.perf_counter()
    out: Path = args.out_dir
    prepare_out_dir(out)
    org = build_org(args.components, args.repos, args.seed)
    params = {
        "components": args.components,
        "repos": args.repos,
        "seed": args.seed,
        "docs_pages": args.docs_pages,
    }
    n_pages = write_org(org, out, args.seed, args.docs_pages, params)
    elapsed = time.perf_counter() - started
    n_groups = 1 + len(org.departments) + len(org.teams)
    print(
        f"synth-org: {len(org.components)} components, {len(org.apis)} apis, "
        f"{len(org.resources)} resources, {len(org.systems)} systems, "
        f"{len(org.domains)} domains, {n_groups} groups, {len(org.users)} users, "
        f"{org.repo_count} repos, {len(org.cycles)} cycles, {n_pages} docs pages "
        f"-> {out} in {elapsed:.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
