"""Time `pavedroad mcp` on a synthetic organisation: start-up and first answers.

    python benchmarks/bench_mcp.py --components 10000 --runs 3 [--catalog catalog.json]
    python benchmarks/bench_mcp.py --imports --runs 5   # only: the floor, package by package

Generates the organisation with ``synth_org.py`` (or uses ``--org DIR``) and
exports its ``catalog.json`` once (or uses ``--catalog``), then starts the
server ``--runs`` times as a subprocess driven by the MCP SDK's stdio client
and reports medians of: the time until ``initialize`` is answered (start-up),
until the tool list arrives, until the first ``who_owns`` answer (it waits for
the catalog, loaded in a thread) and a ``blast_radius`` after it, each as wall
seconds and as the server's CPU seconds at that moment (comparable on a loaded
machine). The floor is a fresh interpreter that imports the SDK's server and
stdio transport and does nothing else, measured the same way (wall seconds until
it says it is done, its CPU seconds then, without the interpreter's exit); the
same with the garbage collector off during the import, as the server has it; and
its parts, each a fresh interpreter importing that much: ``python -c pass``,
pydantic, the SDK's protocol models (``mcp_types``) and its per-version method
maps (``mcp_types.methods``, the models of two more protocol schemas); whatever
the floor has beyond those is the rest of the ``mcp`` package, whose
``__init__`` imports the client, the HTTP transports and ``MCPServer`` too.

``--imports`` shows instead where the floor's import goes: ``python -X importtime``
of it (garbage collector off), each module's own time summed by package group,
medians of ``--runs`` (wall time, so its share is the figure to read under load).

The project's bytecode is written first (``compileall``), as a package install
does: with ``PYTHONDONTWRITEBYTECODE`` set, an editable checkout would otherwise
compile its modules at every start.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from orgargs import ensure_org, org_parser
from timing import child_pids, process_cpu

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR = "import mcp.server.lowlevel, mcp.server.stdio"
PARTS = {
    "floor (the SDK import)": FLOOR,
    "floor, gc off while importing": f"import gc; gc.disable(); {FLOOR}",
    "  of it: mcp_types.methods": "import mcp_types.methods",
    "  of it: mcp_types": "import mcp_types",
    "  of it: pydantic": "import pydantic.main",
    "python -c pass": "pass",
}
"""What the floor is made of, from the whole down to the bare interpreter."""
GROUPS = {
    "mcp_types._types: the protocol's version-free models": ("mcp_types._types",),
    "mcp_types._v2025_11_25: that schema's models": ("mcp_types._v2025_11_25",),
    "mcp_types._v2026_07_28: that schema's models": ("mcp_types._v2026_07_28",),
    "mcp_types, the rest (method maps, JSON-RPC)": ("mcp_types",),
    "pydantic, pydantic_core, typing helpers": (
        "pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"),
    "HTTP server side: starlette, uvicorn, auth, otel": (
        "starlette", "uvicorn", "sse_starlette", "mcp.server.streamable_http", "mcp.server.auth",
        "mcp.shared.auth", "mcp.server._otel", "opentelemetry", "click", "cryptography",
        "mcp.server.sse", "mcp.server.transport_security", "mcp.server._streamable_http_modern",
        "jwt", "multipart", "python_multipart", "email", "http", "urllib"),
    "client side: mcp.client, httpx2": ("mcp.client", "httpx2", "httpcore", "h11", "idna"),
    "mcp.server.mcpserver (the high-level server)": ("mcp.server.mcpserver",),
    "mcp, the rest (low-level server, stdio, shared)": ("mcp",),
    "asyncio, anyio": ("asyncio", "anyio", "sniffio", "concurrent", "selectors", "ssl", "socket"),
}
"""Package groups of the floor's modules (the first whose prefix matches; else stdlib)."""


def _group(module: str) -> str:
    for label, prefixes in GROUPS.items():
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return label
    return "the standard library, the rest"


