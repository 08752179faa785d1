"""Reference page for the benchmark: the least a Streamlit page with a plotly treemap costs a browser.

One metric and one three-tile treemap, no data: its first render is the floor under the dashboard's.
"""

from __future__ import annotations

import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

st.metric("share", "50.0%")
st.plotly_chart(
    go.Figure(
        go.Treemap(ids=["a", "b", "c"], parents=["", "a", "a"], labels=["a", "b", "c"], values=[2, 1, 1])
    ),
    key="treemap",
    on_select="rerun",
)
