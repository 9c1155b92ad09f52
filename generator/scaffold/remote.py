"""Steps that need a remote, printed as the commands that do their work by hand.

``publish:*`` creates a repository and pushes the result, ``*:pull-request``
and ``*:merge-request`` open a change in an existing one,
``catalog:register`` adds the new ``catalog-info.yaml`` to the catalog; for
these the exact commands are printed (``git init``, the remote from
``repoUrl``, the location to register). Other actions that are not run
here are listed with their rendered input.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from generator.scaffold.filters import FilterError, parse_repo_url

__all__ = ["is_remote", "next_commands"]

_REMOTE_PREFIXES = ("publish:", "github:", "gitlab:", "bitbucket", "azure:", "gerrit:",
                    "gitea:", "catalog:register", "confluence:", "sentry:", "argocd:",
                    "http:backstage:request")


def is_remote(action: str) -> bool:
    """Whether an action needs a remote service (and so is never run here)."""
    return action.startswith(_REMOTE_PREFIXES)


def _q(value: object) -> str:
    return shlex.quote(str(value))


def _repo(inp: dict) -> dict[str, str] | None:
    try:
        return parse_repo_url(inp.get("repoUrl"))
    except FilterError:
        return None


def _clone_url(repo: dict[str, str]) -> str:
    owner = repo.get("owner") or repo.get("organization") or repo.get("workspace") or ""
    project = repo.get("project")
    path = "/".join(p for p in (owner, project if not owner else None, repo["repo"]) if p)
    return f"https://{repo['host']}/{path}.git"


def _publish(action: str, inp: dict, target: str) -> tuple[list[str], dict]:
    repo = _repo(inp)
    if repo is None:
        return [f"# {action}: repoUrl {inp.get('repoUrl')!r} does not say where to publish"], {}
    branch = inp.get("defaultBranch") or "master"
    source = inp.get("sourcePath")
    directory = f"{target}/{source}" if isinstance(source, str) and source.strip(". /") \
        else target
    message = inp.get("gitCommitMessage") or "initial commit"
    url = _clone_url(repo)
    slug = f"{repo.get('owner', '')}/{repo['repo']}".strip("/")
    visibility = inp.get("repoVisibility") or "private"
    lines = [f"cd {_q(directory)}",
             f"git init -b {_q(branch)} && git add -A && git commit -m {_q(message)}"]
    if "github" in repo["host"]:
        flag = visibility if visibility in ("public", "internal") else "private"
        create = f"gh repo create {_q(slug)} --{flag}"
        if inp.get("description"):
            create += f" --description {_q(inp['description'])}"
        lines.append(create)
    else:
        lines.append(f"# create the repository {slug} on {repo['host']} ({visibility})")
    lines += [f"git remote add origin {_q(url)}", f"git push -u origin {_q(branch)}"]
    web = url.removesuffix(".git")
    outputs = {"remoteUrl": web, "repoContentsUrl": f"{web}/blob/{branch}"}
    return lines, outputs


def _change_request(action: str, inp: dict, target: str) -> list[str]:
    repo = _repo(inp)
    if repo is None:
        return [f"# {action}: repoUrl {inp.get('repoUrl')!r} does not say where to open it"]
    branch = inp.get("branchName") or "scaffolder"
    into = inp.get("targetPath") or "."
    source = inp.get("sourcePath")
    directory = f"{target}/{source}" if isinstance(source, str) and source.strip(". /") \
        else target
    title = inp.get("title") or f"Changes from {target}"
    lines = [f"git clone {_q(_clone_url(repo))} {_q(repo['repo'])} && cd {_q(repo['repo'])}",
             f"git checkout -b {_q(branch)}",
             f"mkdir -p {_q(into)} && cp -R ../{_q(directory)}/. {_q(into)}/",
             f"git add -A && git commit -m {_q(title)} && git push -u origin {_q(branch)}"]
    body = inp.get("description") or ""
    if "github" in repo["host"]:
        lines.append(f"gh pr create --title {_q(title)} --body {_q(body)}")
    elif "gitlab" in repo["host"]:
        lines.append(f"glab mr create --title {_q(title)} --description {_q(body)}")
    else:
        lines.append(f"# open a pull request from {branch} on {repo['host']}")
    return lines


def _register(inp: dict, published: dict) -> list[str]:
    url = inp.get("catalogInfoUrl")
    contents = inp.get("repoContentsUrl")
    if not isinstance(url, str) or url.startswith("<unavailable"):
        base = contents if isinstance(contents, str) and "<unavailable" not in contents \
            else published.get("repoContentsUrl")
        path = inp.get("catalogInfoPath") or "/catalog-info.yaml"
        url = f"{base}{path if str(path).startswith('/') else '/' + str(path)}" if base \
            else None
    if not url:
        return ["# catalog:register: register the new catalog-info.yaml once it is pushed"]
    git = str(url).split("/blob/")[0] + ".git" if "/blob/" in str(url) else None
    lines = [f"# register {url} in the catalog:"]
    if git:
        lines.append(f"#   Paved Road: add `- git: {git}` to sources.yaml")
    lines.append(f"#   Backstage: register an existing component at {url}")
    return lines


def next_commands(action: str, inp: dict[str, Any], target: str,
                  published: dict) -> tuple[list[str], dict]:
    """The commands that do a remote step's work, and the URLs they would give.

    ``published`` holds what an earlier publish step would output
    (``repoContentsUrl``), so ``catalog:register`` can name the location.
    """
    if action.endswith((":pull-request", ":merge-request")):
        return _change_request(action, inp, target), {}
    if action.startswith("publish:"):
        return _publish(action, inp, target)
    if action == "catalog:register":
        return _register(inp, published), {}
    shown = json.dumps(inp, ensure_ascii=False, sort_keys=True)
    if len(shown) > 300:
        shown = shown[:299] + "…"
    return [f"# {action} is not run by pavedroad new; run it yourself with {shown}"], {}
