"""Running a template's steps in order, with Backstage's workflow semantics.

Each step's ``input`` is rendered against ``parameters``, ``steps`` (earlier
outputs), ``user`` and, for ``each`` steps, ``each``; ``if`` skips a step
when falsy (JavaScript truthiness, empty lists false); ``each`` runs it once
per entry of a list or object. Local actions change the in-memory
workspace; remote ones become :attr:`RunResult.commands`, and their outputs
read as unavailable. The first failing step stops the run with a problem;
nothing has been written by then.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.problems import Problem, Severity
from generator.scaffold.actions import ACTIONS, ActionError, NotRunHere, RunContext
from generator.scaffold.nunjucks import Budget, Renderer, RenderError
from generator.scaffold.remote import next_commands
from generator.scaffold.stamp import stamp_source_template
from generator.scaffold.values import Unavailable, is_truthy
from generator.scaffold.workspace import PathError, Workspace

if TYPE_CHECKING:
    from generator.scaffold.template import TemplateSource

__all__ = ["RunResult", "run_steps"]


@dataclass(slots=True)
class RunResult:
    """What a run produced: files, a log, commands for the remote steps, problems."""

    workspace: Workspace
    log: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)


class _StepFailed(Exception):
    pass


def _entries(value: Any) -> list[tuple[str, Any]]:
    """``Object.entries``: a list's indexes as text, an object's keys, a string's letters."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list | str):
        return [(str(i), v) for i, v in enumerate(value)]
    return []


class _Run:
    def __init__(self, source: TemplateSource, parameters: dict, target: str,
                 budget: Budget, user: dict) -> None:
        self.source = source
        self.target = target
        self.ctx = RunContext(source, budget=budget)
        self.renderer = Renderer(budget)
        self.result = RunResult(self.ctx.workspace)
        self.published: dict = {}
        self.context: dict[str, Any] = {
            "parameters": parameters, "steps": {}, "user": user, "secrets": {},
            "environment": {"parameters": {}, "secrets": {}},
            "context": {"task": {"id": "local"}},
        }

    def problem(self, index: int | None, message: str, code: str = "scaffold-step") -> None:
        entity = self.source.entity
        line = entity.line_of(("spec", "steps", index) if index is not None
                              else ("spec", "steps"))
        self.result.problems.append(Problem(Severity.ERROR, code, message,
                                            file=self.source.display, line=line,
                                            entity=str(entity.ref)))

    def run(self) -> RunResult:
        steps = self.source.entity.spec.get("steps")
        if steps is not None and not isinstance(steps, list):
            self.problem(None, "spec.steps must be a list of steps")
            return self.result
        for index, step in enumerate(steps or []):
            try:
                self.step(index, step)
            except _StepFailed:
                return self.result
        for note in stamp_source_template(self.ctx.workspace, str(self.source.entity.ref)):
            self.ctx.warnings.append(note)
        self.outputs()
        for warning in self.ctx.warnings:
            self.result.problems.append(Problem(
                Severity.WARNING, "scaffold-warning", warning, file=self.source.display,
                entity=str(self.source.entity.ref)))
        return self.result

    def step(self, index: int, step: object) -> None:
        if not isinstance(step, dict) or not isinstance(step.get("action"), str):
            self.problem(index, f"steps[{index}] must be a mapping with an action")
            raise _StepFailed
        sid = str(step.get("id") or f"step-{index + 1}")
        action = step["action"]
        name = str(step.get("name") or sid)
        head = f"[{sid}] {name} ({action})"
        try:
            if step.get("if") is False or (isinstance(step.get("if"), str) and "each" not in step
                                            and not is_truthy(self.renderer.render_input(
                                                step["if"], self.context, f"step {sid} if"))):
                self.result.log.append(f"{head}: skipped, its if is false")
                return
            iterations: list[dict] = [{}]
            if "each" in step:
                each = self.renderer.render_input(step["each"], self.context, f"step {sid} each")
                if not each:
                    raise ActionError(f"each {step['each']!r} cannot be resolved to a value")
                iterations = [{"each": {"key": k, "value": v}} for k, v in _entries(each)]
            outputs: dict[str, Any] = {}
            ran = 0
            for extra in iterations:
                context = {**self.context, **extra}
                if extra and step.get("if") not in (None, True) and not is_truthy(
                        self.renderer.render_input(step["if"], context, f"step {sid} if")):
                    continue
                inp = self.renderer.render_input(step.get("input") or {}, context,
                                                 f"step {sid} input")
                inp = inp if isinstance(inp, dict) else {}
                before = len(self.ctx.log)
                produced = self.act(sid, action, inp)
                ran += 1
                label = head if not extra else f"{head} [{extra['each']['key']}]"
                details = self.ctx.log[before:]
                del self.ctx.log[before:]
                self.result.log.append(label + (": " + details[0] if len(details) == 1 else ""))
                self.result.log += [f"    {d}" for d in details] if len(details) > 1 else []
                for key, value in produced.items():
                    if "each" in step:
                        outputs.setdefault(key, []).append(value)
                    else:
                        outputs[key] = value
            if ran == 0 and "each" in step:
                self.result.log.append(f"{head}: skipped, its if is false for every entry")
            self.context["steps"][sid] = {"output": outputs}
        except _Remote as remote:
            self.context["steps"][sid] = {"output": Unavailable(hint=f"steps.{sid}.output")}
            self.result.log.append(f"{head}: not run here, {remote}")
        except (ActionError, RenderError, PathError) as exc:
            self.problem(index, f"step {sid} ({action}): {exc}")
            raise _StepFailed from None

    def act(self, sid: str, action: str, inp: dict) -> dict:
        local = ACTIONS.get(action)
        if local is not None:
            try:
                return local(self.ctx, inp)
            except NotRunHere as exc:
                into = posixpath.normpath(posixpath.join(self.target, str(
                    inp.get("targetPath") or ".")))
                self.result.commands.append(f"# {sid}: {exc}; fetch {inp.get('url')} into {into}")
                raise _Remote("its url is outside the template's repository") from None
        commands, published = next_commands(action, inp, self.target, self.published)
        self.published.update(published)
        self.result.commands += [f"# {sid} ({action}):", *commands]
        raise _Remote("it needs a remote; see the commands below" if action in _KNOWN_REMOTE
                      or ":" in action else "unknown action")

    def outputs(self) -> None:
        output = self.source.entity.spec.get("output")
        if not isinstance(output, dict):
            return
        try:
            rendered = self.renderer.render_input(output, self.context, "output")
        except RenderError as exc:
            self.ctx.warnings.append(str(exc))
            return
        for link in rendered.get("links") or [] if isinstance(rendered, dict) else []:
            if isinstance(link, dict):
                value = link.get("url") or link.get("entityRef") or "(none)"
                self.result.output.append(f"{link.get('title') or 'link'}: {value}")
        for block in rendered.get("text") or [] if isinstance(rendered, dict) else []:
            if isinstance(block, dict) and block.get("content"):
                self.result.output.append(f"{block.get('title') or 'text'}: {block['content']}")
        for key, value in (rendered.items() if isinstance(rendered, dict) else ()):
            if key not in ("links", "text"):
                self.result.output.append(f"{key}: {value}")


_KNOWN_REMOTE = ("publish:github", "publish:gitlab", "catalog:register")


class _Remote(Exception):
    pass


def run_steps(source: TemplateSource, parameters: dict, target: str, *,
              budget: Budget | None = None, user: dict | None = None) -> RunResult:
    """Run every step of ``source`` with ``parameters``; ``target`` names the directory."""
    return _Run(source, parameters, target, budget or Budget(), user or {}).run()
