"""`pavedroad mcp` started as a subprocess and driven by the MCP SDK's own stdio client."""

from __future__ import annotations

import json
import os
import sys
from functools import partial
from pathlib import Path

import anyio
import pytest
from conftest import DEMO_SOURCES, ROOT, pavedroad
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

SITE = "https://portal.example.com/"
CHANGE = {"at": "2026-12-02T10:00:00Z", "ref": "component:default/checkout-service",
          "kind": "owner", "before": "group:default/platform-team",
          "after": "group:default/checkout-team", "build": 7}
OLD = {"at": "2026-11-01T10:00:00Z", "ref": "component:default/gone", "kind": "removed",
       "build": 6}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's catalog.json, with a history.json (two changes) beside it."""
    out = tmp_path_factory.mktemp("published")
    result = pavedroad("export", "--sources", str(DEMO_SOURCES))
    assert result.returncode == 0, result.stderr
    (out / "catalog.json").write_text(result.stdout)
    (out / "history.json").write_text(json.dumps(
        {"entities": [], "changes": {"build": 7, "log": [CHANGE, OLD]}}))
    return out / "catalog.json"


def ask(args: list[str], calls: list[tuple[str, dict]]) -> tuple[list[str], list]:
    """Start the server with ``args``, list its tools and make each call in turn."""
    async def run() -> tuple[list[str], list]:
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "generator.cli", "mcp", *args],
                                       cwd=str(ROOT))
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = [t.name for t in (await session.list_tools()).tools]
            results = [await session.call_tool(name, arguments) for name, arguments in calls]
            return tools, results

    return anyio.run(run)


def answer(result) -> dict:
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


def error(result) -> str:
    assert result.is_error
    text = result.content[0].text
    assert "Traceback" not in text
    return text


def test_every_tool_answers_from_a_published_catalog(published):
    tools, results = ask(["--catalog", str(published), "--site-url", SITE], [
        ("find_entities", {"query": "checkout", "kind": "component"}),
        ("find_entities", {"query": "", "owner": "checkout-team"}),
        ("get_entity", {"ref": "component:default/checkout-service"}),
        ("who_owns", {"ref": "checkout-service"}),
        ("blast_radius", {"ref": "resource:checkout-db", "depth": 1}),
        ("depends_on", {"ref": "checkout-service"}),
        ("team", {"ref": "checkout-team"}),
        ("changes", {"since": "2026-12-01"}),
    ])
    assert tools == ["find_entities", "get_entity", "who_owns", "blast_radius", "depends_on",
                     "team", "changes"]
    found, owned, entity, owner, radius, needs, team, changes = map(answer, results)
    url = SITE + "catalog/default/component/checkout-service/"
    assert found["entities"][0]["ref"] == "component:default/checkout-service"
    assert {e["kind"] for e in found["entities"]} == {"Component"}
    assert {e["owner"] for e in owned["entities"]} == {"group:default/checkout-team"}
    assert entity["url"] == url and "providesApi" in entity["relations"]
    assert entity["runbook"][0]["title"] == "Runbook"
    assert owner["url"] == url and owner["on_call"][0] == "PagerDuty PCHK7Q2"
    assert owner["owners"][0]["ref"] == "group:default/checkout-team"
    members = owner["owners"][0]["members"]
    assert members and all("email" in m for m in members)
    assert owner["chat"][0]["url"].startswith("https://")
    assert "component:default/checkout-service" in [d["ref"] for d in radius["dependents"]]
    assert {d["distance"] for d in radius["dependents"]} == {1}
    assert "resource:default/checkout-db" in [d["ref"] for d in needs["dependencies"]]
    assert team["url"] == SITE + "catalog/default/group/checkout-team/"
    assert "component:default/checkout-service" in [e["ref"] for e in team["owns"]]
    assert changes["count"] == 1 and changes["changes"][0]["url"] == url


