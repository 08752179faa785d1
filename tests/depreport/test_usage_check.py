"""The usage block's check: a well-formed block passes fast, each damage is named by its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from depreport.report.schema.validate import report_problem
from depreport.tally.index import LiveIndex
from tests.depreport.test_series_check import entry, week


def report() -> dict[str, Any]:
    index = LiveIndex()
    index.set_file("src/a.tsx", entry("src/a.tsx", "ui", "react"))
    index.set_file("src/b.tsx", entry("src/b.tsx", "legacy"))
    return week(index)[0]


def test_a_block_from_the_index_passes() -> None:
    assert report_problem(report()) is None


DAMAGES: list[Any] = [
    pytest.param(
        lambda u: u["keys"].__setitem__(0, ["ui"]), "usage.keys[0] must be [package", id="short-key"
    ),
    pytest.param(lambda u: u["keys"][1].__setitem__(0, 3), "usage.keys[1] must be", id="key-not-named"),
    pytest.param(
        lambda u: u["rows"].__setitem__(0, [0, 0]), "usage.rows[0] must have 3 items", id="short-row"
    ),
    pytest.param(lambda u: u["rows"][1].__setitem__(0, 5), "usage.rows[1][0] must point into", id="owner-id"),
    pytest.param(lambda u: u["rows"][0].__setitem__(1, -1), "usage.rows[0][1] must point into", id="key-id"),
    pytest.param(
        lambda u: u["rows"][0].__setitem__(1, True), "usage.rows[0][1] must point into", id="bool-id"
    ),
    pytest.param(
        lambda u: u["rows"][0].__setitem__(2, []), "usage.rows[0][2] must be an object", id="exports"
    ),
    pytest.param(
        lambda u: u["rows"][0][2].__setitem__("Button", [1, -1]),
        'usage.rows[0][2]["Button"] must be',
        id="negative-count",
    ),
    pytest.param(
        lambda u: u["rows"][0][2].__setitem__("Button", [1]),
        'usage.rows[0][2]["Button"] must be',
        id="one-count",
    ),
    pytest.param(
        lambda u: u["files"][0].__setitem__(1, [99]),
        "usage.files[0][1] (code 99) must point into",
        id="code-past-keys",
    ),
    pytest.param(
        lambda u: u["files"][0].__setitem__(2, 1.5),
        "usage.files[0][2] must be a whole number",
        id="file-count",
    ),
    pytest.param(lambda u: u["files"].__setitem__(0, "x"), "usage.files[0] must be a list", id="signature"),
]


@pytest.mark.parametrize(("damage", "message"), DAMAGES)
def test_damage_is_named(damage: Callable[[dict[str, Any]], None], message: str) -> None:
    damaged = report()
    damage(damaged["usage"])
    assert (report_problem(damaged) or "").startswith(message)
