"""Every extraction fixture, run under every grammar that can parse it.

A case is a folder under fixtures/extract/ with one `input.<ext>` and an `expected.json`.
Adding a case adds files, no code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depreport.extract import extract_imports
from tests.conftest import FIXTURES

# Grammars that can read each input extension: plain JS is valid TS and TSX too.
GRAMMARS = {
    ".js": ("javascript", "typescript", "tsx"),
    ".jsx": ("javascript", "tsx"),
    ".ts": ("typescript", "tsx"),
    ".tsx": ("tsx",),
    ".py": ("python",),
}


def _cases() -> list[object]:
    params = []
    for folder in sorted((FIXTURES / "extract").iterdir()):
        source = next(folder.glob("input.*"))
        expected = folder / "expected.json"
        grammars = GRAMMARS[source.suffix]
        if expected.exists():
            grammars = tuple(json.loads(expected.read_text())["grammars"])
        for grammar in grammars:
            params.append(pytest.param(source, grammar, id=f"{folder.name}[{grammar}]"))
    return params


def _observed(source: Path, grammar: str) -> dict[str, object]:
    extraction = extract_imports(source.read_bytes(), grammar)
    return {
        "imports": [
            [r.line, r.kind, r.specifier, r.export, r.local, r.type_only] for r in extraction.imports
        ],
        "unresolvable": extraction.unresolvable,
        "syntax_error": extraction.syntax_error,
    }


@pytest.mark.parametrize(("source", "grammar"), _cases())
def test_extraction_matches_fixture(source: Path, grammar: str, update_goldens: bool) -> None:
    expected_file = source.parent / "expected.json"
    observed = _observed(source, grammar)
    if update_goldens and (not expected_file.exists() or grammar == _primary(source, expected_file)):
        grammars = GRAMMARS[source.suffix]
        if expected_file.exists():
            grammars = tuple(json.loads(expected_file.read_text())["grammars"])
        document = {"grammars": list(grammars), **observed}
        expected_file.write_text(json.dumps(document, indent=1) + "\n")
    expected = json.loads(expected_file.read_text())
    assert observed["imports"] == expected["imports"]
    assert observed["unresolvable"] == expected["unresolvable"]
    if grammar == _primary(source, expected_file):
        assert observed["syntax_error"] == expected["syntax_error"]


def _primary(source: Path, expected_file: Path) -> str:
    """The grammar of the file's own extension; the others may report errors the file does not have."""
    grammars = (
        json.loads(expected_file.read_text())["grammars"]
        if expected_file.exists()
        else GRAMMARS[source.suffix]
    )
    return str(grammars[0])
