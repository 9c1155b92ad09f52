"""Backstage's nunjucks dialect through the Jinja2 sandbox: what renders, what is refused."""

from __future__ import annotations

import time

import pytest

from generator.scaffold.nunjucks import Budget, Renderer, RenderError

VALUES = {"values": {"name": "gift-cards", "multiAz": False, "size": 3.0, "tags": ["a", "b"],
                     "destination": {"owner": "acme", "repo": "shop"},
                     "items": {"x": 1, "y": 2}, "none": None}}


def render(source: str, context: dict = VALUES, **options) -> str:
    return Renderer(**options).render(source, context, "test")


@pytest.mark.parametrize(("source", "expected"), [
    ("${{ values.name }}", "gift-cards"),
    ("${{ values.multiAz }}", "false"),
    ("${{ values.size }}", "3"),
    ("${{ values.tags }}", "a,b"),
    ("${{ values.none }}|${{ values.missing }}|${{ values.missing.deep.er }}", "||"),
    ("${{ values.name | dump }}", '"gift-cards"'),
    ("${{ values.destination | dump }}", '{"owner":"acme","repo":"shop"}'),
    ("${{ values.destination.owner + '/' + values.destination.repo }}", "acme/shop"),
    ("${{ values.name | replace('-', '_') }}", "gift_cards"),
    ("${{ values.name | replace(r/-(\\w)/g, '_$1') }}", "gift_cards"),
    ("${{ 'a b-c' | title }}", "A B-c"),
    ("${{ values.tags | first }}${{ values.tags | last }}${{ values.tags | length }}", "ab2"),
    ("${{ values.name.length }} ${{ values.name.toUpperCase() }}", "10 GIFT-CARDS"),
    ("${{ values.name.split('-') | join('+') }}", "gift+cards"),
    ("${{ values.tags.includes('a') }} ${{ values.name.startsWith('gift') }}", "true true"),
    ("{% if values.name === 'gift-cards' %}yes{% else %}no{% endif %}", "yes"),
    ("{%- for k, v in values.items %}${{ k }}=${{ v }};{% endfor %}", "x=1;y=2;"),
    ("{% for t in values.tags %}${{ loop.index }}${{ t }}{% endfor %}", "1a2b"),
    ("${{ values.name if values.name else 'x' }}${{ values.none if values.none }}", "gift-cards"),
    ("${{ values.name | truncate(4, true) }}", "gift..."),
    ("${{ 'line\\nnext' | indent(2) }}", "line\n  next"),
    ("${{ ['b', 'A', 'c'] | sort | join }}", "Abc"),
    ("${{ values.items | list | length }}", "2"),
    ("{{ stays }} ${{ values.name }}", "{{ stays }} gift-cards"),
    ("${{ values.destination | pick('owner') }}", "acme"),
    ("${{ 'github.com?owner=o&repo=r' | projectSlug }}", "o/r"),
    ("${{ ('group:ops/sre' | parseEntityRef).namespace }}", "ops"),
    ("${{ ('sre' | parseEntityRef({'defaultKind': 'group'})).kind }}", "group"),
    ("${{ ('github.com?owner=o&repo=r' | parseRepoUrl).host }}", "github.com"),
    ("{% if !values.none && values.name %}a{% elseif values.x %}b{% endif %}", "a"),
    ("{% if values.none || values.missing %}a{% elseif values.name %}b{% endif %}", "b"),
    ("{% verbatim %}${{ raw }}{% endverbatim %}", "${{ raw }}"),
    ("${{ 'a,b' | split(',') | last }}", "b"),
    ("${{ values.name !== 'x' }}", "true"),
])
def test_renders_as_backstage_does(source, expected):
    assert render(source) == expected


def test_keeps_the_final_newline_of_a_file():
    assert render("${{ values.name }}\n") == "gift-cards\n"


