"""API references: real public definitions read in full, hostile ones bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from generator.apidefs import build_reference
from generator.apidefs.reference_model import MAX_ENTRIES, Reference, SchemaNode, anchor_id

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = FIXTURES / "backstage-examples" / "apis"
APIDEFS = FIXTURES / "apidefs"


def _descriptor(name: str) -> tuple[str, str]:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data["spec"]["type"], data["spec"]["definition"]


def _entries(ref: Reference) -> dict[str, list[str]]:
    return {g.title: [e.anchor for e in g.entries] for g in ref.groups}


def _entry(ref: Reference, anchor: str):
    return next(e for g in ref.groups for e in g.entries if e.anchor == anchor)


def _tree(node: SchemaNode | None) -> list:
    """A schema tree as nested (name, type, required) lists, for exact comparison."""
    if node is None:
        return []
    return [(c.name, c.type, c.required, c.link, _tree(c)) if c.children
            else (c.name, c.type, c.required, c.link) for c in node.children]


# --- OpenAPI 3 and Swagger 2 -------------------------------------------------------------------

def test_petstore_openapi3_operations_by_tag_schemas_and_servers():
    ref = build_reference(*_descriptor("petstore-api.yaml"))
    assert (ref.format, ref.title, ref.version) == ("OpenAPI 3.0.0", "Swagger Petstore", "1.0.0")
    assert ref.servers == (("http://petstore.swagger.io/v1", ""),)
    assert _entries(ref) == {"pets": ["get-/pets", "post-/pets", "get-/pets/{petId}"],
                             "Schemas": ["schema-Pet", "schema-Pets", "schema-Error"]}
    listing = _entry(ref, "get-/pets")
    assert listing.summary == "List all pets"
    assert [(p.name, p.location, p.type, p.required) for p in listing.params] == [
        ("limit", "query", "integer (int32)", False)]
    assert [(r.status, [b.title for b in r.bodies]) for r in listing.responses] == [
        ("200", ["application/json"]), ("default", ["application/json"])]
    pets = listing.responses[0].bodies[0].schema
    assert pets.type == "Pets" and _tree(pets) == [
        ("[]", "Pet", False, "", [("id", "integer (int64)", True, ""),
                                  ("name", "string", True, ""),
                                  ("tag", "string", False, "")])]
    assert listing.responses[0].headers[0].name == "x-next"
    assert not ref.problems and not ref.notes


def test_swagger2_petstore_reads_like_openapi3():
    text = (APIDEFS / "petstore-swagger2.yaml").read_text(encoding="utf-8")
    ref = build_reference("openapi", text)
    assert ref.format == "Swagger 2.0"
    assert ref.servers == (("http://petstore.swagger.io/v1", ""),)
    assert _entries(ref) == {"pets": ["get-/pets", "post-/pets", "get-/pets/{petId}"],
                             "Schemas": ["schema-Pet", "schema-Pets", "schema-Error"]}
    show = _entry(ref, "get-/pets/{petId}")
    assert [(p.name, p.location, p.type, p.required) for p in show.params] == [
        ("petId", "path", "string", True)]
    assert [(r.status, r.bodies[0].title, r.bodies[0].schema.type) for r in show.responses] == [
        ("200", "application/json", "Pets"), ("default", "application/json", "Error")]
    assert _tree(show.responses[1].bodies[0].schema) == [
        ("code", "integer (int32)", True, ""), ("message", "string", True, "")]


def test_openapi31_petstore_has_webhooks_and_security_schemes():
    ref = build_reference("openapi", (EXAMPLES / "petstore.oas.yaml").read_text("utf-8"))
    assert ref.format == "OpenAPI 3.1.0"
    groups = _entries(ref)
    assert groups["pet"][:2] == ["put-/pet", "post-/pet"]
    assert "get-/pet/{petId}" in groups["pet"]
    assert {name for name, _, _ in ref.security} == {"petstore_auth", "api_key"}
    add = _entry(ref, "post-/pet")
    assert [b.title for b in add.bodies] == ["application/json", "application/xml",
                                             "application/x-www-form-urlencoded"]
    assert add.facts == (("Operation ID", "addPet", ""), ("Security", "petstore_auth", ""))


def test_descriptions_are_markdown_with_html_escaped():
    ref = build_reference("openapi", """
openapi: 3.0.0
info: {title: T, version: "1", description: "**Bold** <script>alert(1)</script> [x](javascript:y)"}
paths:
  /a:
    get:
      description: "<img src=x onerror=alert(1)> _fine_"
      responses: {"200": {description: ok}}
""")
    assert str(ref.description).startswith("<p><strong>Bold</strong> &lt;script&gt;")
    assert "javascript:" not in str(ref.description)
    description = str(_entry(ref, "get-/a").description)
    assert "<img" not in description and "&lt;img" in description
    assert "<em>fine</em>" in description


def test_ref_cycle_is_a_link_back_and_all_of_one_of_are_variants():
    ref = build_reference("openapi", """
