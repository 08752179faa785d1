"""The HTML report (`depreport report --out`) shows a clicked component's props and can size its treemap
by instances; checked offline in headless Chromium on the sample app's real scan (fixtures/repos/mini-app).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dashboard.charts import tile_paths
from tests.dashboard.browser import chromium, require_chromium
from tests.dashboard.conftest import published_sample, run_cli
from tests.depreport.test_html_report import click_tile

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("html-components")
    store, report = published_sample(root)
    page = root / "adoption.html"
    code, _, err = run_cli("report", "--store", str(store), "--out", str(page))
    assert code == 0, err
    return page, report


def payload(page: Path) -> dict[str, Any]:
    html = page.read_text(encoding="utf-8")
    [data] = re.findall(r'<script type="application/json" id="depreport-data">(.*?)</script>', html, re.S)
    found: dict[str, Any] = json.loads(data)
    return found


def test_the_data_holds_props_and_the_treemap_by_instances(made: tuple[Path, dict[str, Any]]) -> None:
    page, report = made
    data = payload(page)
    pane = json.dumps(["Evergreen v4", "evergreen-ui", "Pane"])
    stored = report["components"]["evergreen-ui"]["Pane"]
    assert data["props"][pane]["instances"] == stored["instances"] == 3
    assert {row[0]: row[1:3] for row in data["props"][pane]["rows"]} == {
        name: [prop["count"], prop["not_set"]] for name, prop in stored["props"].items()
    }
    icon = json.dumps(["Evergreen v4", "evergreen-ui", "Icon"])
    assert icon not in data["props"]  # imported, never rendered
    paths = tile_paths(data["byInstances"])
    assert ("Evergreen v4", "evergreen-ui", "Pane") in paths
    assert ("Evergreen v4", "evergreen-ui", "Icon") not in paths
    assert data["byInstances"]["series"][0]["name"] == "all instances"


def test_props_and_sizes_in_chromium_offline(made: tuple[Path, dict[str, Any]]) -> None:
    require_chromium()
    page_file, _ = made
    with chromium() as browser:
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_file.as_uri())
        page.wait_for_function("() => document.querySelector('#treemap svg text')", timeout=30_000)
        assert page.locator("#indirect li").all_inner_texts() == [
            "React UI Library: 1 file import it directly, 1 more file only through 1 local wrapper module"
        ]  # Settings.jsx renders its SelectMenu; Home.tsx imports Settings
        click_tile(page, "Pane")
        props = page.locator("#props")
        assert props.locator("h3").inner_text() == "Props of Pane"
        assert props.locator("p.note").inner_text() == "3 instances in 3 files"
        rows = props.locator("tbody tr").evaluate_all(
            "(rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent))"
        )
        assert rows == [["[spread]", "1", "2", "[spread] 1"], ["elevation", "1", "2", "1 1"]]
        click_tile(page, "Icon")
        assert (
            props.locator("p.note").inner_text() == "No instance: imported but never rendered as an element."
        )
        page.locator('input[name="treemap-size"][value="instances"]').check()
        page.wait_for_function(
            "() => !document.querySelector('#treemap').textContent.includes('Icon')", timeout=10_000
        )
        assert "all instances" in page.locator("#treemap").text_content()
        click_tile(page, "Pane")
        assert props.locator("p.note").inner_text() == "3 instances in 3 files"
        context.close()
    assert errors == []
