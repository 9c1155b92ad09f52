"""Read a built site's Pagefind index back: each page's fragment (url, content, meta, filters)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> dict[str, dict]:
    """Site-relative URL (``catalog/…/``) → the fragment Pagefind wrote for that page, in
    either index (the pages' or the entities')."""
    out = {}
    for path in sorted([*(site / "pagefind" / "fragment").glob("*.pf_fragment"),
                        *(site / "pagefind-entities" / "fragment").glob("*.pf_fragment")]):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        fragment = json.loads(raw[len(SIGNATURE):])
        out[fragment["url"].lstrip("/")] = fragment
    return out