def test_bad_questions_get_clear_errors_with_suggestions(published):
    _, results = ask(["--catalog", str(published)], [
        ("get_entity", {"ref": "chekout-service"}),
        ("who_owns", {"ref": "component:nope/"}),
        ("blast_radius", {"ref": "checkout-db", "depth": 0}),
        ("team", {"ref": "component:checkout-service"}),
        ("changes", {"since": "last tuesday"}),
        ("get_entity", {"ref": ""}),
        ("depends_on", {}),
        ("get_entity", {"ref": "resource:checkout-db"}),  # still answers afterwards
    ])
    misspelt, malformed, depth, not_team, since, empty, missing, fine = results
    assert "did you mean component:default/checkout-service" in error(misspelt)
    assert "is not an entity ref" in error(malformed)
    assert "depth must be a whole number" in error(depth)
    assert "is not a team" in error(not_team)
    assert "since must be a date" in error(since)
    assert "give an entity ref" in error(empty)
    assert "ref" in error(missing)
    assert answer(fine)["url"] == "catalog/default/resource/checkout-db/"  # no --site-url


def test_a_fresh_crawl_answers_the_same_questions():
    _, results = ask(["--sources", str(DEMO_SOURCES)], [
        ("who_owns", {"ref": "checkout-service"}), ("changes", {"since": "2026-01-01"})])
    owner, changes = map(answer, results)
    assert owner["owners"][0]["ref"] == "group:default/checkout-team"
    assert changes["count"] == 0 and "no change log" in changes["note"]


def test_a_missing_catalog_is_a_usage_error(tmp_path):
    result = pavedroad("mcp", "--catalog", str(tmp_path / "none.json"))
    assert result.returncode == 2 and "no file at" in result.stderr


def test_tools_show_their_arguments_schemas_and_take_whole_numbers_written_otherwise(published):
    async def run() -> tuple[list, list]:
        params = StdioServerParameters(command=sys.executable, cwd=str(ROOT),
                                       args=["-m", "generator.cli", "mcp", "--catalog",
                                             str(published)])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            calls = [await session.call_tool("blast_radius", {"ref": "checkout-db", "depth": d})
                     for d in (1, 1.0, "1", 1.5)]
            calls.append(await session.call_tool("get_entity", {"ref": 7}))
            return tools, calls

    tools, (one, one_float, one_text, fraction, number_ref) = anyio.run(run)
    depends = next(t for t in tools if t.name == "depends_on")
    assert depends.input_schema == {
        "type": "object", "title": "depends_onArguments", "required": ["ref"],
        "properties": {"ref": {"title": "Ref", "type": "string"},
                       "depth": {"anyOf": [{"type": "integer"}, {"type": "null"}],
                                 "default": 1, "title": "Depth"}}}
    assert all(t.annotations.read_only_hint and t.output_schema["type"] == "object"
               for t in tools)
    assert answer(one) == answer(one_float) == answer(one_text)
    assert "depth must be a whole number" in error(fraction)
    assert "ref must be a string" in error(number_ref)


def test_initialize_is_answered_before_the_catalog_is_read(published, tmp_path):
    """The catalog is a pipe nobody has written to yet: the handshake and the tool list come
    back all the same, and the first question waits until the catalog has been written."""
    pipe = tmp_path / "catalog.json"
    os.mkfifo(pipe)

    async def run() -> tuple[list[str], object]:
        params = StdioServerParameters(command=sys.executable, cwd=str(ROOT),
                                       args=["-m", "generator.cli", "mcp", "--catalog", str(pipe)])
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), \
                    ClientSession(read, write) as session:
                await session.initialize()
                tools = [t.name for t in (await session.list_tools()).tools]
                write_catalog = partial(pipe.write_bytes, published.read_bytes())
                async with anyio.create_task_group() as group:
                    group.start_soon(partial(anyio.to_thread.run_sync, write_catalog,
                                             abandon_on_cancel=True))
                    result = await session.call_tool("who_owns", {"ref": "checkout-service"})
                return tools, result

    tools, result = anyio.run(run)
    assert "who_owns" in tools
    assert answer(result)["owners"][0]["ref"] == "group:default/checkout-team"


@pytest.mark.parametrize(("text", "says"), [
    ("{not json", "catalog.json is Expecting property name enclosed"),
    ('{"entities": 5}', "catalog.json is not a catalog.json export"),
    ('[{"kind": "Group"}, "two"]',
     'catalog.json is not a catalog.json export (entity 2 is "two", not an object)')])
def test_a_bad_catalog_is_a_tool_error_and_the_server_stays_up(tmp_path, text, says):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(text)
    tools, results = ask(["--catalog", str(catalog)], [
        ("who_owns", {"ref": "checkout-service"}), ("find_entities", {"query": ""})])
    assert "who_owns" in tools
    for result in results:
        assert f"the catalog could not be read: {says}" in error(result)