openapi: 3.0.0
info: {title: T, version: "1"}
paths:
  /nodes:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
components:
  schemas:
    Node:
      type: object
      required: [id]
      properties:
        id: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        shape:
          oneOf: [{$ref: "#/components/schemas/Circle"}, {type: string, enum: [a, b]}]
    Circle:
      allOf: [{type: object, properties: {r: {type: number}}}]
""")
    tree = _entry(ref, "get-/nodes").responses[0].bodies[0].schema
    assert _tree(tree) == [
        ("id", "string", True, ""),
        ("children", "array of Node", False, "",
         [("[]", "Node", False, "schema-Node")]),
        ("shape", "oneOf", False, "",
         [("1", "Circle", False, "", [("1", "object", False, "",
                                        [("r", "number", False, "")])]),
          ("2", "string", False, "")])]
    assert tree.children[1].children[0].notes == ("refers back to itself",)
    assert tree.children[2].combinator == "oneOf"
    assert tree.children[2].children[1].notes == ("one of: a, b",)
    assert not ref.problems


def test_external_ref_is_never_fetched_but_a_problem(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    ref = build_reference("openapi", """
openapi: 3.0.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {$ref: "https://evil.example/schema.json"}}
        "404": {$ref: "common.yaml#/responses/NotFound"}
""")
    assert ref.problems == (
        "external $ref https://evil.example/schema.json is not fetched; Paved Road reads only "
        "what the definition holds (bundle the definition into one file)",
        "external $ref common.yaml#/responses/NotFound is not fetched; Paved Road reads only "
        "what the definition holds (bundle the definition into one file)")
    assert [r.status for r in _entry(ref, "get-/a").responses] == ["200"]


def test_deep_ref_chain_and_pure_ref_cycle_are_problems_quickly():
    chain = "\n".join(f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}" for i in range(500))
    text = ("openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
            "      responses:\n        '200':\n          description: ok\n          content:\n"
            "            application/json: {schema: {$ref: '#/components/schemas/S0'}}\n"
            "components:\n  schemas:\n" + chain + "\n    A: {$ref: '#/components/schemas/B'}"
            "\n    B: {$ref: '#/components/schemas/A'}\n")
    start = time.process_time()
    ref = build_reference("openapi", text)
    assert time.process_time() - start < 3.0
    assert any("a $ref chain longer than 32 hops" in p for p in ref.problems)


def test_yaml_bomb_is_a_problem_and_nothing_else():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    start = time.process_time()
    ref = build_reference("openapi", "openapi: 3.0.0\n" + bomb)
    assert time.process_time() - start < 2.0
    assert ref.groups == () and len(ref.problems) == 1 and "alias" in ref.problems[0]


def test_a_huge_definition_is_capped_with_a_note():
    paths = "".join(f"  /p{i}:\n    get:\n      summary: op {i}\n      responses:\n"
                    f"        '200': {{description: ok}}\n" for i in range(MAX_ENTRIES + 100))
    start = time.process_time()
    ref = build_reference("openapi", "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n"
                          + paths)
    assert time.process_time() - start < 10.0
    assert sum(len(g.entries) for g in ref.groups) == MAX_ENTRIES
    assert ref.notes == (f"This page shows the first {MAX_ENTRIES} operations and schemas; 100 "
                         "more are in the definition (download it below).",)


def test_anchor_ids_are_valid_and_stable():
    assert anchor_id("get", "/orders/{id}") == "get-/orders/{id}"
    assert anchor_id("get", '/a b"<x>') == "get-/a-b-x"
    ref = build_reference("openapi", "openapi: 3.0.0\npaths:\n  /a:\n    get: {}\n  '/a ':\n"
                          "    get: {}\n")
    assert _entries(ref) == {"Operations": ["get-/a", "get-/a_2"]}


# --- AsyncAPI --------------------------------------------------------------------------------

def test_asyncapi2_streetlights_channels_operations_messages():
    ref = build_reference(*_descriptor("streetlights-api.yaml"))
    assert (ref.format, ref.title) == ("AsyncAPI 2.0.0", "Streetlights API")
    channel = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"
    groups = _entries(ref)
    assert groups["Channels"][0] == f"channel-{channel}"
    assert groups["Operations"][0] == f"subscribe-{channel}"
    assert groups["Messages"] == ["message-lightMeasured", "message-turnOnOff",
                                  "message-dimLight"]
    operation = _entry(ref, f"subscribe-{channel}")
    assert operation.facts[0] == ("Channel", channel, f"channel-{channel}")
    message = operation.bodies[0]
    assert message.title == "lightMeasured"
    assert [c.name for c in message.schema.children] == ["lumens", "sentAt"]
    assert [p.name for p in _entry(ref, f"channel-{channel}").params] == ["streetlightId"]
    assert ref.servers[0][0] == "production: api.streetlights.smartylighting.com:{port} (mqtt)"


def test_asyncapi3_operations_send_receive_with_bindings():
    ref = build_reference("asyncapi", """
