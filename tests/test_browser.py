"""End to end in a real browser: Debian's Chromium driven by Playwright.

The demo portal is built once, served on 127.0.0.1, and used as a person
would. Every request the pages make is recorded: none may leave the site.
A screenshot of each failing test is saved under ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
ROWS = ".pr-table tbody tr"

playwright = pytest.importorskip("playwright.sync_api")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


RENAMED = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: basket-api-v2
  title: "Basket <b>API</b> & co"
  description: "Keeps <img src=x onerror=alert(1)> baskets."
  annotations:
    pavedroad.dev/previous-names: "basket-api"
    pavedroad.dev/aliases: "bsk"
spec: {type: service, lifecycle: production, owner: group:checkout}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: checkout}
spec: {type: team, children: []}
"""


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def renamed_url(tmp_path_factory):
    """A small portal with a renamed entity whose title and description hold markup."""
    root = tmp_path_factory.mktemp("renamed")
    (root / "repo").mkdir()
    (root / "repo/catalog-info.yaml").write_text(RENAMED)
    (root / "sources.yaml").write_text("sources:\n  - path: repo\n")
    site = root / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--sources",
                             str(root / "sources.yaml"), "--site-dir", str(site)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    server, url = _serve(site)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser, base_url, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.outside = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    host = urlsplit(base_url).netloc

    def check(req):
        parts = urlsplit(req.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            page.outside.append(req.url)

    page.on("request", check)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_home_loads_without_errors_or_outside_requests(page, base_url):
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert "Northwind Developer Portal" in page.title()
    assert page.locator(".pr-stats .pr-stat").count() >= 5
    assert page.errors == []
    assert page.outside == []


def test_search_finds_a_service_and_opens_its_page(page, base_url):
    page.goto(base_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("checkout service", delay=20)
    result = page.locator(".md-search-result__item a", has_text="Checkout Service").first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_url("**/catalog/default/component/checkout-service/**")
    assert page.locator("h1").first.inner_text() == "Checkout Service"
    assert page.errors == []
    assert page.outside == []


def _search(page, base_url: str, query: str, start: str = "handbook/") -> list[str]:
    """Type ``query`` into the header box (focused with "/"); the results' texts."""
    page.goto(base_url + start)
    page.keyboard.press("/")
    page.keyboard.type(query, delay=10)
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent"
                           ".includes('matching result')", timeout=20_000)
    return page.locator(".md-search-result__item").all_inner_texts()


@pytest.mark.parametrize("query", ["Checkout Service", "checkout-service", "PCHK7Q2"])
def test_search_finds_a_service_by_title_name_and_pagerduty_id(page, base_url, query):
    results = _search(page, base_url, query)
    assert results[0].startswith("Checkout Service"), results  # the entity first
    assert "component" in results[0]
    assert page.errors == []
    assert page.outside == []


@pytest.mark.parametrize("query", ["basket-api", "bsk"])
def test_search_finds_a_renamed_service_by_previous_name_and_alias(page, renamed_url, query):
    results = _search(page, renamed_url, query, start="")
    assert results[0].startswith("Basket <b>API</b> & co"), results  # markup shown as text
    assert page.locator(".md-search-result__item b, .md-search-result__item img").count() == 0
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/default/component/basket-api-v2/")
    assert page.errors == []
    assert [url for url in page.outside if not url.startswith(renamed_url)] == []


@pytest.mark.parametrize("query", ["inventroy service", "nventory service", "Unventory Service",
                                   "inventory-servce"])
def test_search_jump_list_finds_a_service_despite_a_typo(page, base_url, query):
    results = _search(page, base_url, query)
    assert results[0].startswith("Inventory Service"), results
    assert page.errors == []


def test_search_fetches_the_jump_manifest_first_then_small_files(page, base_url):
    jump = []

    def record(request):
        if "/search/jump" in request.url:
            jump.append((request.url, request.sizes()["responseBodySize"]))

    page.on("requestfinished", record)
    page.goto(base_url + "handbook/")
    # Wait for the focus's fetch itself: on a loaded machine "networkidle" can come first.
    with page.expect_request_finished(lambda r: "/search/jump" in r.url,
                                      timeout=20_000) as first:
        page.keyboard.press("/")
    assert first.value.url == base_url + "search/jump.json"
    assert first.value.sizes()["responseBodySize"] < 4_096
    page.wait_for_load_state("networkidle")
    assert [url for url, _ in jump] == [base_url + "search/jump.json"]
    page.keyboard.type("inventory service", delay=10)
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent"
                           ".includes('matching result')", timeout=20_000)
    files = [(url, size) for url, size in jump if url != base_url + "search/jump.json"]
    assert files and all(url.startswith(base_url + "search/jump/") for url, _ in files)
    assert max(size for _, size in files) < 20_000
    assert page.outside == []


