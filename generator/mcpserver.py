"""``pavedroad mcp``: the catalog as a Model Context Protocol server over stdio.

Built on the official SDK (``mcp``, the optional extra ``pavedroad[mcp]``),
read-only, offline. The tools only translate calls into
:class:`generator.answers.Answers` questions; a question that cannot be
answered (an unknown ref, a bad date) comes back as a tool error whose text
says what to ask instead. The catalog loads in a thread that starts once the
client has its ``initialize`` answer (a large ``json.loads`` holds the
interpreter), and builds the impact graph before the first question needs it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from generator.answers import Answers, BadQuestion, load_answers

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from mcp.server.mcpserver import MCPServer

__all__ = ["CatalogLoader", "make_server", "serve"]

INSTRUCTIONS = (
    "Answers about the organisation's software catalog (a Paved Road developer portal): "
    "services, APIs, resources, systems, teams and people, who owns what, who is on call, "
    "what depends on what, and what changed. Refs look like component:default/checkout-service "
    "(a bare name works when it is unique). Every answer has the entity's portal page as url."
)


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
            self._answers = self._load()
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._error = f"the catalog could not be read: {exc}"

    def get(self) -> Answers:
        self.start()
        self._thread.join()
        if self._answers is None:
            raise BadQuestion(self._error or "the catalog could not be read")
        return self._answers


def make_server(loader: CatalogLoader) -> MCPServer:
    """The server with its seven read-only tools."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import ToolAnnotations

    async def load_when_initialized(ctx: Any, call_next: Callable) -> Any:
        result = await call_next(ctx)
        if ctx.method == "notifications/initialized":
            loader.start()
        return result

    server = MCPServer("pavedroad", instructions=INSTRUCTIONS,
                       middleware=[load_when_initialized])
    read_only = ToolAnnotations(readOnlyHint=True, openWorldHint=False)

    def ask(question: Callable[[Answers], dict]) -> dict:
        try:
            return question(loader.get())
        except BadQuestion as exc:
            raise ToolError(str(exc)) from None

    @server.tool(annotations=read_only)
    def find_entities(query: str, kind: str | None = None, owner: str | None = None
                      ) -> dict[str, Any]:
        """Find catalog entities whose name, title, description or tags contain every word
        of query; optionally only one kind (component, api, resource, system, group …) or
        one owner (a team's ref or name). An empty query lists everything that matches."""
        return ask(lambda a: a.find_entities(query, kind, owner))

    @server.tool(annotations=read_only)
    def get_entity(ref: str) -> dict[str, Any]:
        """Everything about one entity: facts, links, on call, runbook, chat, relations."""
        return ask(lambda a: a.get_entity(ref))

    @server.tool(annotations=read_only)
    def who_owns(ref: str) -> dict[str, Any]:
        """Who owns an entity: the team, its members with e-mail, on call and chat."""
        return ask(lambda a: a.who_owns(ref))

    @server.tool(annotations=read_only)
    def blast_radius(ref: str, depth: int | None = None) -> dict[str, Any]:
        """What breaks when this entity is down: everything that needs it, transitively
        (depth limits the hops), nearest first."""
        return ask(lambda a: a.blast_radius(ref, depth))

    @server.tool(annotations=read_only)
    def depends_on(ref: str, depth: int | None = 1) -> dict[str, Any]:
        """What an entity needs: its dependencies and consumed APIs (and their providers
        with depth 2 or more; None for everything)."""
        return ask(lambda a: a.depends_on(ref, depth))

    @server.tool(annotations=read_only)
    def team(ref: str) -> dict[str, Any]:
        """A team (Group): e-mail, chat, members, parent and child teams, what it owns."""
        return ask(lambda a: a.team(ref))

    @server.tool(annotations=read_only)
    def changes(since: str) -> dict[str, Any]:
        """What changed in the catalog since a date (2026-12-01) or ISO time, newest
        first: entities added, removed, renamed; owner, lifecycle, system, tier;
        dependencies; scorecard levels."""
        return ask(lambda a: a.changes_since(since))

    return server


def serve(*, catalog: Path | None, sources: Path | None, history: Path | None,
          site_url: str) -> None:
    """Run the server on stdin/stdout until the client closes it."""
    def load() -> Answers:
        answers = load_answers(catalog=catalog, sources=sources, history=history,
                               site_url=site_url)
        answers.needs()  # the impact graph too, before the first question needs it
        return answers

    make_server(CatalogLoader(load)).run("stdio")
