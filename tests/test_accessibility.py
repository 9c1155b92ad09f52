"""The portal for the people reading it, in Chromium: axe-core on every page type in light
and dark, the responder's path to the runbook by mouse and keyboard, phone width.

axe-core comes from the ``axe-playwright-python`` package (``axe.min.js`` inside it), so it
runs offline; the demo portal is built once for the module and served on 127.0.0.1.
Screenshots of every page type are saved under ``test-artifacts/pages/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

axe_package = pytest.importorskip("axe_playwright_python")

SHOTS = ROOT / "test-artifacts" / "pages"
AXE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")

PAGE_TYPES = {
    "home": "",
    "catalog": "catalog/",
    "component": "catalog/default/component/payments-gateway/",
    "api": "catalog/default/api/payments-api/",
    "system": "catalog/default/system/checkout/",
    "group": "catalog/default/group/checkout-team/",
    "user": "catalog/default/user/mei.chen/",
    "domain": "catalog/default/domain/commerce/",
    "resource": "catalog/default/resource/payments-db/",
    "template": "catalog/default/template/postgres-database/",
    "teams": "teams/",
    "systems": "systems/",
    "graph": "graph/",
    "scorecards": "scorecards/",
    "golden-path": "golden-paths/create-a-service/",
    "docs-index": "docs/",
    "docs-page": "docs/default/component/payments-gateway/runbook/",
    "health": "health/",
    "adoption": "adoption/",
    "changes": "changes/",
    "search": "search/",
}
"""One page of every type the demo portal has."""

SERIOUS = {"serious", "critical"}


def _open(browser, url: str, *, scheme: str = "light", width: int = 1366, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme=scheme)
    page = context.new_page()
    _go(page, url)
    return context, page


def _go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.evaluate(AXE)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}; first: "
            f"{v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:300]}"
            for v in results["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_on_any_page_type(browser, base_url, scheme):
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    context, page = _open(browser, base_url, scheme=scheme)
    try:
        for name, path in PAGE_TYPES.items():
            _go(page, base_url + path)
            wanted = "slate" if scheme == "dark" else "default"  # the OS's choice
            assert page.get_attribute("body", "data-md-color-scheme") == wanted, name
            page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"))
            violations = _serious(page)
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}


def test_no_page_type_overflows_a_phone_screen(browser, base_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    context, page = _open(browser, base_url, width=390, height=844)
    try:
        for name, path in PAGE_TYPES.items():
            _go(page, base_url + path)
            page.screenshot(path=str(SHOTS / f"{name}-phone.png"))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[name] = width
    finally:
        context.close()
    assert wide == {}


def test_responder_reaches_the_runbook_from_the_ticket_link_in_one_click(browser, base_url):
    context, page = _open(browser, base_url + "lookup/pagerduty/PCHK7Q2/")
    try:
        page.wait_for_url("**/catalog/default/component/checkout-service/")
        panel = page.locator(".pr-incident")
        assert panel.is_visible() and panel.bounding_box()["y"] < 900
        panel.get_by_role("link", name="Runbook", exact=True).click()
        page.wait_for_url("**/docs/default/component/checkout-service/runbook/")
        assert "Runbook" in page.locator("h1").first.inner_text()
    finally:
        context.close()


def test_keyboard_reaches_the_runbook_in_five_tabs(browser, base_url):
    context, page = _open(browser, base_url + "catalog/default/component/checkout-service/")
    try:
        tabs = 0
        page.keyboard.press("Tab")
        tabs += 1
        assert page.evaluate("document.activeElement.classList.contains('md-skip')")
        page.keyboard.press("Enter")
        focused = ""
        while tabs < 5 and focused != "Runbook":
            page.keyboard.press("Tab")
            tabs += 1
            focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Runbook", f"not reached in {tabs} Tabs"
        page.keyboard.press("Enter")
        page.wait_for_url("**/docs/default/component/checkout-service/runbook/")
    finally:
        context.close()


def _search_results(page, query: str) -> None:
    page.keyboard.type(query, delay=10)
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent"
                           ".includes('matching result')", timeout=20_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_dialog_and_search_page_with_results_have_no_serious_violations(
        browser, base_url, scheme):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _open(browser, base_url + "handbook/", scheme=scheme)
    try:
        page.keyboard.press("/")
        _search_results(page, "checkout")
        assert page.locator(".md-search-result__item").count() > 3
        page.screenshot(path=str(SHOTS / f"search-dialog-{scheme}.png"))
        found = {"dialog": _serious(page)}
        _go(page, base_url + "search/?q=checkout&kind=component")
        page.wait_for_function("document.querySelectorAll('.pr-result').length > 1 && "
                               "document.querySelectorAll('.pr-facet-value').length > 3",
                               timeout=20_000)
        page.screenshot(path=str(SHOTS / f"search-results-{scheme}.png"), full_page=True)
        found["page"] = _serious(page)
    finally:
        context.close()
    assert found == {"dialog": [], "page": []}


@pytest.mark.parametrize("key", ["/", "s"])
def test_search_keyboard_focuses_moves_through_results_and_opens_one(browser, base_url, key):
    context, page = _open(browser, base_url + "catalog/")
    try:
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        _search_results(page, "inventory service")
        assert page.input_value("input.md-search__input") == "inventory service"  # no "s"
        page.keyboard.press("ArrowDown")
        first = page.evaluate("document.activeElement.href")
        page.keyboard.press("ArrowDown")
        second = page.evaluate("document.activeElement.href")
        assert first != second and first.endswith("/catalog/default/component/inventory-service/")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.href") == first
        page.keyboard.press("Enter")
        page.wait_for_url("**/catalog/default/component/inventory-service/")
        page.keyboard.press("Escape")
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
    finally:
        context.close()
