"""Property: extraction from the prefix (when it is kept) gives what the whole file gives.

Real code: every JS/TS file under fixtures/ (usage cases, codemod inputs and outputs, tiny repos), as
it is and with lines appended that mention its imported names in every form the usage pass knows
(elements, members, values passed on, declarations, comments, strings, lines that continue the
statement before them). The imports, uses and counts must be equal; whether a syntax error is seen
may differ only where the prefix was kept and the error lies after it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depreport.extract import extract_imports, extract_with_cut, jsx
from depreport.scan.languages import language_for

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FILES = sorted(
    path
    for path in FIXTURES.rglob("*")
    if path.is_file() and language_for(path.name) not in (None, "python") and "node_modules" not in path.parts
)
FORMS = [
    "<{n} />",
    "< {n} a={{1}} />",
    "<{n}.Item>t</{n}.Item>",
    "<{n}.item />",
    "const v = {n};",
    "const v = {n}.Sub;",
    "const v = {n}.sub.Deep;",
    "const v = {n}?.sub;",
    "const v = {n}\n  .Sub;",
    "f({n});",
    "{n}();",
    "{n}.call(x);",
    "// {n}",
    "'{n}';",
    "`${{{n}}}`;",
    "<div as={{{n}}} />;",
    "function g({n}) {{ return <{n} />; }}",
    "const {{ {n} }} = obj;",
    "export {{ {n} }};",
    "export default {n};",
    "styled({n})``;",
    "x = cond ? {n} : null;",
    "({n});",
    "[{n}];",
    "class C extends {n} {{}}",
    "let t: {n};",
    "run();",
]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _agrees(source: bytes, language: str) -> bool:
    """Check the property on one source; True when the prefix was kept."""
    mine, parsed = extract_with_cut(source, language)
    whole = extract_imports(source, language, whole=True)
    if parsed < len(source):
        assert not mine.syntax_error  # a prefix is kept only when it parses with no error
        assert replace(mine, syntax_error=whole.syntax_error) == whole
        return True
    assert mine == whole
    return False


def test_every_fixture_file_as_it_is() -> None:
    kept = sum(_agrees(path.read_bytes(), str(language_for(path.name))) for path in FILES)
    assert len(FILES) > 100 and kept > 10  # the property is tested on files that do keep a prefix


@SETTINGS
@given(
    index=st.integers(min_value=0, max_value=len(FILES) - 1),
    picks=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(FORMS)), min_size=1, max_size=4),
)
def test_lines_mentioning_imported_names_appended(index: int, picks: list[tuple[int, str]]) -> None:
    path = FILES[index]
    language = str(language_for(path.name))
    source = path.read_bytes()
    names = sorted(jsx.imported_locals(extract_imports(source, language, whole=True).imports)) or ["Other"]
    lines = [form.format(n=names[pick % len(names)]) for pick, form in picks]
    _agrees(source.rstrip(b"\n") + b"\n\n" + "\n".join(lines).encode() + b"\n", language)


@pytest.mark.parametrize("form", FORMS)
def test_each_form_after_a_real_file(form: str) -> None:
    path = FIXTURES / "usage" / "namespace-members" / "input.tsx"
    source = path.read_bytes()
    names = sorted(jsx.imported_locals(extract_imports(source, "tsx", whole=True).imports))
    for name in names:
        _agrees(source + b"\n" + form.format(n=name).encode() + b"\n", "tsx")
