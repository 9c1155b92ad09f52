"""Remote images kept (loaded by the browser) or turned into links (generator/docs/remote.py)."""

from __future__ import annotations

import os

import pytest
from conftest import copy_demo, pavedroad
from sitecheck import external_requests

from generator.docs import docs_dialect, render_markdown

PAGE = ("# Shots\n\n![The dashboard](https://img.example/dash.png) and "
        '<img src="https://img.example/raw.png" alt="Raw"> and ![local](shot.png)\n')


def test_remote_images_are_kept_by_default():
    out = render_markdown(PAGE, docs_dialect()).html
    assert '<img alt="The dashboard" src="https://img.example/dash.png">' in out


def test_remote_images_become_links_with_their_alt_text():
    out = render_markdown(PAGE, docs_dialect(remote_images="link")).html
    assert '<a class="pr-remote-image" href="https://img.example/dash.png">The dashboard</a>' in out
    assert '<a class="pr-remote-image" href="https://img.example/raw.png">Raw</a>' in out
    assert '<img alt="local" src="shot.png">' in out
    assert "<img" not in out.replace('<img alt="local" src="shot.png">', "")


def test_unknown_remote_images_setting_is_refused():
    with pytest.raises(ValueError, match="remote_images"):
        docs_dialect(remote_images="proxy")


def test_site_with_remote_images_link_makes_no_outside_request(tmp_path):
    project = copy_demo(tmp_path / "demo")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - pavedroad:\n", "  - pavedroad:\n      remote_images: link\n"))
    page = project / "catalog-sources/repos/checkout-service/docs/runbook.md"
    page.write_text(page.read_text() + "\n" + PAGE.replace("# Shots", "## Shots"))
    env = {**os.environ, "PAVEDROAD_CACHE": str(tmp_path / "cache")}
    done = pavedroad("build", "--site-dir", str(tmp_path / "site"), cwd=project, env=env)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "site/docs/default/component/checkout-service/runbook/index.html"
            ).read_text()
    assert 'href="https://img.example/dash.png">The dashboard</a>' in html
    assert external_requests(tmp_path / "site") == []
