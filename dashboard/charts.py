"""Figures: pure functions from the shaped frames to plotly figures (no Streamlit, no I/O).

Every name drawn (group, package, component) is escaped with `plot_text`: plotly reads HTML in text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]

from dashboard.markup import plot_text
from dashboard.usage import node_id

TARGET_COLOUR = "#2e7d32"
OTHER_COLOURS = ("#ef6c00", "#6a1b9a", "#1565c0", "#c62828", "#00838f", "#8d6e63", "#546e7a", "#ad1457")
UNGROUPED_COLOUR = "#9e9e9e"
METRIC_LABELS = {"imports": "imports", "files": "importing files", "components": "distinct components"}


def group_colours(groups: list[str], target: str | None) -> dict[str, str]:
    """A stable colour per group: the target green, the others from a fixed palette in order."""
    others = [group for group in groups if group != target]
    colours = {group: OTHER_COLOURS[i % len(OTHER_COLOURS)] for i, group in enumerate(others)}
    if target is not None:
        colours[target] = TARGET_COLOUR
    return colours


def adoption_trend(trend: pd.DataFrame, metric: str, as_share: bool = True) -> go.Figure:
    """One stacked area per group across the weeks: each group's share (or count) of ``metric``."""
    figure = go.Figure()
    groups = list(dict.fromkeys(trend["group"]))
    targets = trend.loc[trend["target"], "group"]
    colours = group_colours(groups, str(targets.iloc[0]) if not targets.empty else None)
    value_format = ".1%" if as_share else ",d"
    for group in groups:
        rows = trend[trend["group"] == group]
        name = plot_text(group)
        figure.add_trace(
            go.Scatter(
                x=rows["week"], y=rows["value"], name=name, mode="lines", stackgroup="groups",
                line={"width": 1.5, "color": colours[group]},
                hovertemplate=f"{name}<br>week of %{{x|%Y-%m-%d}}: %{{y:{value_format}}}<extra></extra>",
            )
        )  # fmt: skip
    what = METRIC_LABELS.get(metric, metric)
    figure.update_layout(
        height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10}, hovermode="x unified",
        yaxis={"title": f"share of {what}" if as_share else what, "tickformat": ".0%" if as_share else ","},
        xaxis={"title": "ISO week (last report of each week)"},
        legend={"orientation": "h", "y": -0.25},
    )  # fmt: skip
    return figure


def usage_treemap(nodes: pd.DataFrame, picked: tuple[str, ...] | None = None) -> go.Figure:
    """Group -> package -> component tiles sized by imports; ids are the nodes' JSON paths.

    A picked tile is outlined, and the view opens on it (a branch) or on its parent (a component), so a
    click shows the clicked tile among its siblings instead of plotly zooming into one full-size tile.
    """
    colours = group_colours([g for g in dict.fromkeys(nodes["group"]) if g], _target(nodes))
    picked_id = node_id(*picked) if picked is not None else None
    figure = go.Figure(
        go.Treemap(
            ids=nodes["id"], parents=nodes["parent"], values=nodes["value"],
            labels=[plot_text(label) for label in nodes["label"]], branchvalues="total",
            marker={
                "colors": [colours.get(group, UNGROUPED_COLOUR) for group in nodes["group"]],
                "line": {"color": ["#111111" if i == picked_id else "#ffffff" for i in nodes["id"]],
                         "width": [4 if i == picked_id else 1 for i in nodes["id"]]},
            },
            level=_opening_level(nodes, picked),
            hovertemplate="%{label}<br>%{value} imports<br>%{percentRoot:.1%} of all<extra></extra>",
            textinfo="label+value", pathbar={"visible": True},
        )
    )  # fmt: skip
    figure.update_layout(height=520, margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return figure


def _opening_level(nodes: pd.DataFrame, picked: tuple[str, ...] | None) -> str:
    """The id of the node the treemap opens on: the picked branch, a picked leaf's parent, else the root."""
    if not picked or node_id(*picked) not in set(nodes["id"]):
        return node_id()
    return node_id(*picked[:-1]) if len(picked) >= 3 else node_id(*picked)


def _target(frame: pd.DataFrame) -> str | None:
    rows = frame[frame["target"].astype(bool)]
    return None if rows.empty else str(rows["group"].iloc[0])
