"""The synthetic organisation as text: its descriptors, API definitions and TechDocs pages,
YAML written by hand for speed (see ``synth_org.py``)."""

from __future__ import annotations

import random

from synth_model import (
    API_EXT,
    API_VERSION,
    DOC_TOPICS,
    EMAIL_DOMAIN,
    GITHUB_ORG,
    NOUNS,
    OBJECTS,
    ORG_NAME,
    QUALIFIERS,
    VERBS,
    Api,
    Component,
    Org,
    Resource,
    q,
)

# ---------------------------------------------------------------------------
# YAML emission (hand-written for speed; all free text is double-quoted)
# ---------------------------------------------------------------------------


def _list(out: list[str], key: str, items: list[str], indent: str = "  ") -> None:
    """Append a block sequence under ``key`` (or an empty flow list)."""
    if not items:
        out.append(f"{indent}{key}: []")
        return
    out.append(f"{indent}{key}:")
    out.extend(f"{indent}  - {item}" for item in items)


def _header(out: list[str], kind: str, name: str) -> None:
    out.append(f"apiVersion: {API_VERSION}")
    out.append(f"kind: {kind}")
    out.append("metadata:")
    out.append(f"  name: {name}")


def _stream(docs: list[str]) -> str:
    """YAML documents as one multi-document stream."""
    return "---\n" + "\n---\n".join(docs) + "\n"


def render_groups(org: Org) -> str:
    """Render the organisation root, departments and teams as multi-document YAML."""
    docs: list[str] = []
    out: list[str] = []
    _header(out, "Group", ORG_NAME)
    out += [
        "spec:",
        "  type: organization",
        "  profile:",
        f"    displayName: {q('Synth Organisation')}",
        f"    email: {ORG_NAME}@{EMAIL_DOMAIN}",
    ]
    _list(out, "children", [d[0] for d in org.departments])
    docs.append("\n".join(out))
    for name, display, children in org.departments:
        out = []
        _header(out, "Group", name)
        out += [
            "spec:",
            "  type: department",
            "  profile:",
            f"    displayName: {q(display)}",
            f"    email: {name}@{EMAIL_DOMAIN}",
            f"  parent: {ORG_NAME}",
        ]
        _list(out, "children", children)
        docs.append("\n".join(out))
    for name, display, parent in org.teams:
        out = []
        _header(out, "Group", name)
        out += [
            "spec:",
            "  type: team",
            "  profile:",
            f"    displayName: {q(display)}",
            f"    email: {name}@{EMAIL_DOMAIN}",
            f"  parent: {parent}",
            "  children: []",
        ]
        docs.append("\n".join(out))
    return _stream(docs)


def render_users(org: Org) -> str:
    """Render all users as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: User\nmetadata:\n  name: {name}\nspec:\n"
        f"  profile:\n    displayName: {q(display)}\n    email: {name}@{EMAIL_DOMAIN}\n"
        f"  memberOf:\n    - {team}"
        for name, display, team in org.users
    ]
    return _stream(docs)


def render_domains(org: Org) -> str:
    """Render all domains as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: Domain\nmetadata:\n  name: {name}\n"
        f"  title: {q(title)}\n  description: {q(f'Everything related to {name}.')}\n"
        f"spec:\n  owner: {owner}"
        for name, title, owner in org.domains
    ]
    return _stream(docs)