def test_cookiecutter_compat_uses_plain_braces_and_jsonify():
    out = render("{{ cookiecutter.name }} {{ cookiecutter.tags | jsonify }} ${x}",
                 {"cookiecutter": VALUES["values"]}, compat=True)
    assert out == 'gift-cards ["a","b"] ${x}'


def test_trim_blocks_option_removes_the_newline_after_a_tag():
    source = "{% if values.name %}\nyes\n{% endif %}\n"
    assert render(source) == "\nyes\n\n"
    assert render(source, trim_blocks=True) == "yes\n"


def test_one_expression_keeps_its_type_in_step_input():
    renderer = Renderer()
    context = {"parameters": {"repo": "github.com?owner=o&repo=r", "flag": False, "n": 3}}
    out = renderer.render_input({
        "destination": "${{ parameters.repo | parseRepoUrl }}",
        "flag": "${{ parameters.flag }}",
        "text": "n=${{ parameters.n }}",
        "gone": "${{ parameters.missing }}",
        "empty": "{% if parameters.flag %}x{% endif %}",
        "list": ["${{ parameters.n }}", "${{ parameters.missing }}"],
    }, context, "input")
    assert out == {"destination": {"host": "github.com", "owner": "o", "repo": "r"},
                   "flag": False, "text": "n=3", "list": [3, None]}


@pytest.mark.parametrize("source", [
    "${{ ''.__class__ }}",
    "${{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${{ values.__class__ }}",
    "${{ values.tags.__len__() }}",
    "${{ range.__init__.__globals__ }}",
    "${{ cycler.__init__.__globals__.os }}",
    "${{ values.name._private }}",
])
def test_sandbox_refuses_python_attributes(source):
    with pytest.raises(RenderError, match="refused by the sandbox: access to attribute '_"):
        render(source)


@pytest.mark.parametrize(("source", "message"), [
    ("${{ '' | attr('__class__') }}", "No filter named 'attr'"),
    ("${{ values | items }}", "No filter named 'items'"),
    ("${{ lipsum(10) }}", "'lipsum' is undefined"),
    ("${{ values.name.format('x') }}", "'str object' has no attribute 'format'"),
])
def test_sandbox_offers_nothing_but_nunjucks_filters_and_values(source, message):
    with pytest.raises(RenderError) as info:
        render(source)
    assert message in str(info.value)


def test_python_methods_beyond_the_safe_ones_are_undefined():
    assert render("${{ values.name.format }}|${{ values.items.update }}|${{ values.tags.pop }}"
                  ) == "||"


def test_template_internals_print_as_javascript_objects_not_python_reprs():
    assert render("${{ self }} {% macro m() %}{% endmacro %}${{ m }}") == \
        "[object Object] [object Object]"


def test_a_loop_that_runs_too_long_is_stopped():
    start = time.monotonic()
    with pytest.raises(RenderError, match=r"took longer than 0\.5 s"):
        Renderer(Budget(seconds=0.5)).render(
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            {}, "skeleton/loop.txt")
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("source", [
    "${{ 'x' * 100000000 }}",
    "{% for i in range(100000) %}${{ 'y' * 1000 }}{% endfor %}",
    "${{ 'x'.padStart(1000000000) }}",
    "${{ 'x' | center(1000000000) }}",
    "${{ 9 ** 99999999 }}",
    "${{ range(1000000000) | length }}",
])
def test_huge_output_is_stopped(source):
    with pytest.raises(RenderError, match="stopped"):
        Renderer(Budget(seconds=5, output=1_000_000)).render(source, {}, "big")


def test_syntax_errors_name_the_file_and_line():
    with pytest.raises(RenderError, match=r"^skeleton/a\.txt, line 2: .*endif"):
        Renderer().render("ok\n{% if values.name %}\n", VALUES, "skeleton/a.txt")


def test_filter_errors_say_what_was_expected():
    with pytest.raises(RenderError, match=r"parseRepoUrl: 'github\.com' has no repo"):
        render("${{ 'github.com' | parseRepoUrl }}")
