"""Untrusted descriptor text renders as text: no script, no HTML, no unsafe link."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT
from pagefind_index import fragments
from sitecheck import links_of

HOSTILE = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: evil-service
  title: "<script>alert('title')</script>"
  description: >-
    <img src=x onerror=alert('desc')> [click me](javascript:alert('md'))
    {{ 7*7 }} {% raw %} <b>bold</b> ]]> --> <!--
  tags: [python]
  labels:
    tier: "1"
  annotations:
    backstage.io/source-location: "url:javascript:alert('source')"
    example.com/note: "<script>alert('annotation')</script>"
  links:
    - url: "javascript:alert('link')"
      title: "<img src=x onerror=alert('linktitle')>"
    - url: "data:text/html,<script>alert('data')</script>"
      title: data link
    - url: "https://ok.example/runbook"
      title: "Runbook</a><script>alert('linktitle2')</script>"
    - url: "https://ok.example/\\"onmouseover=\\"alert('attr')"
      title: quote in url
spec:
  type: "<svg onload=alert('type')>"
  lifecycle: "production\\"><script>alert('lifecycle')</script>"
  owner: "team-x"
  system: "[sys](javascript:alert('sys'))"
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-x
  title: "[team](javascript:alert('group')) **bold** `code` <i>x</i>"
spec:
  type: team
  children: []
  profile:
    email: "x@example.com\\"><script>alert('mail')</script>"
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: evil-api
spec:
  type: openapi
  lifecycle: production
  owner: team-x
  definition: |
    openapi: 3.0.0
    info: {title: "<script>alert('def')</script>"}
    ````
    </code></pre><script>alert('fence')</script>
    ```
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "repo").mkdir()
    (root / "repo/catalog-info.yaml").write_text(HOSTILE)
    (root / "sources.yaml").write_text("sources:\n  - path: repo\n")
    site = root / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(root / "sources.yaml"), "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return site


def _pages(site):
    return {p: p.read_text() for p in site.rglob("*.html")}


def test_no_injected_script_runs(hostile_site):
    for path, html in _pages(hostile_site).items():
        assert "<script>alert" not in html, path
        for tag in re.findall(r"<(?:img|svg|b|i)\b[^>]*>", html):
            assert "onerror" not in tag and "onload" not in tag, (path, tag)
        assert "onmouseover=" not in html.replace("&quot;onmouseover=", ""), path


def test_only_safe_links_become_hrefs(hostile_site):
    for path, html in _pages(hostile_site).items():
        for _tag, attr, url in links_of(html):
            if attr == "href":
                assert not url.lower().startswith(("javascript:", "data:", "vbscript:")), \
                    (path, url)
    page = (hostile_site / "catalog/default/component/evil-service/index.html").read_text()
    assert 'href="https://ok.example/runbook"' in page
    assert "link hidden" in page


def test_text_is_shown_literally(hostile_site):
    page = (hostile_site / "catalog/default/component/evil-service/index.html").read_text()
    assert "<title>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; - " in page
    description = page.split('class="pr-description">')[1].split("</p>")[0]
    assert "{{ 7*7 }}" in description and "{% raw %}" in description
    assert "&lt;img src=x onerror=" in description
    group = (hostile_site / "catalog/default/group/team-x/index.html").read_text()
    assert "<strong>bold</strong>" not in group and "<i>x</i>" not in group


def test_fenced_definition_cannot_break_out(hostile_site):
    page = (hostile_site / "catalog/default/api/evil-api/index.html").read_text()
    assert "<script>alert('fence')" not in page
    assert "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;" in page


def test_unsafe_links_are_problems(hostile_site):
    health = (hostile_site / "health/index.html").read_text()
    assert health.count("is not an http, https or mailto URL") >= 2


def test_search_index_holds_descriptor_markup_only_as_text(hostile_site):
    entity = fragments(hostile_site)["catalog/default/component/evil-service/"]
    assert entity["meta"]["title"] == "<script>alert('title')</script>"  # text, shown as text
    assert entity["meta"]["description"].startswith("<img src=x onerror=alert('desc')>")
    script = (hostile_site / "assets/pavedroad/search.js").read_text()
    assert ".innerHTML = parts[i]" in script and 'createElement("textarea")' in script
    assert script.count("innerHTML") == 1  # only into a textarea, which parses no elements
