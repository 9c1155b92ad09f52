"""``pavedroad check --against catalog.json``: a provider's PR checked against the portal.

Real repositories in a temporary directory, the real command line: the
published catalog is what ``pavedroad export`` writes for the organisation,
then the provider's repository is edited and checked on its own.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from generator.export import MAX_EXPORTED_DEFINITION
from tests.conftest import pavedroad

OPENAPI = """\
openapi: 3.0.3
info: {title: Orders, version: 1.0.0}
paths:
  /orders:
    get:
      summary: List orders
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok}
  /orders/{id}:
    get:
      summary: One order
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  total: {type: number}
        '404': {description: not found}
"""

PROVIDER = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orders-service}
spec: {type: service, lifecycle: production, owner: team-orders, providesApis: [orders-api]}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
{annotations}spec:
  type: openapi
  lifecycle: {lifecycle}
  owner: team-orders
  definition:
    $text: ./api/openapi.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-orders, title: Orders}
spec: {type: team, children: []}
"""

CONSUMERS = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: checkout-service}
spec: {type: service, lifecycle: production, owner: team-checkout, consumesApis: [orders-api]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: storefront}
spec: {type: website, lifecycle: production, owner: team-web, consumesApis: [orders-api]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-checkout, title: Checkout}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-web}
spec: {type: team, profile: {displayName: Web}, children: []}
"""

BREAKS = "breaks component:default/checkout-service (team Checkout), " \
         "component:default/storefront (team Web)"


def _provider(root: Path, lifecycle: str = "production", annotations: str = "",
              definition: str = OPENAPI) -> None:
    (root / "api").mkdir(parents=True, exist_ok=True)
    (root / "catalog-info.yaml").write_text(
        PROVIDER.replace("{lifecycle}", lifecycle).replace("{annotations}", annotations),
        encoding="utf-8")
    (root / "api" / "openapi.yaml").write_text(definition, encoding="utf-8")


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """Two repositories and the catalog.json their portal published."""
    _provider(tmp_path / "orders")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "catalog-info.yaml").write_text(CONSUMERS, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources:\n  - path: orders\n  - path: shop\n",
                                           encoding="utf-8")
    result = pavedroad("export", "--sources", str(tmp_path / "sources.yaml"))
    assert result.returncode == 0, result.stderr
    (tmp_path / "catalog.json").write_text(result.stdout, encoding="utf-8")
    return tmp_path


def _check(org: Path, *args: str):
    return pavedroad("check", "--against", "catalog.json", "orders", *args, cwd=org)


def _api_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "api:default/orders-api:" in line]


BREAKING_EDIT = OPENAPI.replace("""        '404': {description: not found}
""", "").replace("  /orders:\n    get:\n      summary: List orders\n      parameters:\n"
                 "        - {name: limit, in: query, schema: {type: integer}}\n",
                 "  /orders:\n    get:\n      summary: List orders\n      parameters:\n"
                 "        - {name: limit, in: query, schema: {type: integer}}\n"
                 "        - {name: region, in: query, required: true, schema: {type: string}}\n")


def test_the_published_export_carries_each_definition(org):
    published = json.loads((org / "catalog.json").read_text(encoding="utf-8"))
    api = next(e for e in published if e["metadata"]["name"] == "orders-api")
    assert api["spec"]["definition"] == OPENAPI
    assert {"type": "apiConsumedBy", "targetRef": "component:default/storefront"} in \
        api["relations"]
    assert MAX_EXPORTED_DEFINITION == 2_000_000


def test_breaking_changes_are_errors_on_the_definition_lines_naming_consumers(org):
    _provider(org / "orders", definition=BREAKING_EDIT)
    result = _check(org)
    assert result.returncode == 1
    assert _api_lines(result.stdout) == [
        "orders/api/openapi.yaml:9: error: api:default/orders-api: breaking change: added "
        f"required parameter region (query) of GET /orders; {BREAKS} [api:default/orders-api]",
        "orders/api/openapi.yaml:13: error: api:default/orders-api: breaking change: removed "
        f"response 404 of GET /orders/{{id}}; {BREAKS} [api:default/orders-api]",
    ]


def test_github_format_annotates_the_definition_lines(org):
    _provider(org / "orders", definition=BREAKING_EDIT)
    result = _check(org, "--format", "github")
    lines = [line for line in result.stdout.splitlines() if "orders-api:" in line]
    assert lines[0].startswith("::error file=orders/api/openapi.yaml,line=9::"
                               "api:default/orders-api: breaking change: added required "
                               "parameter region (query) of GET /orders; breaks ")
    assert lines[1].startswith("::error file=orders/api/openapi.yaml,line=13::")


def test_compatible_changes_are_notes_and_pass(org):
    edited = OPENAPI.replace("                  total: {type: number}\n",
                             "                  total: {type: number}\n"
                             "                  currency: {type: string}\n")
    _provider(org / "orders", definition=edited)
    result = _check(org)
    assert result.returncode == 0, result.stdout
    assert _api_lines(result.stdout) == [
        "orders/api/openapi.yaml:26: info: api:default/orders-api: added field currency in "
        "the response 200 of GET /orders/{id} [api:default/orders-api]"]


def test_an_experimental_api_gets_warnings(org):
    _provider(org / "orders", lifecycle="experimental", definition=BREAKING_EDIT)
    result = _check(org)
    assert result.returncode == 0
    lines = _api_lines(result.stdout)
    assert [line.split(": ")[1] for line in lines] == ["warning", "warning"]
    assert lines[0].endswith(f"{BREAKS} (the API is experimental) [api:default/orders-api]")
    assert _check(org, "--strict").returncode == 1


def test_breaking_change_ok_turns_errors_into_warnings_with_the_reason(org):
    _provider(org / "orders", definition=BREAKING_EDIT, annotations=(
        '  annotations:\n    pavedroad.dev/breaking-change-ok: "v2 launch, consumers told '
        'in ORD-12"\n'))
    result = _check(org)
    assert result.returncode == 0
    lines = _api_lines(result.stdout)
    assert len(lines) == 2 and all(": warning: " in line for line in lines)
    assert lines[1].endswith("(allowed by pavedroad.dev/breaking-change-ok: v2 launch, "
                             "consumers told in ORD-12) [api:default/orders-api]")


def test_an_unchanged_definition_reports_nothing(org):
    result = _check(org)
    assert result.returncode == 0 and _api_lines(result.stdout) == []


def test_inline_definitions_point_at_the_descriptor_lines(tmp_path):
    descriptor = textwrap.dedent("""\
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata: {name: inline-api}
        spec:
          type: graphql
          lifecycle: production
          owner: someone
          definition: |
            type Query {
              a: String
              b: Int
            }
        """)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "catalog-info.yaml").write_text(descriptor, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources:\n  - path: repo\n", encoding="utf-8")
    published = pavedroad("export", "--sources", "sources.yaml", cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    (tmp_path / "catalog.json").write_text(published.stdout, encoding="utf-8")
    (tmp_path / "repo" / "catalog-info.yaml").write_text(
        descriptor.replace("      b: Int\n", "      b: String\n"), encoding="utf-8")
    result = pavedroad("check", "--against", "catalog.json", "repo", cwd=tmp_path)
    assert _lines_for(result.stdout, "api:default/inline-api:") == [
        "repo/catalog-info.yaml:11: error: api:default/inline-api: breaking change: type of "
        "field Query.b changed from Int to String; no consumer in the published catalog "
        "[api:default/inline-api]"]


def _lines_for(output: str, marker: str) -> list[str]:
    return [line for line in output.splitlines() if marker in line]


def test_a_file_that_is_not_an_export_is_a_usage_error(org):
    (org / "catalog.json").write_text("{not json", encoding="utf-8")
    result = _check(org)
    assert result.returncode == 2
    assert "--against catalog.json is not a catalog.json export" in result.stderr
