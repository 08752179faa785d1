"""Import lists of thousands of names (an icon set's barrel, a generated module) are rewritten in time
linear in their names. Counted, not timed: before, each name was looked for among all the others in
four places, and a list of 8,000 names under a rule moving half of them took 2.7 s (Python's: 13 s)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codemods import jslists, jsplan
from codemods.jscarry import Item
from codemods.rulefile import parse_rules
from codemods.runner import migrate_source
from tests.helpers import count_calls

NAMES = 400


def _rules(moved: list[str]) -> dict[str, object]:
    exports = {name: f"new-lib:{name}" for name in moved}
    return {
        "rule": [{"id": "split", "from": "old-lib", "to": "old-lib", "move": "listed", "exports": exports}]
    }


def test_a_long_list_half_moved_compares_bindings_a_linear_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [f"N{i}" for i in range(NAMES)]
    source = (
        "import {\n" + "".join(f"  {n}, // after {n}\n" for n in names) + "} from 'old-lib';\n"
    ).encode() + "".join(f"use({n});\n" for n in names).encode()
    rules = parse_rules(_rules(names[::2]), "rules.toml")
    compared = count_calls(monkeypatch, jsplan.Binding, "__eq__")
    result = migrate_source(source, "typescript", rules)
    assert result.source is not None
    text = result.source.decode()
    old, _, new = text.partition("} from 'old-lib';")
    assert [line.strip() for line in old.splitlines()[1:]] == [f"{n}, // after {n}" for n in names[1::2]]
    moved = new.split("} from 'new-lib';")[0].splitlines()
    assert [line.strip() for line in moved[2:]] == [f"{n}, // after {n}" for n in names[::2]]
    assert result.notes == ()  # each took its own comment along: nothing to check by hand
    assert compared.count < 10 * NAMES, compared


@dataclass
class _Spec:
    local: str


@given(
    st.lists(st.text("abc", min_size=1, max_size=3), max_size=8),
    st.lists(st.text("abc", min_size=1, max_size=3), max_size=8),
)
def test_added_names_go_before_the_first_kept_name_sorting_after_them(
    kept_names: list[str], added_names: list[str]
) -> None:
    """Kept names in any order (a list sorted by hand is not always sorted): each added name goes
    before the first kept one, in the list's order, that sorts after it, else at the end."""
    specs = [_Spec(name) for name in kept_names]
    added = [Item(name) for name in added_names]
    kept = list(range(len(specs)))
    before, last = jslists._place(specs, kept, added, str)  # type: ignore[arg-type]
    for item in added:
        index = next((i for i in kept if specs[i].local > item.name), None)
        assert item in (last if index is None else before[index])
    assert sum(map(len, before.values())) + len(last) == len(added)


def test_placing_many_added_names_orders_each_name_once() -> None:
    calls = 0

    def order(name: str) -> str:
        nonlocal calls
        calls += 1
        return name

    specs = [_Spec(f"K{i:04}") for i in range(NAMES)]
    added = [Item(f"Z{i:04}") for i in range(NAMES)]  # each sorts after every kept name: all were looked at
    before, last = jslists._place(specs, list(range(NAMES)), added, order)  # type: ignore[arg-type]
    assert before == {} and last == added
    assert calls < 4 * NAMES, calls
