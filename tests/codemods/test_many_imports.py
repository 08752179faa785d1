"""Files of thousands of import statements of one module are rewritten in time linear in them. Counted,
not timed: before, each statement merged into the first listed all it had gathered (5,000 statements:
6.5 s, 10,000: 27 s), and each edit was told to the old tree one by one (4.9 s of tree edits)."""

from __future__ import annotations

from typing import Any

import pytest

from codemods import js, jsplan
from codemods.edits import Edit
from codemods.rulefile import parse_rules
from codemods.runner import migrate_source
from depreport.scan.languages import tree_of

STATEMENTS = 400


def test_statements_of_one_module_merge_reading_each_binding_a_few_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = 0

    def get(self: jsplan.Binding) -> Any:
        nonlocal read
        read += 1
        return self.__dict__["_renamed_from"]

    def put(self: jsplan.Binding, value: Any) -> None:
        self.__dict__["_renamed_from"] = value

    monkeypatch.setattr(jsplan.Binding, "renamed_from", property(get, put))
    rules = parse_rules({"rule": [{"from": "@old", "to": "@new"}]}, "rules.toml")
    source = "".join(f"import {{ A{i} }} from '@old'\n" for i in range(STATEMENTS)).encode()
    result = migrate_source(source, "typescript", rules)
    names = ", ".join(f"A{i}" for i in range(STATEMENTS))
    assert (
        result.source is not None
        and result.source.decode().split("\n")[0] == f"import {{ {names} }} from '@new'"
    )
    assert read < 20 * STATEMENTS, read  # listed again at each merge: 80,000


class _Counted:
    """An old tree that counts the edits it is told about."""

    def __init__(self, tree: Any) -> None:
        self.tree, self.edits = tree, 0
        self.root_node = tree.root_node

    def edit(self, *args: Any) -> None:
        self.edits += 1


@pytest.mark.parametrize(("broken", "expected"), [(False, None), (True, "would add syntax errors")])
def test_many_edits_are_parsed_afresh_not_told_to_the_tree_one_by_one(
    broken: bool, expected: str | None
) -> None:
    body = "".join(f"import {{ A{i} }} from 'old{i}'\n" for i in range(STATEMENTS)).encode()
    old = _Counted(tree_of("typescript", body))
    edits = [
        Edit(body.index(f"'old{i}'".encode()), body.index(f"'old{i}'".encode()) + 1, b"'n")
        for i in range(STATEMENTS)
    ]
    if broken:
        edits[-1] = Edit(edits[-1].start, edits[-1].end, b"{")
    new = bytearray(body)
    for edit in sorted(edits, reverse=True):
        new[edit.start : edit.end] = edit.text
    problem = js.parse_regression(old, body, bytes(new), edits, "typescript")  # type: ignore[arg-type]
    assert old.edits == 0
    assert (problem is None) if expected is None else (expected in (problem or ""))
