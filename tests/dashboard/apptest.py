"""Helpers for driving the app with Streamlit's AppTest and reading what it drew."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.charts import tile_paths
from dashboard.panels import TREEMAP_KEY
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"
BUTTON = json.dumps(["Evergreen v4", "evergreen-ui", "Button"])


def run_app(monkeypatch: pytest.MonkeyPatch, store: Path | str, **env: str) -> AppTest:
    monkeypatch.setenv("DEPREPORT_STORE", str(store))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception, app.exception
    return app


def share(reports: list[dict[str, Any]], metric: str) -> float:
    """The target group's share (percent) summed over reports, computed from their adoption blocks."""
    groups = [g for r in reports for g in r["adoption"]["groups"].values()]
    return 100 * sum(g[metric] for g in groups if g["target"]) / sum(g[metric] for g in groups)


def click(app: AppTest, node: str) -> AppTest:
    """What a click on the treemap tile ``node`` (its JSON path) sends back in Streamlit 1.67: the index
    of the tile in ECharts' numbering (the series root, then the tiles depth first)."""
    [treemap] = [chart for chart in app.get("echarts_chart") if str(chart.key).startswith(TREEMAP_KEY)]
    index = tile_paths(json.loads(treemap.proto.spec)).index(tuple(json.loads(node)))
    picked = {"series_index": 0, "series_id": None, "series_name": "all imports", "data_type": "main",
              "data_indices": [index]}  # fmt: skip
    app.session_state[treemap.key] = {"selection": {"selected": [picked], "areas": []}}
    app.run()
    assert not app.exception, app.exception
    return app


def plain(markdown: str) -> str:
    """Markdown text with its backslash escapes removed: what the visitor reads."""
    return re.sub(r"\\(.)", r"\1", markdown)


def charts(app: AppTest) -> list[dict[str, Any]]:
    """The ECharts options on the page, in page order (the trend, then the treemap)."""
    return [json.loads(chart.proto.spec) for chart in app.get("echarts_chart")]


def texts(app: AppTest) -> str:
    return "\n".join(
        str(e.value) for kind in ("markdown", "caption", "subheader", "info") for e in getattr(app, kind)
    )


def listing(app: AppTest) -> str:
    """The list of files beside the treemap (Markdown list items)."""
    return next(m.value for m in app.markdown if m.value.startswith("- "))
