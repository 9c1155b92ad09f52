"""Docs rendering: sanitising, the TechDocs dialect, Graphviz fences, workers (generator/docs)."""

from __future__ import annotations

import re

import pytest

from generator.docs import docs_dialect, render_markdown, sanitize_html
from generator.docs import render as render_module
from generator.docs.config import parse_mkdocs_yml
from generator.docs.markdown import convert_alerts, markdown_title, split_front_matter
from generator.docs.render import DocsRenderer
from generator.docs.sanitize import ALLOWED_TAGS
from generator.yamlfile import YamlError

# -- sanitising ---------------------------------------------------------------


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script/>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<img/onerror=alert(1) src=x>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa&#x09;ScRiPt&colon;alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<img srcset="ok.png 1x, javascript:alert(1) 2x">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body{background:url(https://evil.example)}</style>",
    '<p style="background:url(https://evil.example/x)">x</p>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<img src=x onerror=alert(1)",
])
def test_sanitize_removes_active_content(html):
    out = sanitize_html(html).lower()
    tags = " ".join(re.findall(r"<[^>]*>", out))  # text that merely reads like code is fine
    for needle in ("<script", "onerror", "onmouseover", "javascript:", "vbscript:", "data:",
                   "<iframe", "<object", "<embed", "<style", "style=", "<meta", "<base",
                   "<link", "formaction", "<animate", "<set", "evil.example"):
        assert needle not in tags, (html, out)
    assert "<" not in re.sub(r"<[^>]*>", "", out), (html, out)


def test_sanitize_keeps_ordinary_markup():
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><p>x &amp; y &lt;z&gt;</p>'
            '<div class="highlight"><pre><span></span><code><span class="k">def</span></code>'
            '</pre></div><table><tbody><tr><td><a href="../b/">b</a></td></tr></tbody></table>'
            '<img alt="d" src="images/d.png"><input type="checkbox" disabled="" checked="">'
            '<details><summary>s</summary>t</details><a href="mailto:a@b.example">m</a>'
            '<div class="tabbed-set" data-tabs="1:2"><label for="t1">A</label></div>')
    assert sanitize_html(html) == html


def test_sanitize_keeps_graphviz_svg_and_its_safe_links():
    svg = ('<svg width="62pt" height="44pt" viewBox="0 0 62 44" '
           'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<g id="graph0" class="graph" transform="scale(1 1)"><title>G</title>'
           '<g id="node1" class="node"><a xlink:href="../a/" xlink:title="a">'
           '<ellipse fill="none" stroke="black" cx="27" cy="-18" rx="27" ry="18"/>'
           '<text text-anchor="middle" x="27" y="-14" font-size="14.00">a</text></a></g>'
           '<g><a xlink:href="javascript:alert(1)"><path d="M0,0L1,1"/></a></g></g></svg>')
    out = sanitize_html(svg)
    assert 'viewBox="0 0 62 44"' in out and '<a xlink:href="../a/" xlink:title="a">' in out
    assert '<ellipse fill="none" stroke="black" cx="27" cy="-18" rx="27" ry="18">' in out
    assert '<text text-anchor="middle" x="27" y="-14" font-size="14.00">a</text>' in out
    assert "<title>G</title>" in out and "javascript" not in out and '<path d="M0,0L1,1">' in out


@pytest.mark.parametrize("url, kept", [
    ("../a.md", True), ("#top", True), ("https://x.io", True), ("mailto:a@b.example", True),
    ("javascript:x", False), ("\x01javascript:x", False), (" java\tscript:x", False),
    ("data:text/html,x", False), ("file:///etc/passwd", False), ("vbscript:x", False),
])
def test_sanitize_keeps_only_relative_and_safe_scheme_urls(url, kept):
    out = sanitize_html(f'<a href="{url}">x</a><img src="{url}">')
    assert ("href=" in out and "src=" in out) is kept, out


