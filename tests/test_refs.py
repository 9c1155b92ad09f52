from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from generator.refs import EntityRef, InvalidRef, parse_ref


class TestParseRef:
    def test_full_ref_is_lowercased(self):
        expected = EntityRef("component", "payments", "ledger")
        assert parse_ref("Component:Payments/Ledger") == expected

    def test_defaults_fill_kind_and_namespace(self):
        ref = parse_ref("checkout-team", default_kind="group", default_namespace="retail")
        assert str(ref) == "group:retail/checkout-team"

    def test_explicit_kind_wins_over_default(self):
        assert parse_ref("user:guest", default_kind="group").kind == "user"

    def test_namespace_without_kind(self):
        assert str(parse_ref("default/team-a", default_kind="group")) == "group:default/team-a"

    def test_kind_required_without_default(self):
        with pytest.raises(InvalidRef, match="needs a kind"):
            parse_ref("artists-db")

    @pytest.mark.parametrize("bad", ["", "component:", "component:ns/", 42, None, ["a"]])
    def test_rejects_non_refs(self, bad):
        with pytest.raises(InvalidRef):
            parse_ref(bad, default_kind="component")

    def test_path_is_the_lowercase_catalog_url(self):
        assert parse_ref("API:Default/Orders").path == "catalog/default/api/orders"

    def test_short_form_hides_default_namespace(self):
        assert parse_ref("component:x").short() == "component:x"
        assert parse_ref("component:ops/x").short() == "component:ops/x"


def test_refs_pickle_into_another_process_as_dict_keys():
    """A ref caches its hash, and string hashes differ between processes."""
    data = pickle.dumps({EntityRef("component", "default", "x"): 1})
    code = ("import pickle, sys; from generator.refs import EntityRef; "
            "d = pickle.loads(sys.stdin.buffer.read()); "
            "print(d[EntityRef('component', 'default', 'x')])")
    out = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                         check=False, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == b"1", out.stderr
