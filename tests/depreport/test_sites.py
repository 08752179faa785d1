"""The JS/TS import-site classifier: what a module string is, and its value as the engine reads it.

The expected values of the escape table are what Node prints for `JSON.stringify(<literal>)`, except a
lone surrogate, which no UTF-8 text can hold (it reads as U+FFFD).
"""

from __future__ import annotations

import pytest
from tree_sitter import Node

from depreport.extract.sites import Form, site_of_call, site_of_string, string_value
from depreport.scan.languages import parser


def _first(node: Node, types: tuple[str, ...]) -> Node:
    if node.type in types:
        return node
    found = [_first(child, types) for child in node.children if _contains(child, types)]
    return found[0]


def _contains(node: Node, types: tuple[str, ...]) -> bool:
    return node.type in types or any(_contains(child, types) for child in node.children)


def literal(source: str) -> Node:
    root = parser("typescript").parse(f"x = {source};".encode()).root_node
    return _first(root, ("string", "template_string"))


@pytest.mark.parametrize(
    ("source", "value"),
    [
        pytest.param(r"'x\u0079'", "xy", id="unicode-4"),
        pytest.param(r"'\u{1F600}'", "\U0001f600", id="unicode-braces"),
        pytest.param(r"'\uD83D\uDE00'", "\U0001f600", id="surrogate-pair"),
        pytest.param(r"'\uD83D'", "\ufffd", id="lone-surrogate"),
        pytest.param(r"'a\x2fb'", "a/b", id="hex"),
        pytest.param(r"'a\\b'", "a\\b", id="backslash"),
        pytest.param("'a\\\nb'", "ab", id="line-continuation"),
        pytest.param("'a\\\r\nb'", "ab", id="line-continuation-crlf"),
        pytest.param(r"'\101\7a\400'", "A\x07a 0", id="legacy-octal"),
        pytest.param(r"'\8\q\''", "8q'", id="needless-escapes"),
        pytest.param(r"'\n\t\v\b\f\r\0'", "\n\t\v\b\f\r\0", id="control"),
        pytest.param("`a\r\nb\rc`", "a\nb\nc", id="template-line-ends"),
        pytest.param(r"`\x41`", "A", id="template-escape"),
        pytest.param("`a${b}`", None, id="template-substitution"),
        pytest.param("'plain/path'", "plain/path", id="no-escape"),
    ],
)
def test_a_string_reads_as_the_engine_reads_it(source: str, value: str | None) -> None:
    assert string_value(literal(source)) == value


@pytest.mark.parametrize(
    ("source", "form", "type_only", "call"),
    [
        pytest.param("import a, {b} from 'm';", Form.IMPORT, False, "", id="import"),
        pytest.param("import {} from 'm';", Form.IMPORT, False, "", id="empty-clause"),
        pytest.param("import typeof a from 'm';", Form.IMPORT, True, "", id="import-typeof"),
        pytest.param("import 'm';", Form.SIDE_EFFECT, False, "", id="side-effect"),
        pytest.param("import type a = require('m');", Form.IMPORT_EQUALS, True, "", id="import-equals"),
        pytest.param("export * as ns from 'm';", Form.REEXPORT, False, "", id="reexport"),
        pytest.param("export type * from 'm';", Form.REEXPORT, True, "", id="export-type-star"),
        pytest.param("const a = require(/* c */ (('m')));", Form.REQUIRE, False, "require", id="require"),
        pytest.param("let a: import('m').T;", Form.DYNAMIC, True, "import", id="import-in-a-type"),
        pytest.param("v as unknown as import('m').T;", Form.DYNAMIC, True, "import", id="import-after-as"),
        pytest.param("import('m') satisfies P;", Form.DYNAMIC, False, "import", id="value-before-satisfies"),
        pytest.param("await import(`m`);", Form.DYNAMIC, False, "import", id="dynamic"),
        pytest.param("jest . mock('m', () => ({}));", Form.MODULE_CALL, False, "jest.mock", id="mock"),
        pytest.param(
            "import.meta.resolve('m');", Form.MODULE_CALL, False, "import.meta.resolve", id="resolve"
        ),
    ],
)
def test_a_module_string_names_its_site(source: str, form: Form, type_only: bool, call: str) -> None:
    root = parser("typescript").parse(source.encode()).root_node
    string = _first(root, ("string", "template_string"))
    site = site_of_string(string)
    assert site is not None
    assert (site.form, site.value, site.type_only, site.call, site.string) == (
        form,
        "m",
        type_only,
        call,
        string,
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("const a = 'm';", id="a-value"),
        pytest.param("f('m');", id="another-call"),
        pytest.param("require('n', 'm');", id="a-second-argument"),
        pytest.param("export default 'm';", id="export-default"),
        pytest.param("declare module 'm' {}", id="declare-module"),
        pytest.param("import json from './a.json' with { type: 'm' };", id="an-import-attribute"),
    ],
)
def test_a_string_elsewhere_is_no_site(source: str) -> None:
    root = parser("typescript").parse(source.encode()).root_node
    strings = [s for s in _all_strings(root) if string_value(s) == "m"]
    assert len(strings) == 1 and site_of_string(strings[0]) is None


def _all_strings(node: Node) -> list[Node]:
    own = [node] if node.type == "string" else []
    return own + [s for child in node.children for s in _all_strings(child)]


@pytest.mark.parametrize(
    ("source", "has_site"),
    [
        pytest.param("require(name);", True, id="not-a-literal"),
        pytest.param("require(`m${x}`);", True, id="a-template-with-substitutions"),
        pytest.param("require();", False, id="no-argument"),
        pytest.param("load('m');", False, id="not-a-module-call"),
    ],
)
def test_a_call_without_a_literal_module_has_no_string(source: str, has_site: bool) -> None:
    call = _first(parser("typescript").parse(source.encode()).root_node, ("call_expression",))
    site = site_of_call(call)
    assert (site is not None) == has_site
    assert site is None or (site.string, site.value) == (None, None)
