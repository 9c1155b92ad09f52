"""``pavedroad mcp``: the catalog as a Model Context Protocol server over stdio.

Built on the official SDK's low-level server (``mcp``, the optional extra
``pavedroad[mcp]``), read-only, offline. The tools are a table (:data:`TOOLS`):
each names its arguments, which give the schema clients see and are checked
before the call, and translates the call into a
:class:`generator.answers.Answers` question; a question that cannot be
answered (an unknown ref, a bad date) comes back as a tool error whose text
says what to ask instead. The SDK's ``MCPServer`` would derive the same
schemas from type hints, building a pydantic model per tool before it answers.

Start-up is the SDK's import and little else: nothing of the catalog is read
before ``initialize`` is answered. The catalog loads in a thread that starts
once the client has its answer (a large ``json.loads`` holds the interpreter),
and builds the impact edges before the first question needs them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.answers import Answers, BadQuestion, load_answers

if TYPE_CHECKING:
    from pathlib import Path

    from mcp.server.lowlevel import Server

__all__ = ["TOOLS", "CatalogLoader", "Param", "Tool", "make_server", "serve"]

INSTRUCTIONS = (
    "Answers about the organisation's software catalog (a Paved Road developer portal): "
    "services, APIs, resources, systems, teams and people, who owns what, who is on call, "
    "what depends on what, and what changed. Refs look like component:default/checkout-service "
    "(a bare name works when it is unique). Every answer has the entity's portal page as url."
)

REQUIRED = object()
"""The default of an argument that must be given."""

log = logging.getLogger(__name__)


class CatalogLoader:
    """Loads the catalog once, in a thread; questions wait for it."""

    def __init__(self, load: Callable[[], Answers]) -> None:
        self._load = load
        self._answers: Answers | None = None
        self._error: str | None = None
        self._thread = threading.Thread(target=self._run, name="catalog", daemon=True)
        self._started = threading.Lock()

    def start(self) -> None:
        """Start loading (again: nothing)."""
        if self._started.acquire(blocking=False):
            self._thread.start()

    def _run(self) -> None:
        try:
            with lasting_objects():
                self._answers = self._load()
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._error = f"the catalog could not be read: {exc}"

    def get(self) -> Answers:
        self.start()
        self._thread.join()
        if self._answers is None:
            raise BadQuestion(self._error or "the catalog could not be read")
        return self._answers


@contextlib.contextmanager
def lasting_objects() -> Iterator[None]:
    """Make objects that live as long as the server (the SDK's classes, the catalog)
    without the garbage collector: it would walk every dict the catalog's JSON makes,
    over and over, and take three times as long as the loading itself. Afterwards the
    collector leaves them alone (:func:`gc.freeze`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Param:
    """One argument of a tool."""

    name: str
    type: str
    """Its JSON Schema type: ``string`` or ``integer``."""
    default: Any = REQUIRED
    """What it is when not given (:data:`REQUIRED`: it must be given); ``None`` may be passed
    for any argument that has a default."""

    def schema(self) -> dict[str, Any]:
        """Its JSON Schema, as pydantic writes a ``str`` or ``X | None = default`` argument."""
        title = self.name.replace("_", " ").title()
        if self.default is REQUIRED:
            return {"title": title, "type": self.type}
        return {"anyOf": [{"type": self.type}, {"type": "null"}], "default": self.default,
                "title": title}

    def value(self, arguments: Mapping[str, Any]) -> Any:
        """Its value in a call's ``arguments``; raises :class:`BadQuestion` when it is missing
        or of the wrong type (a whole number written ``2.0`` or ``"2"`` is taken)."""
        if self.name not in arguments or (arguments[self.name] is None
                                          and self.default is REQUIRED):
            if self.default is REQUIRED:
                raise BadQuestion(f"{self.name} is required ({self.type})")
            return self.default
        value = arguments[self.name]
        if value is None:
            return None
        if self.type == "string":
            if not isinstance(value, str):
                raise BadQuestion(f"{self.name} must be a string, not {json.dumps(value)}")
            return value
        return _whole_number(value)  # Answers says what is wrong with anything else


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return value


@dataclass(frozen=True)
class Tool:
    """One read-only tool: its name, what it answers, its arguments and the question."""

    name: str
    description: str
    params: tuple[Param, ...]
    ask: Callable[..., dict]
    """``ask(answers, *argument values)``: the answer, or :class:`BadQuestion`."""

    def input_schema(self) -> dict[str, Any]:
        return {"properties": {p.name: p.schema() for p in self.params},
                "required": [p.name for p in self.params if p.default is REQUIRED],
                "title": f"{self.name}Arguments", "type": "object"}

    def output_schema(self) -> dict[str, Any]:
        return {"additionalProperties": True, "title": f"{self.name}DictOutput",
                "type": "object"}

    def call(self, answers: Callable[[], Answers], arguments: Mapping[str, Any]) -> dict:
        values = [p.value(arguments) for p in self.params]
        return self.ask(answers(), *values)


_REF = Param("ref", "string")

TOOLS: tuple[Tool, ...] = (
    Tool("find_entities",
         "Find catalog entities whose name, title, description or tags contain every word "
         "of query; optionally only one kind (component, api, resource, system, group …) or "
         "one owner (a team's ref or name). An empty query lists everything that matches.",
         (Param("query", "string"), Param("kind", "string", None), Param("owner", "string", None)),
         Answers.find_entities),
    Tool("get_entity",
         "Everything about one entity: facts, links, on call, runbook, chat, relations.",
         (_REF,), Answers.get_entity),
    Tool("who_owns",
         "Who owns an entity: the team, its members with e-mail, on call and chat.",
         (_REF,), Answers.who_owns),
    Tool("blast_radius",
         "What breaks when this entity is down: everything that needs it, transitively "
         "(depth limits the hops), nearest first.",
         (_REF, Param("depth", "integer", None)), Answers.blast_radius),
    Tool("depends_on",
         "What an entity needs: its dependencies and consumed APIs (and their providers "
         "with depth 2 or more; None for everything).",
         (_REF, Param("depth", "integer", 1)), Answers.depends_on),
    Tool("team",
         "A team (Group): e-mail, chat, members, parent and child teams, what it owns.",
         (_REF,), Answers.team),
    Tool("changes",
         "What changed in the catalog since a date (2026-12-01) or ISO time, newest "
         "first: entities added, removed, renamed; owner, lifecycle, system, tier; "
         "dependencies; scorecard levels.",
         (Param("since", "string"),), Answers.changes_since),
)
"""The tools, in the order clients list them."""


def make_server(loader: CatalogLoader) -> Server:
    """The SDK's server with the read-only :data:`TOOLS`."""
    from mcp import types
    from mcp.server.lowlevel import Server

    by_name = {tool.name: tool for tool in TOOLS}
    read_only = types.ToolAnnotations(read_only_hint=True, open_world_hint=False)
    listed = types.ListToolsResult(tools=[
        types.Tool(name=t.name, description=t.description, input_schema=t.input_schema(),
                   output_schema=t.output_schema(), annotations=read_only) for t in TOOLS])

    def failed(text: str) -> types.CallToolResult:
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                    is_error=True)

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return listed

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = by_name.get(params.name)
        if tool is None:
            return failed(f"Unknown tool: {params.name}")
        try:
            answer = tool.call(loader.get, params.arguments or {})
        except BadQuestion as exc:
            return failed(f"Error executing tool {tool.name}: {exc}")
        except Exception:  # a bug: the traceback stays on the server's stderr
            log.exception("tool %s failed", tool.name)
            return failed(f"Error executing tool {tool.name}")
        text = json.dumps(answer, indent=2, ensure_ascii=False, default=str)
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                    structured_content=answer)

    async def load_when_initialized(ctx: Any, call_next: Callable) -> Any:
        result = await call_next(ctx)
        if ctx.method == "notifications/initialized":
            loader.start()
        return result

    server = Server("pavedroad", instructions=INSTRUCTIONS, on_list_tools=list_tools,
                    on_call_tool=call_tool)
    server.middleware.append(load_when_initialized)
    return server


def serve(*, catalog: Path | None, sources: Path | None, history: Path | None,
          site_url: str) -> None:
    """Run the server on stdin/stdout until the client closes it."""
    def load() -> Answers:
        answers = load_answers(catalog=catalog, sources=sources, history=history,
                               site_url=site_url)
        answers.needed_by()  # the impact edges too, before the first question needs them
        return answers

    with lasting_objects():
        import anyio
        from mcp.server.stdio import stdio_server

        server = make_server(CatalogLoader(load))

    async def run() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(run)
