"""Every usage fixture, run under every grammar that can parse it.

A case is a folder under fixtures/usage/ (or fixtures/usage/real/, files from public repositories with
their source in SOURCE.md) holding one `input.<ext>` and an `expected.json`: the `uses` of
`extract_imports(...)`, one per line as [line, column, local, member, kind, via, detail, props].
Adding a case adds files, no code; `--update-goldens` writes the expected file from the primary grammar.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.extract import extract_imports
from tests.conftest import FIXTURES
from tests.depreport.test_extract_fixtures import GRAMMARS

USAGE = FIXTURES / "usage"


def _cases() -> list[object]:
    params = []
    for source in sorted(USAGE.rglob("input.*")):
        for grammar in _grammars(source):
            name = source.parent.relative_to(USAGE).as_posix()
            params.append(pytest.param(source, grammar, id=f"{name}[{grammar}]"))
    return params


def _grammars(source: Path) -> tuple[str, ...]:
    expected = source.parent / "expected.json"
    if expected.exists():
        return tuple(json.loads(expected.read_text())["grammars"])
    return GRAMMARS[source.suffix]


def _observed(source: Path, grammar: str) -> list[list[object]]:
    uses = extract_imports(source.read_bytes(), grammar).uses
    return [[*use[:7], [list(prop) for prop in use.props]] for use in uses]


def _dump(grammars: tuple[str, ...], uses: list[list[object]]) -> str:
    rows = ",\n".join("  " + json.dumps(use) for use in uses)
    head = json.dumps({"grammars": list(grammars)})[:-1]
    return f'{head}, "uses": [\n{rows}\n]}}\n'


@pytest.mark.parametrize(("source", "grammar"), _cases())
def test_uses_match_fixture(source: Path, grammar: str, update_goldens: bool) -> None:
    expected_file = source.parent / "expected.json"
    observed = _observed(source, grammar)
    grammars = _grammars(source)
    if update_goldens and grammar == grammars[0]:
        expected_file.write_text(_dump(grammars, observed))
    assert observed == json.loads(expected_file.read_text())["uses"]


def test_every_case_has_an_expected_file() -> None:
    inputs = sorted(USAGE.rglob("input.*"))
    assert len(inputs) >= 16
    assert [p for p in inputs if not (p.parent / "expected.json").exists()] == []
