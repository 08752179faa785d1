"""Component usage beyond imports for the page: instances per file, a tile's props, indirect dependence.

Reports are the sample app's golden report (a real scan of fixtures/repos/mini-app) and copies of it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from dashboard.charts import usage_treemap
from dashboard.components import (
    dependence_frame,
    has_instances,
    indirect_summary,
    instance_counts,
    tile_props,
)
from dashboard.usage import low_hanging_fruit, node_id, report_usage, treemap_nodes
from depreport.report.walk import components_part
from tests.conftest import FIXTURES


def golden(repo: str = "acme/mini-app") -> dict[str, Any]:
    report: dict[str, Any] = json.loads((FIXTURES / "golden" / "mini-app.report.json").read_text("utf-8"))
    report["repo"] = repo
    return report


def test_instances_per_file_as_the_sample_app_renders_them() -> None:
    counts = instance_counts(golden())
    # <Pane {...props}> in Home.tsx, <Pane elevation={1}> in Card.tsx, <EG.Pane> in Settings.jsx
    assert {k: n for k, n in counts.items() if k[:2] == ("evergreen-ui", "Pane")} == {
        ("evergreen-ui", "Pane", "src/pages/Home.tsx"): 1,
        ("evergreen-ui", "Pane", "src/ui/Card.tsx"): 1,
        ("evergreen-ui", "Pane", "src/pages/Settings.jsx"): 1,
    }
    assert ("packages/theme", "colors", "src/pages/Home.tsx") not in counts  # a value use, no element


def test_usage_rows_carry_instances_and_the_treemap_sizes_by_them() -> None:
    rows = report_usage(golden())
    pane = rows[(rows["package"] == "evergreen-ui") & (rows["export"] == "Pane")]
    assert dict(zip(pane["file"], pane["instances"], strict=True)) == {
        "src/pages/Home.tsx": 1, "src/pages/Settings.jsx": 1, "src/ui/Card.tsx": 1,
    }  # fmt: skip
    settings = pane[pane["file"] == "src/pages/Settings.jsx"]  # <EG.Pane>: the import line is of `*`
    assert settings[["lines", "imports"]].values.tolist() == [[(), 0]]
    assert (low_hanging_fruit(rows)["imports"] > 0).all()
    nodes = treemap_nodes(rows, size="instances")
    value = dict(zip(nodes["id"], nodes["value"], strict=True))
    assert value[node_id("Evergreen v4", "evergreen-ui", "Pane")] == 3
    assert node_id("Evergreen v4", "evergreen-ui", "Icon") not in value  # imported, never rendered
    by_imports = treemap_nodes(rows)
    assert node_id("Evergreen v4", "evergreen-ui", "Icon") in set(by_imports["id"])
    option = usage_treemap(nodes, unit="instances")
    assert option["series"][0]["tooltip"] == {"valueFormatter": "%,d instances"}


def test_a_report_without_instances_has_no_instance_tiles() -> None:
    older = golden()
    older["components"] = {}  # how a report of schema 1 reads
    assert treemap_nodes(report_usage(older), size="instances").empty
    assert not has_instances(components_part(older)) and has_instances(components_part(golden()))
    assert not has_instances(None)


def test_tile_props_add_up_over_the_repos_shown() -> None:
    other = golden("acme/other")
    other["components"]["evergreen-ui"]["Pane"]["instances"] = 5
    other["components"]["evergreen-ui"]["Pane"]["props"]["elevation"] = {
        "count": 3, "not_set": 2, "values": {"2": 2, "1": 1},
    }  # fmt: skip
    other["components"]["evergreen-ui"]["Pane"]["members"] = {
        "Header": {"instances": 2, "files": {"src/x.tsx": [4, 5]}, "props": {}}
    }
    parts = {report["repo"]: components_part(report) for report in (golden(), other)}
    both = tile_props(parts, ["acme/mini-app", "acme/other"], "evergreen-ui", "Pane")
    assert both is not None and both.instances == 8 and both.members == {"Header": 2}
    elevation = next(p for p in both.props if p.name == "elevation")
    assert (elevation.passed, elevation.not_set, list(elevation.values.items())) == (
        4,
        4,
        [("1", 2), ("2", 2)],
    )
    one = tile_props(parts, ["acme/other"], "evergreen-ui", "Pane")
    assert one is not None and one.instances == 5
    assert tile_props(parts, ["acme/mini-app"], "evergreen-ui", "Icon") is None
    assert tile_props(parts, ["acme/gone"], "evergreen-ui", "Pane") is None


def adoption_with_wrappers(report: dict[str, Any], indirect: int) -> dict[str, Any]:
    dated = copy.deepcopy(report)
    for name, group in dated["adoption"]["groups"].items():
        group["files_direct"] = group["files"]
        group["files_indirect"] = 0 if group["target"] else indirect
        group["wrappers"] = (
            [] if group["target"] else [{"module": "src/ui/Button.tsx", "importers": indirect}]
        )
        if name == "React UI Library":
            group["files_indirect"] = 0
    return dated


def test_indirect_dependence_of_the_groups_being_replaced() -> None:
    frame = dependence_frame([adoption_with_wrappers(golden(), 4), adoption_with_wrappers(golden("b/c"), 1)])
    found = indirect_summary(frame, None)
    groups = {group: (indirect, wrappers) for group, _, indirect, wrappers in found}
    assert groups == {"Evergreen v3": (5, 2), "Legacy ui folder": (5, 2)}  # not the target, not zero
    [first, *_] = indirect_summary(frame, "b/c")
    assert first[2] == 1
    stale = {group: indirect for group, _, indirect, _ in indirect_summary(frame, None, leave_out=["b/c"])}
    assert stale == {"Evergreen v3": 4, "Legacy ui folder": 4}  # org-wide, as the shares: no stale repo
    older = golden()
    for group in older["adoption"]["groups"].values():  # a run that stored no local import graph
        for key in ("files_direct", "files_indirect", "wrappers"):
            group.pop(key, None)
    assert dependence_frame([older]).empty and indirect_summary(dependence_frame([older]), None) == []