def test_search_shows_entities_with_kind_and_owner_before_docs(page, base_url):
    results = _search(page, base_url, "payments")
    entity = next(i for i, r in enumerate(results) if "Payments Gateway" in r)
    assert "Owner: Payments\n" in results[entity]  # the team as its page shows it
    docs = [i for i, r in enumerate(results) if "Docs of " in r]
    assert docs and entity < min(docs)


def test_search_finds_a_docs_page_by_a_word_in_its_body(page, base_url):
    results = _search(page, base_url, "HikariPool")
    assert any(r.startswith("Runbook") and "Docs of Checkout Service" in r for r in results)


def test_search_keyboard_arrows_and_enter_open_a_result(page, base_url):
    _search(page, base_url, "inventory-service")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/default/component/inventory-service/")
    assert page.outside == []


def test_search_page_facet_narrows_results_without_typing(page, base_url):
    page.goto(base_url + "search/")
    count = page.locator(".pr-search-count")
    page.locator(".pr-facet[data-facet=kind] input[value=component]").check()
    page.wait_for_function("document.querySelector('.pr-search-count').textContent"
                           ".includes('results')", timeout=20_000)
    components = int(count.inner_text().split()[0])
    assert components > 5
    page.locator(".pr-facet[data-facet=owner] input[value=Checkout]").check()
    page.wait_for_function(f"parseInt(document.querySelector('.pr-search-count').textContent)"
                           f" < {components}")
    titles = page.locator(".pr-result .pr-result-title").all_inner_texts()
    assert "Checkout Service" in titles and "Inventory Service" not in titles
    assert set(page.locator(".pr-result .pr-search-kind").all_inner_texts()) <= {
        "component service", "component worker", "component website", "component library",
        "component tool"}
    assert "owner=Checkout&" in page.url + "&" and "kind=component" in page.url
    assert page.errors == []
    assert page.outside == []


def test_catalog_filters_narrow_the_table(page, base_url):
    page.goto(base_url + "catalog/")
    rows = page.locator(".pr-table tbody tr")
    rows.first.wait_for()
    everything = rows.count()
    page.locator("select[name=kind]").select_option("api")
    page.wait_for_function(f"document.querySelectorAll('{ROWS}').length < {everything}")
    kinds = page.locator(".pr-table tbody td.pr-kind").all_inner_texts()
    assert kinds and set(kinds) == {"api"}
    apis = rows.count()
    page.locator("input[name=q]").fill("basket")
    page.wait_for_function(f"document.querySelectorAll('{ROWS}').length < {apis}")
    assert "Checkout API" in page.locator(".pr-table tbody").inner_text()
    page.wait_for_function("location.search.includes('q=basket')")
    assert "kind=api" in page.url
    assert page.errors == []


def test_catalog_opens_prefiltered_by_owner(page, base_url):
    page.goto(base_url + "catalog/?owner=group:default/checkout-team")
    page.locator(".pr-table tbody tr").first.wait_for()
    owners = set(page.locator(".pr-table tbody td.pr-owner a").all_inner_texts())
    assert owners == {"Checkout"}


def test_lookup_url_lands_on_the_entity(page, base_url):
    page.goto(base_url + "lookup/pagerduty/PCHK7Q2/")
    page.wait_for_url("**/catalog/default/component/checkout-service/")
    assert page.locator("h1").first.inner_text() == "Checkout Service"
    page.goto(base_url + "lookup/name/inventory-service/")
    page.wait_for_url("**/catalog/default/component/inventory-service/")


def test_team_page_lists_what_it_owns(page, base_url):
    page.goto(base_url + "catalog/default/group/checkout-team/")
    owned = page.locator("h2#owned-by-this-group + .pr-rel table")
    text = owned.inner_text()
    assert "Checkout Service" in text and "Checkout API" in text
    page.get_by_role("link", name="Checkout Service").first.click()
    page.wait_for_url("**/catalog/default/component/checkout-service/")


