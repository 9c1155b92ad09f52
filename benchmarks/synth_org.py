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
import bisect
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".synth-org"
API_VERSION = "backstage.io/v1alpha1"
ORG_NAME = "synth-org"
EMAIL_DOMAIN = "synth.example"
GITHUB_ORG = "synth"

# ---------------------------------------------------------------------------
# Word pools (all lowercase ASCII; combined into names, titles and prose).
# ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Split a whitespace-separated word pool (keeps the pools compact)."""
    return text.split()


def _lines(text: str) -> list[str]:
    """Split a pool of multi-word phrases, one per line."""
    return [line.strip() for line in text.strip().splitlines()]


DOMAIN_WORDS = _words("""
    payments identity logistics catalogue search checkout billing messaging analytics
    platform security inventory pricing media partners support marketing risk compliance
    fulfilment ledger loyalty onboarding notifications reporting experimentation content
    observability networking storage
""")
NOUNS = _words("""
    ledger gateway router scheduler indexer resolver broker registry collector importer
    exporter renderer validator planner matcher tracker aggregator notifier dispatcher
    profiler archiver optimizer sanitizer classifier allocator reconciler forecaster
    orchestrator
""")
ADJECTIVES = _words("""
    swift quiet bright steady bold clever nimble brave calm eager gentle keen lucky mighty
    noble proud rapid sharp silent vivid wise agile crisp golden
""")
ANIMALS = _words("""
    falcons otters badgers lynxes herons wolves foxes ravens bisons cranes dolphins eagles
    geckos hawks ibises jaguars koalas lemurs marmots narwhals ocelots pumas quokkas
    salmons
""")
FIRST_NAMES = _words("""
    alex sam jordan taylor morgan casey riley jamie robin avery quinn charlie dana emery
    finley harper kai lee maria noah olivia priya omar yuki chen fatima lars ana
""")
LAST_NAMES = _words("""
    smith jones garcia miller davis lopez wilson anderson thomas moore martin lee clark
    lewis walker hall young king wright scott green baker adams nelson hill campbell
    mitchell patel
""")
TAGS = _words("""
    python java go typescript kotlin rust scala grpc rest graphql kafka postgres redis
    internal customer-facing pci gdpr batch realtime ml frontend backend serverless
    kubernetes legacy critical tier-1 tier-2 tier-3 data
""")
VERBS = _words("""
    processes validates aggregates publishes stores routes enriches reconciles indexes
    exposes schedules transforms caches audits
""")
OBJECTS = _lines("""
payment events
customer profiles
order updates
inventory snapshots
pricing rules
shipment notifications
search queries
audit records
feature flags
invoice batches
session tokens
media assets
usage metrics
partner feeds
support tickets
risk scores
""")
QUALIFIERS = _lines("""
for downstream consumers
with at-least-once delivery
behind the edge gateway
on a nightly schedule
in near real time
for the reporting pipeline
with strict idempotency guarantees
across all regions
for internal tooling
under a 200 ms latency budget
""")
DOC_TOPICS = _words("""
    getting-started architecture runbook api-usage configuration deployment monitoring faq
    troubleshooting data-model security release-process local-development testing glossary
""")

