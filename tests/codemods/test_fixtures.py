"""Every codemod fixture: input -> expected (byte for byte), run twice; no-op cases stay byte-identical.

A folder under fixtures/codemods/ holds a `rules.toml` and its cases:
  <case>.input.<ext> + <case>.expected.<ext>   a rewrite
  <case>.noop.<ext>                            a file the rules must leave exactly as it is
  <case>.sites.txt (optional)                  the sites reported as left alone, `line: message` per line
Adding a case adds files, no code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.rulefile import load_rules
from codemods.runner import migrate_source
from depreport.scan.languages import language_for
from tests.conftest import FIXTURES

CASES = FIXTURES / "codemods"


def _cases() -> list[object]:
    params = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "rules.toml").is_file()):
        for source in sorted(folder.glob("*.input.*")) + sorted(folder.glob("*.noop.*")):
            case, kind, ext = source.name.split(".", 2)
            expected = source if kind == "noop" else folder / f"{case}.expected.{ext}"
            params.append(pytest.param(source, expected, id=f"{folder.name}/{case}.{kind}.{ext}"))
    return params


def _sites(source: Path) -> list[str]:
    case = source.name.split(".", 1)[0]
    listed = source.parent / f"{case}.sites.txt"
    return listed.read_text(encoding="utf-8").splitlines() if listed.exists() else []


@pytest.mark.parametrize(("source", "expected"), _cases())
def test_fixture(source: Path, expected: Path, update_goldens: bool) -> None:
    rules = load_rules(source.parent / "rules.toml")
    language = language_for(source.name, include_declarations=True)
    assert language is not None
    first = migrate_source(source.read_bytes(), language, rules)
    assert first.error is None
    if update_goldens and expected != source:
        expected.write_bytes(first.source)
    assert first.source == expected.read_bytes()
    assert [f"{n.line}: {n.message}" for n in first.notes] == _sites(source)
    second = migrate_source(first.source, language, rules)
    assert second.error is None
    assert second.source == first.source, "a second run changed the file again"


def test_every_case_has_its_expected_file() -> None:
    inputs = list(CASES.glob("*/*.input.*"))
    assert len(inputs) >= 40
    for source in inputs:
        case, _, ext = source.name.split(".", 2)
        assert (source.parent / f"{case}.expected.{ext}").is_file(), source