def render_systems(org: Org) -> str:
    """Render all systems as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: System\nmetadata:\n  name: {name}\n"
        f"  title: {q(title)}\nspec:\n  owner: {owner}\n  domain: {domain}"
        for name, title, owner, domain in org.systems
    ]
    return _stream(docs)


def render_location() -> str:
    """Render the org-level Location pointing at the org files."""
    return (
        f"apiVersion: {API_VERSION}\nkind: Location\nmetadata:\n  name: {ORG_NAME}-catalog\n"
        f"  description: {q('Organisation structure of the synthetic benchmark org.')}\n"
        "spec:\n  targets:\n    - ./groups.yaml\n    - ./users.yaml\n    - ./domains.yaml\n"
        "    - ./systems.yaml\n"
    )


def render_component(c: Component, repo_name: str) -> str:
    """Render one Component document."""
    out: list[str] = []
    _header(out, "Component", c.name)
    out.append(f"  title: {q(c.title)}")
    out.append(f"  description: {q(c.description)}")
    _list(out, "tags", c.tags)
    out += [
        "  annotations:",
        "    backstage.io/techdocs-ref: dir:.",
        f"    github.com/project-slug: {GITHUB_ORG}/{repo_name}",
    ]
    if c.pagerduty:
        out.append(f"    pagerduty.com/service-id: {c.pagerduty}")
    out += [
        "  links:",
        f"    - url: https://runbooks.{EMAIL_DOMAIN}/{c.name}",
        "      title: Runbook",
        "      icon: docs",
        f"    - url: https://grafana.{EMAIL_DOMAIN}/d/{c.name}",
        "      title: Dashboard",
        "      icon: dashboard",
        "spec:",
        f"  type: {c.type}",
        f"  lifecycle: {c.lifecycle}",
        f"  owner: {c.owner}",
        f"  system: {c.system}",
    ]
    if c.depends_on:
        _list(out, "dependsOn", c.depends_on)
    if c.provides:
        _list(out, "providesApis", c.provides)
    if c.consumes:
        _list(out, "consumesApis", c.consumes)
    return "\n".join(out)


def render_api(a: Api) -> str:
    """Render one API document whose definition is pulled in with ``$text``."""
    return (
        f"apiVersion: {API_VERSION}\nkind: API\nmetadata:\n  name: {a.name}\n"
        f"  title: {q(a.title)}\n"
        f"  description: {q(f'{a.type} interface of {a.system}.')}\n"
        f"spec:\n  type: {a.type}\n  lifecycle: {a.lifecycle}\n  owner: {a.owner}\n"
        f"  system: {a.system}\n  definition:\n"
        f"    $text: ./apis/{a.name}.{API_EXT[a.type]}"
    )


def render_resource(r: Resource) -> str:
    """Render one Resource document."""
    return (
        f"apiVersion: {API_VERSION}\nkind: Resource\nmetadata:\n  name: {r.name}\n"
        f"  description: {q(f'A {r.type} used by {r.system}.')}\n"
        f"spec:\n  type: {r.type}\n  owner: {r.owner}\n  system: {r.system}"
    )


def api_definition(a: Api) -> str:
    """A small but syntactically real definition document for ``a``."""
    ident = a.name.replace("-", "_")
    if a.type == "openapi":
        return (
            "openapi: 3.0.3\ninfo:\n"
            f"  title: {q(a.title)}\n  version: 1.0.0\n"
            f"servers:\n  - url: https://{a.name}.{EMAIL_DOMAIN}/v1\n"
            "paths:\n  /items:\n    get:\n"
            f"      operationId: list_{ident}_items\n"
            "      summary: List items\n"
            '      responses:\n        "200":\n          description: OK\n'
            "          content:\n            application/json:\n              schema:\n"
            "                type: array\n                items:\n"
            '                  $ref: "#/components/schemas/Item"\n'
            "components:\n  schemas:\n    Item:\n      type: object\n"
            "      required: [id]\n      properties:\n"
            "        id:\n          type: string\n        name:\n          type: string\n"
        )
    if a.type == "asyncapi":
        return (
            "asyncapi: 2.6.0\ninfo:\n"
            f"  title: {q(a.title)}\n  version: 1.0.0\n"
            f"channels:\n  {a.name}.events:\n    subscribe:\n"
            f"      operationId: on_{ident}_event\n"
            "      message:\n        payload:\n          type: object\n"
            "          properties:\n            id:\n              type: string\n"
            "            occurredAt:\n              type: string\n"
            "              format: date-time\n"
        )
    if a.type == "graphql":
        return (
            f"# {a.title}\n"
            "type Item {\n  id: ID!\n  name: String\n}\n\n"
            "type Query {\n  items(first: Int = 10): [Item!]!\n  item(id: ID!): Item\n}\n"
        )
    service = "".join(part.title() for part in a.name.split("-"))
    return (
        f"// {a.title}\n"
        'syntax = "proto3";\n\n'
        f"package synth.{ident};\n\n"
        "message GetItemRequest {\n  string id = 1;\n}\n\n"
        "message Item {\n  string id = 1;\n  string name = 2;\n}\n\n"
        f"service {service} {{\n  rpc GetItem(GetItemRequest) returns (Item);\n}}\n"
    )


# ---------------------------------------------------------------------------
# TechDocs pages
# ---------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    return (
        f"The {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(QUALIFIERS)}."
    )


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def doc_pages(k: int) -> list[tuple[str, str]]:
    """File names and nav titles for ``k`` pages (the first is always ``index.md``)."""
    pages = [("index.md", "Overview")]
    for p in range(1, k):
        topic = DOC_TOPICS[(p - 1) % len(DOC_TOPICS)]
        lap = (p - 1) // len(DOC_TOPICS)
        slug = topic if lap == 0 else f"{topic}-{lap + 1}"
        pages.append((f"{slug}.md", slug.replace("-", " ").capitalize()))
    return pages


def render_page(
    rng: random.Random,
    repo_name: str,
    comps: list[Component],
    pages: list[tuple[str, str]],
    index: int,
) -> str:
    """Render one Markdown page with prose, a link, a table and a code block."""
    title = pages[index][1]
    if len(pages) > 1:
        link_file, link_title = pages[(index + 1) % len(pages)]
        link = f"See [{link_title}]({link_file}) for more."
    else:
        link = "See [the details](#details) below."
    heading = f"{repo_name}: {title}" if index == 0 else title
    rows = [f"| `{c.name}` | {c.type} | {c.lifecycle} | {c.owner} |" for c in comps[:5]]
    if not rows:
        rows = ["| - | - | - | - |"]
    sample = comps[0].name if comps else repo_name
    return "\n".join(
        [
            f"# {heading}",
            "",
            _paragraph(rng),
            "",
            link,
            "",
            "## Details",
            "",
            _paragraph(rng),
            "",
            "| Component | Type | Lifecycle | Owner |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
            "## Example",
            "",
            _paragraph(rng),
            "",
            "```bash",
            f"curl -sf https://{sample}.{EMAIL_DOMAIN}/healthz",
            f"kubectl -n {sample} rollout status deploy/{sample}",
            "```",
            "",
        ]
    )


def render_mkdocs(repo_name: str, pages: list[tuple[str, str]]) -> str:
    """Render a per-repo ``mkdocs.yml`` with an explicit nav."""
    nav = "\n".join(f"  - {q(title)}: {fname}" for fname, title in pages)
    return f"site_name: {repo_name}\ndocs_dir: docs\nnav:\n{nav}\n"