def test_clicking_a_diagram_node_opens_that_entity(page, base_url):
    page.goto(base_url + "catalog/default/component/checkout-service/")
    node = page.locator(".pr-diagram svg a", has_text="Inventory API").first
    node.click()
    page.wait_for_url("**/catalog/default/api/inventory-api/")
    assert page.locator("h1").first.inner_text() == "Inventory API"
    assert page.errors == []


def test_mermaid_fence_is_drawn_by_the_sites_own_script_in_both_palettes(page, base_url):
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if "mermaid" in r.url else None)
    page.goto(base_url + "docs/default/component/checkout-service/architecture/")
    diagram = page.locator("article div.mermaid").first
    diagram.wait_for(timeout=20_000)
    assert page.locator("article pre.mermaid").count() == 0  # replaced by the drawing
    assert diagram.bounding_box()["height"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    diagram.screenshot(path=str(ARTIFACTS / "mermaid-light.png"))
    # The palette follows the OS first; the toggle goes on to light, then dark.
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == "slate":
            break
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    diagram.screenshot(path=str(ARTIFACTS / "mermaid-dark.png"))
    assert [urlsplit(u).path for u in scripts] == ["/assets/pavedroad/mermaid.min.js"]
    assert page.errors == []
    assert page.outside == []


def test_docs_page_without_mermaid_does_not_load_it(page, base_url):
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if "mermaid" in r.url else None)
    page.goto(base_url + "docs/default/component/checkout-service/runbook/")
    page.wait_for_load_state("networkidle")
    assert scripts == []
    assert page.outside == []


_CONTRAST = """(selector) => {
  // WCAG contrast of an element's stroke or fill against the page background.
  const parse = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const bg = parse(getComputedStyle(document.body).backgroundColor);
  const over = (fg) => fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  const paint = el.tagName === "polyline" ? style.stroke : style.fill;
  const [a, b] = [lum(over(parse(paint))), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_adoption_chart_renders_legibly_in_light_and_dark(page, base_url, scheme, tmp_path):
    page.goto(base_url + "adoption/")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    chart = page.locator("svg.pr-chart-svg")
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 100
    title = chart.get_attribute("aria-labelledby")
    assert page.locator(f"#{title}").text_content().startswith(
        "Share of components on a golden path: ")
    assert page.locator(".pr-chart-data tbody tr").count() >= 1
    # the line and its dots stand out (3:1, WCAG non-text), the axis labels read (4.5:1)
    assert page.evaluate(_CONTRAST, ".pr-chart-line") >= 3
    assert page.evaluate(_CONTRAST, ".pr-chart-dot") >= 3
    assert page.evaluate(_CONTRAST, ".pr-chart-text") >= 4.5
    chart.screenshot(path=str(tmp_path / f"chart-{scheme}.png"))
    assert page.errors == []
    assert page.outside == []


def test_a_ticket_link_to_an_api_operation_scrolls_to_it(page, base_url):
    # The link as a ticket would carry it, braces and all; the raw definition stays closed.
    page.goto(f"{base_url}catalog/default/api/checkout-api/#get-/baskets/{{basketId}}")
    page.wait_for_load_state("networkidle")
    entry = page.locator('[id="get-/baskets/{basketId}"]')
    assert entry.is_visible()
    top = entry.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 150, top  # just under the sticky header
    assert page.locator("details.pr-apiref-raw").get_attribute("open") is None
    page.locator("details.pr-apiref-raw summary").click()
    assert page.locator("details.pr-apiref-raw .highlight").is_visible()
    assert page.errors == [] and page.outside == []


def test_search_page_result_title_is_set_apart_from_its_detail(page, base_url):
    page.goto(base_url + "search/?q=HikariPool")
    result = page.locator(".pr-result", has_text="Docs of Checkout Service").first
    result.wait_for(timeout=20_000)
    assert result.inner_text().startswith("Runbook Docs of Checkout Service")
    title = result.locator(".pr-result-title").bounding_box()
    detail = result.locator(".pr-search-detail").bounding_box()
    assert detail["x"] - (title["x"] + title["width"]) >= 4  # a visible gap, not run together
    assert page.errors == []
