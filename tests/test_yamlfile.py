from __future__ import annotations

import time
import tracemalloc

import pytest
import yaml

from generator.yamlfile import YamlError, iter_documents, nearest_line


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_multi_document_keeps_lines_and_empty_documents():
    docs = list(iter_documents("a: 1\n---\n---\n\nb:\n  c: 2\n"))
    assert [d.data for d in docs] == [{"a": 1}, None, {"b": {"c": 2}}]
    assert docs[2].line == 5
    assert docs[2].lines[("b", "c")] == 6


def test_alias_bomb_is_refused_quickly_with_bounded_memory():
    tracemalloc.start()
    start = time.process_time()  # CPU time: a loaded machine must not fail a bounded parse
    with pytest.raises(YamlError) as info:
        list(iter_documents(_bomb()))
    elapsed = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert info.value.code == "yaml-too-large"
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_small_aliases_are_fine():
    docs = list(iter_documents("base: &b {x: 1}\nother: *b\n"))
    assert docs[0].data == {"base": {"x": 1}, "other": {"x": 1}}


def test_recursive_alias_is_refused():
    with pytest.raises(YamlError) as info:
        list(iter_documents("a: &a [1, *a]\n"))
    assert info.value.code == "yaml-recursive"


def test_syntax_error_has_a_line():
    with pytest.raises(YamlError) as info:
        list(iter_documents("a: 1\nb: [1, 2\nc: 3\n"))
    assert info.value.code == "yaml-syntax"
    assert info.value.line == 3


@pytest.mark.parametrize("depth", [2_000, 200_000])
def test_deep_nesting_is_refused(depth):
    with pytest.raises(YamlError) as info:
        list(iter_documents("a: " + "[" * depth + "]" * depth + "\n"))
    assert "nesting" in str(info.value) or info.value.code == "yaml-too-deep"


def test_timestamps_stay_strings():
    assert next(iter_documents("d: 2024-01-02\n")).data == {"d": "2024-01-02"}


def test_documents_before_an_error_are_kept():
    seen = []
    with pytest.raises(YamlError):
        for doc in iter_documents("a: 1\n---\nb: [\n"):
            seen.append(doc.data)
    assert seen == [{"a": 1}]


def test_nearest_line_falls_back_to_the_closest_parent_with_a_line():
    doc = next(iter_documents("kind: Component\nspec:\n  owner: a\n  dependsOn:\n    - b\n"))
    assert nearest_line(doc.lines, ("spec", "dependsOn", 0)) == 5
    assert nearest_line(doc.lines, ("spec", "dependsOn", 7)) == 4
    assert nearest_line(doc.lines, ("spec", "owner", "deeper")) == 3
    assert nearest_line(doc.lines, ("metadata", "name")) is None


PLAIN_AND_ODD = [
    "a: 1\nb: [x, 2.5, true, null, ~]\nc: {d: e}\n",
    "when: 2026-01-02\nraw: !!binary aGVsbG8=\nint: 0x1F\nfloat: .inf\n",
    "base: &b {x: 1, y: [1, 2]}\none: *b\ntwo: *b\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "? [complex, key]\n: value\n",
    "dup: 1\ndup: 2\n",
    "= : value-key\n",
    "tagged: !!str 12\nlist: !!seq [a]\nmap: !!map {a: b}\nset: !!set {a, b}\n",
    "- - - nested\n  - x\n- {a: [b, {c: d}]}\n",
    "'quoted key': \"\\u0024text\"\n1: int key\nnull: null key\n",
]


@pytest.mark.parametrize("text", PLAIN_AND_ODD)
def test_the_fast_constructor_builds_what_pyyaml_builds(text):
    from generator.yamlfile import _Loader, construct

    def outcome(build):
        loader = _Loader(text)
        try:
            value = build(loader, loader.get_single_node())
            return repr(value), value
        except yaml.YAMLError as exc:
            return type(exc).__name__, str(exc)
        finally:
            loader.dispose()

    ours = outcome(lambda loader, node: construct(loader, node, "&" in text))
    assert ours == outcome(lambda loader, node: loader.construct_document(node))


def test_aliases_give_one_shared_value_as_in_pyyaml():
    from generator.yamlfile import iter_documents

    data = next(iter_documents("base: &b {x: [1]}\none: *b\ntwo: *b\n")).data
    assert data["one"] is data["two"] is data["base"]


EVENT_PATH = [*PLAIN_AND_ODD,
              "a: 1\n---\n---\nb: [x, 'y']\n", "", "# only a comment\n",
              "a:\n  b:\n    - c: 1\n      d: [1, 2, {e: f}]\n",
              "x: yes\ny: 2026-01-01\nz: ~\nw: 0o17\nq: -.5\nn: .NaN\n'': empty key\n",
              "- 1\n- a\n- {b: c}\n", "a: b\n  c: d\n", "a: =\n", "- !\n", "a: !\n",
              "k: !local v\n", "<<: {a: 1}\n", "a: 1\n---\nb: [\n", "[" * 250 + "]" * 250,
              "key: 'value with $text'\nspec: {definition: {$text: ./api.yaml}}\n"]


@pytest.mark.parametrize("text", EVENT_PATH)
def test_documents_from_events_are_the_composed_documents(text, monkeypatch):
    """The event path gives what composing gives (values, lines) or leaves the text to it."""
    from generator import yamlfile

    def documents() -> list:
        try:
            return [(d.line, repr(d.data), sorted(d.lines.items(), key=repr))
                    for d in iter_documents(text)]
        except YamlError as exc:
            return [(str(exc), exc.line, exc.code)]

    fast = yamlfile._plain_documents(text, 4)
    ours = documents()
    monkeypatch.setattr(yamlfile, "_plain_documents", lambda text, depth: None)
    assert ours == documents()
    if fast is not None:  # what the event path gave is what iter_documents gives
        assert [(d.line, repr(d.data)) for d in fast] == [(line, data) for line, data, _ in ours]


def test_plain_descriptors_take_the_event_path():
    from generator.yamlfile import _plain_documents

    text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n" \
           "  tags: [x, y]\nspec:\n  type: service\n  lifecycle: production\n"
    docs = _plain_documents(text, 4)
    assert docs is not None and docs[0].lines[("metadata", "tags", 1)] == 5
