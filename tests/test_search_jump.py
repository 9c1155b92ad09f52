"""The jump-to list: every name of every entity in small sorted files under a small manifest."""

from __future__ import annotations

import json

import pytest
from conftest import load_repo

from generator.pages import search_jump
from generator.pages.search_jump import entity_names, jump_files, keys, normalise
from generator.refs import parse_ref
from generator.urls import JUMP_INDEX

SERVICE = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: basket-api-v2
  title: "Basket <b>API</b> & co"
  annotations:
    pagerduty.com/service-id: PBSK123
    pavedroad.dev/previous-names: "basket-api, component:default/basket-legacy"
    pavedroad.dev/aliases: "bsk"
spec: {type: service, lifecycle: production, owner: group:checkout}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: checkout}
spec: {type: team, children: [], profile: {displayName: Checkout Crew}}
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: {name: retail, title: retail}
spec: {owner: group:checkout}
"""

WORDS = ("amber", "basket", "cobalt", "delta", "ember", "falcon", "garnet", "harbour",
         "indigo", "juniper", "kestrel", "lantern", "meadow", "nectar", "orchid", "pepper")


def _many(count: int) -> str:
    docs = []
    for i in range(count):
        title = f"{WORDS[i % 16].title()} {WORDS[i // 16 % 16].title()} Service {i}"
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                    f"  name: svc-{i:04d}\n  title: {title}\n"
                    f"spec: {{type: service, lifecycle: production, owner: group:checkout}}\n")
    return "---\n".join([*docs, SERVICE])


def _files(make_repo, text: str) -> dict[str, str]:
    return jump_files(load_repo(make_repo({"catalog-info.yaml": text})).catalog)


def _order(key: str) -> bytes:
    return key.encode("utf-16-be")


def _place(separators: list[str], key: str) -> int:
    """The file holding ``key``, found as ``search.js`` finds it."""
    return max(i for i, s in enumerate(separators) if _order(s) <= _order(key))


def _rows(files: dict[str, str], family: str, key: str) -> list[list]:
    manifest = json.loads(files[JUMP_INDEX])
    at = _place(manifest[family], normalise(key))
    return json.loads(files[f"search/{manifest['files']}{family[0]}{at}.json"])


def test_every_name_an_entity_answers_to_is_a_key(make_repo):
    catalog = load_repo(make_repo({"catalog-info.yaml": SERVICE})).catalog
    entity = catalog.get(parse_ref("component:basket-api-v2"))
    found = keys([entity.title, *entity_names(entity)])
    for key in ("basket <b>api</b> & co", "api</b> & co", "basket-api-v2", "api-v2", "bsk",
                "basket-api", "component:default/basket-legacy", "basket-legacy", "pbsk123"):
        assert key in found, key
    assert "co" not in found  # too short a word to be a key of its own


def test_a_row_holds_kind_namespace_name_title_and_other_names(make_repo):
    files = _files(make_repo, SERVICE)
    kinds = json.loads(files[JUMP_INDEX])["kinds"]
    rows = {row[2]: row for row in _rows(files, "keys", "basket")}
    service = rows["basket-api-v2"]
    assert kinds[service[0]] == "component" and service[1] == ""
    assert service[3] == "Basket <b>API</b> & co"  # shown as text by the script
    assert {"bsk", "basket-api", "PBSK123"} <= set(service[4:])
    group = _rows(files, "keys", "checkout crew")
    assert [r[3] for r in group if r[2] == "checkout"] == ["Checkout Crew"]  # its title
    assert [r[3] for r in _rows(files, "keys", "retail") if r[2] == "retail"] == [""]


def test_the_list_is_cut_into_small_files_under_a_small_manifest(make_repo, monkeypatch):
    monkeypatch.setattr(search_jump, "SHARD_BYTES", 2_000)
    files = _files(make_repo, _many(600))
    manifest = json.loads(files[JUMP_INDEX])
    parts = {path: text for path, text in files.items() if path != JUMP_INDEX}
    assert len(manifest["keys"]) > 20 and len(manifest["tails"]) > 20
    assert len(parts) == len(manifest["keys"]) + len(manifest["tails"])
    assert max(len(text.encode()) for text in parts.values()) < 2_000 + 16 * 200
    assert len(files[JUMP_INDEX]) < sum(len(text) for text in parts.values()) / 20
    for family in ("keys", "tails"):
        orders = [_order(s) for s in manifest[family]]
        assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert all(path.startswith("search/jump/") for path in parts)


def test_each_name_and_a_first_letter_typo_lead_to_the_entitys_file(make_repo, monkeypatch):
    monkeypatch.setattr(search_jump, "SHARD_BYTES", 2_000)
    files = _files(make_repo, _many(600))
    for i in (0, 17, 255, 599):
        name, title = f"svc-{i:04d}", f"{WORDS[i % 16]} {WORDS[i // 16 % 16]} service {i}"
        for key in (name, title, title.upper()):
            assert name in {r[2] for r in _rows(files, "keys", key)}, key
        typo = "x" + title[1:]  # first letter replaced: its tail key is title[1:]
        assert name in {r[2] for r in _rows(files, "tails", typo[1:])}, typo
    assert "basket-api-v2" in {r[2] for r in _rows(files, "keys", "PBSK123")}


def test_keys_are_lower_case_without_accents_as_the_script_normalises(make_repo):
    files = _files(make_repo, SERVICE.replace("Basket <b>API</b>", "Éclair Crème"))
    assert normalise(" Éclair CRÈME ") == "eclair creme"
    assert "basket-api-v2" in {r[2] for r in _rows(files, "keys", "eclair crem")}


@pytest.mark.parametrize("count", [3, 300])
def test_the_same_catalog_gives_the_same_files(make_repo, count):
    first = _files(make_repo, _many(count))
    again = _files(make_repo, _many(count))
    assert first == again
    other = _files(make_repo, _many(count + 1))
    assert set(first) != set(other)  # names change with the content: no stale cache
