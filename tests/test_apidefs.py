"""API definition summaries: real definitions from Backstage's examples and the demo."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
import yaml

from generator.apidefs import (
    MAX_OPERATIONS,
    MAX_TEXT,
    ApiSummary,
    Operation,
    guess_language,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "backstage-examples" / "apis"
DEMO = ROOT / "catalog-sources" / "repos"


def _descriptor(name: str) -> tuple[str, str]:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return data["spec"]["type"], data["spec"]["definition"]


def _example(name: str) -> ApiSummary:
    return summarize(*_descriptor(name))


def _demo(path: str, api_type: str) -> ApiSummary:
    return summarize(api_type, (DEMO / path).read_text(encoding="utf-8"))


def _ops(summary: ApiSummary) -> list[tuple[str, str, str, str]]:
    return [(o.kind, o.name, o.summary, o.operation_id) for o in summary.operations]


# --- OpenAPI ---------------------------------------------------------------------------------

def test_openapi_inline_definition_of_petstore():
    summary = _example("petstore-api.yaml")
    assert summary.error is None
    assert (summary.language, summary.title, summary.version) == ("yaml", "Swagger Petstore",
                                                                  "1.0.0")
    assert summary.format == "OpenAPI 3.0.0"
    assert _ops(summary) == [
        ("get", "/pets", "List all pets", "listPets"),
        ("post", "/pets", "Create a pet", "createPets"),
        ("get", "/pets/{petId}", "Info for a specific pet", "showPetById"),
    ]
    assert not summary.truncated


def test_openapi_31_webhooks():
    text = (EXAMPLES / "petstore-webhook.oas.yaml").read_text(encoding="utf-8")
    summary = summarize("openapi", text)
    assert summary.error is None
    assert (summary.title, summary.version, summary.format) == ("Webhook Example", "1.0.0",
                                                                "OpenAPI 3.1.0")
    assert summary.operations == (Operation("post", "newPet", webhook=True),)


def test_openapi_31_with_paths_and_webhooks_keeps_paths_first():
    summary = _example("petstore-31-api.yaml")
    assert summary.error is None
    assert [(o.kind, o.name, o.webhook) for o in summary.operations] == [
        ("get", "/pets", False), ("post", "/pets", False), ("get", "/pets/{petId}", False),
        ("post", "newPet", True)]


@pytest.mark.parametrize(("path", "title", "operation_ids"), [
    ("checkout-service/openapi.yaml", "Checkout API",
     ["createBasket", "getBasket", "addBasketItem", "placeOrder", "getOrder"]),
    ("inventory-service/api/openapi.yaml", None,
     ["getStock", "createReservation", "getReservation", "releaseReservation"]),
    ("search-service/openapi.yaml", None, ["searchProducts", "autocomplete", "triggerReindex"]),
    ("recommendations-service/openapi.yaml", None,
     ["getAlsoBought", "completeYourKit", "recordFeedback"]),
    ("legacy-erp-connector/openapi.yaml", None,
     ["getErpStock", "createReturnCredit", "getReturnCredit"]),
])
def test_demo_openapi_definitions(path: str, title: str | None, operation_ids: list[str]):
    summary = _demo(path, "openapi")
    assert summary.error is None
    assert summary.language == "yaml"
    assert summary.format and summary.format.startswith("OpenAPI 3")
    assert summary.title
    if title:
        assert summary.title == title
    assert [o.operation_id for o in summary.operations] == operation_ids
    assert all(o.kind in ("get", "post", "put", "delete", "patch") for o in summary.operations)
    assert all(o.name.startswith("/") for o in summary.operations)


def test_checkout_operations_in_document_order_with_summaries():
    summary = _demo("checkout-service/openapi.yaml", "openapi")
    assert (summary.title, summary.version) == ("Checkout API", "2.4.0")
    assert _ops(summary)[:2] == [
        ("post", "/baskets", "Create an empty basket", "createBasket"),
        ("get", "/baskets/{basketId}", "Get a basket with current prices and stock status",
         "getBasket"),
    ]


def test_openapi_json_and_swagger_2():
    document = {
        "swagger": "2.0",
        "info": {"title": "Legacy", "version": 2},
        "paths": {
            "/a": {"parameters": [], "x-ext": {}, "GET": {"operationId": "getA"},
                   "delete": {"description": "Removes it.\n\nFor good."}},
            "/b": {"$ref": "#/x"},
            "/c": None,
            7: {"trace": "not an object"},
        },
    }
    summary = summarize("openapi", json.dumps(document))
    assert summary.error is None
    assert (summary.language, summary.format, summary.version) == ("json", "Swagger 2.0", "2")
    assert _ops(summary) == [("get", "/a", "", "getA"), ("delete", "/a", "Removes it.", ""),
                             ("trace", "7", "", "")]
    assert summary.operations[1].description == "Removes it. For good."


def test_openapi_caps_operations_and_text():
    paths = {f"/p{i}": {"get": {"summary": "x" * 5000, "operationId": f"op{i}"}}
             for i in range(MAX_OPERATIONS + 50)}
    summary = summarize("openapi", json.dumps({"openapi": "3.0.0", "paths": paths}))
    assert len(summary.operations) == MAX_OPERATIONS
    assert summary.truncated
    assert len(summary.operations[0].summary) == MAX_TEXT
    assert summary.operations[0].summary.endswith("…")
    assert summary.operations[-1].operation_id == f"op{MAX_OPERATIONS - 1}"


def test_text_fields_are_single_line_without_control_characters():
    text = ('openapi: 3.0.0\ninfo:\n  title: "A\\x00\\u202eB\\n  C"\n'
            'paths:\n  /x:\n    get:\n      summary: "one\\ttwo\\r\\nthree"\n')
    summary = summarize("openapi", text)
    assert summary.title == "AB C"
    assert summary.operations[0].summary == "one two three"


# --- AsyncAPI --------------------------------------------------------------------------------

def test_asyncapi_2_streetlights():
    summary = _example("streetlights-api.yaml")
    assert summary.error is None
    assert (summary.title, summary.version, summary.format) == ("Streetlights API", "1.0.0",
                                                                "AsyncAPI 2.0.0")
    prefix = "smartylighting/streetlights/1/0/"
    assert [(o.kind, o.name, o.operation_id) for o in summary.operations] == [
        ("subscribe", prefix + "event/{streetlightId}/lighting/measured",
         "receiveLightMeasurement"),
        ("publish", prefix + "action/{streetlightId}/turn/on", "turnOn"),
        ("publish", prefix + "action/{streetlightId}/turn/off", "turnOff"),
        ("publish", prefix + "action/{streetlightId}/dim", "dimLight"),
    ]
    assert summary.operations[0].summary.startswith("Receive information about environmental")


@pytest.mark.parametrize(("path", "title", "channels"), [
    ("checkout-service/asyncapi.yaml", "Order Events", ["orders.v1.placed", "orders.v1.cancelled"]),
    ("shipping-service/asyncapi/shipment-events.yaml", "Shipment Events",
     ["shipments.v1.dispatched", "shipments.v1.delivered", "shipments.v1.returned-to-sender"]),
])
def test_demo_asyncapi_definitions(path: str, title: str, channels: list[str]):
    summary = _demo(path, "asyncapi")
    assert summary.error is None
    assert summary.title == title
    assert summary.format == "AsyncAPI 2.6.0"
    assert [o.name for o in summary.operations] == channels
    assert {o.kind for o in summary.operations} == {"subscribe"}
    # no operation summary: the channel's description stands in
    assert all(o.summary for o in summary.operations)


def test_asyncapi_3_operations_resolve_channel_addresses():
    text = """\
