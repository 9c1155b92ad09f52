"""A generated page's blocks go back into its HTML in one pass, as one replacement per block
in the blocks' order would put them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pages.model import GeneratedPage
from generator.portal import build_portal

DEMO = Path(__file__).resolve().parent.parent / "catalog-sources" / "sources.yaml"


def _one_by_one(page: GeneratedPage, html: str, *, late: bool) -> str:
    """What the page builder did before: each block's first marker, block by block."""
    for marker, block in page.blocks.items():
        if (marker in page.late) == late:
            html = html.replace(marker, block, 1)
    return html


@pytest.fixture(scope="module")
def demo_pages() -> dict[str, GeneratedPage]:
    return build_portal(DEMO).pages.pages


def test_every_demo_page_is_filled_as_block_by_block(demo_pages):
    assert len(demo_pages) > 50
    for path, page in demo_pages.items():
        early = page.fill(page.markdown, late=False)
        assert early == _one_by_one(page, page.markdown, late=False), path
        assert page.fill(early, late=True) == _one_by_one(page, early, late=True), path
        assert "<!--pr:" not in page.fill(early, late=True) or "<!--pr:" in "".join(
            page.blocks.values()), path


def test_a_repeated_or_nested_marker_stays_as_block_by_block_leaves_it():
    page = GeneratedPage("", {"<!--pr:0-->": "<b>inner</b>",
                              "<!--pr:1-->": "<div><!--pr:0--></div>",
                              "<!--pr:2-->": "<i>late</i>"}, frozenset({"<!--pr:2-->"}))
    html = "<!--pr:1-->\n<!--pr:0-->\n<!--pr:0-->\n<!--pr:2-->\n<!--pr:9-->"
    for late in (False, True):
        assert page.fill(html, late=late) == _one_by_one(page, html, late=late)
    assert page.fill(page.fill(html, late=False), late=True) == _one_by_one(
        page, _one_by_one(page, html, late=False), late=True)


def test_markers_of_another_shape_are_replaced_one_by_one():
    page = GeneratedPage("", {"@@a@@": "A", "<!--pr:0-->": "B"})
    assert page.fill("@@a@@ <!--pr:0--> @@a@@", late=False) == "A B @@a@@"
