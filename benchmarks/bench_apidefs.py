"""Time an API page's reference and the breaking-change check on one large OpenAPI document.

    python benchmarks/bench_apidefs.py --megabytes 1 5

Each document has N paths (one GET each, with a Markdown description holding
raw HTML, a path parameter and a response whose schema refers to itself), up
to the size asked for. Prints CPU seconds: reading the reference (capped per
page), highlighting the part of the definition the page shows, reading the
surface, and comparing it with a copy that lost one path. Compare the ratios
between sizes, not the times (a shared, loaded machine varies).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.apidefs import build_reference
from generator.apidiff import compare_surfaces, definition_surface
from generator.pages.api_pages import MAX_SHOWN, highlighted


def document(megabytes: float) -> tuple[str, int]:
    """An OpenAPI document of about ``megabytes`` MB and its number of paths."""
    parts = ["openapi: 3.0.0\ninfo: {title: Big, version: '1'}\npaths:\n"]
    size, n = len(parts[0]), 0
    while size < megabytes * 1_000_000:
        part = (f"  /items{n}/{{id}}:\n    get:\n      summary: Item {n}\n"
                f"      description: |\n        Returns **item** {n} with <b>all</b> fields.\n"
                "      parameters:\n"
                "        - {name: id, in: path, required: true, schema: {type: string}}\n"
                "      responses:\n        '200':\n          description: ok\n"
                "          content:\n            application/json:\n"
                "              schema: {$ref: '#/components/schemas/Item'}\n")
        parts.append(part)
        size += len(part)
        n += 1
    parts.append("components:\n  schemas:\n    Item:\n      type: object\n      properties:\n"
                 "        id: {type: string}\n        child: {$ref: '#/components/schemas/Item'}\n")
    return "".join(parts), n


def _cpu(fn):
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[1.0, 5.0])
    args = parser.parse_args()
    for megabytes in args.megabytes:
        text, paths = document(megabytes)
        reference, t_reference = _cpu(lambda text=text: build_reference("openapi", text))
        _, t_highlight = _cpu(lambda text=text: highlighted(text[:MAX_SHOWN], "yaml"))
        cut = text.replace("  /items0/{id}:\n    get:\n", "  /gone/{id}:\n    get:\n", 1)
        old, t_surface = _cpu(lambda text=text: definition_surface("openapi", text))
        changes, t_compare = _cpu(lambda old=old, cut=cut: compare_surfaces(
            old, definition_surface("openapi", cut)))
        shown = sum(len(g.entries) for g in reference.groups)
        print(f"{len(text) / 1e6:.1f} MB, {paths} paths: reference {t_reference:.1f} s "
              f"({shown} entries shown), highlight {t_highlight:.2f} s, surface "
              f"{t_surface:.1f} s, compare with an edit {t_compare:.1f} s "
              f"({sum(c.breaking for c in changes)} breaking)")


if __name__ == "__main__":
    main()
