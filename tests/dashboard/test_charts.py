"""Figures: one trace per group, escaped names, treemap ids that round-trip to a tile's path."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.charts import TARGET_COLOUR, adoption_trend, group_colours, usage_treemap
from dashboard.usage import treemap_nodes

XSS = "<img src=x onerror=alert(1)>"


def test_group_colours_are_stable_and_the_target_is_green() -> None:
    colours = group_colours(["Legacy", "DS", "Old"], "DS")
    assert colours["DS"] == TARGET_COLOUR
    assert colours == group_colours(["Legacy", "DS", "Old"], "DS")
    assert len(set(colours.values())) == 3


def test_adoption_trend_one_stacked_area_per_group() -> None:
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12"], utc=True)
    trend = pd.DataFrame({"week": [*weeks, *weeks], "group": ["DS", "DS", XSS, XSS],
                          "value": [0.25, 0.5, 0.75, 0.5], "target": [True, True, False, False]})  # fmt: skip
    figure = adoption_trend(trend, "files")
    assert [trace.name for trace in figure.data] == ["DS", "&lt;img src=x onerror=alert(1)&gt;"]
    assert {trace.stackgroup for trace in figure.data} == {"groups"}
    assert figure.data[0].line.color == TARGET_COLOUR
    assert list(figure.data[0].y) == [0.25, 0.5]
    assert figure.layout.yaxis.tickformat == ".0%" and "importing files" in figure.layout.yaxis.title.text
    assert adoption_trend(trend, "imports", as_share=False).layout.yaxis.tickformat == ","


def test_usage_treemap_ids_are_paths_and_labels_are_escaped() -> None:
    usage = pd.DataFrame(
        [["r", "c", "DS", True, "ds", "Button", "Button", "a.ts", (1,), 2],
         ["r", "c", "Old", False, f"src/{XSS}", "default", "default", "b.ts", (3,), 1]],
        columns=["repo", "commit", "group", "target", "package", "export", "component", "file", "lines", "imports"],
    )  # fmt: skip
    tree = usage_treemap(treemap_nodes(usage)).data[0]
    assert tree.branchvalues == "total"
    assert [json.loads(i) for i in tree.ids] == [
        [], ["DS"], ["Old"], ["DS", "ds"], ["Old", f"src/{XSS}"], ["DS", "ds", "Button"],
        ["Old", f"src/{XSS}", "default"],
    ]  # fmt: skip
    assert list(tree.values) == [3, 2, 1, 2, 1, 2, 1]
    assert "src/&lt;img src=x onerror=alert(1)&gt;" in tree.labels
    assert not any("<img" in label for label in tree.labels)
    assert tree.marker.colors[1] == TARGET_COLOUR


def test_a_picked_tile_is_outlined_and_opened_among_its_siblings() -> None:
    usage = pd.DataFrame(
        [["r", "c", "DS", True, "ds", name, name, "a.ts", (1,), 1] for name in ("Button", "Pane")],
        columns=[
            "repo",
            "commit",
            "group",
            "target",
            "package",
            "export",
            "component",
            "file",
            "lines",
            "imports",
        ],
    )
    nodes = treemap_nodes(usage)
    leaf = usage_treemap(nodes, ("DS", "ds", "Pane")).data[0]
    assert json.loads(leaf.level) == ["DS", "ds"]
    assert list(leaf.marker.line.width) == [1, 1, 1, 1, 4]
    assert json.loads(usage_treemap(nodes, ("DS",)).data[0].level) == ["DS"]
    assert json.loads(usage_treemap(nodes, ("Gone", "x")).data[0].level) == []
    assert json.loads(usage_treemap(nodes).data[0].level) == []
