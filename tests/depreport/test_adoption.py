"""Adoption groups: matching, shares, type-only handling."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from depreport.adoption import AdoptionCounter, Group, Groups
from depreport.model import ImportRecord

GROUPS = Groups(
    (
        Group("Evergreen v4", packages=("evergreen-ui",), target=True),
        Group("Evergreen v3", packages=("evergreen-ui-v3", "evergreen-*")),
        Group("Legacy folder", paths=("src/ui/**",)),
    )
)


def measure_adoption(records: Iterable[ImportRecord], groups: Groups) -> dict[str, Any] | None:
    """The adoption block for records, counted file by file as a scan does."""
    counter = AdoptionCounter(groups)
    by_file: dict[str, list[ImportRecord]] = {}
    for found in records:
        by_file.setdefault(found.file, []).append(found)
    for path, found_in_file in by_file.items():
        counter.apply(path, found_in_file, +1)
    return counter.to_json()


def record(
    file: str, package: str, export: str, resolved: str = "npm", type_only: bool = False
) -> ImportRecord:
    return ImportRecord(
        file, 1, 0, "import", package, package, "", export, export, type_only, "tsx", resolved
    )


@pytest.mark.parametrize(
    ("package", "resolved", "group"),
    [
        pytest.param("evergreen-ui", "npm", "Evergreen v4", id="exact"),
        pytest.param("evergreen-buttons", "npm", "Evergreen v3", id="glob"),
        pytest.param("src/ui/Button", "relative", "Legacy folder", id="folder"),
        pytest.param("src/ui", "relative", "Legacy folder", id="folder-index"),
        pytest.param("src/ui", "npm", None, id="paths-only-match-local-modules"),
        pytest.param("src/uix/Button", "relative", None, id="folder-prefix-is-not-enough"),
        pytest.param("react", "npm", None, id="ungrouped"),
    ],
)
def test_classify(package: str, resolved: str, group: str | None) -> None:
    assert GROUPS.classify(package, resolved) == group


def test_shares_by_three_metrics() -> None:
    records = [
        record("a.tsx", "evergreen-ui", "Button"),
        record("a.tsx", "evergreen-ui", "Pane"),
        record("b.tsx", "evergreen-ui", "Button"),
        record("b.tsx", "evergreen-ui-v3", "Button"),
        record("c.tsx", "react", "default"),
    ]
    adoption = measure_adoption(records, GROUPS)
    assert adoption is not None
    v4, v3 = adoption["groups"]["Evergreen v4"], adoption["groups"]["Evergreen v3"]
    assert (v4["imports"], v4["files"], v4["components"]) == (3, 2, 2)
    assert (v3["imports"], v3["files"], v3["components"]) == (1, 1, 1)
    assert adoption["target_share"] == {"imports": 0.75, "files": 0.666667, "components": 0.666667}
    assert adoption["groups"]["Legacy folder"]["share"] == {"imports": 0.0, "files": 0.0, "components": 0.0}


def test_type_only_imports_are_left_out_unless_asked() -> None:
    records = [
        record("a.ts", "evergreen-ui", "Props", type_only=True),
        record("a.ts", "evergreen-ui-v3", "X"),
    ]
    left_out = measure_adoption(records, GROUPS)
    counted = measure_adoption(records, Groups(GROUPS.groups, include_type_only=True))
    assert left_out is not None and counted is not None
    assert left_out["target_share"]["imports"] == 0.0
    assert counted["target_share"]["imports"] == 0.5


def test_imports_inside_a_legacy_folder_are_internal() -> None:
    records = [
        record("src/ui/index.ts", "src/ui/Button", "default", resolved="relative"),
        record("src/app.tsx", "src/ui/Button", "default", resolved="relative"),
    ]
    adoption = measure_adoption(records, GROUPS)
    assert adoption is not None and adoption["groups"]["Legacy folder"]["imports"] == 1


def test_no_groups_no_adoption() -> None:
    assert measure_adoption([record("a.ts", "x", "y")], Groups()) is None
