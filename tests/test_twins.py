"""Markdown twins beside entity, team and docs pages, and llms.txt, in the built demo."""

from __future__ import annotations

import re

from generator.pages.twins import md

ENTITY = "catalog/default/component/checkout-service/index.md"


def test_an_entity_twin_has_owner_oncall_runbook_dependencies_dependents_and_docs(demo_site):
    text = (demo_site / ENTITY).read_text()
    assert text.startswith("# Checkout Service\n")
    for line in ("- Owner: [Checkout](../../group/checkout-team/index.md) "
                 "`group:default/checkout-team`",
                 "- On call: PagerDuty PCHK7Q2; [PagerDuty - Checkout]("
                 "https://northwind.pagerduty.com/service-directory/PCHK7Q2)",
                 "- Runbook: [Runbook](https://github.com/northwind/checkout-service/blob/main/"
                 "docs/runbook.md)",
                 "- Docs: [docs](../../../../docs/default/component/checkout-service/index.md)",
                 "- Depends on: [Checkout database](../../resource/checkout-db/index.md) "
                 "`resource:default/checkout-db`"):
        assert line in text.splitlines(), line
    assert "## Dependencies" in text
    db = (demo_site / "catalog/default/resource/checkout-db/index.md").read_text()
    assert "## Dependents" in db and "`component:default/checkout-service`" in db
    assert (demo_site / "catalog/default/component/checkout-service/index.html").is_file()


def test_a_team_twin_lists_members_contact_and_what_it_owns(demo_site):
    text = (demo_site / "catalog/default/group/checkout-team/index.md").read_text()
    assert "- E-mail: checkout-team@northwind.example" in text
    members = text.split("## Members")[1].split("##")[0]
    assert "`user:default/priya.nair`" in members
    assert "[Checkout Service](../../component/checkout-service/index.md)" in \
        text.split("## Owns")[1]


def test_docs_pages_have_twins_naming_their_entity(demo_site):
    twin = demo_site / "docs/default/component/checkout-service/runbook/index.md"
    text = twin.read_text()
    assert text.startswith("> Docs of [Checkout Service](../../../../../catalog/default/"
                           "component/checkout-service/index.md)")
    assert "CheckoutErrorRateHigh" in text
    assert (twin.parent / "index.html").is_file()


def test_every_twin_link_and_every_llms_txt_link_resolves(demo_site):
    llms = (demo_site / "llms.txt").read_text()
    assert llms.startswith("# Developer portal\n\n> ")
    assert list(re.findall(r"^## (.+)$", llms, re.M))[-1] == "Optional"
    targets = re.findall(r"\]\(([^)]+)\)", llms)
    assert f"({ENTITY})" in llms and "(docs/default/component/checkout-service/runbook/" \
        "index.md)" in llms
    missing = [t for t in targets if not (demo_site / t).is_file()]
    twins = list(demo_site.rglob("index.md"))
    for twin in twins:
        for target in re.findall(r"\]\((\.\.?/[^)\s]*index\.md)\)", twin.read_text()):
            if not (twin.parent / target).resolve().is_file():
                missing.append(f"{twin.relative_to(demo_site)} → {target}")
    assert missing == []
    assert len(twins) > 100


def test_descriptor_text_cannot_add_markdown_structure():
    assert md("Evil\n# Heading\n- [x](javascript:alert(1))") == \
        "Evil \\# Heading - \\[x\\](javascript:alert(1))"
    assert md("<script>`code`*b*|t|") == "\\<script\\>\\`code\\`\\*b\\*\\|t\\|"
