"""Charts: pure functions from the shaped frames to ECharts options for `st.echarts_chart` (no I/O).

Names (group, package, component) go into the options as text (`chart_text`), never into HTML: ECharts
draws labels and legends as text nodes and escapes names in its default tooltips, and no option here
sets a tooltip ``formatter``. A tile's label is a literal label ``formatter``; ECharts would still fill
in a ``{b}``-like placeholder inside a name there, which no package or component name can contain.

A treemap click comes back as the index of the clicked node in ECharts' own numbering: the series root
first, then every tile depth first in the order of ``data``. `tile_paths` lists the (group, package,
component) path of each index, from the tiles' ids, and `selected_path` reads a click with it. ECharts
keeps a selection by the tile's ``name``, so a tile is named by its whole path (a component called
Button in two packages would otherwise be one selection); the tooltip shows that path.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.markup import chart_text
from dashboard.usage import UNGROUPED, node_id

TARGET_COLOUR = "#2e7d32"
OTHER_COLOURS = (
    "#ef6c00", "#6a1b9a", "#1565c0", "#c62828", "#00838f",
    "#8d6e63", "#546e7a", "#ad1457", "#827717", "#283593",
)  # fmt: skip
UNGROUPED_COLOUR = "#9e9e9e"
TARGET_LINE_COLOUR = "#1b5e20"
PICKED_COLOUR = "#111111"
PATH_SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
_PICKED = {"borderColor": PICKED_COLOUR, "borderWidth": 3}
METRIC_LABELS = {"imports": "imports", "files": "importing files", "components": "distinct components"}
WEEK_AXIS = "ISO week (last report of each week)"
TREND_HEIGHT = 360
TREEMAP_HEIGHT = 520
_LEVELS = [  # the series root ("all imports", white), groups, packages
    {"itemStyle": {"gapWidth": 2, "borderWidth": 0}, "upperLabel": {"color": "#333333"}},
    {"itemStyle": {"gapWidth": 2}},
    {"itemStyle": {"gapWidth": 1}},
]
_UPPER_LABEL = {"show": True, "height": 20, "color": "#ffffff", "formatter": "{b} · {c}"}


def group_colours(groups: Iterable[str], target: str | None) -> dict[str, str]:
    """A colour per group fixed by its name, whatever else is drawn: the target green, "(no group)" grey.

    Another group takes the palette colour its name hashes to, or the next free one when an earlier name
    (in name order) has it: every chart given the same groups colours them alike, and drawing a subset
    (or the ungrouped packages besides) moves no colour.
    """
    colours = {UNGROUPED: UNGROUPED_COLOUR}
    taken: set[str] = set()
    for group in sorted(set(groups) - {UNGROUPED, target or UNGROUPED}):
        start = zlib.crc32(group.encode("utf-8")) % len(OTHER_COLOURS)
        free = [OTHER_COLOURS[(start + step) % len(OTHER_COLOURS)] for step in range(len(OTHER_COLOURS))]
        colours[group] = next((colour for colour in free if colour not in taken), free[0])
        taken.add(colours[group])
    if target is not None:
        colours[target] = TARGET_COLOUR
    return colours


def adoption_trend(
    trend: pd.DataFrame,
    metric: str,
    as_share: bool = True,
    colours: Mapping[str, str] | None = None,
    target_share: float | None = None,
) -> dict[str, Any]:
    """One stacked area per group across the weeks: each group's share (percent) or count of ``metric``.

    ``colours`` (`group_colours` of every group on the page) keeps them alike across charts;
    ``target_share`` (0..1) draws the share the target group should reach as a line (shares only).
    """
    groups = list(dict.fromkeys(trend["group"]))
    colours = colours or group_colours(groups, _target(trend))
    wide = trend.pivot(index="week", columns="group", values="value")  # weeks in order
    if as_share:  # percent with one decimal, rounded as every table rounds it (a tooltip prints it as is)
        wide = (wide * 100).round(1)
    series = [
        _area(
            chart_text(group), colours.get(group, UNGROUPED_COLOUR), [_number(value) for value in wide[group]]
        )
        for group in groups
    ]
    if as_share and target_share is not None and series:
        series[0]["markLine"] = _target_line(target_share)
    what = METRIC_LABELS.get(metric, metric)
    value_axis: dict[str, Any] = {"type": "value", "name": f"share of {what}" if as_share else what}
    if as_share:
        value_axis |= {"max": 100, "axisLabel": {"formatter": "{value}%"}}
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "valueFormatter": "%.1f%%" if as_share else "%,d"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 70},
        "xAxis": {
            "type": "category", "boundaryGap": False, "data": [f"{week:%Y-%m-%d}" for week in wide.index],
            "name": WEEK_AXIS, "nameLocation": "middle", "nameGap": 28,
        },
        "yAxis": value_axis,
        "series": series,
    }  # fmt: skip


def _target_line(share: float) -> dict[str, Any]:
    """A dashed line at the target share (percent), labelled, over the target group's area."""
    percent = round(100 * share, 1)
    return {
        "silent": True, "symbol": "none", "animation": False,
        "lineStyle": {"color": TARGET_LINE_COLOUR, "type": "dashed", "width": 2},
        "label": {"formatter": f"target {percent:g}%", "position": "insideStartTop",
                  "color": TARGET_LINE_COLOUR},
        "data": [{"yAxis": percent, "name": "target"}],
    }  # fmt: skip