asyncapi: 3.0.0
info: {title: Accounts, version: 1.0.0}
channels:
  userSignedup:
    address: user/signedup
    description: Users that signed up.
  no~1address: {}
operations:
  sendUserSignedup:
    action: send
    channel: {$ref: '#/channels/userSignedup'}
    summary: Tell everyone.
  onUserSignedup:
    action: receive
    channel: {$ref: '#/channels/userSignedup'}
  other:
    action: receive
    channel: {$ref: '#/channels/no~1address'}
  external:
    action: send
    channel: {$ref: 'common.yaml#/channels/x'}
"""
    summary = summarize("asyncapi", text)
    assert summary.error is None
    assert summary.format == "AsyncAPI 3.0.0"
    assert _ops(summary) == [
        ("send", "user/signedup", "Tell everyone.", "sendUserSignedup"),
        ("receive", "user/signedup", "Users that signed up.", "onUserSignedup"),
        ("receive", "no/address", "", "other"),
        ("send", "common.yaml#/channels/x", "", "external"),
    ]


# --- GraphQL ---------------------------------------------------------------------------------

def test_graphql_swapi_uses_schema_root_type():
    summary = _example("swapi-graphql.yaml")
    assert summary.error is None
    assert (summary.language, summary.format) == ("graphql", "GraphQL SDL")
    names = [o.name for o in summary.operations]
    assert names[:2] == ["allFilms", "film"]
    assert names[-1] == "node"
    assert len(names) == 13
    assert {o.kind for o in summary.operations} == {"query"}
    assert summary.operations[1].summary == "(id: ID, filmID: ID): Film"
    node = summary.operations[-1]
    assert node.summary == "(id: ID!): Node"  # the argument's """description""" is dropped
    assert node.description == "Fetches an object given its ID"


def test_graphql_demo_schema():
    summary = _demo("product-catalog/schema.graphql", "graphql")
    assert summary.error is None
    assert [(o.kind, o.name, o.summary) for o in summary.operations] == [
        ("query", "product", "(slug: String!): Product"),
        ("query", "category", "(slug: String!, first: Int = 24, after: String): "
                              "ProductConnection!"),
        ("query", "variants", "(skus: [ID!]!): [Variant!]!"),
    ]
    assert summary.operations[0].description.startswith("Look up a single product")


def test_graphql_comments_descriptions_extensions_and_all_root_kinds():
    sdl = '''
# type Query { commented: Int }
"""
A block string that mentions type Mutation { fake: Int } and \\""" quotes.
"""
type Query implements Node & Entity @key(fields: "id") {
  "Say hello" hello(name: String = "w, \\"orld", opts: In = {a: [1, 2], b: "v"} @x): String!
    @deprecated(reason: "use list")
  list: [[Int!]]!  # trailing comment
}
enum Colour { RED GREEN }
input In { a: [Int] }
extend type Query {
  late(
    """arg doc"""
    x: Int
  ): Int
}
type Mutation { doIt(input: In!): Boolean }
type Subscription { ticks: Int }
'''
    summary = summarize("graphql", sdl)
    assert summary.error is None
    assert [(o.kind, o.name, o.summary, o.description) for o in summary.operations] == [
        ("query", "hello", '(name: String = "w, \\"orld", opts: In = { a: [1, 2], b: "v" }): '
                           "String!", "Say hello"),
        ("query", "list", ": [[Int!]]!", ""),
        ("query", "late", "(x: Int): Int", ""),
        ("mutation", "doIt", "(input: In!): Boolean", ""),
        ("subscription", "ticks", ": Int", ""),
    ]


def test_graphql_sdl_is_read_by_graphql_core_rules():
    sdl = ('schema { query: Query }\nextend schema { mutation: Writes }\n'
           'type Writes { "Make one" make(n: [Int!] = [1]): ID }\n'
           'interface Query { notRoot: Int }\ntype Query { ok: Boolean }\n')
    assert [(o.kind, o.name, o.summary, o.description)
            for o in summarize("graphql", sdl).operations] == [
        ("query", "ok", ": Boolean", ""), ("mutation", "make", "(n: [Int!] = [1]): ID", "Make one")]


def test_graphql_schema_definition_limits_root_types():
    sdl = "schema { query: Q }\ntype Q { a: Int }\ntype Mutation { ignored: Int }\n"
    assert [o.name for o in summarize("graphql", sdl).operations] == ["a"]


# --- gRPC ------------------------------------------------------------------------------------

REAL_WORLD_PROTO = """\
syntax = "proto3";

package example.bus.v1;

import "google/api/annotations.proto";

option php_namespace = "Example\\\\Bus\\\\V1";

// Topics of the example bus.
service Publisher {
  option (google.api.default_host) = "bus.example.com";
  option (example.scopes) =
      "https://auth.example.com/bus,"
      "https://auth.example.com/admin";

  // Makes a topic. Names follow
  // <a href="https://example.com/docs/admin">the naming rules</a>.
  rpc CreateTopic(Topic) returns (Topic) {
    option (google.api.http) = {
      put: "/v1/{name=projects/*/topics/*}"
      body: "*"
    };
  }

  // Every subscription of one topic.
  rpc ListTopicSubscriptions(ListTopicSubscriptionsRequest)
      returns (ListTopicSubscriptionsResponse) {}

  rpc DeleteTopic(DeleteTopicRequest) returns (google.protobuf.Empty);
  /* A bidirectional stream. */
  rpc Chat(stream .example.Note) returns (stream Note) {}
}

message Topic {
  option (example.resource) = { type: "bus.example.com/Topic" };
  string name = 1 [(google.api.field_behavior) = REQUIRED];
  map<string, string> labels = 2;
  oneof x { string a = 4; int32 b = 5; }
  reserved 6, 7 to 9;
}
"""


def test_grpc_real_world_shapes_options_streams_and_wrapped_returns():
    """The shapes real .proto files have (googleapis', grpc's examples): options with
    message literals, string concatenation, ``returns`` on the next line, streams."""
    summary = summarize("grpc", REAL_WORLD_PROTO)
    assert summary.error is None and summary.format == "Protocol Buffers (proto3)"
    assert [(o.name, o.summary, o.description) for o in summary.operations] == [
        ("Publisher.CreateTopic", "Topic → Topic", "Makes a topic. Names follow <a "
         'href="https://example.com/docs/admin">the naming rules</a>.'),
        ("Publisher.ListTopicSubscriptions",
         "ListTopicSubscriptionsRequest → ListTopicSubscriptionsResponse",
         "Every subscription of one topic."),
        ("Publisher.DeleteTopic", "DeleteTopicRequest → google.protobuf.Empty", ""),
        ("Publisher.Chat", "stream .example.Note → stream Note", "A bidirectional stream."),
    ]


def test_grpc_proto2_groups_and_extensions():
    proto = ('syntax = "proto2";\npackage p;\nmessage Foo {\n'
             '  optional group Bar = 1 { optional int32 x = 2; }\n  extensions 100 to max;\n'
             '  required string s = 3 [default = "a"];\n}\n'
             "extend Foo { optional int32 y = 100; }\nservice S { rpc M(.p.Foo) returns (Foo); }\n")
    summary = summarize("grpc", proto)
    assert summary.format == "Protocol Buffers (proto2)"
    assert [(o.name, o.summary) for o in summary.operations] == [("S.M", ".p.Foo → Foo")]


def test_grpc_hello_world():
    summary = _example("hello-world-api.yaml")
    assert summary.error is None
    assert (summary.language, summary.format) == ("protobuf", "Protocol Buffers (proto3)")
    assert summary.operations == (
        Operation("rpc", "Greeter.SayHello", "HelloRequest → HelloReply",
                  description="Sends a greeting"),)


def test_grpc_demo_payments():
    summary = _demo("payments-gateway/proto/northwind/payments/v1/payments.proto", "grpc")
    assert summary.error is None
    assert _ops(summary) == [
        ("rpc", "PaymentService.Authorize", "AuthorizeRequest → Payment", ""),
        ("rpc", "PaymentService.Capture", "CaptureRequest → Payment", ""),
        ("rpc", "PaymentService.Refund", "RefundRequest → Payment", ""),
        ("rpc", "PaymentService.GetPayment", "GetPaymentRequest → Payment", ""),
    ]
    assert summary.operations[3].description == "Look up a payment by id."


def test_grpc_streams_options_and_comments():
    proto = """
    // service Fake { rpc No(A) returns (B); }
    /* block
       comment */ service Chat {
      option (svc) = { a: "}" };
      rpc Talk(stream .chat.v1.Line) returns (stream Line) { option deprecated = true; }
      rpc Broken(A B) returns (C);
      rpc Push (Empty) returns (stream google.protobuf.Empty);
    }
    message Line { string text = 1 [default = "rpc X(Y) returns (Z);"]; }
    """
    summary = summarize("grpc", proto)
    assert summary.error is None
    assert [(o.name, o.summary) for o in summary.operations] == [
        ("Chat.Talk", "stream .chat.v1.Line → stream Line"),
        ("Chat.Push", "Empty → stream google.protobuf.Empty"),
    ]


# --- other types, languages ------------------------------------------------------------------

def test_unknown_types_only_get_a_language():
    api_type, definition = _descriptor("hello-world-trpc-api.yaml")
    assert summarize(api_type, definition) == ApiSummary("text")
    assert summarize("jsonschema", '{"type": "object"}') == ApiSummary("json")
    assert summarize("custom", "a: 1\nb: [2]\n") == ApiSummary("yaml")
    assert summarize("", "syntax = 'proto3';\nservice S {}") == ApiSummary("protobuf")
    assert summarize("whatever", "type Query {\n  a: Int\n}") == ApiSummary("graphql")


@pytest.mark.parametrize(("text", "language"), [
    ('{"a": [1]}', "json"), ("[1, 2]", "json"), ("{not json", "text"),
    ("openapi: 3.0.0\n", "yaml"), ("# c\n- a\n", "yaml"), ("just words", "text"),
    ("", "text"), ("message M {\n  string a = 1;\n}", "protobuf"),
    ("schema {\n query: Q\n}", "graphql"),
])
def test_guess_language(text: str, language: str):
    assert guess_language(text) == language


def test_type_is_case_insensitive_and_json_detected():
    summary = summarize(" OpenAPI ", '{"openapi": "3.0.0", "paths": {"/x": {"get": {}}}}')
    assert summary.language == "json"
    assert _ops(summary) == [("get", "/x", "", "")]


def test_summaries_are_frozen_and_deterministic():
    first = _example("petstore-api.yaml")
    assert first == _example("petstore-api.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.title = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.operations[0].path = "x"  # type: ignore[misc]


def test_operation_aliases():
    operation = Operation("rpc", "Greeter.SayHello", "A → B")
    assert (operation.kind, operation.name) == (operation.method, operation.path)


# --- untrusted input -------------------------------------------------------------------------

def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["openapi: 3.0.0", "a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_gives_an_error_quickly():
    start = time.process_time()  # CPU time: a loaded machine must not fail a bounded parse
    summary = summarize("openapi", _bomb())
    assert time.process_time() - start < 1.0
    assert summary.operations == ()
    assert summary.error and "alias" in summary.error
    assert summarize("unknown", _bomb()).language == "text"


@pytest.mark.parametrize(("api_type", "text", "message"), [
    ("openapi", "openapi: 3.0.0\npaths: [\n", "invalid YAML"),
    ("openapi", '{"openapi": ', "invalid JSON"),
    ("openapi", "[" * 100_000 + "]" * 100_000, "nested"),
    ("openapi", "- a\n- b\n", "not an OpenAPI document"),
    ("asyncapi", "just a string", "not an AsyncAPI document"),
    ("openapi", "a: &a [*a]\n", "recursive"),
    ("openapi", "   \n", "empty"),
    ("graphql", 'type Query { a: "', "unterminated string"),
    ("graphql", 'type Query {\n a: """ never closed', "on line 2: unterminated string"),
    ("graphql", "type Query { a(x: Int = $v): Int }", "unexpected variable '$v'"),
    ("graphql", "type Query { a: Int } \x01", "unexpected character"),
    ("grpc", "service S { /* never closed", "unterminated /*"),
    ("grpc", "service S { option x = \"never closed\n}", "unterminated string"),
])
def test_malformed_definitions_set_error(api_type: str, text: str, message: str):
    summary = summarize(api_type, text)
    assert summary.error is not None
    assert message in summary.error
    assert summary.operations == ()
    assert len(summary.error) <= MAX_TEXT


@pytest.mark.parametrize("definition", [None, 42, {"$text": "./openapi.yaml"}, b"openapi: 3"])
def test_non_text_definitions(definition: object):
    summary = summarize("openapi", definition)  # type: ignore[arg-type]
    assert summary.error == "the definition is not text"


@pytest.mark.parametrize("text", [
    "openapi: 3.0.0\ninfo: [1]\npaths:\n  /x: [get]\n  /y: {get: [1], post: 3}\n",
    "openapi: 3.0.0\npaths: 12\nwebhooks: {a: {post: null}}\n",
    "asyncapi: 2.0.0\nchannels: {a: {publish: 1, subscribe: [x]}, b: null}\n",
    "asyncapi: 3.0.0\noperations: {a: {action: [1], channel: 3}, b: {channel: {$ref: 4}}}\n",
    "asyncapi: [3]\nchannels: []\n",
    "openapi: 3.0.0\npaths:\n  ? [a, b]\n  : {get: {}}\n",
    "openapi: !!python/object:os.system {}\n",
    "openapi: 3.0.0\ndate: 2024-01-01\npaths:\n  /x: {get: {summary: !!binary aGk=}}\n",
])
def test_odd_shapes_never_raise(text: str):
    summary = summarize("asyncapi" if text.startswith("asyncapi") else "openapi", text)
    assert isinstance(summary, ApiSummary)
    for operation in summary.operations:
        assert all(isinstance(getattr(operation, f), str)
                   for f in ("kind", "name", "summary", "operation_id", "description"))


@pytest.mark.parametrize("api_type", ["graphql", "grpc"])
@pytest.mark.parametrize("text", [
    "(" * 50_000, "{" * 50_000 + "}", "type Query { a(x: " + "[" * 50_000 + "): Int }",
    "type Query { a(x: Int = " + "[" * 50_000 + "): Int }", "service S { rpc (", "type",
    "type Query { a(", "service", "service S { rpc A(B) returns", "}}}}))))",
])
def test_truncated_or_pathological_sdl_and_proto(api_type: str, text: str):
    start = time.process_time()  # CPU time: a loaded machine must not fail a linear parser
    summary = summarize(api_type, text)
    assert time.process_time() - start < 2.0
    assert isinstance(summary, ApiSummary)
    assert all(len(o.summary) <= MAX_TEXT for o in summary.operations)


def test_large_graphql_is_capped():
    sdl = "type Query {\n" + "".join(f"  f{i}(a: Int): T\n" for i in range(2000)) + "}\n"
    summary = summarize("graphql", sdl)
    assert len(summary.operations) == MAX_OPERATIONS
    assert summary.truncated
    assert summary.operations[-1].name == f"f{MAX_OPERATIONS - 1}"
