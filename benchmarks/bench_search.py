"""Measure search in Chromium on large portals: Pagefind and Material's search side by side.

    python benchmarks/bench_search.py --components 1000 10000 20000 --runs 3
    python benchmarks/bench_search.py --site /tmp/site10k   # a built site

For each organisation size (``synth_org.py``, no docs pages) the site is built twice, with
``search: pagefind`` and ``search: material``; reported per engine (medians over
``--runs``, each run in a fresh browser context, so nothing is cached):

* build: the whole ``pavedroad build``; for Pagefind also the indexing step on its own
  (the plugin's log lines: in all, and of it Pagefind's command line and our canonical
  rewrite), so "indexing adds" = Pagefind's build minus Material's;
* index: bytes of the index in the site (Pagefind: the chunk, fragment, filter and
  metadata files under ``pagefind/`` and ``pagefind-entities/``, and the jump-to list's
  manifest and files under ``search/``; Material: ``search/search_index.json``);
* first query: from typing an entity's name into the header box (right after focusing it)
  to its entity result shown (Pagefind: the result from the index, with kind, owner and
  description, not the jump-to match; Material: its result), and the bytes of search
  files fetched up to then (Material fetches its whole index on page load; Pagefind its
  script, WebAssembly and the chunks the query needs, the jump-to list's manifest and the
  few files the query needs);
* typing: a second name typed key by key (``TYPING_DELAY`` ms a key, a fast typist) once
  the first has been answered, from the last key's input event to its first result shown
  (with Pagefind the jump-to match), to its entity result shown (as for the first query:
  what the target is about) and to every result shown (the count), in the page's clock
  (``WATCH``: 0 when the key before had already shown it), and the bytes it fetched.

Finally each figure is projected to 50,000 entities by a least-squares line through the
measured sizes. Targets (issue 17, 10,000 components): typing to results under 300 ms,
first query under 1 MB; indexing adds under 20 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
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
ENGINES = ("pagefind", "material")
SEARCH_FILES = ("/pagefind/", "/pagefind-entities/", "/search/", "/workers/search")
TARGET_ENTITIES = 50_000
TYPING_DELAY = 100
"""Milliseconds between keys when a name is typed key by key."""
ENTITY_RESULT = {"pagefind": ".pr-search-entity", "material": ".md-search-result__item"}
"""A result with the entity's kind, owner and description (Pagefind: not a jump-to match)."""
WATCH = """([title, entity]) => {
  const t = window.__typed = {};
  const list = document.querySelector('.md-search-result__list');
  const meta = document.querySelector('.md-search-result__meta');
  document.querySelector('input.md-search__input').addEventListener('input', () => {
    t.input = performance.now(); delete t.first; delete t.entity; delete t.complete; }, true);
  const has = (sel) => [...list.querySelectorAll(sel)].some((li) => li.textContent.includes(title));
  new MutationObserver(() => {
    const now = performance.now();
    if (t.first === undefined && has('.md-search-result__item')) t.first = now;
    if (t.entity === undefined && has(entity)) t.entity = now;
    if (t.complete === undefined && t.entity !== undefined &&
        meta.textContent.includes('matching')) t.complete = now;
  }).observe(document.querySelector('.md-search-result'),
             {childList: true, subtree: true, characterData: true});
}"""
"""Times in the page's own clock, from the last key's input event to the first mutation that
shows the result (a result already shown when that key came counts as 0); every result is
shown once the count is, at or after the entity result (Material shows the count of each
earlier query it answers in turn)."""
ANSWERED = ("document.querySelector('.md-search-result__meta').textContent"
            ".includes('matching')")
"""The header box's count is shown: every result of the query is in (the jump-to matches
come first, with "Searching…")."""
INDEXED = re.compile(r"search index of (\d+) entities and (\d+) pages (?:made|unchanged, kept) "
                     r"in ([\d.]+) s")
PHASES = re.compile(r"search index \S+ of \d+: documents written in ([\d.]+) s, Pagefind "
                    r"([\d.]+) s, made canonical in ([\d.]+) s")
