"""Chart options: one area per group, names as text, tiles numbered as ECharts numbers a click."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from dashboard.charts import (
    OTHER_COLOURS,
    PATH_SEPARATOR,
    PICKED_COLOUR,
    TARGET_COLOUR,
    UNGROUPED_COLOUR,
    adoption_trend,
    group_colours,
    selected_path,
    tile_paths,
    tiles,
    usage_treemap,
)
from dashboard.usage import COLUMNS, UNGROUPED, treemap_nodes
from depreport.history.adoption import Group, Groups, adoption_json
from depreport.history.frames import adoption_frame, week_over_week

GROUPS = Groups((Group("DS", packages=("ds",), target=True), Group("Old", packages=("old",))))

XSS = "<img src=x onerror=alert(1)>"


def usage(*rows: tuple[str, bool, str, str, int]) -> pd.DataFrame:
    """Usage rows (group, target, package, export, imports) of one file in one repo (no instances)."""
    return pd.DataFrame(
        [
            ["r", "c", group, target, package, export, export, "a.ts", (1,), n, 0]
            for group, target, package, export, n in rows
        ],
        columns=COLUMNS,
    )


def tooltips(option: Any) -> Iterator[dict[str, Any]]:
    """Every tooltip setting anywhere in an option."""
    if isinstance(option, dict):
        for key, value in option.items():
            if key == "tooltip" and isinstance(value, dict):
                yield value
            yield from tooltips(value)
    elif isinstance(option, list):
        for item in option:
            yield from tooltips(item)


def test_group_colours_are_fixed_by_name_and_the_target_is_green() -> None:
    colours = group_colours(["Legacy", "DS", "Old", UNGROUPED], "DS")
    assert colours["DS"] == TARGET_COLOUR and colours[UNGROUPED] == UNGROUPED_COLOUR
    assert colours == group_colours(["Old", UNGROUPED, "DS", "Legacy"], "DS")  # not by position
    assert group_colours(["Old"], None)["Old"] == colours["Old"]  # nor by what else is drawn
    assert len({colours[g] for g in ("Legacy", "DS", "Old", UNGROUPED)}) == 4


def test_group_colours_stay_distinct_while_the_palette_lasts() -> None:
    names = [f"group {n}" for n in range(len(OTHER_COLOURS))]
    colours = group_colours(names, None)
    assert len({colours[name] for name in names}) == len(OTHER_COLOURS)
    assert set(colours.values()) - {UNGROUPED_COLOUR} == set(OTHER_COLOURS)


def test_trend_and_treemap_share_the_colours_given() -> None:
    weeks = pd.to_datetime(["2026-01-05"], utc=True)
    trend = pd.DataFrame({"week": [*weeks, *weeks], "group": ["DS", "Old"], "value": [0.4, 0.6],
                          "target": [True, False]})  # fmt: skip
    colours = group_colours(["Alpha", "DS", "Old", "Zeta"], "DS")
    line = adoption_trend(trend, "imports", colours=colours, target_share=0.8)
    nodes = treemap_nodes(usage(("Old", False, "old", "Dialog", 1), (UNGROUPED, False, "lodash", "debounce", 3)),
                          include_ungrouped=True)  # fmt: skip
    boxes = {tile["id"]: tile["itemStyle"]["color"] for tile in tiles(usage_treemap(nodes, colours=colours))}
    assert [series["areaStyle"]["color"] for series in line["series"]] == [TARGET_COLOUR, colours["Old"]]
    assert boxes[json.dumps(["Old"])] == colours["Old"] and boxes[json.dumps([UNGROUPED])] == UNGROUPED_COLOUR
    [mark] = line["series"][0]["markLine"]["data"]
    assert mark["yAxis"] == 80.0 and "target 80%" in line["series"][0]["markLine"]["label"]["formatter"]
    assert "markLine" not in adoption_trend(trend, "imports", as_share=False, target_share=0.8)["series"][0]


def test_adoption_trend_one_stacked_area_per_group() -> None:
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12"], utc=True)
    trend = pd.DataFrame({"week": [*weeks, *weeks], "group": ["DS", "DS", XSS, XSS],
                          "value": [0.25, 0.5, 0.75, 0.5], "target": [True, True, False, False]})  # fmt: skip
    option = adoption_trend(trend, "files")
    assert [series["name"] for series in option["series"]] == ["DS", XSS]  # drawn as text, not HTML
    assert {series["stack"] for series in option["series"]} == {"groups"}
    assert option["series"][0]["areaStyle"]["color"] == TARGET_COLOUR
    assert option["series"][0]["data"] == [25.0, 50.0]  # percent
    assert option["xAxis"]["data"] == ["2026-01-05", "2026-01-12"]
    assert option["yAxis"]["max"] == 100 and "importing files" in option["yAxis"]["name"]
    counts = adoption_trend(trend.assign(value=[3, 4, 5, 6]), "imports", as_share=False)
    assert counts["series"][1]["data"] == [5.0, 6.0] and "max" not in counts["yAxis"]
    assert counts["tooltip"]["valueFormatter"] == "%,d"
    json.dumps(option, allow_nan=False)  # what st.echarts_chart accepts


def test_a_single_week_is_drawn_as_points() -> None:
    """A store with one week drew an empty chart: an area needs two points."""
    one = pd.DataFrame({"week": pd.to_datetime(["2026-01-05"], utc=True), "group": ["DS"],
                        "value": [0.5], "target": [True]})  # fmt: skip
    assert adoption_trend(one, "imports")["series"][0]["showSymbol"] is True
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12"], utc=True)
    two = pd.DataFrame({"week": weeks, "group": ["DS", "DS"], "value": [0.5, 0.6], "target": [True, True]})
    assert adoption_trend(two, "imports")["series"][0]["showSymbol"] is False


def test_a_single_week_draws_no_point_for_a_group_at_zero() -> None:
    """A store with one run of frontend-app-learning (Paragon at 100 %, two groups at 0 %) drew the last
    group's point, stacked on top of the target's at 100 %, in that group's colour: it read as "React
    Bootstrap 100 %". A group with nothing that week has no point (its tooltip line stays)."""
    one = pd.DataFrame({"week": pd.to_datetime(["2026-11-30"] * 3, utc=True),
                        "group": ["Paragon", "Old Paragon", "React Bootstrap"],
                        "value": [1.0, 0.0, 0.0], "target": [True, False, False]})  # fmt: skip
    series = adoption_trend(one, "imports")["series"]
    hidden = {"value": 0.0, "symbol": "none"}
    assert [s["data"] for s in series] == [[100.0], [hidden], [hidden]]
    weeks = pd.to_datetime(["2026-11-30", "2026-12-07"], utc=True)
    two = pd.DataFrame({"week": weeks, "group": ["Old", "Old"], "value": [0.0, 0.0], "target": [False] * 2})
    assert adoption_trend(two, "imports")["series"][0]["data"] == [0.0, 0.0]  # areas: nothing to hide


