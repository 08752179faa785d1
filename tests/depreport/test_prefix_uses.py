"""Extraction parses only the prefix holding the imports when no use can follow it, and then finds
exactly what the whole file gives: each guard of `jsx.names_after` sends the file to a whole parse."""

from __future__ import annotations

import pytest

from depreport.extract import extract_imports, extract_with_cut
from depreport.extract.occurrences import keywords, member_names, opens_tag

HEAD = (
    "import { Button, debounce } from 'ui';\n"
    "import * as ns from 'ns';\n"
    "import Link from 'link';\n"
    "import type { Props } from 'types';\n"
    "\n"
)
PREFIX, WHOLE = "prefix", "whole"


@pytest.mark.parametrize(
    ("tail", "parse"),
    [
        pytest.param("export const f = debounce;\n", PREFIX, id="lowercase-value"),
        pytest.param("run(debounce(1), ns.helper(2));\n", PREFIX, id="calls"),
        pytest.param("const h = ns.helper.inner;\n", PREFIX, id="lowercase-member"),
        pytest.param("const x = a.Button + b.Link;\n", PREFIX, id="properties-of-others"),
        pytest.param("function f(p: Props) {\n  return p;\n}\n", PREFIX, id="type-only-import"),
        pytest.param("const e = <div />;\n", PREFIX, id="no-imported-name"),
        pytest.param("const B = () => <Button />;\n", WHOLE, id="instance"),
        pytest.param("const B = () => < /* a */ Button />;\n", WHOLE, id="instance-after-comment"),
        pytest.param("const B = () => <ns.Card />;\n", WHOLE, id="namespace-instance"),
        pytest.param("const B = () => <ns.card />;\n", WHOLE, id="lowercase-namespace-instance"),
        pytest.param("const B = () => <div as={Link} />;\n", WHOLE, id="as-prop"),
        pytest.param("const S = styled(Button)``;\n", WHOLE, id="styled-argument"),
        pytest.param("const C = ns.Card;\n", WHOLE, id="capitalised-member"),
        pytest.param("const C = ns\n  /* b */ ?.Card;\n", WHOLE, id="capitalised-member-after-blanks"),
        pytest.param("const C = ns?.[key];\n", WHOLE, id="member-not-read"),
        pytest.param("const C = ns. /* open", WHOLE, id="comment-left-open"),
        pytest.param("const C = ns.\u00c9tat;\n", WHOLE, id="member-not-ascii"),
        pytest.param("// see Button\n", WHOLE, id="name-in-comment"),
        pytest.param("const s = 'debounce';\n", PREFIX, id="lowercase-name-in-string"),
        pytest.param("const s = 'Button';\n", WHOLE, id="name-in-string"),
        pytest.param("(function () {\n  return <Button />;\n})();\n", WHOLE, id="paren-line-then-use"),
        # no cut before a line that may continue the statement: the use is in the prefix
        pytest.param("`${Button}`;\nrun();\n", PREFIX, id="template-line-holding-a-use"),
        pytest.param("`t`;\nrun(Button);\n", WHOLE, id="template-line-then-use"),
        pytest.param(
            "(function () {\n  return Button;\n})();\nrun(debounce);\n", PREFIX, id="paren-line-in-prefix"
        ),
    ],
)
def test_prefix_is_kept_only_when_no_use_can_follow(tail: str, parse: str) -> None:
    source = (HEAD + tail).encode()
    extraction, parsed = extract_with_cut(source, "tsx")
    assert (parsed < len(source)) == (parse == PREFIX)
    assert extraction == extract_imports(source, "tsx", whole=True)


def test_a_name_rendered_before_the_cut_counts_as_a_value_after_it() -> None:
    """`icon` is lowercase, but rendered in the prefix: `const i = icon` after the cut is a use."""
    source = (
        b"import icon from 'icons';\nconst e = <icon />;\nconst x = require('x');\n\nexport const i = icon;\n"
    )
    extraction, parsed = extract_with_cut(source, "tsx")
    assert parsed == len(source)
    assert [(use.local, use.kind, use.line) for use in extraction.uses] == [
        ("icon", "instance", 2),
        ("icon", "value", 5),
    ]
    assert extraction == extract_imports(source, "tsx", whole=True)


def test_syntax_error_after_the_cut() -> None:
    """Seen when a use may follow (the whole file is parsed); not seen when none can: the bytes after
    the imports are not parsed (on the bench corpus, all such errors were valid code misread)."""
    broken = b"const = ;\n"
    with_use = HEAD.encode() + b"const B = () => <Button />;\n" + broken
    assert extract_imports(with_use, "tsx") == extract_imports(with_use, "tsx", whole=True)
    assert extract_imports(with_use, "tsx").syntax_error
    without = HEAD.encode() + b"run(debounce);\n" + broken
    assert not extract_imports(without, "tsx").syntax_error
    assert extract_imports(without, "tsx", whole=True).syntax_error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("X.a?.B rest", ["a", "B"], id="plain"),
        pytest.param("X . a // c\n . B", ["a", "B"], id="blanks-and-comments"),
        pytest.param("X ? a : b", [], id="choice"),
        pytest.param("X?.5 : 1", [], id="choice-of-a-number"),
        pytest.param("X...", None, id="dots"),
        pytest.param("X.#p", None, id="private"),
        pytest.param("X.a.\u00e9", None, id="not-ascii"),
        pytest.param("X.a \u00a0.B", None, id="space-not-ascii"),
    ],
)
def test_member_names(text: str, expected: list[str] | None) -> None:
    assert member_names(text.encode(), 1) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("<X", True, id="tag"),
        pytest.param("<\n  X", True, id="tag-blanks"),
        pytest.param("< /* c */ X", True, id="tag-comment"),
        pytest.param("a(X", False, id="argument"),
        pytest.param("X", False, id="start"),
        pytest.param("a\u00a0X", True, id="not-ascii"),
    ],
)
def test_opens_tag(text: str, expected: bool) -> None:
    data = text.encode()
    assert opens_tag(data, data.rindex(b"X")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "import a from 'a'; export * from 'b'; require('c')",
        "reimport exported required import_ $import import$ _export export1 1export",
        "a.import(x); x.require; /*export*/ 'import'",
        "",
        "import",
        "é import é",
    ],
)
def test_keywords_finds_what_the_regular_expression_finds(text: str) -> None:
    import re

    data = text.encode()
    pattern = re.compile(rb"\b(?:import|export|require)\b")
    expected = [match.span() for match in pattern.finditer(data)]
    assert keywords(data, (b"import", b"export", b"require")) == expected
