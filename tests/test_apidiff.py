"""Breaking changes between real public definitions and hand-made edits of them.

Each test takes a real definition (Petstore OpenAPI 3 and Swagger 2, the
AsyncAPI Streetlights example, the Star Wars GraphQL schema, gRPC's route
guide; see tests/fixtures/PROVENANCE.md), edits a copy with the string
replacements written out here, and expects exactly these findings and lines.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from generator.apidefs.model import DefinitionError
from generator.apidiff import compare_surfaces, definition_surface

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = FIXTURES / "backstage-examples" / "apis"


def _definition(name: str) -> str:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))["spec"]["definition"]


def _edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _changes(api_type: str, old: str, new: str) -> list[tuple[bool, str, int]]:
    return [(c.breaking, c.message, c.line) for c in compare_surfaces(
        definition_surface(api_type, old), definition_surface(api_type, new))]


PETSTORE = _definition("petstore-api.yaml")
CREATE_PET = """    post:
      summary: Create a pet
      operationId: createPets
      tags:
        - pets
      responses:
        '201':
          description: Null response
        default:
          description: unexpected error
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Error"
"""
LIMIT = """          required: false
          schema:
            type: integer
            format: int32
"""


def test_openapi3_breaking_edits_are_errors_on_their_lines():
    edited = _edit(
        PETSTORE,
        (CREATE_PET, ""),
        (LIMIT, LIMIT.replace("false", "true")),
        ("        id:\n          type: integer\n          format: int64",
         "        id:\n          type: string"),
        ('''                $ref: "#/components/schemas/Pet"
        default:
          description: unexpected error
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Error"
''', '''                $ref: "#/components/schemas/Pet"
'''))
    assert _changes("openapi", PETSTORE, edited) == [
        (True, "parameter limit (query) of GET /pets is now required", 17),
        (True, "type of field [].id in the response 200 of GET /pets changed from integer "
               "(int64) to string", 70),
        (True, "type of field id in the response 200 of GET /pets/{petId} changed from "
               "integer (int64) to string", 70),
        (True, "removed operation POST /pets", 10),
        (True, "removed response default of GET /pets/{petId}", 43),
    ]


def test_openapi3_compatible_edits_are_information():
    edited = _edit(
        PETSTORE,
        ("      summary: List all pets", "      summary: List every pet"),
        (LIMIT, LIMIT + "        - name: tag\n          in: query\n          schema:\n"
                        "            type: string\n"),
        ("        tag:\n          type: string\n    Pets:",
         "        tag:\n          type: string\n        birthday:\n          type: string\n"
         "    Pets:"))
    assert _changes("openapi", PETSTORE, edited) == [
        (False, "description of operation GET /pets changed", 11),
        (False, "added parameter tag (query) of GET /pets", 24),
        (False, "added field [].birthday in the response 200 of GET /pets", 101),
        (False, "added field birthday in the response 200 of GET /pets/{petId}", 101),
    ]


def test_openapi3_removed_path_is_one_finding():
    start = PETSTORE.index("  /pets/{petId}:")
    end = PETSTORE.index("components:")
    edited = PETSTORE[:start] + PETSTORE[end:]
    assert _changes("openapi", PETSTORE, edited) == [
        (True, "removed path /pets/{petId}", 9)]


def test_swagger2_required_body_and_parameter_type():
    text = (FIXTURES / "apidefs" / "petstore-swagger2.yaml").read_text(encoding="utf-8")
    edited = _edit(
        text,
        ("          description: The id of the pet to retrieve\n          type: string",
         "          description: The id of the pet to retrieve\n          type: integer"),
        ("        - pets\n      responses:\n        \"201\":",
         "        - pets\n      parameters:\n        - name: pet\n          in: body\n"
         "          required: true\n          schema:\n            $ref: '#/definitions/Pet'\n"
         "      responses:\n        \"201\":"))
    assert _changes("openapi", text, edited) == [
        (True, "added required request body of POST /pets", 48),
        (True, "type of parameter petId (path) of GET /pets/{petId} changed from string to "
               "integer", 67),
    ]


STREETLIGHTS = _definition("streetlights-api.yaml")
DIM = "smartylighting/streetlights/1/0/action/{streetlightId}/dim"
TURN = "smartylighting/streetlights/1/0/action/{streetlightId}/turn"
MEASURED = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"


def test_asyncapi2_breaking_edits():
    edited = _edit(
        STREETLIGHTS,
        (f"""  {DIM}:
    parameters:
      streetlightId:
        $ref: '#/components/parameters/streetlightId'
    publish:
      operationId: dimLight
      traits:
        - $ref: '#/components/operationTraits/kafka'
      message:
        $ref: '#/components/messages/dimLight'