asyncapi: 3.0.0
info: {title: Orders, version: 1.0.0}
channels:
  orderPlaced:
    address: orders/{id}/placed
    messages:
      placed: {$ref: '#/components/messages/OrderPlaced'}
    bindings: {kafka: {topic: orders}}
operations:
  publishOrder:
    action: send
    channel: {$ref: '#/channels/orderPlaced'}
    messages: [{$ref: '#/channels/orderPlaced/messages/placed'}]
    bindings: {kafka: {}, amqp: {}}
components:
  messages:
    OrderPlaced:
      payload: {type: object, required: [id], properties: {id: {type: string}}}
""")
    assert _entries(ref) == {"Channels": ["channel-orders/{id}/placed"],
                             "Operations": ["send-orders/{id}/placed"],
                             "Messages": ["message-OrderPlaced"]}
    send = _entry(ref, "send-orders/{id}/placed")
    assert send.facts == (("Operation", "publishOrder", ""),
                          ("Channel", "orders/{id}/placed", "channel-orders/{id}/placed"),
                          ("Bindings", "kafka, amqp", ""))
    assert _tree(send.bodies[0].schema) == [("id", "string", True, "")]


# --- GraphQL ---------------------------------------------------------------------------------

def test_graphql_swapi_queries_types_arguments_and_links():
    ref = build_reference(*_descriptor("swapi-graphql.yaml"))
    groups = _entries(ref)
    assert groups["Queries"][:3] == ["query-allFilms", "query-film", "query-allPeople"]
    film = _entry(ref, "query-film")
    assert [(p.name, p.type, p.required) for p in film.params] == [
        ("id", "ID", False), ("filmID", "ID", False)]
    assert film.facts == (("Returns", "Film", "type-Film"),)
    film_type = _entry(ref, "type-Film")
    assert film_type.badge == "type" and film_type.facts == (("Implements", "Node", ""),)
    assert ("title", "String", "") in [(f.name, f.type, f.link) for f in film_type.fields]
    assert not ref.notes


def test_graphql_deprecations_enums_inputs_and_mutations():
    ref = build_reference("graphql", '''
"""The shop."""
type Query { order(id: ID!): Order, legacy: String @deprecated(reason: "use order") }
type Mutation { place(input: PlaceInput!): Order }
type Order { id: ID!, status: Status }
enum Status { OPEN CLOSED @deprecated }
input PlaceInput { sku: String!, qty: Int = 1 }
''')
    assert _entries(ref) == {"Queries": ["query-order", "query-legacy"],
                             "Mutation fields": ["mutation-place"],
                             "Types": ["type-Order", "type-Status", "type-PlaceInput"]}
    legacy = _entry(ref, "query-legacy")
    assert legacy.deprecated and ("Deprecated", "use order", "") in legacy.facts
    assert [(p.name, p.required) for p in _entry(ref, "query-order").params] == [("id", True)]
    status = _entry(ref, "type-Status")
    assert [(f.name, f.deprecated) for f in status.fields] == [("OPEN", ""),
                                                                ("CLOSED", "deprecated")]
    assert [(f.name, f.type, f.description) for f in _entry(ref, "type-PlaceInput").fields] == [
        ("sku", "String!", ""), ("qty", "Int", " (default 1)")]


def test_graphql_syntax_error_is_a_problem():
    ref = build_reference("graphql", "type Query { a: }")
    assert ref.groups == () and ref.problems[0].startswith("invalid GraphQL SDL on line 1")


# --- gRPC ------------------------------------------------------------------------------------

def test_grpc_route_guide_services_messages_and_numbers():
    ref = build_reference("grpc", (APIDEFS / "route_guide.proto").read_text(encoding="utf-8"))
    assert (ref.format, ref.title) == ("Protocol Buffers (proto3)", "routeguide")
    assert _entries(ref) == {
        "Service RouteGuide": ["rpc-RouteGuide.GetFeature", "rpc-RouteGuide.ListFeatures",
                               "rpc-RouteGuide.RecordRoute", "rpc-RouteGuide.RouteChat"],
        "Messages": ["message-Point", "message-Rectangle", "message-Feature",
                     "message-RouteNote", "message-RouteSummary"]}
    assert _entry(ref, "rpc-RouteGuide.ListFeatures").facts == (
        ("Request", "Rectangle", "message-Rectangle"),
        ("Response", "stream Feature", "message-Feature"))
    assert [(f.name, f.type, f.number, f.link) for f in _entry(ref, "message-Feature").fields] \
        == [("name", "string", "1", ""), ("location", "Point", "2", "message-Point")]
    assert "Obtains the feature at a given position." in str(
        _entry(ref, "rpc-RouteGuide.GetFeature").description)


def test_grpc_nested_messages_enums_oneofs_maps_and_reserved():
    ref = build_reference("grpc", """