"""One line per index made (the pages' and the entities'): their times are added."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _config(work: Path, engine: str) -> Path:
    """The demo's mkdocs.yml with absolute paths and ``search: engine``."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("  - pavedroad:\n", f"  - pavedroad:\n      search: {engine}\n")
    config = work / f"mkdocs-{engine}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def _build(org: Path, work: Path, engine: str) -> tuple[Path, float, dict[str, float]]:
    site = work / f"site-{engine}"
    # Each engine's build starts from its own empty cache: the second must not reuse the
    # first one's parsed descriptors, memo and diagrams.
    env = {**os.environ, "PAVEDROAD_CACHE": str(work / f"cache-{engine}")}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(org / "sources.yaml"), "--config-file", str(_config(work, engine)),
                             "--site-dir", str(site)], cwd=ROOT, check=True, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    indexed, phases = INDEXED.search(result.stderr), list(PHASES.finditer(result.stderr))
    times = {"indexing": float(indexed[3])} if indexed else {}
    if phases:
        times |= {"pagefind_cli": sum(float(p[2]) for p in phases),
                  "canonical": sum(float(p[3]) for p in phases)}
    return site, elapsed, times


def _engine(site: Path) -> str:
    return "pagefind" if (site / "pagefind").is_dir() else "material"


def _index_bytes(site: Path) -> int:
    """The index's own files (Pagefind: chunks, fragments, filters, metadata; not its
    scripts and WebAssembly) and the jump-to list."""
    if _engine(site) == "pagefind":
        data = [p for folder in ("pagefind", "pagefind-entities")
                for p in (site / folder).rglob("*") if p.is_file() and
                (p.suffix in (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"))]
        jump = [site / "search/jump.json", *(site / "search/jump").glob("*.json")]
        return sum(p.stat().st_size for p in data + jump)
    return (site / "search/search_index.json").stat().st_size


def _exported(site: Path) -> list[dict]:
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return data["entities"] if isinstance(data, dict) else data


def _queries(site: Path) -> list[tuple[str, str]]:
    """Two components' (name, title), from the catalog export."""
    entities = _exported(site)
    components = [e["metadata"] for e in entities if e["kind"] == "Component"]
    picks = [components[len(components) * 2 // 3], components[len(components) // 5]]
    return [(m["name"], m.get("title") or m["name"]) for m in picks]


def _median(xs: list[float | None]) -> float | None:
    """The median, or ``None`` when a run timed out (a result never shown)."""
    return None if any(x is None for x in xs) else statistics.median(xs)  # type: ignore


def _measure(site: Path, runs: int, timeout: float = 120.0) -> dict[str, float | None]:
    """Search timings in Chromium; a result not shown within ``timeout`` seconds is
    recorded as ``None`` (reported as timed out), not a crash that loses the other rows."""
    from playwright.sync_api import TimeoutError as ShownTooLate
    from playwright.sync_api import sync_playwright

    queries = _queries(site)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    first, typing, entity, complete, fetched, typed = [], [], [], [], [], []
    shown = ENTITY_RESULT[_engine(site)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []

            def count(request, sizes=sizes):
                if any(part in request.url for part in SEARCH_FILES):
                    s = request.sizes()
                    sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

            page.on("requestfinished", count)
            page.goto(url)
            page.wait_for_load_state("load")
            search = page.locator("input.md-search__input")
            (name, title), (second, second_title) = queries
            search.click()
            start = time.perf_counter()
            search.fill(name)
            search.press("End")
            try:
                page.locator(shown, has_text=title).first.wait_for(timeout=timeout * 1000)
            except ShownTooLate:
                for times in (first, fetched, typing, entity, complete, typed):
                    times.append(None)
                context.close()
                continue
            first.append(time.perf_counter() - start)
            page.wait_for_timeout(300)  # let finished requests be counted
            fetched.append(sum(sizes))
            search.fill("")
            before = sum(sizes)
            page.evaluate(WATCH, [second_title, shown])
            search.press_sequentially(second, delay=TYPING_DELAY)
            try:
                page.locator(shown, has_text=second_title).first.wait_for(
                    timeout=timeout * 1000)
                page.wait_for_function(ANSWERED, timeout=timeout * 1000)
            except ShownTooLate:
                for times in (typing, entity, complete, typed):
                    times.append(None)
                context.close()
                continue
            page.wait_for_timeout(50)
            t = page.evaluate("window.__typed")
            for times, key in ((typing, "first"), (entity, "entity"), (complete, "complete")):
                at = t.get(key)
                times.append(max(0.0, (at if at is not None else t["input"]) - t["input"]) / 1000)
            page.wait_for_timeout(300)
            typed.append(sum(sizes) - before)
            context.close()
        browser.close()
    server.shutdown()
    done = [e for e in entity if e is not None]
    return {"first": _median(first), "typing": _median(typing), "entity": _median(entity),
            "floor_entity": min(done) if done else None, "complete": _median(complete),
            "bytes": _median(fetched), "typed_bytes": _median(typed),
            "index": _index_bytes(site), "timeout": timeout}


def _entities(site: Path) -> int:
    return len(_exported(site))


def _line(xs: list[float], ys: list[float], x: float) -> float:
    if len(xs) < 2:
        return ys[0] * x / xs[0]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / \
        sum((a - mx) ** 2 for a in xs)
    return my + slope * (x - mx)


def _report(rows: list[dict]) -> None:
    print("\n| entities | engine | build s | indexing s (Pagefind CLI, canonical) | index MiB | "
          "first query s | first query KiB | typing to first result s | to entity results s "
          "(floor) | to all results s | typed query KiB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        indexing = (f"{r['indexing']:.1f} ({r.get('pagefind_cli', 0):.1f}, "
                    f"{r.get('canonical', 0):.1f})" if r.get("indexing") is not None else "-")
        late = f"> {r.get('timeout', 120):.0f} (timed out)"

        def cell(key: str, scale: float = 1, digits: int = 2, r: dict = r,
                 late: str = late) -> str:
            return late if r.get(key) is None else f"{r[key] / scale:,.{digits}f}"

        print(f"| {r['entities']:,} | {r['engine']} | {r['build']:.1f} | {indexing} | "
              f"{r['index'] / 2**20:.1f} | {cell('first')} | {cell('bytes', 1024, 0)} | "
              f"{cell('typing')} | {cell('entity')} ({cell('floor_entity')}) | "
              f"{cell('complete')} | {cell('typed_bytes', 1024, 0)} |")
    for engine in ENGINES:
        mine = [r for r in rows if r["engine"] == engine]
        if not mine:
            continue
        xs = [r["entities"] for r in mine]
        parts = []
        for key, unit, scale in (("build", "s", 1), ("indexing", "s", 1), ("index", "MiB", 2**20),
                                 ("first", "s", 1), ("bytes", "KiB", 1024),
                                 ("typing", "s", 1), ("entity", "s", 1), ("complete", "s", 1),
                                 ("typed_bytes", "KiB", 1024)):
            if any(r.get(key) is None for r in mine):
                continue  # Material's indexing, or a figure that timed out somewhere
            parts.append(f"{key} {_line(xs, [r[key] / scale for r in mine], TARGET_ENTITIES):,.1f}"
                         f" {unit}")
        print(f"projected to {TARGET_ENTITIES:,} entities, {engine}: " + ", ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, nargs="+", default=[1_000, 10_000, 20_000])
    parser.add_argument("--site", type=Path, help="measure an already built site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds to wait for a result before recording it as timed out")
    args = parser.parse_args()
    if args.site:
        _report([{"entities": _entities(args.site), "engine": _engine(args.site), "build": 0,
                  **_measure(args.site, args.runs, args.timeout)}])
        return
    rows = []
    for components in args.components:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            org = work / "org"
            subprocess.run([sys.executable, str(HERE / "synth_org.py"), str(org),
                            "--components", str(components)], check=True,
                           stdout=subprocess.DEVNULL)
            for engine in ENGINES:
                site, build, times = _build(org, work, engine)
                row = {"entities": _entities(site), "engine": engine, "build": build,
                       "indexing": None, **times, **_measure(site, args.runs, args.timeout)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    _report(rows)


if __name__ == "__main__":
    main()