COMPONENT_TYPES = (("service", 70), ("website", 10), ("library", 20))
LIFECYCLES = (("production", 70), ("experimental", 20), ("deprecated", 10))
API_TYPES = (("openapi", 40), ("asyncapi", 20), ("graphql", 20), ("grpc", 20))
API_EXT = {"openapi": "yaml", "asyncapi": "yaml", "graphql": "graphql", "grpc": "proto"}
RESOURCE_TYPES = (("database", "db"), ("queue", "queue"), ("bucket", "bucket"), ("cache", "cache"))
PD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _weights(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    """Split ``(value, weight)`` pairs into population and cumulative weights."""
    values = [v for v, _ in pairs]
    cum: list[int] = []
    total = 0
    for _, w in pairs:
        total += w
        cum.append(total)
    return values, cum


def q(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def width_for(count: int, minimum: int) -> int:
    """Zero-padding width able to hold indices ``0 .. count-1``."""
    return max(minimum, len(str(max(count - 1, 0))))


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class Component:
    """A generated Component entity."""

    name: str
    title: str
    description: str
    type: str
    lifecycle: str
    owner: str
    system: str
    repo: int
    tags: list[str]
    pagerduty: str | None
    depends_on: list[str] = field(default_factory=list)
    provides: list[str] = field(default_factory=list)
    consumes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Api:
    """A generated API entity, provided by exactly one component."""

    name: str
    title: str
    type: str
    lifecycle: str
    owner: str
    system: str
    repo: int
    provider: int


@dataclass(slots=True)
class Resource:
    """A generated Resource entity."""

    name: str
    type: str
    owner: str
    system: str
    repo: int


@dataclass(slots=True)
class Org:
    """The whole synthetic organisation, ready to be written out."""

    departments: list[tuple[str, str, list[str]]]  # name, display name, child teams
    teams: list[tuple[str, str, str]]  # name, display name, parent department
    users: list[tuple[str, str, str]]  # name, display name, team
    domains: list[tuple[str, str, str]]  # name, title, owner department
    systems: list[tuple[str, str, str, str]]  # name, title, owner team, domain
    components: list[Component]
    apis: list[Api]
    resources: list[Resource]
    repo_count: int
    repo_width: int
    cycles: list[list[str]]


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------


def _evenly(index: int, count: int, buckets: int) -> int:
    """Bucket of ``index`` when ``count`` items are split into contiguous ``buckets``."""
    return index * buckets // count


def build_org(n_components: int, n_repos: int, seed: int) -> Org:
    """Build the in-memory organisation model for ``n_components`` components."""
    rng = random.Random(seed)
    n = n_components
    n_repos = max(1, min(n_repos, n))
    n_teams = max(1, round(n / 50))
    n_depts = max(1, round(n_teams / 10))
    n_users = max(n_teams, n // 5)
    n_domains = max(2, n // 500)
    n_systems = max(1, n // 25)
    n_apis = n // 5
    n_resources = max(1, n // 10)

    cw = width_for(n, 5)
    rw = width_for(n_repos, 4)
    tw = width_for(n_teams, 4)
    sw = width_for(n_systems, 4)
    aw = width_for(n_apis, 5)
    xw = width_for(n_resources, 5)
    uw = width_for(n_users, 5)

    # -- groups: org -> departments -> teams --------------------------------
    departments: list[tuple[str, str, list[str]]] = []
    for d in range(n_depts):
        word = DOMAIN_WORDS[d % len(DOMAIN_WORDS)]
        name = f"dept-{d:02d}-{word}"
        departments.append((name, f"{word.title()} Engineering {d}", []))
    teams: list[tuple[str, str, str]] = []
    dept_teams: list[list[int]] = [[] for _ in range(n_depts)]
    for t in range(n_teams):
        d = _evenly(t, n_teams, n_depts)
        display = f"{rng.choice(ADJECTIVES).title()} {rng.choice(ANIMALS).title()} {t}"
        name = f"team-{t:0{tw}d}"
        teams.append((name, display, departments[d][0]))
        departments[d][2].append(name)
        dept_teams[d].append(t)

    users: list[tuple[str, str, str]] = []
    for u in range(n_users):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        users.append(
            (f"{first}.{last}.{u:0{uw}d}", f"{first.title()} {last.title()}", teams[u % n_teams][0])
        )

    # -- domains and systems ------------------------------------------------
    domains: list[tuple[str, str, str]] = []
    domain_dept: list[int] = []
    for i in range(n_domains):
        word = DOMAIN_WORDS[i % len(DOMAIN_WORDS)]
        name = word if i < len(DOMAIN_WORDS) else f"{word}-{i // len(DOMAIN_WORDS)}"
        d = i % n_depts
        domains.append((name, f"{word.title()} Domain", departments[d][0]))
        domain_dept.append(d)
    systems: list[tuple[str, str, str, str]] = []
    system_owner: list[int] = []
    for s in range(n_systems):
        dom = s % n_domains
        owner = rng.choice(dept_teams[domain_dept[dom]])
        system_owner.append(owner)
        title = f"{DOMAIN_WORDS[dom % len(DOMAIN_WORDS)].title()} {rng.choice(NOUNS).title()}"
        systems.append((f"sys-{s:0{sw}d}", f"{title} System", teams[owner][0], domains[dom][0]))

    # -- resources ----------------------------------------------------------
    resources: list[Resource] = []
    sys_resources: list[list[int]] = [[] for _ in range(n_systems)]
    for r in range(n_resources):
        rtype, prefix = RESOURCE_TYPES[rng.randrange(len(RESOURCE_TYPES))]
        s = _evenly(r, n_resources, n_systems)
        sys_resources[s].append(r)
        resources.append(
            Resource(
                name=f"{prefix}-{r:0{xw}d}",
                type=rtype,
                owner=teams[system_owner[s]][0],
                system=systems[s][0],
                repo=_evenly(r, n_resources, n_repos),
            )
        )

    # -- components -----------------------------------------------------------
    ctypes, ctype_w = _weights(COMPONENT_TYPES)
    lifes, life_w = _weights(LIFECYCLES)
    kind_word = {"service": "Service", "website": "Website", "library": "Library"}
    components: list[Component] = []
    for i in range(n):
        s = _evenly(i, n, n_systems)
        ctype = rng.choices(ctypes, cum_weights=ctype_w)[0]
        owner = system_owner[s] if rng.random() < 0.8 else rng.randrange(n_teams)
        dom_word = DOMAIN_WORDS[(s % n_domains) % len(DOMAIN_WORDS)]
        noun = rng.choice(NOUNS)
        description = (
            f"The {noun} {kind_word[ctype].lower()} {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."
        )
        pagerduty = None
        if rng.random() < 0.5:
            pagerduty = "P" + "".join(rng.choices(PD_ALPHABET, k=6))
        components.append(
            Component(
                name=f"svc-{i:0{cw}d}",
                title=f"{dom_word.title()} {noun.title()} {kind_word[ctype]}",
                description=description,
                type=ctype,
                lifecycle=rng.choices(lifes, cum_weights=life_w)[0],
                owner=teams[owner][0],
                system=systems[s][0],
                repo=_evenly(i, n, n_repos),
                tags=rng.sample(TAGS, rng.choice((2, 2, 3))),
                pagerduty=pagerduty,
            )
        )

    # -- deliberate small cycles (edges added before the random backbone) ----
    extra: dict[int, list[int]] = {}
    cycles: list[list[str]] = []
    n_cycles = min(5, n // 10)
    for c in range(n_cycles):
        size = 2 + (c % 2)  # alternate 2- and 3-node cycles
        seg_lo, seg_hi = c * n // n_cycles, (c + 1) * n // n_cycles
        start = rng.randrange(seg_lo, seg_hi - size + 1)
        nodes = list(range(start, start + size))
        for a, b in zip(nodes[1:], nodes[:-1], strict=True):
            extra.setdefault(a, []).append(b)  # downward edges
        extra.setdefault(nodes[0], []).append(nodes[-1])  # the closing back edge
        cycles.append([components[x].name for x in nodes])

    # -- APIs: provided by a random subset of components ----------------------
    atypes, atype_w = _weights(API_TYPES)
    providers = sorted(rng.sample(range(n), n_apis))
    apis: list[Api] = []
    for j, p in enumerate(providers):
        comp = components[p]
        atype = rng.choices(atypes, cum_weights=atype_w)[0]
        name = f"api-{j:0{aw}d}"
        noun = comp.title.split(" ")[1]
        apis.append(
            Api(
                name=name,
                title=f"{noun} {atype.upper() if atype != 'openapi' else 'REST'} API",
                type=atype,
                lifecycle=comp.lifecycle,
                owner=comp.owner,
                system=comp.system,
                repo=comp.repo,
                provider=p,
            )
        )
        comp.provides.append(name)

    # -- dependsOn / consumesApis ----------------------------------------------
    dep_counts = (0, 1, 1, 2, 2, 2, 3, 3, 4)
    by_provider = sorted(range(n_apis), key=lambda a: apis[a].provider)
    api_providers = [apis[a].provider for a in by_provider]
    for i, comp in enumerate(components):
        targets: list[int] = list(extra.get(i, ()))
        want = rng.choice(dep_counts)
        attempts = 0
        while i > 0 and len(targets) < want and attempts < 8:
            attempts += 1
            # mostly the local neighbourhood, sometimes anything below
            t = rng.randrange(max(0, i - 50), i) if rng.random() < 0.7 else rng.randrange(i)
            if t not in targets:
                targets.append(t)
        refs = [f"component:{components[t].name}" for t in targets[:4]]
        s_res = sys_resources[_evenly(i, n, n_systems)]
        if rng.random() < 0.3:
            r = rng.choice(s_res) if s_res and rng.random() < 0.8 else rng.randrange(n_resources)
            refs.append(f"resource:{resources[r].name}")
        comp.depends_on = refs

        # Like dependsOn, services consume APIs of components "below" them, so
        # API use is layered (as in a real organisation) rather than one giant cycle.
        below = bisect.bisect_left(api_providers, i)
        if below:
            consumed: list[str] = []
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                api = apis[by_provider[rng.randrange(below)]]
                if api.name not in consumed:
                    consumed.append(api.name)
            comp.consumes = consumed

    return Org(
        departments,
        teams,
        users,
        domains,
        systems,
        components,
        apis,
        resources,
        n_repos,
        rw,
        cycles,
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
    return "---\n" + "\n---\n".join(docs) + "\n"


def render_users(org: Org) -> str:
    """Render all users as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: User\nmetadata:\n  name: {name}\nspec:\n"
        f"  profile:\n    displayName: {q(display)}\n    email: {name}@{EMAIL_DOMAIN}\n"
        f"  memberOf:\n    - {team}"
        for name, display, team in org.users
    ]
    return "---\n" + "\n---\n".join(docs) + "\n"


def render_domains(org: Org) -> str:
    """Render all domains as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: Domain\nmetadata:\n  name: {name}\n"
        f"  title: {q(title)}\n  description: {q(f'Everything related to {name}.')}\n"
        f"spec:\n  owner: {owner}"
        for name, title, owner in org.domains
    ]
    return "---\n" + "\n---\n".join(docs) + "\n"


def render_systems(org: Org) -> str:
    """Render all systems as multi-document YAML."""
    docs = [
        f"apiVersion: {API_VERSION}\nkind: System\nmetadata:\n  name: {name}\n"
        f"  title: {q(title)}\nspec:\n  owner: {owner}\n  domain: {domain}"
        for name, title, owner, domain in org.systems
    ]
    return "---\n" + "\n---\n".join(docs) + "\n"


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
