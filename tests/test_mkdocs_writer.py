"""Files written alongside the build (generator/mkdocs/writer.py) are written or fail it."""

from __future__ import annotations

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.mkdocs.publish import SiteOutput
from generator.mkdocs.writer import Writer, WrittenAhead


def _config(tmp_path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"),
                      "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    config.plugins.on_startup(command="build", dirty=False)  # as a build starts
    return config


def test_mkdocs_does_not_copy_a_file_the_writer_writes(tmp_path):
    config = _config(tmp_path)
    file = WrittenAhead.generated(config, "badges/a.svg", content="<svg/>")
    file.copy_file()
    assert not (tmp_path / "site/badges/a.svg").exists()
    writer = Writer([file], SiteOutput(tmp_path / "site"))
    writer.start()
    writer.finish()
    assert (tmp_path / "site/badges/a.svg").read_text() == "<svg/>"


def test_a_file_that_cannot_be_written_fails_the_build_naming_it(tmp_path):
    config = _config(tmp_path)
    long = "x" * 300  # longer than any file system allows a name
    ok = WrittenAhead.generated(config, "badges/a.svg", content="<svg/>")
    bad = WrittenAhead.generated(config, f"lookup/{long}/index.html", content="<p>")
    writer = Writer([ok, bad], SiteOutput(tmp_path / "site"))
    writer.start()
    with pytest.raises(PluginError, match=rf"could not write lookup/{long}/index\.html"):
        writer.finish()
    assert (tmp_path / "site/badges/a.svg").read_text() == "<svg/>"