def _area(name: str, colour: str, values: list[float | None]) -> dict[str, Any]:
    """A group's stacked area. A week with no week drawn on either side (a single week, or a run between
    two weeks without runs) is a point, for an area needs two weeks; none at 0: stacked on the groups
    below, it would cover their point in this group's colour."""
    alone = _isolated(values)
    data: list[Any] = values
    if alone:
        data = [
            value if value is None or (index in alone and value != 0) else {"value": value, "symbol": "none"}
            for index, value in enumerate(values)
        ]
    return {
        "type": "line", "name": name, "stack": "groups", "data": data, "showSymbol": bool(alone),
        "symbolSize": 10 if alone else 4,
        "itemStyle": {"color": colour}, "lineStyle": {"color": colour, "width": 1.5},
        "areaStyle": {"color": colour, "opacity": 0.5},
    }  # fmt: skip


def _isolated(values: list[float | None]) -> set[int]:
    """The weeks with a value whose neighbours have none (or are the chart's ends)."""

    def missing(index: int) -> bool:
        return index < 0 or index >= len(values) or values[index] is None

    return {i for i, value in enumerate(values) if value is not None and missing(i - 1) and missing(i + 1)}


def _number(value: Any) -> float | None:
    """A JSON number (None for a missing value): ECharts options carry no NaN or numpy types."""
    return None if pd.isna(value) else float(value)


def usage_treemap(
    nodes: pd.DataFrame,
    picked: tuple[str, ...] | None = None,
    colours: Mapping[str, str] | None = None,
    unit: str = "imports",
) -> dict[str, Any]:
    """Group -> package -> component tiles sized by imports (or the `unit` nodes count); a tile's id is
    its node's JSON path.

    A click selects a tile (``selectedMode``) instead of zooming into it, so the clicked tile stays
    among its siblings; the picked tile (and a selected one) is outlined. A box's top strip is its own
    tile: clicking it picks the whole group or package.
    """
    colours = colours or group_colours([g for g in dict.fromkeys(nodes["group"]) if g], _target(nodes))
    picked_id = node_id(*picked) if picked is not None else None
    children: dict[str, list[dict[str, Any]]] = {}
    deepest_first = nodes.sort_values(["depth", "value", "label"], ascending=[False, False, True])
    for row in deepest_first.to_dict("records"):
        identity, colour = str(row["id"]), colours.get(str(row["group"]), UNGROUPED_COLOUR)
        tile = _tile(identity, str(row["label"]), int(row["value"]), colour, children.pop(identity, []))
        if identity == picked_id:
            tile["itemStyle"] |= _PICKED
        children.setdefault(str(row["parent"]), []).append(tile)  # the biggest first, as ECharts lays out
    [root] = children.pop("", [{}])  # the root node: ECharts draws its own, the series, in its place
    series = {
        "type": "treemap", "name": f"all {unit}", "data": root.get("children", []), "selectedMode": "single",
        "nodeClick": False, "roam": False, "breadcrumb": {"show": False}, "levels": _LEVELS,
        "top": 0, "bottom": 0, "left": 0, "right": 0, "label": {"overflow": "truncate", "lineHeight": 15},
        "upperLabel": _UPPER_LABEL, "select": {"itemStyle": _PICKED},
        "tooltip": {"valueFormatter": f"%,d {unit}"},
    }  # fmt: skip
    return {"animation": False, "tooltip": {}, "series": [series]}


def _tile(identity: str, label: str, value: int, colour: str, below: list[dict[str, Any]]) -> dict[str, Any]:
    """One tile; a box (with tiles below it) shows its colour in its top strip and the gaps around them."""
    shown = chart_text(label)
    tile: dict[str, Any] = {
        "id": identity, "name": PATH_SEPARATOR.join(chart_text(part) for part in json.loads(identity)),
        "value": value, "itemStyle": _box_style(colour) if below else _leaf_style(colour),
        "label": {"formatter": f"{shown}\n{value}"}, "upperLabel": {"formatter": f"{shown} · {value}"},
    }  # fmt: skip
    if below:
        tile["children"] = below
    return tile


def _box_style(colour: str) -> dict[str, Any]:
    # Every style key is set on every tile: ECharts merges a redrawn tile into the old one, so a key
    # left out (the outline of a tile picked before) would keep its old value.
    return {"color": colour, "borderColor": colour, "borderWidth": 2}


def _leaf_style(colour: str) -> dict[str, Any]:
    return {"color": colour, "borderColor": "#ffffff", "borderWidth": 1}


def tiles(option: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every tile of a `usage_treemap` option, depth first: ECharts' numbering, less the series root."""
    return list(_depth_first(option["series"][0]["data"]))


def tile_paths(option: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The path of every node of a `usage_treemap` option, indexed as ECharts numbers them in a click."""
    return [(), *(tuple(json.loads(tile["id"])) for tile in tiles(option))]


def _depth_first(level: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for tile in level:
        yield tile
        yield from _depth_first(tile.get("children") or ())


def selected_path(event: Any, paths: Sequence[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The (group, package, component) path of the clicked tile in a ``st.echarts_chart`` event."""
    try:
        selected = event["selection"]["selected"]
    except (KeyError, TypeError):
        return None
    for group in selected or ():
        try:
            index = int(group["data_indices"][0])
        except (KeyError, TypeError, IndexError, ValueError):
            continue
        if 0 <= index < len(paths):
            return paths[index]
    return None


def _target(frame: pd.DataFrame) -> str | None:
    rows = frame[frame["target"].astype(bool)]
    return None if rows.empty else str(rows["group"].iloc[0])
