"""End to end in a real browser: Debian's Chromium driven by Playwright.

The demo portal is built once, served on 127.0.0.1, and used as a person
would. Every request the pages make is recorded: none may leave the site.
A screenshot of each failing test is saved under ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ROWS = ".pr-table tbody tr"

playwright = pytest.importorskip("playwright.sync_api")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site-dir",
                             str(site)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: make test installs it (apt-get)"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


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


def _search(page, base_url: str, query: str) -> list[str]:
    """Type ``query`` into the header box (focused with "/"); the results' texts."""
    page.goto(base_url + "handbook/")
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


def test_search_shows_entities_with_kind_and_owner_before_docs(page, base_url):
    results = _search(page, base_url, "payments")
    entity = next(i for i, r in enumerate(results) if "Payments Gateway" in r)
    assert "Owner: Payments Team" in results[entity]
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
    page.locator(".pr-facet[data-facet=owner] input[value='Checkout Team']").check()
    page.wait_for_function(f"parseInt(document.querySelector('.pr-search-count').textContent)"
                           f" < {components}")
    titles = page.locator(".pr-result .pr-result-title").all_inner_texts()
    assert "Checkout Service" in titles and "Inventory Service" not in titles
    assert set(page.locator(".pr-result .pr-search-kind").all_inner_texts()) <= {
        "component service", "component worker", "component website", "component library",
        "component tool"}
    assert "owner=Checkout+Team" in page.url and "kind=component" in page.url
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
    owners = set(page.locator(".pr-table tbody td.pr-owner").all_inner_texts())
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
