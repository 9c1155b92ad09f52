"""catalog.json: entities one per line with sections beside them; either shape reads back."""

from __future__ import annotations

import json

import pytest

from generator.export import catalog_export, catalog_records


def test_catalog_export_is_entities_then_sections_by_name():
    text = catalog_export([{"kind": "Component"}, {"kind": "Group"}],
                          {"zeta": [1], "adoption": {"date": "2026-01-01"}})
    assert text.splitlines()[1:3] == ['{"kind":"Component"},', '{"kind":"Group"}']
    assert list(json.loads(text)) == ["entities", "adoption", "zeta"]


@pytest.mark.parametrize("data", [[{"kind": "Group"}], {"entities": [{"kind": "Group"}],
                                                         "adoption": {}}])
def test_catalog_records_read_the_object_and_the_earlier_array(data):
    assert catalog_records(data) == [{"kind": "Group"}]


@pytest.mark.parametrize("data", [{"items": []}, "x", {"entities": {}}, None])
def test_catalog_records_refuse_anything_else(data):
    with pytest.raises(ValueError, match=r"not a catalog\.json export"):
        catalog_records(data)
