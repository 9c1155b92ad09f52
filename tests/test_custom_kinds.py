"""Kinds Backstage organisations add (AiResource, catalog model extensions) get a page."""

from __future__ import annotations

import json

from conftest import GROUP

from generator.pages import build_pages
from generator.pipeline import load_catalog
from generator.refs import parse_ref
from generator.urls import CATALOG_INDEX

AI = """\
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata:
  name: support-bot
  description: Answers support questions
  links:
    - url: https://wiki.example.com/support-bot
      title: Handbook
  annotations:
    pagerduty.com/service-id: PBOT001
spec:
  type: agent
  lifecycle: experimental
  owner: team-a
  system: support
  dependsOn: [resource:default/gpu-pool]
  model: llama-weights
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: support
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: gpu-pool
spec:
  type: compute
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: llama-weights
spec:
  type: model
  owner: team-a
---
""" + GROUP.format(name="team-a")


def _run(make_repo, kinds: str = ""):
    root = make_repo({"catalog-info.yaml": AI})
    (root / "sources.yaml").write_text("sources:\n  - path: .\n" + kinds)
    return load_catalog(root / "sources.yaml", progress=False)


def test_custom_kind_is_kept_without_a_warning(make_repo):
    run = _run(make_repo)
    assert parse_ref("airesource:default/support-bot") in run.catalog.entities
    assert run.catalog.problems == []


def test_standard_fields_become_relations(make_repo):
    run = _run(make_repo)
    ref = parse_ref("airesource:default/support-bot")
    related = {(r.type, str(r.target)) for r in run.catalog.relations[ref]}
    assert {("ownedBy", "group:default/team-a"), ("partOf", "system:default/support"),
            ("dependsOn", "resource:default/gpu-pool")} <= related
    assert ("dependsOn", "resource:default/llama-weights") not in related  # not declared


def test_kinds_section_declares_relation_fields(make_repo):
    run = _run(make_repo, "kinds:\n  AiResource:\n    spec.model: {type: dependsOn, "
                          "kind: resource}\n")
    ref = parse_ref("airesource:default/support-bot")
    assert parse_ref("resource:default/llama-weights") in run.catalog.related(ref, "dependsOn")
    from generator.graph import build_graph
    graph = build_graph(run.catalog)
    assert graph.has_edge(ref, parse_ref("resource:default/llama-weights"))


def test_bad_kinds_section_is_located(make_repo):
    run = _run(make_repo, "kinds:\n  AiResource:\n    spec.model: usesModel\n")
    bad = [p for p in run.catalog.problems if p.code == "sources-shape"]
    assert len(bad) == 1 and bad[0].line == 3 and "usesModel" in bad[0].message


def test_custom_kind_gets_a_page_and_a_place_in_the_index(make_repo):
    run = _run(make_repo)
    pages = build_pages(run.catalog)
    page = pages.pages["catalog/default/airesource/support-bot/index.md"]
    text = page.markdown + "".join(str(v) for v in page.blocks.values())
    assert "Answers support questions" in text and "Handbook" in text
    assert "team-a" in text and "gpu-pool" in text
    assert "airesource" in pages.pages["catalog/index.md"].markdown
    rows = json.loads(pages.assets[CATALOG_INDEX])
    assert {"ref": "airesource:default/support-bot", "kind": "airesource",
            "owner": "group:default/team-a"}.items() <= next(
        r for r in rows if r["name"] == "support-bot").items()
