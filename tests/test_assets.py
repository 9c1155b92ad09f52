"""The catalog page's JavaScript and CSS: safe by construction, filters checked in Node.

The Node test loads ``pavedroad.js`` as a CommonJS module (its DOM code only runs
when there is a ``document``) and checks the pure functions. The browser test, run
only where a Chromium is installed, opens a catalog page with hostile data.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parent.parent / "generator" / "assets"
JS = ASSETS / "pavedroad.js"
CSS = ASSETS / "pavedroad.css"


def _code(text: str) -> str:
    """JavaScript without its comments (good enough for this file: no "/*" in strings)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", text)


def test_js_builds_no_html_from_strings():
    code = _code(JS.read_text(encoding="utf-8"))
    for pattern in (r"\binnerHTML\b", r"\bouterHTML\b", r"insertAdjacentHTML", r"document\.write",
                    r"\beval\s*\(", r"new\s+Function\b", r"createContextualFragment",
                    r"DOMParser", r"\.srcdoc\b"):
        assert not re.search(pattern, code), pattern
    # every href goes through the relative-URL check
    assert code.count('setAttribute("href"') == 1
    assert re.search(r"if \(!isSafeHref\(href\)\) return", code)
    assert not re.search(r"\.href\s*=", code)


@pytest.mark.parametrize("path", [JS, CSS], ids=lambda p: p.name)
def test_assets_make_no_external_requests(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", _code(text))
    assert "http://" not in text and "https://" not in text
    assert "@import" not in text
    if path.suffix == ".css":
        assert not re.search(r"url\(\s*['\"]?(?!data:)", text)


def test_css_covers_the_page_classes_with_material_variables():
    css = CSS.read_text(encoding="utf-8")
    assert css.count("{") == css.count("}")
    for name in ("pr-catalog", "pr-filters", "pr-count", "pr-table", "pr-more", "pr-tag",
                 "pr-about", "pr-badge", "pr-badge--production", "pr-badge--experimental",
                 "pr-badge--deprecated", "pr-rel", "pr-problems", "pr-diagram"):
        assert re.search(r"\." + re.escape(name) + r"\b", css), name
    assert "var(--md-default-fg-color--light)" in css
    assert "var(--md-typeset-table-color" in css
    assert re.search(r"\.pr-diagram\s*\{[^}]*overflow-x:\s*auto", css)


NODE_TEST = r"""
const assert = require("assert");
const m = require(process.argv[2]);

// --- normalisation of untrusted data
const raw = [
  {ref: "component:default/checkout", name: "checkout", title: "Checkout", kind: "component",
   type: "service", owner: "group:default/checkout-team", ownerTitle: "Checkout Team",
   ownerUrl: "../catalog/default/group/checkout-team/", lifecycle: "production",
   tags: ["python", "payments"], description: "Baskets and order placement",
   url: "default/component/checkout/", system: "shop"},
  {ref: "api:default/payments", name: "payments", title: "", kind: "API", type: "grpc",
   owner: "group:default/checkout-team-2", ownerTitle: null, ownerUrl: null,
   lifecycle: "Experimental", tags: "not-a-list", description: 42, url: null, system: null},
  "junk", null, 7, [1, 2],
  JSON.parse('{"__proto__": {"x": 1}, "name": "proto", "kind": "constructor", "tags": [1, "Go"]}'),
];
const entities = m.normalize(raw);
assert.strictEqual(entities.length, 3);
assert.deepStrictEqual(entities[1].tags, []);
assert.strictEqual(entities[1].description, "42");
assert.strictEqual(entities[1].ownerUrl, "");
assert.deepStrictEqual(entities[2].tags, ["1", "Go"]);  // numbers as text
assert.deepStrictEqual(m.normalize({not: "an array"}), []);

// --- query strings
const q = m.parseQuery("?kind=component&owner=group:default/x&q=pay&bogus=1");
assert.deepStrictEqual(q, {q: "pay", kind: "component", type: "", owner: "group:default/x",
                           lifecycle: "", tag: ""});
assert.strictEqual(m.parseQuery("?owner=group%3Adefault%2Fx&q=two+words").owner, "group:default/x");
assert.strictEqual(m.parseQuery("?q=two+words").q, "two words");
assert.strictEqual(m.toQuery(q), "?q=pay&kind=component&owner=group:default/x");
assert.strictEqual(m.toQuery({q: "a&b=c #d"}), "?q=a%26b%3Dc%20%23d");
assert.deepStrictEqual(m.parseQuery(m.toQuery({q: "a&b=c #d", tag: "c++"})).tag, "c++");
assert.strictEqual(m.toQuery({}), "");

// --- filtering
const names = (filters) => m.filterEntities(entities, Object.assign(
  {q: "", kind: "", type: "", owner: "", lifecycle: "", tag: ""}, filters)).map((e) => e.name);
assert.deepStrictEqual(names({}), ["checkout", "payments", "proto"]);
assert.deepStrictEqual(names({kind: "api"}), ["payments"]);
assert.deepStrictEqual(names({kind: "Component"}), ["checkout"]);
// an owner matches whole, not as a prefix of "group:default/checkout-team-2"
assert.deepStrictEqual(names({owner: "group:default/checkout-team"}), ["checkout"]);
assert.deepStrictEqual(names({lifecycle: "experimental"}), ["payments"]);
assert.deepStrictEqual(names({tag: "go"}), ["proto"]);
assert.deepStrictEqual(names({tag: "pay"}), []);  // tags match whole
assert.deepStrictEqual(names({q: "ORDER basket"}), ["checkout"]);  // words ANDed, any field
assert.deepStrictEqual(names({q: "checkout team"}), ["checkout", "payments"]);
assert.deepStrictEqual(names({q: "payments", kind: "component"}), ["checkout"]);  // via a tag
assert.deepStrictEqual(names({q: "nothing-like-this"}), []);

// --- select options
assert.deepStrictEqual(m.facet(entities, "kind").map((o) => [o.value, o.count]),
  [["API", 1], ["component", 1], ["constructor", 1]]);
const owners = m.facet(entities, "owner");
assert.deepStrictEqual(owners.map((o) => o.label),
  ["Checkout Team", "group:default/checkout-team-2"]);
const many = m.normalize(["t10", "t9", "T9", "t1"].map((t) => ({name: t, tags: [t]})));
assert.deepStrictEqual(m.facet(many, "tag").map((o) => [o.value, o.count]),
  [["t1", 1], ["t9", 2], ["t10", 1]]);  // numeric order, case folded
// counts among what the other filters leave: choosing kind=api leaves 1 owner, all kinds
const none = {q: "", kind: "", type: "", owner: "", lifecycle: "", tag: ""};
const narrowed = m.facets(entities, Object.assign({}, none, {kind: "api"}));
assert.deepStrictEqual(narrowed.owner.map((o) => [o.value, o.count]),
  [["group:default/checkout-team-2", 1]]);
assert.deepStrictEqual(narrowed.kind.map((o) => o.count), [1, 1, 1]);  // its own filter ignored
assert.deepStrictEqual(m.facets(entities, Object.assign({}, none, {q: "basket"})).kind
  .map((o) => o.value), ["component"]);
// an owner whose title another entity shares is labelled with its ref
const shared = m.normalize([{ref: "c:x", owner: "group:default/checkout", ownerTitle: "Checkout",
                             ownerNote: "group:checkout"}]);
assert.deepStrictEqual(m.facet(shared, "owner").map((o) => o.label),
  ["Checkout (group:checkout)"]);

// --- text
assert.strictEqual(m.countText(37, 15642, true), "37 of 15,642 entities");
assert.strictEqual(m.countText(15642, 15642, false), "15,642 entities");
assert.strictEqual(m.countText(1, 1, false), "1 entity");
assert.strictEqual(m.truncate("abcdef", 4), "abc…");
assert.strictEqual(m.truncate("abc", 4), "abc");

// --- links
for (const ok of ["default/component/a/", "../catalog/x/", "?kind=api", "#top", "/abs/path",
                  "a:b/c".replace(":", "%3A")]) {
  assert.ok(m.isSafeHref(ok), ok);
}
for (const bad of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                   "java\tscript:alert(1)", "java\nscript:x", "data:text/html,x",
                   "https://evil.example/", "//evil.example/", "/\\evil.example",
                   "\\\\evil.example", "vbscript:x", "", null, undefined, 5, {}]) {
  assert.ok(!m.isSafeHref(bad), String(bad));
}

// --- speed: 10,000 entities filter in well under 50 ms
const big = [];
for (let i = 0; i < 10000; i++) {
  big.push({ref: "component:default/svc-" + i, name: "svc-" + i, title: "Service " + i,
            kind: i % 3 ? "component" : "api", type: ["service", "website", "library"][i % 3],
            owner: "group:default/team-" + (i % 400), ownerTitle: "Team " + (i % 400),
            lifecycle: ["production", "experimental", "deprecated"][i % 3],
            tags: ["python", "java", "go"].slice(0, i % 4),
            description: "Handles payments and other things, number " + i,
            url: "default/component/svc-" + i + "/"});
}
const normalized = m.normalize(big);
let best = Infinity;
for (let run = 0; run < 5; run++) {
  const start = process.hrtime.bigint();
  const found = m.filterEntities(normalized, {q: "payments number 7", kind: "component",
    type: "", owner: "", lifecycle: "", tag: ""});
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  assert.ok(found.length > 0 && found.length < 10000);
}
assert.ok(best < 50, "filtering took " + best + " ms");
console.log("ok");
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_filter_functions_in_node(tmp_path: Path):
    script = tmp_path / "check.js"
    script.write_text(NODE_TEST, encoding="utf-8")
    result = subprocess.run(["node", str(script), str(JS)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# --- the real page in a headless browser ------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<div class="pr-catalog" data-src="entities.json">
<form class="pr-filters" role="search"></form>
<p class="pr-count"></p>
<table class="pr-table"><thead></thead><tbody></tbody></table>
</div>
<script src="../pavedroad.js"></script>
<script>
setTimeout(function () {
  var b = document.body, rows = function () {
    return document.querySelectorAll(".pr-table tbody tr").length; };
  b.setAttribute("data-rows", rows());
  b.setAttribute("data-evil", document.querySelectorAll(
    "img, tbody script, a[href^='javascript'], a[href^='//']").length);
  b.setAttribute("data-links", document.querySelectorAll("tbody a[href]").length);
  b.setAttribute("data-count", document.querySelector(".pr-count").textContent);
  b.setAttribute("data-owners", document.querySelector("select[name=owner]").textContent);
  document.querySelector(".pr-more").click();
  b.setAttribute("data-more", rows());
  var q = document.querySelector("input[name=q]");
  q.value = "s42";
  q.dispatchEvent(new Event("input", {bubbles: true}));
  b.setAttribute("data-typed", rows());
  setTimeout(function () { b.setAttribute("data-url", location.search); }, 400);
}, 1000);
</script>
</body></html>
"""


def _entities() -> list[dict]:
    evil = {"ref": "component:default/evil", "name": "evil", "kind": "component",
            "title": "<img src=x onerror=alert(1)>", "type": "service",
            "owner": "group:default/payments", "ownerTitle": "<b>Payments</b>",
            "ownerUrl": "javascript:alert(1)", "lifecycle": "<i>x</i>", "tags": ["<script>"],
            "description": "pay <img src=y>", "url": "//evil.example/", "system": None}
    return [evil] + [
        {"ref": f"component:default/s{i}", "name": f"s{i}", "title": f"S {i}",
         "kind": "component", "type": "library", "owner": "group:default/payments",
         "ownerTitle": "Payments", "ownerUrl": "../p/", "lifecycle": "production",
         "tags": ["go"], "description": "pay lib", "url": f"s{i}/", "system": None}
        for i in range(450)]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "catalog").mkdir()
    shutil.copy(JS, tmp_path / "pavedroad.js")
    (tmp_path / "catalog" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "catalog" / "entities.json").write_text(json.dumps(_entities()),
                                                        encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                 if p), None)


@pytest.mark.skipif(_chromium() is None, reason="no Chromium to run the page in")
def test_catalog_page_in_chromium(served: str, tmp_path: Path):
    url = f"{served}/catalog/?owner=group:default/payments&q=pay"
    result = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=False)
    body = re.search(r"<body[^>]*>", result.stdout)
    assert body, result.stderr[-2000:]
    attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group()))
    assert attrs.get("count") == "451 of 451 entities", (attrs, result.stderr[-2000:])
    assert attrs["rows"] == "200"
    assert attrs["evil"] == "0"
    assert attrs["links"] == str(2 * 199)  # name and owner of each safe row, none for evil
    assert attrs["more"] == "400"
    assert attrs["typed"] == "11"  # s42, s420..s429
    assert attrs["url"] == "?q=s42&amp;owner=group:default/payments"
    assert "&lt;b&gt;Payments&lt;/b&gt;" in attrs["owners"]  # an option label, as text
