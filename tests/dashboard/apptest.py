"""Helpers for driving the app with Streamlit's AppTest and reading what it drew."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import plotly.io  # type: ignore[import-untyped]
import pytest
from streamlit.testing.v1 import AppTest

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
    """What a click on a treemap tile sends back (the selection Streamlit 1.67 gives plotly treemaps)."""
    app.session_state["treemap"] = {"selection": {"points": [{"id": node, "label": "x"}], "point_indices": [],
                                                  "box": [], "lasso": []}}  # fmt: skip
    app.run()
    assert not app.exception, app.exception
    return app


def plain(markdown: str) -> str:
    """Markdown text with its backslash escapes removed: what the visitor reads."""
    return re.sub(r"\\(.)", r"\1", markdown)


def figures(app: AppTest) -> list[Any]:
    """The plotly figures on the page (arrays decoded)."""
    return [plotly.io.from_json(chart.proto.spec) for chart in app.get("plotly_chart")]


def values(array: Any) -> list[Any]:
    """A figure's data array as a list (plotly sends numeric arrays as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        return list(np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]))
    return list(array)


def texts(app: AppTest) -> str:
    return "\n".join(
        str(e.value) for kind in ("markdown", "caption", "subheader", "info") for e in getattr(app, kind)
    )


def listing(app: AppTest) -> str:
    """The list of files beside the treemap (Markdown list items)."""
    return next(m.value for m in app.markdown if m.value.startswith("- "))