def test_sanitize_policy_lists_no_active_element():
    assert not ALLOWED_TAGS & {"script", "style", "iframe", "object", "embed", "form", "base",
                               "meta", "link", "image", "use", "foreignObject", "animate",
                               "set", "math", "template"}


# -- Markdown transforms ----------------------------------------------------------


def test_alerts_become_admonitions():
    lines, origin = convert_alerts(["> [!NOTE]", "> One", ">", "> Two", "",
                                    "```", "> [!TIP]", "```", "  > [!CAUTION]", "  > x"])
    assert lines[:6] == ["!!! note", "", "    One", "", "    Two", ""]
    assert "> [!TIP]" in lines  # inside a fence: left alone
    assert '  !!! danger "Caution"' in lines and "      x" in lines
    assert origin[2] == 1


def test_front_matter_and_titles():
    meta, body, skipped = split_front_matter("---\ntitle: !ENV T\nx: 1\n---\n\n# H\n")
    assert meta == {"title": None, "x": 1} and body == "# H\n" and skipped == 5
    assert split_front_matter("Title: MultiMarkdown\n\ntext")[0] == {"title": "MultiMarkdown"}
    assert split_front_matter("---\n: [\n---\n# H")[0] == {}
    assert markdown_title("```\n# not\n```\n## h2\n# Real <b>one</b>\n") == "Real one"


def test_mkdocs_yml_tags_are_read_safely():
    config = parse_mkdocs_yml(
        "site_name: !ENV [SITE, Docs]\ndocs_dir: src\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_generator: !!python/name:os.system\n"
        "x: !!python/object/apply:os.system [echo hacked]\n"
        "nav:\n  - Home: index.md\n  - Part:\n      - a.md\n      - GitHub: https://github.com\n")
    assert config.site_name is None and config.docs_dir == "src"
    assert [e.title for e in config.nav] == ["Home", "Part"]
    assert config.nav[1].children[0].target == "a.md" and config.nav[1].children[0].line == 10
    with pytest.raises(YamlError):
        parse_mkdocs_yml("a: &a [*a]\n")


# -- rendering ----------------------------------------------------------------------


def test_dialect_renders_techdocs_markdown_offline():
    html = render_markdown(
        "!!! note\n    Admonition\n\n??? tip \"More\"\n    Hidden\n\n"
        "=== \"One\"\n    1\n=== \"Two\"\n    2\n\n- [x] done\n- [ ] todo\n\n"
        ":thumbsup: :material-check: ==mark== ^^ins^^ ~~del~~ H~2~O\n\n"
        "Term\n:   Definition\n\nText[^1]\n\n[^1]: Note\n\n```python\nx = 1\n```\n",
        docs_dialect()).html
    for needle in ('class="admonition note"', "<details", 'class="tabbed-set',
                   'class="task-list', "\U0001f44d", "<svg", "<mark>", "<ins>", "<del>",
                   "<sub>2</sub>", "<dl>", 'class="footnote', 'class="highlight"'):
        assert needle in html, needle
    assert "cdn" not in html and "http" not in html.replace("http://www.w3.org", "")


def test_lists_nested_by_two_spaces_nest_as_in_techdocs():
    html = render_markdown("1. one\n  - a\n    - deeper\n  - b\n2. two\n", docs_dialect()).html
    assert html.count("<ul>") == 2 and html.count("<ol>") == 1
    assert html.index("deeper") < html.index("</ul>") < html.index("two")


def test_graphviz_fences_are_drawn_offline_and_sanitised():
    html = render_markdown('```dot\ndigraph { api -> db [URL="javascript:alert(1)"];'
                           ' db [URL="https://example.com/db"] }\n```\n', docs_dialect()).html
    assert '<div class="pr-diagram pr-docs-diagram">' in html and "<svg" in html
    assert ">api</text>" in html and "<title>" not in html  # Graphviz's ids are not text
    assert "javascript:" not in html and "https://example.com/db" in html
    assert "<svg" in render_markdown("```graphviz\ngraph { a -- b }\n```\n",
                                     docs_dialect("escape")).html


