"""backstage.io/source-template added to what a template wrote, keeping the file as written."""

from __future__ import annotations

import pytest
import yaml

from generator.scaffold.stamp import stamp_source_template
from generator.scaffold.workspace import Workspace

STAMPED = "backstage.io/source-template: template:default/t"


@pytest.mark.parametrize(("text", "expected"), [
    ("apiVersion: v1\nkind: Component\nmetadata:\n  name: x\nspec: {}\n",
     f"apiVersion: v1\nkind: Component\nmetadata:\n  name: x\n  annotations:\n    {STAMPED}\n"
     "spec: {}\n"),
    ("kind: Component\nmetadata:\n    name: x\n    annotations:\n        a: b\n",
     "kind: Component\nmetadata:\n    name: x\n    annotations:\n        a: b\n"
     f"        {STAMPED}\n"),
])
def test_source_template_is_inserted_keeping_the_file_as_written(text, expected):
    ws = Workspace()
    ws.write("catalog-info.yaml", text.encode())
    assert stamp_source_template(ws, "template:default/t") == []
    assert ws.files["catalog-info.yaml"].data.decode() == expected


def test_stamp_leaves_present_annotations_and_locations_alone_and_handles_flow_style():
    ws = Workspace()
    kept = "kind: Location\nmetadata: {name: l}\n---\nkind: Component\nmetadata:\n  name: c\n" \
        "  annotations:\n    backstage.io/source-template: template:default/other\n"
    ws.write("catalog-info.yaml", kept.encode())
    ws.write("sub/catalog-info.yml", b"kind: API\nmetadata: {name: a}\n")
    stamp_source_template(ws, "template:default/t")
    assert ws.files["catalog-info.yaml"].data.decode() == kept
    doc = yaml.safe_load(ws.files["sub/catalog-info.yml"].data)
    assert doc["metadata"] == {"name": "a", "annotations": {
        "backstage.io/source-template": "template:default/t"}}


def test_unparsable_catalog_info_is_noted_not_changed():
    ws = Workspace()
    ws.write("catalog-info.yaml", b"kind: [\n")
    (note,) = stamp_source_template(ws, "template:default/t")
    assert note.startswith("catalog-info.yaml is not valid YAML")
    assert ws.files["catalog-info.yaml"].data == b"kind: [\n"