def test_adoption_trend_leaves_gaps_for_missing_values() -> None:
    trend = pd.DataFrame({"week": pd.to_datetime(["2026-01-05"], utc=True), "group": ["DS"],
                          "value": [float("nan")], "target": [True]})  # fmt: skip
    assert adoption_trend(trend, "imports")["series"][0]["data"] == [None]


def test_trend_shares_are_rounded_as_the_tables_round_them() -> None:
    """A tooltip printed 56.25 % as 56.3 (half up) where `depreport adoption` and the headline say 56.2."""
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12"], utc=True)
    frame = pd.DataFrame(
        {"week": weeks, "group": ["DS", "DS"], "value": [0.5625, 0.1 + 0.2], "target": [True] * 2}
    )
    data = adoption_trend(frame, "imports")["series"][0]["data"]
    assert data == [56.2, 30.0]
    tables = week_over_week_share(0.5625)
    assert data[0] == tables


def week_over_week_share(share: float) -> float:
    """The share `depreport adoption` prints for a group holding `share` of the imports."""
    frame = adoption_frame([{"repo": "a", "commit": "0" * 12, "run_time": "2026-01-05T00:00:00Z",
                             "adoption": adoption_json({"DS": _counts(9), "Old": _counts(7)}, GROUPS)}])  # fmt: skip
    assert share == 9 / 16
    return float(week_over_week(frame)["share"].iloc[0])


def _counts(n: int) -> dict[str, int]:
    return {"imports": n, "files": n, "components": n}


