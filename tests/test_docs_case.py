"""Docs paths that differ only in case (issue 13, item 14): one warning, one renamed, links hold."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import DOCUMENTED, init_portal, pavedroad

FILES = {
    "catalog-info.yaml": DOCUMENTED,
    "docs/index.md": "# Home\n\n[upper](Guide.md) [lower](guide.md) [api](api/index.md) "
                     "[API](API/index.md) ![logo](logo.png)\n",
    "docs/Guide.md": "# Upper guide\n",
    "docs/guide.md": "# Lower guide\n\n[back](index.md) [sibling](Guide.md)\n",
    "docs/API/index.md": "# Upper API\n",
    "docs/api/index.md": "# Lower API\n\n[ref](ref.md)\n",
    "docs/api/ref.md": "# Reference\n",
    "docs/Logo.png": b"\x89PNG upper",
    "docs/logo.png": b"\x89PNG lower",
}


def _portal(tmp_path: Path) -> Path:
    portal = init_portal(tmp_path, {"svc": FILES})
    repo = portal / "catalog-sources" / "repos" / "svc"
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@x",
                                              "commit", "-qm", "docs"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    return portal


def test_paths_differing_only_in_case_warn_once_each_and_the_later_is_renamed(tmp_path):
    portal = _portal(tmp_path)
    site = tmp_path / "site"
    result = pavedroad("build", "--site-dir", str(site), cwd=portal)
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if "differ only in case" in line]
    assert len(warnings) == 3, warnings
    assert any("'docs/Guide.md' and 'docs/guide.md'" in w and "'guide-2.md'" in w
               for w in warnings)
    assert any("'docs/API/' and 'docs/api/'" in w and "'api-2/'" in w for w in warnings)
    assert any("'docs/Logo.png' and 'docs/logo.png'" in w for w in warnings)
    docs = site / "docs" / "default" / "component" / "svc"
    paths = sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())
    folded = [p.casefold() for p in paths]
    assert len(folded) == len(set(folded)), paths  # nothing overwrites anything on macOS
    assert "Upper guide" in (docs / "Guide" / "index.html").read_text()
    assert "Lower guide" in (docs / "guide-2" / "index.html").read_text()
    assert "Lower API" in (docs / "api-2" / "index.html").read_text()
    assert "Reference" in (docs / "api-2" / "ref" / "index.html").read_text()
    assert (docs / "logo-2.png").read_bytes() == b"\x89PNG lower"
    assert (docs / "Logo.png").read_bytes() == b"\x89PNG upper"
    index = (docs / "index.html").read_text()
    for href in ('href="Guide/"', 'href="guide-2/"', 'href="api-2/"', 'href="API/"',
                 'src="logo-2.png"'):
        assert href in index, href
    lower = (docs / "guide-2" / "index.html").read_text()
    assert 'href="../"' in lower and 'href="../Guide/"' in lower
    assert 'href="ref/"' in (docs / "api-2" / "index.html").read_text()
    assert "broken" not in result.stderr


def test_check_reports_case_collisions_at_the_renamed_file(tmp_path):
    portal = _portal(tmp_path)
    out = pavedroad("check", cwd=portal).stdout
    assert out.count("differ only in case") == 3, out
    assert "catalog-sources/repos/svc/docs/guide.md:1: warning: 'docs/Guide.md' and " in out
