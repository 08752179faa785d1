"""The component walkers of depreport.report.walk on hand-written `components` blocks (schema 2 layout)."""

from __future__ import annotations

from typing import Any

from depreport.report.walk import (
    ComponentTotals,
    ComponentUse,
    ComponentValue,
    PropUse,
    component_props,
    component_totals,
    component_uses,
    component_values,
)

MODAL: dict[str, Any] = {
    "instances": 3,
    "files": {"a.tsx": [3]},
    "members": {
        "Header": {
            "instances": 2,
            "files": {"a.tsx": [4], "b.tsx": [9]},
            "props": {"title": {"count": 2, "not_set": 0, "values": {'"Hi"': 2}}},
        }
    },
    "props": {"open": {"count": 1, "not_set": 0, "values": {"true": 1}}},
    "values": {"count": 1, "files": {"c.tsx": [2]}, "via": {"call:styled": 1}},
}
REPORT: dict[str, Any] = {"components": {"@acme/ui": {"Modal": MODAL}}}


def test_uses_are_split_by_member() -> None:
    assert sorted(component_uses(REPORT)) == [
        ComponentUse("@acme/ui", "Modal", "", "a.tsx", (3,)),
        ComponentUse("@acme/ui", "Modal", "Header", "a.tsx", (4,)),
        ComponentUse("@acme/ui", "Modal", "Header", "b.tsx", (9,)),
    ]


def test_values_and_totals() -> None:
    assert list(component_values(REPORT)) == [ComponentValue("@acme/ui", "Modal", "c.tsx", (2,))]
    assert list(component_totals(REPORT)) == [ComponentTotals("@acme/ui", "Modal", 3, 1)]


def test_props_of_the_component_and_of_a_member() -> None:
    assert component_props(REPORT, "@acme/ui", "Modal") == [PropUse("open", 1, 0, {"true": 1})]
    assert component_props(REPORT, "@acme/ui", "Modal", "Header") == [PropUse("title", 2, 0, {'"Hi"': 2})]
    assert component_props(REPORT, "@acme/ui", "Nope") == []


def test_a_barrel_name_is_shown_where_it_comes_from_and_props_add_up() -> None:
    local = {"instances": 2, "files": {"d.tsx": [1, 5]}, "members": {},
             "props": {"open": {"count": 1, "not_set": 1, "values": {"false": 1}}},
             "values": {"count": 0, "files": {}, "via": {}}}  # fmt: skip
    report = {
        **REPORT,
        "components": {**REPORT["components"], "src/ui": {"Dialog": local}},
        "usage": {"through": [["src/ui", "Dialog", "@acme/ui", "", "npm", "Modal", "src/ui/index"]]},
    }
    assert ComponentUse("@acme/ui", "Modal", "", "d.tsx", (1, 5), "src/ui/index") in component_uses(report)
    assert component_props(report, "@acme/ui", "Modal") == [PropUse("open", 2, 1, {"true": 1, "false": 1})]


def test_a_schema_1_report_has_no_components() -> None:
    report = {"schema_version": 1, "packages": {}}
    assert [*component_uses(report), *component_values(report), *component_totals(report)] == []
