"""The usage pass at its edges: which files pay for it, the candidates, literal values, the cache."""

from __future__ import annotations

import pytest

from depreport.extract import extract_imports, jsx, occurrences, tolerant
from depreport.model import EXPRESSION, RawImport, RawUse
from depreport.scan import extractions
from tests.conftest import FIXTURES


def _props(attributes: str) -> list[tuple[str, str]]:
    source = f'import {{ X }} from "x";\nconst a = <X {attributes} />;\n'.encode()
    (use,) = extract_imports(source, "tsx").uses
    return list(use.props)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        pytest.param('"a"', '"a"', id="string"),
        pytest.param("'a'", '"a"', id="single-quoted"),
        pytest.param('"&lt;b&gt;"', '"<b>"', id="entities"),
        pytest.param('"/p.jpg?w=800&dpr=2&q=80"', '"/p.jpg?w=800&dpr=2&q=80"', id="ampersands-in-a-url"),
        pytest.param("'R&D'", '"R&D"', id="bare-ampersand"),
        pytest.param('{"\\u0041\\x42\\n"}', '"AB\\n"', id="escapes"),
        pytest.param("{`t`}", '"t"', id="template"),
        pytest.param("{`t${1}`}", EXPRESSION, id="template-substitution"),
        pytest.param("{1.0}", "1", id="one-point-zero"),
        pytest.param("{-1}", "-1", id="minus-one"),
        pytest.param("{-1.50}", "-1.5", id="minus-fraction"),
        pytest.param("{0b11}", "3", id="binary"),
        pytest.param("{2e-3}", "0.002", id="exponent"),
        pytest.param("{1e21}", "1e+21", id="large"),
        pytest.param("{true}", "true", id="true"),
        pytest.param("{false}", "false", id="false"),
        pytest.param("{null}", "null", id="null"),
        pytest.param("{undefined}", EXPRESSION, id="undefined"),
        pytest.param("{-x}", EXPRESSION, id="negated-name"),
        pytest.param("{+1}", EXPRESSION, id="unary-plus"),
        pytest.param("{<b />}", EXPRESSION, id="element-in-braces"),
        pytest.param("<b />", EXPRESSION, id="element"),
    ],
)
def test_literal_values(written: str, value: str) -> None:
    assert _props(f"p={written}") == [("p", value)]


def test_bare_spread_and_namespaced_names() -> None:
    assert _props("disabled {...rest} xlink:href='#a'") == [
        ("disabled", "true"),
        ("[spread]", "[spread]"),
        ("xlink:href", '"#a"'),
    ]


def test_a_repeated_prop_is_kept_twice_in_source_order() -> None:
    assert _props("a='1' {...r} a={2}") == [("a", '"1"'), ("[spread]", "[spread]"), ("a", "2")]


def test_only_files_with_imported_names_pay() -> None:
    jsx_only = b"export const A = () => <Button a={1} />;\n"
    assert extract_imports(jsx_only, "tsx").uses == ()
    type_only = b'import type { Button } from "x";\nexport const A = () => <Button />;\n'
    assert extract_imports(type_only, "tsx").uses == ()
    side_effect = b'import "x";\nexport const A = () => <Button />;\n'
    assert extract_imports(side_effect, "tsx").uses == ()


def test_uses_can_be_left_out() -> None:
    source = b'import { Button } from "x";\nexport const A = () => <Button />;\n'
    with_uses = extract_imports(source, "tsx")
    without = extract_imports(source, "tsx", uses=False)
    assert len(with_uses.uses) == 1
    assert without.uses == ()
    assert without.imports == with_uses.imports


def test_python_has_no_uses() -> None:
    assert extract_imports(b"from x import Button\nButton()\nf(Button)\n", "python").uses == ()


def test_reexported_names_are_not_bindings() -> None:
    imports = [
        RawImport(1, 0, "reexport", "x", "A", "A", False),
        RawImport(2, 0, "import", "x", "B", "B", False),
        RawImport(3, 0, "import", "x", "C", "C", True),
        RawImport(4, 0, "side-effect", "x", "*", None, False),
    ]
    assert jsx.imported_locals(imports) == {"B"}


def test_occurrences_skip_properties_calls_tags_and_requires_but_not_spreads_or_declarations() -> None:
    text = " ".join(
        [
            "Button obj.Button {...Button} xButton Button_ $el a?.Button \u00e9Button f(Button)",
            "Button() Button.x.y() Button.x function Button() function* Button () (0, Button)",
            "(0, Button.x)() (0, Button)() </Button> const Button = require('x') Button == require",
        ]
    ).encode()
    found = [text[max(0, start - 4) : end] for start, end in occurrences.occurrences(text, {"Button", "$el"})]
    assert found == [
        b"Button",
        b"{...Button",
        b"on_ $el",
        b"n f(Button",
        b"y() Button",
        b"ion Button",
        b"on* Button",
        b"(0, Button",
        b"x') Button",
    ]


def test_leading_imports_are_skipped() -> None:
    source = b'"use client";\n// c\nimport { A } from "a";\nconst B = require("b");\nexport const C = A;\n'
    extraction = extract_imports(source, "tsx")
    assert [(use.local, use.via) for use in extraction.uses] == [("A", "variable")]
    root = tolerant.parse(source, "tsx").tree.root_node
    assert source[occurrences.after_imports(root) :] == b"\nexport const C = A;\n"


def test_cache_round_trip_keeps_uses() -> None:
    source = b'import { Button } from "x";\nconst C = styled(Button);\nconst a = <Button size={2} />;\n'
    extraction = extract_imports(source, "tsx")
    restored = extractions.decode(extractions.encode(extraction))
    assert restored == extraction
    assert all(isinstance(use, RawUse) for use in restored.uses)
    assert [use.via for use in restored.uses] == ["call", ""]
    assert restored.uses[1].props == (("size", "2"),)


def test_a_syntax_error_elsewhere_keeps_the_uses_around_it() -> None:
    source = b'import { Button } from "x";\nconst a = <Button />;\nconst = ;\nconst b = <Button x="1" />;\n'
    extraction = extract_imports(source, "tsx")
    assert extraction.syntax_error
    assert [(use.line, use.kind) for use in extraction.uses] == [(2, "instance"), (4, "instance")]


def test_every_cut_of_every_fixture_extracts_in_order() -> None:
    """Broken code (a file cut anywhere) gives uses in order, each at an occurrence of its name."""
    inputs = sorted((FIXTURES / "usage").rglob("input.*"))
    seen = 0
    for path in inputs:
        whole = path.read_bytes()
        lines = whole.split(b"\n")
        for cut in range(0, len(whole), 7):
            uses = extract_imports(whole[:cut], "tsx").uses
            assert list(uses) == sorted(uses, key=lambda use: (use.line, use.column))
            for use in uses:
                line = lines[use.line - 1]
                assert line[use.column : use.column + len(use.local)] == use.local.encode()
            seen += len(uses)
    assert seen > 1000
