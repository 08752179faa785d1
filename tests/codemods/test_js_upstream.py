"""Published import codemods' own test fixtures, each expressed as rules of ours.

Every `fixtures/codemods/upstream-*/` folder holds one upstream codemod's input (`<case>.input.<ext>`),
its expected output as upstream wrote it (`<case>.upstream.<ext>`) and our rules. test_fixtures checks
our output byte for byte (`<case>.expected.<ext>`) and that a second run changes nothing; here our output
must mean what upstream's means: the same import bindings, and the same code once imports are set aside
(whitespace, quote style and semicolons are the printer's business: upstream reprints with recast, which
adds one after a `return (…)` it reformats, or with prettier, which ends every statement with one), and
so are pf-codemods' markers (`/* data-codemods */` after a name it moved, a `data-codemods` JSX attribute
on an element it renamed: its other rules read them and its data-codemods-cleanup rule removes them). A
case our rules cannot express safely is refused when the rules load (`refused.toml`), never rewritten wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tree_sitter import Node

from codemods.rulefile import load_rules
from codemods.runner import migrate_source
from depreport.errors import ConfigError
from depreport.extract import extract_imports
from depreport.scan.languages import language_for, parser
from tests.conftest import FIXTURES

FOLDERS = sorted((FIXTURES / "codemods").glob("upstream-*"))


def _cases() -> list[object]:
    return [
        pytest.param(source, id=f"{source.parent.name}/{source.name}")
        for folder in FOLDERS
        if (folder / "rules.toml").is_file()
        for source in sorted(folder.glob("*.input.*"))
    ]


def meaning(source: bytes, language: str) -> tuple[list[tuple[str, str, str, str | None, bool]], bytes]:
    """The import bindings of a file, and its other top-level code without whitespace, quotes unified."""
    records = sorted(
        (
            (r.kind, r.specifier, r.export, r.local, r.type_only)
            for r in extract_imports(source, language).imports
        ),
        key=repr,  # a whole-module require() has no export name
    )
    root = parser(language).parse(source).root_node
    rest = b"".join(node.text or b"" for node in root.children if not _imports_only(node))
    unmarked = re.sub(rb"\s*/\* data-codemods \*/|\s+data-codemods(?=[\s/>])", b"", rest)
    code = re.sub(rb"\s+", b"", unmarked).replace(b'"', b"'")
    return records, code.replace(b";", b"")


def _imports_only(node: Node) -> bool:
    """An import statement, or a declaration whose every value is a `require('…')` (the records hold it)."""
    if node.type == "import_statement":
        return True
    if node.type not in ("lexical_declaration", "variable_declaration"):
        return False
    values = [d.child_by_field_name("value") for d in node.named_children if d.type == "variable_declarator"]
    calls = [
        v.child_by_field_name("function") for v in values if v is not None and v.type == "call_expression"
    ]
    return (
        bool(values)
        and len(calls) == len(values)
        and all(c is not None and c.text == b"require" for c in calls)
    )


@pytest.mark.parametrize("source", _cases())
def test_our_rewrite_means_what_upstream_wrote(source: Path) -> None:
    language = language_for(source.name)
    assert language is not None
    result = migrate_source(source.read_bytes(), language, load_rules(source.parent / "rules.toml"))
    assert result.error is None and result.notes == ()
    upstream = source.with_name(source.name.replace(".input.", ".upstream."))
    assert result.source != source.read_bytes()
    assert meaning(result.source, language) == meaning(upstream.read_bytes(), language)


@pytest.mark.parametrize(
    "folder", [pytest.param(f, id=f.name) for f in FOLDERS if (f / "refused.toml").is_file()]
)
def test_what_cannot_be_done_safely_is_refused_at_load(folder: Path) -> None:
    expected = (folder / "refused.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ConfigError) as raised:
        load_rules(folder / "refused.toml")
    assert expected in raised.value.message


def test_there_are_upstream_cases() -> None:
    assert len(_cases()) >= 6
