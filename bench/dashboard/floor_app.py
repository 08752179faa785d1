"""Reference page for the benchmark: the least a Streamlit page with an ECharts treemap costs a browser.

One metric and one three-tile treemap (clickable, drawn as SVG like the dashboard's), no data: its first
render is the floor under the dashboard's.
"""

from __future__ import annotations

import streamlit as st

st.metric("share", "50.0%")
st.echarts_chart(
    {
        "series": [
            {
                "type": "treemap", "selectedMode": "single", "nodeClick": False,
                "data": [{"name": "a", "children": [{"name": "b", "value": 1}, {"name": "c", "value": 1}]}],
            }
        ]
    },
    key="treemap",
    on_select="rerun",
    renderer="svg",
)  # fmt: skip
