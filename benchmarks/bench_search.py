"""Measure Material's search in Chromium on a large portal.

    python benchmarks/bench_search.py --components 10000 --runs 5
    python benchmarks/bench_search.py --site /tmp/site10k      # an already built site

Reports the size of ``search/search_index.json``, how long after page load the
search becomes ready (the index is built in the browser), and how long from
typing an entity's name to its result appearing; medians over ``--runs``.
Targets for 10,000 components: ready under 5 s, result under 1 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _build(components: int, work: Path) -> Path:
    org = work / "org"
    subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org), "--components",
                    str(components)], check=True, stdout=subprocess.DEVNULL)
    site = work / "site"
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                    str(org / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return site


def _measure(site: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    index = site / "search/search_index.json"
    docs = json.loads(index.read_text())["docs"]
    query = next(d["location"].split("/")[3] for d in reversed(docs)
                 if d["location"].startswith("catalog/default/component/"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    ready, result = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            page = browser.new_context().new_page()
            start = time.perf_counter()
            page.goto(url)
            search = page.locator("input.md-search__input")
            search.click()
            page.wait_for_function(
                "document.querySelector('.md-search-result__meta')?.textContent"
                ".includes('Type to start')", timeout=120_000)
            ready.append(time.perf_counter() - start)
            start = time.perf_counter()
            search.fill(query)
            search.press("End")
            page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
            result.append(time.perf_counter() - start)
            page.context.close()
        browser.close()
    server.shutdown()
    print(f"search index {index.stat().st_size / 2**20:.1f} MiB, {len(docs):,} entries; "
          f"query '{query}'")
    print(f"ready after load: median {statistics.median(ready):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in ready)})")
    print(f"typing to first result: median {statistics.median(result):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in result)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="measure an already built site")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.site:
        _measure(args.site, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        _measure(_build(args.components, Path(tmp)), args.runs)


if __name__ == "__main__":
    main()