""", ""),
        ("        lumens:\n          type: integer", "        lumens:\n          type: number"),
        ("            - on\n            - off", "            - on"),
        ("    turnOnOffPayload:\n      type: object\n      properties:",
         "    turnOnOffPayload:\n      type: object\n      required: [command]\n"
         "      properties:"))
    on, off = (f"message turnOnOff (publish on channel {TURN}/{s})" for s in ("on", "off"))
    assert _changes("asyncapi", STREETLIGHTS, edited) == [
        (True, "type of field lumens in the payload of message lightMeasured (subscribe on "
               f"channel {MEASURED}) changed from integer to number", 108),
        (True, f"field command in the payload of {on} is now required", 118),
        (True, f"field command in the payload of {off} is now required", 118),
        (True, f"removed enum value false of command in the payload of {on}", 118),
        (True, f"removed enum value false of command in the payload of {off}", 118),
        (True, f"removed channel {DIM}", 39),
    ]


def test_asyncapi2_compatible_edits():
    edited = _edit(
        STREETLIGHTS,
        ('        sentAt:\n          $ref: "#/components/schemas/sentAt"\n    turnOnOffPayload:',
         '        sentAt:\n          $ref: "#/components/schemas/sentAt"\n        unit:\n'
         '          type: string\n    turnOnOffPayload:'),
        ("Receive information about environmental lighting conditions of a particular "
         "streetlight.", "Receive lighting conditions."))
    assert _changes("asyncapi", STREETLIGHTS, edited) == [
        (False, f"description of operation subscribe on channel {MEASURED} changed", 45),
        (False, "added field unit in the payload of message lightMeasured (subscribe on "
                f"channel {MEASURED})", 124),
    ]


def test_asyncapi3_removed_operation_and_message():
    old = """asyncapi: 3.0.0
info: {title: Orders, version: 1.0.0}
channels:
  placed:
    address: orders/placed
    messages:
      placed: {payload: {type: object, properties: {id: {type: string}}}}
      cancelled: {payload: {type: object}}
operations:
  publishPlaced: {action: send, channel: {$ref: '#/channels/placed'}}
  publishCancelled: {action: send, channel: {$ref: '#/channels/placed'}}