@pytest.mark.parametrize("source", [
    'digraph { a [image="/etc/hostname"] }',
    'digraph { a [shapefile="/etc/hostname"] }',
    "digraph { a [label=<<TABLE><TR><TD><IMG SRC=\"/etc/hostname\"/></TD></TR></TABLE>>] }",
    'digraph { imagepath="/etc"; a }',
    'digraph { "image"="/etc/hostname"; a }',
    'digraph { a ["ima\\\nge"="/etc/hostname"] }',
    'digraph { a ["ima" + "ge"="/etc/hostname"] }',
    'digraph { subgraph s { node [fontpath="/etc"]; b } a -> b [image="/etc/hostname"] }',
    "digraph { a -> }",  # not DOT
    "digraph { " + "a -> b; " * 7_000 + "}",  # too large
])
def test_graphviz_fences_that_read_files_or_fail_are_shown_as_code(source):
    html = render_markdown(f"```dot\n{source}\n```\n", docs_dialect()).html
    assert "<svg" not in html and 'class="pr-note"' in html
    assert "<pre><code" in html and "digraph" in html


def test_graphviz_fence_that_only_mentions_file_attributes_in_text_is_drawn():
    html = render_markdown('```dot\ndigraph { a [label="image=x.png, fontpath"]; '
                           'b [label=<<b>img</b>>] }\n```\n', docs_dialect()).html
    assert "<svg" in html and "image=x.png" in html


def test_html_trust_setting():
    hostile = ('<script>alert(1)</script><b>bold</b> [x](javascript:alert(1)){onclick="y"} '
               '<img src=x onerror=alert(1)>\n\n# T {#a"b}\n')
    sanitized = render_markdown(hostile, docs_dialect("sanitize"))
    assert "<script" not in sanitized.html and "<b>bold</b>" in sanitized.html
    assert "javascript:" not in sanitized.html and "onclick" not in sanitized.html
    assert "onerror" not in sanitized.html and '"' not in sanitized.toc[0]["id"]
    escaped = render_markdown(hostile, docs_dialect("escape")).html
    assert "&lt;b&gt;bold&lt;/b&gt;" in escaped and "<script" not in escaped
    assert "javascript:" not in escaped
    assert "<script>alert(1)</script>" in render_markdown(hostile, docs_dialect("trust")).html
    with pytest.raises(ValueError, match="docs_html"):
        docs_dialect("allow")


def test_workers_render_the_same_pages(monkeypatch):
    monkeypatch.setattr(render_module, "_PARALLEL_FROM", 1)
    pages = {f"p{i}.md": f"# Page {i}\n\n<b onclick=x>{i}</b> :smile:\n" for i in range(70)}
    renderer = DocsRenderer(docs_dialect(), pages, workers=1)
    renderer.start()
    try:
        assert renderer.executor is not None
        parallel = {p: renderer.get(p) for p in sorted(pages)}
    finally:
        renderer.close()
    assert parallel == {p: render_markdown(t, docs_dialect()) for p, t in pages.items()}


def test_search_sections_match_materials_own_indexing():
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc

    header = '<p class="pr-kicker">Docs <code>component:default/x</code></p>'
    rendered = render_markdown("# Title\n\nIntro *text*.\n\n## Part {#p}\n\nMore.\n\n"
                               "```py\nx = 1\n```\n", docs_dialect(), header=header)
    page = SimpleNamespace(meta={"title": "X docs"}, content=header + rendered.html,
                           toc=get_toc(rendered.toc), url="docs/x/", title="Title")
    index = SearchIndex()
    index.add_entry_from_context(page)
    ours = [{"location": page.url + anchor, "title": title or "X docs", "text": text}
            for anchor, title, text in rendered.search]
    assert ours == index.entries and len(ours) == 3