syntax = "proto3";
package shop.v1;
message Order {
  reserved 4, 8 to 9;
  reserved "legacy";
  enum State { STATE_UNSPECIFIED = 0; OPEN = 1; }
  message Line { string sku = 1; }
  string id = 1;
  repeated Line lines = 2;
  map<string, int32> counts = 3;
  oneof payment { string card = 5; string iban = 6 [deprecated = true]; }
  State state = 7;
}
""")
    assert _entries(ref) == {"Messages": ["message-Order", "message-Order.Line"],
                             "Enums": ["enum-Order.State"]}
    order = _entry(ref, "message-Order")
    assert [(f.name, f.type, f.number, f.link, f.deprecated) for f in order.fields] == [
        ("id", "string", "1", "", ""),
        ("lines", "repeated Line", "2", "message-Order.Line", ""),
        ("counts", "map<string, int32>", "3", "", ""),
        ("card", "string", "5", "", ""),
        ("iban", "string", "6", "", "deprecated"),
        ("state", "State", "7", "enum-Order.State", "")]
    assert order.facts == (("Reserved", "4, 8, 9, legacy", ""),)
    assert [(v.name, v.number) for v in _entry(ref, "enum-Order.State").fields] == [
        ("STATE_UNSPECIFIED", "0"), ("OPEN", "1")]


def test_grpc_trailing_comments_describe_their_own_line():
    ref = build_reference("grpc", "// Money.\nmessage Money {\n  int64 amount_minor = 1; // cents\n"
                                  "  string currency = 2;    // ISO 4217\n}\n"
                                  "enum Kind { A = 0; // first\n B = 1; }\n")
    assert [(f.name, f.description) for f in _entry(ref, "message-Money").fields] == [
        ("amount_minor", "cents"), ("currency", "ISO 4217")]
    assert [(f.name, f.description) for f in _entry(ref, "enum-Kind").fields] == [
        ("A", "first"), ("B", "")]
    assert str(_entry(ref, "message-Money").description) == "<p>Money.</p>"


@pytest.mark.parametrize("api_type,text", [
    ("grpc", "message A { " * 20_000),
    ("grpc", "service S { rpc " * 20_000),
    ("openapi", "{" * 100_000),
    ("openapi", "a:\n" + "  " * 5000 + "b: 1\n"),
    ("asyncapi", "asyncapi: 2.0.0\nchannels: [1, 2]\ncomponents: 3\n"),
    ("openapi", "openapi: 3.0.0\npaths: {/a: {get: {parameters: [1, {$ref: 2}], "
                "responses: [x]}}}\n"),
])
def test_hostile_or_odd_definitions_never_raise_and_stay_bounded(api_type, text):
    start = time.process_time()
    ref = build_reference(api_type, text)
    assert time.process_time() - start < 3.0
    assert isinstance(ref, Reference)


# --- problems in the catalog -----------------------------------------------------------------

HOSTILE_API = """\
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {{name: {name}}}
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: {{$text: {file}}}
"""


def test_hostile_definitions_are_problems_on_their_files_and_cost_nothing_else(make_repo):
    from generator.apidefs.reference import definition_problems
    from tests.conftest import load_repo

    bomb = "openapi: 3.0.0\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(9))
    external = ("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n"
                "        '200': {$ref: 'https://evil.example/r.yaml'}\n")
    repo = make_repo({
        "catalog-info.yaml": "---\n".join(
            HOSTILE_API.format(name=n, file=f) for n, f in (
                ("bomb-api", "bomb.yaml"), ("external-api", "api/external.yaml"),
                ("fine-api", "fine.yaml"))),
        "bomb.yaml": bomb, "api/external.yaml": external,
        "fine.yaml": "openapi: 3.0.0\npaths: {}\n"})
    run = load_repo(repo)
    start = time.process_time()
    problems = definition_problems(run.catalog, run.repositories)
    assert time.process_time() - start < 2.0
    assert [(p.file, p.line, p.entity, p.code) for p in problems] == [
        (f"{repo}/bomb.yaml", 1, "api:default/bomb-api", "api-definition"),
        (f"{repo}/api/external.yaml", 1, "api:default/external-api", "api-definition")]
    assert "alias" in problems[0].message
    assert problems[1].message == (
        "the definition of api:default/external-api: external $ref https://evil.example/r.yaml"
        " is not fetched; Paved Road reads only what the definition holds (bundle the "
        "definition into one file)")
    assert len(run.catalog.entities) == 3
