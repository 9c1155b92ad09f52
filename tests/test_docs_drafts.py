"""A docs page rendered once: the docs stage's parse keeps its HTML, links as tokens, and
finishing that draft gives exactly what parsing the page again with its links would."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.docs import docs_dialect, render_markdown
from generator.docs.extensions import merge_extensions
from generator.docs.render import _page_links, finish_draft

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted([*FIXTURES.glob("real-docs/**/*.md"),
                *FIXTURES.glob("backstage-techdocs-example/**/*.md")])
HOSTILE = {
    "raw-html.md": '<p><a href="guide.md" title="t">g</a> <img src=\'img/x.png\' alt=x>\n'
                   '<a  HREF = other.md>o</a> <video src="v.mp4"></video></p>\n\nText\n',
    "autolink.md": "Mail <someone@example.com> and <https://example.com/a?b=1&c=2>.\n",
    "escapes.md": '[a](x.md "A & <b>") [b](<y z.md>) ![c](c&d.png) [e](#local)\n\n'
                  "<div markdown>[in](html.md)</div>\n",
    "tables.md": "| a | b |\n|---|---|\n| [x](x.md) | `[no](no.md)` |\n\n[^1]: [f](f.md)\n\n"
                 "Note[^1]\n",
}

# Each way a target can resolve: moved, kept as written, left out of the map, dropped.
RESOLUTIONS = {
    "moved": lambda key: f"../moved/{key[1]}?x=<&>\"'&amp;",
    "as written": lambda key: key[1],
    "unknown": None,
    "html dropped": lambda key: None if key[0] == "html" else f"new/{key[1]}",
}


def _texts() -> list[tuple[str, str]]:
    return [(str(p.relative_to(FIXTURES)), p.read_text(encoding="utf-8")) for p in PAGES] + \
        sorted(HOSTILE.items())


def _links(found: list[tuple[str, str]], resolve) -> dict:
    if resolve is None:
        return {}
    return {(("html" if kind == "html" else "md"), url): resolve(
        ("html" if kind == "html" else "md", url)) for kind, url in found if kind != "dot"}


@pytest.mark.parametrize("html", ["sanitize", "trust"])
@pytest.mark.parametrize("resolution", sorted(RESOLUTIONS))
def test_a_finished_draft_is_the_page_rendered_again(html, resolution):
    dialects = [docs_dialect(html), docs_dialect(html, merge_extensions(
        [("toc", {"permalink": "#", "toc_depth": 3}), ("markdown.extensions.extra", None),
         ("pymdownx.magiclink", None), ("pymdownx.tasklist", None)]).extensions)]
    checked = 0
    for name, text in _texts():
        for dialect in dialects:
            found, draft = _page_links(text, dialect, True)
            assert not isinstance(found, str), (name, found)
            assert draft is not None, name
            links = _links(found, RESOLUTIONS[resolution])
            again = render_markdown(text, dialect, header="<h1>H</h1>", links=links)
            once = render_markdown(text, dialect, header="<h1>H</h1>", links=links,
                                   draft=draft)
            assert once == again, name
            checked += finish_draft(draft, dialect, links) is not None
    assert checked > len(PAGES)  # most pages were finished from their draft, not parsed again


def test_a_dropped_markdown_link_parses_the_page_again():
    dialect = docs_dialect()
    text = "See [the guide](guide.md) and [x](x.md).\n"
    _, draft = _page_links(text, dialect, True)
    links = {("md", "guide.md"): None, ("md", "x.md"): "x/"}
    assert finish_draft(draft, dialect, links) is None
    rendered = render_markdown(text, dialect, links=links, draft=draft)
    assert rendered == render_markdown(text, dialect, links=links)
    assert "<span>the guide</span>" in rendered.html and 'href="x/"' in rendered.html


def test_a_page_cannot_write_a_token_of_its_own():
    dialect = docs_dialect()
    text = "[a](a.md) \x02prlink:0\x03 <b>\x02prlink:0\x03</b>\n"
    _, draft = _page_links(text, dialect, True)
    rendered = render_markdown(text, dialect, links={("md", "a.md"): "moved/"}, draft=draft)
    assert rendered.html.count("moved/") == 1
    assert rendered == render_markdown(text, dialect, links={("md", "a.md"): "moved/"})


def test_a_page_with_a_graphviz_fence_keeps_no_draft():
    found, draft = _page_links("```dot\ndigraph { a -> b }\n```\n", docs_dialect(), True)
    assert ("dot", "digraph { a -> b }\n") in found or any(k == "dot" for k, _ in found)
    assert draft is None
