"""The synthetic organisation's model: word pools and the entities ``synth_org.py`` writes.

Deterministic for a seed; only the standard library (see ``synth_org.py``).
"""

from __future__ import annotations

import bisect
import json
import random
from dataclasses import dataclass, field

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
