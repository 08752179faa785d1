"""The `components` block (depreport.tally.components): instances, members, props and value uses, exactly."""

from __future__ import annotations

import json

from depreport.model import EXPRESSION, SPREAD, Prop, UseRecord
from depreport.tally.components import ComponentTally


def element(path: str, line: int, export: str, member: str = "", props: tuple[Prop, ...] = ()) -> UseRecord:
    return UseRecord(path, line, 0, "@eg/ui", "", export, member, "instance", "", "", props, "npm")


def value(path: str, line: int, export: str, via: str, detail: str) -> UseRecord:
    return UseRecord(path, line, 0, "@eg/ui", "", export, "", "value", via, detail, (), "npm")


A = (
    element("a.tsx", 3, "Modal", props=(("open", "true"),)),
    element("a.tsx", 4, "Modal", "Header", (("title", '"Hi"'),)),
    element("a.tsx", 9, "Modal"),
    element("a.tsx", 9, "Button", props=(("appearance", '"primary"'), (SPREAD, SPREAD))),
)
B = (
    element("b.tsx", 2, "Button", props=(("appearance", EXPRESSION),)),
    value("b.tsx", 7, "Button", "attribute", "as"),
    value("b.tsx", 8, "Button", "call", "styled"),
    value("b.tsx", 9, "Button", "variable", "Tag"),
)


def test_the_block_counts_instances_members_props_and_values() -> None:
    tally = ComponentTally()
    tally.apply("a.tsx", A, +1)
    tally.apply("b.tsx", B, +1)
    assert tally.to_json() == {
        "@eg/ui": {
            "Button": {
                "instances": 2,
                "files": {"a.tsx": [9], "b.tsx": [2]},
                "members": {},
                "props": {
                    "appearance": {"count": 2, "not_set": 0, "values": {'"primary"': 1, EXPRESSION: 1}},
                    SPREAD: {"count": 1, "not_set": 1, "values": {SPREAD: 1}},
                },
                "values": {"count": 3, "files": {"b.tsx": [7, 8, 9]},
                           "via": {"attribute:as": 1, "call:styled": 1, "variable": 1}},
            },
            "Modal": {
                "instances": 3,
                "files": {"a.tsx": [3, 9]},
                "members": {"Header": {"instances": 1, "files": {"a.tsx": [4]},
                                       "props": {"title": {"count": 1, "not_set": 0, "values": {'"Hi"': 1}}}}},
                "props": {"open": {"count": 1, "not_set": 1, "values": {"true": 1}}},
                "values": {"count": 0, "files": {}, "via": {}},
            },
        }
    }  # fmt: skip
    assert json.loads(tally.text()) == tally.to_json()


def test_removing_a_file_leaves_what_the_other_gives_alone() -> None:
    tally, only_b = ComponentTally(), ComponentTally()
    tally.apply("a.tsx", A, +1)
    tally.apply("b.tsx", B, +1)
    tally.apply("a.tsx", A, -1)
    only_b.apply("b.tsx", B, +1)
    assert tally.text() == only_b.text()
    assert tally.to_json()["@eg/ui"]["Button"]["props"]["appearance"]["not_set"] == 0
    assert (
        SPREAD not in tally.to_json()["@eg/ui"]["Button"]["props"]
        and "Modal" not in tally.to_json()["@eg/ui"]
    )
    tally.apply("b.tsx", B, -1)
    assert not tally and tally.text() == "{}"


def test_a_restored_tally_writes_the_same_text_and_updates_alike() -> None:
    tally = ComponentTally()
    tally.apply("a.tsx", A, +1)
    restored = ComponentTally.restore(tally.save())
    assert restored.text() == tally.text()
    for each in (tally, restored):
        each.apply("b.tsx", B, +1)
        each.apply("a.tsx", A, -1)
    assert restored.text() == tally.text() and restored.to_json() == tally.to_json()


def test_a_prop_passed_twice_on_one_element_counts_twice_and_the_element_once() -> None:
    tally = ComponentTally()
    twice = element("c.tsx", 1, "Box", props=((SPREAD, SPREAD), ("p", "1"), (SPREAD, SPREAD)))
    tally.apply("c.tsx", (twice, element("c.tsx", 2, "Box")), +1)
    props = tally.to_json()["@eg/ui"]["Box"]["props"]
    assert props[SPREAD] == {"count": 2, "not_set": 1, "values": {SPREAD: 2}}
    assert props["p"] == {"count": 1, "not_set": 1, "values": {"1": 1}}
    tally.apply("c.tsx", (twice, element("c.tsx", 2, "Box")), -1)
    assert tally.to_json() == {}