def _imports(runs: int) -> None:
    """Print the floor's ``-X importtime`` by package group, medians of ``runs``."""
    sums: list[dict[str, int]] = []
    for _ in range(runs):
        log = subprocess.run([sys.executable, "-X", "importtime", "-c",
                              f"import gc; gc.disable(); {FLOOR}"],
                             capture_output=True, text=True, check=True).stderr
        sums.append({})
        for line in log.splitlines():
            fields = line.removeprefix("import time:").split("|")
            if len(fields) == 3 and fields[0].strip().isdigit():
                group = _group(fields[2].strip())
                sums[-1][group] = sums[-1].get(group, 0) + int(fields[0])
    labels = sorted({g for s in sums for g in s},
                    key=lambda g: -statistics.median(s.get(g, 0) for s in sums))
    total = statistics.median(sum(s.values()) for s in sums) / 1000
    print(f"-X importtime of `{FLOOR}` (gc off), own time by group, medians of {runs} "
          f"(load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")
    for label in labels:
        ms = statistics.median(s.get(label, 0) for s in sums) / 1000
        print(f"{ms:7.0f} ms {ms / total:4.0%}  {label}")
    print(f"{total:7.0f} ms       in all")


def _floor(code: str) -> tuple[float, float]:
    """Wall and CPU seconds of a fresh interpreter until ``code`` has run."""
    start = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", f"{code}\nimport time; print("
                           "time.process_time(), flush=True)"], stdout=subprocess.PIPE) as proc:
        cpu = float(proc.stdout.readline())
        wall = time.perf_counter() - start
    return wall, cpu


async def _session(catalog: Path, ref: str) -> dict[str, tuple[float, float]]:
    """(wall, server CPU) seconds from start at each step; blast_radius's from the answer
    before."""
    params = StdioServerParameters(command=sys.executable, cwd=str(ROOT),
                                   args=["-m", "generator.cli", "mcp", "--catalog", str(catalog)])
    times: dict[str, tuple[float, float]] = {}
    before = set(child_pids())
    start = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        wall = time.perf_counter() - start
        server = next(p for p in child_pids() if p not in before)
        times["initialize"] = (wall, process_cpu(server))
        await session.list_tools()
        times["tools"] = (time.perf_counter() - start, process_cpu(server))
        result = await session.call_tool("who_owns", {"ref": ref})
        assert not result.is_error, result.content[0].text
        times["first_answer"] = (time.perf_counter() - start, process_cpu(server))
        mark, cpu = time.perf_counter(), process_cpu(server)
        result = await session.call_tool("blast_radius", {"ref": ref})
        assert not result.is_error, result.content[0].text
        times["blast_radius"] = (time.perf_counter() - mark, process_cpu(server) - cpu)
    return times


def main() -> None:
    parser = org_parser(__doc__, runs=3)
    parser.add_argument("--catalog", type=Path, help="a catalog.json exported earlier")
    parser.add_argument("--imports", action="store_true",
                        help="only show the floor's import time by package group")
    args = parser.parse_args()
    if args.imports:
        _imports(args.runs)
        return

    with tempfile.TemporaryDirectory() as tmp:
        catalog = args.catalog
        if catalog is None:
            org = ensure_org(args, tmp)
            catalog = Path(tmp) / "catalog.json"
            with catalog.open("w", encoding="utf-8") as out:
                subprocess.run([sys.executable, "-m", "generator.cli", "export", "--sources",
                                str(org / "sources.yaml")], cwd=ROOT, check=True, stdout=out)
        data = json.loads(catalog.read_bytes())
        records = data["entities"] if isinstance(data, dict) else data
        ref = next(f"component:default/{r['metadata']['name']}" for r in records
                   if r["kind"] == "Component")
        size = catalog.stat().st_size
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")],
                       check=True)
        runs = []
        parts: dict[str, list[tuple[float, float]]] = {label: [] for label in PARTS}
        for _ in range(args.runs):
            runs.append(anyio.run(_session, catalog, ref))
            for label, code in PARTS.items():
                parts[label].append(_floor(code))
    print(f"pavedroad mcp on {len(records):,} entities ({size / 2**20:.0f} MiB "
          f"catalog.json), medians of {args.runs} (load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})")
    for key in runs[0]:
        wall = statistics.median(r[key][0] for r in runs)
        cpu = statistics.median(r[key][1] for r in runs)
        label = "blast_radius (after it)" if key == "blast_radius" else f"{key} (from start)"
        print(f"{label:<30} {wall:7.3f} s wall  {cpu:7.3f} s server cpu")
    for label, runs_of in parts.items():
        wall, cpu = (statistics.median(r[i] for r in runs_of) for i in (0, 1))
        print(f"{label:<30} {wall:7.3f} s wall  {cpu:7.3f} s cpu")


if __name__ == "__main__":
    main()
