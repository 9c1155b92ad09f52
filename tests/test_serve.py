"""``pavedroad serve`` rebuilds (pages and search index) when a descriptor changes."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _jump_list(site: str) -> str:
    """Every file of the served jump-to list (``search/jump.json`` names them)."""
    manifest = json.loads(_get(f"{site}search/jump.json"))
    return "".join(_get(f"{site}search/{manifest['files']}k{i}.json")
                   for i in range(len(manifest["keys"])))


def _wait_for(url: str, needle: str, seconds: float, read=_get) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = read(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds}s")


def test_serve_reloads_when_a_descriptor_changes(tmp_path):
    project = tmp_path / "portal"
    shutil.copytree(ROOT / "catalog-sources", project / "catalog-sources")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/catalog/default/component/checkout-service/"
        _wait_for(url, "Checkout Service", 60)
        descriptor = project / "catalog-sources/repos/checkout-service/catalog-info.yaml"
        text = descriptor.read_text()
        assert "title: Checkout Service" in text
        descriptor.write_text(text.replace("title: Checkout Service",
                                           "title: Checkout Service Renamed", 1))
        _wait_for(url, "Checkout Service Renamed", 60)
        # search follows: the served site is indexed on every rebuild
        _wait_for(f"http://127.0.0.1:{port}/", "Checkout Service Renamed", 60, _jump_list)
        assert '"page_count"' in _get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json")
    finally:
        server.terminate()
        server.wait(timeout=20)
