"""The responder's first screen on the built demo: the incident panel, runbooks in the portal,
the entity page's order, team contacts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.docs.model import Docs
from generator.pages.docs_pages import RenderedDocs, _repo_key

PAGE = "catalog/default/component/payments-gateway/index.html"


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _headings(html: str) -> list[str]:
    main = html[html.index('<article'):html.index('</article>')]
    return re.findall(r'<h2 id="([^"]+)"', main)


def test_incident_panel_is_the_first_heading_and_the_skip_link_target(demo_site):
    html = _html(demo_site, PAGE)
    assert _headings(html)[0] == "incident-panel"
    assert re.search(r'<a href="#incident-panel" class="md-skip">', html)
    toc = html[html.index('data-md-component="toc"'):]
    assert toc.index("#incident-panel") < toc.index("#about")


def test_runbook_link_goes_to_the_rendered_page_with_the_repository_beside(demo_site):
    html = _html(demo_site, PAGE)
    panel = html[html.index('class="pr-incident"'):]
    runbook = panel[panel.index("<th>Runbook</th>"):panel.index("</tr>")]
    hrefs = re.findall(r'href="([^"]+)"', runbook)
    assert hrefs[0] == "../../../../docs/default/component/payments-gateway/runbook/"
    assert (demo_site / PAGE).parent.joinpath(hrefs[0], "index.html").resolve().is_file()
    assert hrefs[1] == "https://github.com/northwind/payments-gateway/blob/main/docs/runbook.md"


def test_entity_page_order_suits_a_responder(demo_site):
    order = _headings(_html(demo_site, PAGE))
    wanted = ["incident-panel", "about", "needs", "blast-radius", "provided-apis",
              "depends-on", "diagram", "docs", "scorecard"]
    assert [h for h in order if h in wanted] == wanted


def test_docs_section_lists_the_docs_nav_or_says_how_to_add_docs(demo_site):
    html = _html(demo_site, PAGE)
    docs = html[html.index('id="docs"'):]
    docs = docs[:docs.index("</div>")]
    assert ">Runbook</a>" in docs and ">PCI scope</a>" in docs
    api = _html(demo_site, "catalog/default/api/payments-api/index.html")
    assert "No docs yet" in api and "backstage.io/techdocs-ref" in api


def test_team_page_opens_with_how_to_reach_the_team(demo_site):
    html = _html(demo_site, "catalog/default/group/payments-team/index.html")
    assert _headings(html)[0] == "contact"
    contact = html[html.index('id="contact"'):html.index('id="about"')]
    assert "#team-payments" in contact and "mailto:payments-team@northwind.example" in contact


@pytest.mark.parametrize(("url", "key"), [
    ("https://GitHub.com/o/r/blob/main/docs/a.md", "https://github.com/o/r/~/main/docs/a.md"),
    ("https://github.com/o/r/edit/main/docs/a.md?plain=1", "https://github.com/o/r/~/main/docs/a.md"),
    ("https://github.com/o/r/tree/main/docs/", "https://github.com/o/r/~/main/docs"),
])
def test_repository_urls_match_whatever_view_they_name(url, key):
    assert _repo_key(url)[0] == key


def test_no_docs_means_no_portal_link():
    rendered = RenderedDocs(Docs())
    assert rendered.page_for("catalog/x/index.md", "https://github.com/o/r/blob/main/a.md") is None