def test_usage_treemap_tiles_are_numbered_as_echarts_numbers_them() -> None:
    option = usage_treemap(treemap_nodes(usage(("DS", True, "ds", "Button", 2), ("DS", True, "ds", "Pane", 3),
                                               ("Old", False, f"src/{XSS}", "default", 1))))  # fmt: skip
    assert tile_paths(option) == [
        (), ("DS",), ("DS", "ds"), ("DS", "ds", "Pane"), ("DS", "ds", "Button"),
        ("Old",), ("Old", f"src/{XSS}"), ("Old", f"src/{XSS}", "default"),
    ]  # fmt: skip  # the series root, then depth first, the biggest tile first
    assert [tile["value"] for tile in tiles(option)] == [5, 5, 3, 2, 1, 1, 1]
    assert option["series"][0]["name"] == "all imports"
    assert tiles(option)[0]["itemStyle"]["color"] == TARGET_COLOUR
    json.dumps(option, allow_nan=False)


def test_treemap_names_are_text_and_tooltips_use_echarts_escaping() -> None:
    option = usage_treemap(treemap_nodes(usage(("Old", False, f"src/{XSS}", "default", 1))))
    leaf = tiles(option)[-1]
    assert leaf["name"] == PATH_SEPARATOR.join(["Old", f"src/{XSS}", "default"])  # the tooltip's title
    assert tiles(option)[1]["upperLabel"]["formatter"] == f"src/{XSS} · 1"
    assert all("formatter" not in tooltip for tooltip in tooltips(option))  # ECharts escapes its defaults


def test_treemap_tiles_have_unique_names() -> None:
    """ECharts keeps a selection by name: two Buttons named alike would be picked together."""
    option = usage_treemap(
        treemap_nodes(usage(("DS", True, "ds", "Button", 2), ("Old", False, "old", "Button", 1)))
    )
    names = [tile["name"] for tile in tiles(option)]
    assert len(names) == len(set(names))
    assert [tile["label"]["formatter"] for tile in tiles(option) if "children" not in tile] == [
        "Button\n2",
        "Button\n1",
    ]


def test_a_picked_tile_is_outlined() -> None:
    nodes = treemap_nodes(usage(("DS", True, "ds", "Button", 1), ("DS", True, "ds", "Pane", 1)))
    outlined = [
        tile["id"] for tile in tiles(usage_treemap(nodes, ("DS", "ds", "Pane")))
        if tile["itemStyle"]["borderColor"] == PICKED_COLOUR
    ]  # fmt: skip
    assert outlined == [json.dumps(["DS", "ds", "Pane"])]
    for picked in [("Gone", "x"), None]:
        assert PICKED_COLOUR not in json.dumps(tiles(usage_treemap(nodes, picked)))
    assert {frozenset(tile["itemStyle"]) for tile in tiles(usage_treemap(nodes))} == {
        frozenset({"color", "borderColor", "borderWidth"})
    }  # every key on every tile: a redraw merges into the old tiles


PATHS = [(), ("DS",), ("DS", "ds"), ("DS", "ds", "Button")]


def selection(*indices: int) -> dict[str, Any]:
    return {"selection": {"selected": [{"series_index": 0, "data_type": "main", "data_indices": list(indices)}],
                          "areas": []}}  # fmt: skip


EMPTY_GROUP_FIRST = {
    "selection": {"selected": [{"data_indices": []}, *selection(1)["selection"]["selected"]]}
}


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(selection(3), ("DS", "ds", "Button"), id="leaf"),
        pytest.param(selection(2), ("DS", "ds"), id="package-strip"),
        pytest.param(selection(0), (), id="root-strip"),
        pytest.param({"selection": {"selected": [], "areas": []}}, None, id="nothing-clicked"),
        pytest.param(selection(9), None, id="index-of-another-tree"),
        pytest.param(EMPTY_GROUP_FIRST, ("DS",), id="empty-group-first"),
        pytest.param(None, None, id="no-event"),
        pytest.param({}, None, id="no-selection"),
    ],
)
def test_selected_path(event: Any, expected: tuple[str, ...] | None) -> None:
    assert selected_path(event, PATHS) == expected


def test_a_week_between_weeks_without_runs_is_drawn_as_a_point() -> None:
    """A run between two weeks no run counts (gaps on the trend) has no neighbour to draw an area to:
    without a point it was not drawn at all. Weeks beside others stay an area without points."""
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"], utc=True)
    values = [0.5, 0.6, float("nan"), 0.7, float("nan")]
    trend = pd.DataFrame({"week": weeks, "group": ["DS"] * 5, "value": values, "target": [True] * 5})
    series = adoption_trend(trend, "imports")["series"][0]
    hidden = [{"value": 50.0, "symbol": "none"}, {"value": 60.0, "symbol": "none"}]
    assert series["showSymbol"] is True and series["data"] == [*hidden, None, 70.0, None]
