"""The prefix parse cuts only where the statements before the cut cannot change, and finds the same imports."""

from __future__ import annotations

import pytest

from depreport.extract import js, prefix, tolerant

WHOLE = -1


@pytest.mark.parametrize(
    ("source", "cut_before"),
    [
        pytest.param("import a from 'a';\nimport b from 'b'\nconst c = a + b;\n", "const c", id="plain"),
        pytest.param("import a from 'a'\n(function () {})()\nrun()\n", "run()", id="paren-line"),
        pytest.param("const a = require('a')\n.then(x)\nrun()\n", "run()", id="member-chain"),
        pytest.param("const a = require('a')\n?.b\nrun()\n", "run()", id="optional-chain"),
        pytest.param("const a = require('a')\n[0]\nrun()\n", "run()", id="index"),
        pytest.param("const a = require('a')\n`t`\nrun()\n", "run()", id="template-tag"),
        pytest.param("const a = require('a')\n+ 1\nrun()\n", "run()", id="plus"),
        pytest.param("const a = require('a')\n/ 2 /g\nrun()\n", "run()", id="slash"),
        # `from` may continue an export clause: never cut before it (the grammar then fails on the whole file)
        pytest.param("import b from 'b'\nexport { a }\nfrom 'x'\nrun()\n", WHOLE, id="export-from-next-line"),
        pytest.param("if (a) require('x')\nelse b()\nrun()\n", "run()", id="else"),
        pytest.param("const a = require('a')\n// a note\nrun()\n", "// a note", id="comment-then-code"),
        pytest.param("const a = require('a'), t = `\nat column 0\n`\nrun()\n", "run()", id="inside-template"),
        pytest.param("import {\n  a,\n  b,\n} from 'a'\nrun(a, b)\n", "run(a", id="multi-line-import"),
        pytest.param("import a from 'a'\n// only comments follow\n", WHOLE, id="only-comments-after"),
        pytest.param("import a from 'a'; run(a); run(a); run(a);", WHOLE, id="one-line"),
        pytest.param("(function () {\n  var a = require('a');\n  a();\n})();\n", WHOLE, id="wrapped-module"),
        pytest.param(
            "const a = require('a'), t = `\nx\n`, u = `\ny\n`, v = `\nz\n`\nrun()\n",
            WHOLE,
            id="too-many-tries",
        ),
    ],
)
def test_cut(source: str, cut_before: str | int) -> None:
    data = source.encode()
    offsets = [m.span() for m in js.CANDIDATES.finditer(data)]
    parsed, cut = prefix.parse_prefix(data, "tsx", offsets[-1][1])
    assert cut == (len(data) if cut_before == WHOLE else data.index(str(cut_before).encode()))
    whole = tolerant.parse(data, "tsx").tree.root_node
    assert js.find_imports(parsed.tree.root_node, data[:cut], offsets, "tsx").found == (
        js.find_imports(whole, data, offsets, "tsx").found
    )
    assert js.find_imports(parsed.tree.root_node, data[:cut], offsets, "tsx").found  # something was found


@pytest.mark.parametrize("language", ["javascript", "typescript", "tsx"])
def test_every_grammar_cuts_after_the_imports(language: str) -> None:
    data = b"import a from 'a'\nexport * from 'b'\n\nfunction f() {\n  return a\n}\n"
    parsed, cut = prefix.parse_prefix(data, language, data.index(b"export") + 6)
    assert cut == data.index(b"function") and not parsed.tree.root_node.has_error


@pytest.mark.parametrize(
    ("source", "keyword"),
    [
        pytest.param("import a from 'a'\nexport const b = a\n", 0, id="export-const"),
        pytest.param("import a from 'a'\nexport { a }\n", 0, id="export-clause"),
        pytest.param("import a from 'a'\nexport default a\n", 0, id="export-default"),
        pytest.param("import a from 'a'\nexport type T = A\n", 0, id="export-type-alias"),
        pytest.param("import a from 'a'\nexport { b } from 'b'\n", 1, id="reexport"),
        pytest.param("import a from 'a'\nexport { b }\n  from 'b'\n", 1, id="reexport-next-line"),
        pytest.param("import a from 'a'\nexport type { B } from 'b'\n", 1, id="type-reexport"),
        pytest.param("import a from 'a'\nexport * from 'b'\n", 1, id="star"),
        pytest.param("export const b = require('b')\nexport { b }\n", 1, id="require-in-export"),
        pytest.param("export const b = 1\n", None, id="no-record-keyword"),
    ],
)
def test_last_keyword_that_may_bring_a_record(source: str, keyword: int | None) -> None:
    """`keyword`: which keyword (0-based) is the last that may bring a record; None: none does."""
    data = source.encode()
    offsets = [m.span() for m in js.CANDIDATES.finditer(data)]
    assert prefix.last_keyword_end(data, offsets) == (0 if keyword is None else offsets[keyword][1])
