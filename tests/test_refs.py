from __future__ import annotations

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

    def test_url_path(self):
        assert parse_ref("API:Default/Orders").path == "catalog/default/api/orders"

    def test_short_form_hides_default_namespace(self):
        assert parse_ref("component:x").short() == "component:x"
        assert parse_ref("component:ops/x").short() == "component:ops/x"
