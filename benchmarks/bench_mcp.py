"""Time `pavedroad mcp` on a synthetic organisation: start-up and first answers.

    python benchmarks/bench_mcp.py --components 10000 --runs 3

Generates the organisation with ``synth_org.py`` (or uses ``--org DIR``),
exports its ``catalog.json`` once, then starts the server ``--runs`` times as a
subprocess driven by the MCP SDK's stdio client and reports medians of: the
time until ``initialize`` is answered (start-up), until the tool list arrives,
and until the first and a second ``who_owns``/``blast_radius`` answer (the
first waits for the catalog, loaded in a thread). ``import`` is the SDK's own
import time in a fresh interpreter, for comparison.
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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


async def _session(catalog: Path, ref: str) -> dict[str, float]:
    params = StdioServerParameters(command=sys.executable, cwd=str(ROOT),
                                   args=["-m", "generator.cli", "mcp", "--catalog", str(catalog)])
    times: dict[str, float] = {}
    start = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        times["initialize"] = time.perf_counter() - start
        await session.list_tools()
        times["tools"] = time.perf_counter() - start
        result = await session.call_tool("who_owns", {"ref": ref})
        assert not result.is_error, result.content[0].text
        times["first_answer"] = time.perf_counter() - start
        mark = time.perf_counter()
        result = await session.call_tool("blast_radius", {"ref": ref})
        assert not result.is_error, result.content[0].text
        times["blast_radius"] = time.perf_counter() - mark
    return times


def _import_seconds() -> float:
    code = ("import time; t = time.perf_counter(); "
            "from mcp.server.mcpserver import MCPServer; print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True).stdout)


def main() -> None:
    parser = org_parser(__doc__, runs=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        org = ensure_org(args, tmp)
        catalog = Path(tmp) / "catalog.json"
        exported = subprocess.run([sys.executable, "-m", "generator.cli", "export", "--sources",
                                   str(org / "sources.yaml")], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout
        catalog.write_text(exported, encoding="utf-8")
        records = json.loads(exported)
        ref = next(f"component:default/{r['metadata']['name']}" for r in records
                   if r["kind"] == "Component")
        runs = [anyio.run(_session, catalog, ref) for _ in range(args.runs)]
        sdk = statistics.median(_import_seconds() for _ in range(args.runs))
    medians = {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
    print(json.dumps({"load_average": [round(x, 1) for x in os.getloadavg()],
                      "entities": len(records), "catalog_bytes": len(exported.encode()),
                      "runs": args.runs, "median_seconds": medians,
                      "sdk_import_seconds": round(sdk, 3)}, indent=1))


if __name__ == "__main__":
    main()