"""
    new = _edit(old, ("      cancelled: {payload: {type: object}}\n", ""),
                ("  publishCancelled: {action: send, channel: {$ref: '#/channels/placed'}}\n",
                 ""))
    assert _changes("asyncapi", old, new) == [
        (True, "removed message cancelled of channel orders/placed", 4),
        (True, "removed operation publishCancelled (send)", 8),
    ]


SWAPI = _definition("swapi-graphql.yaml")


def test_graphql_breaking_edits():
    edited = _edit(
        SWAPI,
        ('  """The name of the director of this film."""\n  director: String\n', ""),
        ("  episodeID: Int\n", "  episodeID: String\n"),
        ("film(id: ID, filmID: ID): Film", "film(id: ID!, filmID: ID): Film"))
    assert _changes("graphql", SWAPI, edited) == [
        (True, "type of field Film.episodeID changed from Int to String", 10),
        (True, "argument id of Root.film is now required", 643),
        (True, "removed field Film.director", 5),
    ]


def test_graphql_compatible_edits_and_nullability():
    edited = _edit(
        SWAPI,
        ('  title: String\n', '  title: String\n  subtitle: String\n'),
        ("film(id: ID, filmID: ID): Film", "film(id: ID, filmID: ID, lang: String): Film"))
    assert _changes("graphql", SWAPI, edited) == [
        (False, "added field Film.subtitle", 9),
        (False, "added argument lang of Root.film", 646),
    ]
    old = "type Query { a: String!, b: String }\nenum E { X Y }\n"
    new = "type Query { a: String, b: String! }\nenum E { X }\n"
    assert _changes("graphql", old, new) == [
        (True, "field Query.a may now be null (String! → String)", 1),
        (True, "removed enum value Y of enum E", 2),
    ]


ROUTE_GUIDE = (FIXTURES / "apidefs" / "route_guide.proto").read_text(encoding="utf-8")


def test_grpc_breaking_edits_numbers_changed_and_reused():
    record = ROUTE_GUIDE[ROUTE_GUIDE.index("  // A client-to-server streaming RPC."):
                         ROUTE_GUIDE.index("  // A Bidirectional streaming RPC.")]
    edited = _edit(
        ROUTE_GUIDE,
        (record, ""),
        ("  int32 longitude = 2;", "  int32 longitude = 3;"),
        ("  // The point where the feature is detected.\n  Point location = 2;",
         "  // Where the feature is, as text.\n  string place = 2;"),
        ("  int32 elapsed_time = 4;", "  int64 elapsed_time = 4;"))
    assert _changes("grpc", ROUTE_GUIDE, edited) == [
        (True, "number of field longitude of message Point changed from 2 to 3", 66),
        (True, "number 2 of message Feature is reused: it was location, now place", 87),
        (True, "type of field elapsed_time of message RouteSummary changed from int32 to "
               "int64", 115),
        (True, "removed rpc RouteGuide.RecordRoute", 26),
        (True, "removed field location of message Feature", 82),
    ]


def test_grpc_compatible_edits():
    edited = _edit(
        ROUTE_GUIDE,
        ("  int32 elapsed_time = 4;", "  int32 elapsed_time = 4;\n\n  // Average speed.\n"
                                      "  int32 speed = 5;"),
        ("message RouteNote {", "message Empty {}\n\nmessage RouteNote {"))
    assert _changes("grpc", ROUTE_GUIDE, edited) == [
        (False, "added message Empty", 97),
        (False, "added field speed of message RouteSummary", 126),
    ]


def test_an_unchanged_definition_has_no_changes():
    for api_type, text in (("openapi", PETSTORE), ("asyncapi", STREETLIGHTS),
                           ("graphql", SWAPI), ("grpc", ROUTE_GUIDE)):
        assert _changes(api_type, text, text) == []


@pytest.mark.parametrize("api_type,text", [
    ("openapi", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c]\n"
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n"),
    ("graphql", "type Query {"),
    ("openapi", "- a list"),
])
def test_unreadable_definitions_raise_definition_error(api_type, text):
    with pytest.raises(DefinitionError):
        definition_surface(api_type, text)


def test_ref_cycles_and_external_refs_cost_nothing():
    text = """openapi: 3.0.0
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Node'}}
        '500': {$ref: 'https://evil.example/errors.yaml#/Error'}
components:
  schemas:
    Node:
      properties:
        next: {$ref: '#/components/schemas/Node'}
        value: {type: string}
"""
    start = time.process_time()
    surface = definition_surface("openapi", text)
    assert time.process_time() - start < 1.0
    assert [e.name for e in surface.values()] == [
        "/a", "GET /a", "200 of GET /a", "next in the response 200 of GET /a",
        "value in the response 200 of GET /a"]
