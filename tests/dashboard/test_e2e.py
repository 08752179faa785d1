"""The dashboard in a real browser: `depreport dashboard` as a subprocess, headless Debian chromium.

The store is the sample app's git history (fixtures/sample_app) backfilled with `depreport backfill`,
after one more commit adding a file named like an HTML injection that imports a component of the
same name (an ES2022 string export name) and `Button`. Needs /usr/bin/chromium
(`apt-get install -y chromium`); without it the test fails and says so.
`DEPREPORT_SCREENSHOT=docs/dashboard.png` also saves the screenshot there (bench/dashboard/screenshot.py
makes the README's from the backfilled sample app).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from dashboard.charts import PATH_SEPARATOR, group_colours
from depreport.store import LocalStore
from tests.dashboard.browser import (
    TREEMAP,
    TREND,
    chart_texts,
    chromium_page,
    click_tile,
    dashboard_server,
    load_dashboard,
    require_chromium,
    tile_colour,
    tile_tooltip,
    tooltip_colours,
    trend_tooltip,
)
from tests.dashboard.conftest import adoption_rows, build_backfilled_store

pytestmark = pytest.mark.e2e
GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"
REPO = "acme/sample-app"
XSS = "<img src=x onerror=alert(1)>"
XSS_FILE = f"src/{XSS}.tsx"
XSS_IMPORTS = 20  # lines importing the component named XSS: enough for a tile with a label
XSS_SOURCE = "import { Button } from 'evergreen-ui';\n" + "".join(
    f"import {{ \"{XSS}\" as Odd{n} }} from 'evergreen-ui';\n" for n in range(XSS_IMPORTS)
)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The backfilled sample app, its last commit adding the oddly named file."""
    root = tmp_path_factory.mktemp("dashboard-e2e")
    store, _ = build_backfilled_store(root, 26, REPO, last_commit={XSS_FILE: XSS_SOURCE})
    return store


def latest_report(store: Path) -> dict[str, Any]:
    local = LocalStore(store)
    return local.get_report(local.list_runs(REPO)[-1])


def test_dashboard_in_chromium(sample_store: Path, tmp_path: Path) -> None:
    require_chromium()
    report = latest_report(sample_store)
    button_files = report["packages"]["evergreen-ui"]["exports"]["Button"]["files"]
    rows = adoption_rows(sample_store)
    [head] = [row for row in rows if row["target"]]
    with (
        dashboard_server(sample_store, tmp_path / "server.log", "--url-template", GITHUB) as server,
        chromium_page(width=1100) as page,
    ):
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        seconds = load_dashboard(page, server.url)
        assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == f"{head['share']:.1f}%"
        delta = page.locator('[data-testid="stMetricDelta"]').first.inner_text()
        assert delta == f"{head['change']:+.1f} pts since last week"  # what `depreport adoption` prints
        if "imports" in head:
            total = sum(row["imports"] for row in rows)
            assert page.get_by_text(f"{head['imports']:,} of {total:,} imports").count() == 1
        groups = [group["name"] for group in report["options"]["adoption"]["groups"]]
        assert set(groups) <= set(chart_texts(page, TREND))  # one stacked area (legend entry) per group
        expected = group_colours(groups, head["group"])
        trend = tooltip_colours(trend_tooltip(page))
        assert trend == {group: expected[group] for group in groups}, trend
        page.mouse.move(0, 0)
        drawn = [
            group for group in groups if any(t.startswith(f"{group} · ") for t in chart_texts(page, TREEMAP))
        ]
        assert drawn and {group: tile_colour(page, group) for group in drawn} == {
            g: expected[g] for g in drawn
        }
        click_tile(page, "Button")
        page.get_by_text("Files importing").wait_for(timeout=30_000)
        listing = page.locator('[data-testid="stMarkdownContainer"] ul').filter(has_text=XSS_FILE)
        items = listing.locator("li").all_inner_texts()
        assert len(items) == len(button_files)
        assert f"{XSS_FILE} — line 1" in items, items
        home = next(path for path in button_files if path != XSS_FILE)
        lines = ", ".join(map(str, button_files[home]))
        assert any(item.startswith(f"{home} — line") and item.endswith(lines) for item in items), items
        links = listing.locator("a[href*='%3Cimg%20src%3Dx']")
        assert links.count() == 2  # the file and its line number
        assert links.first.get_attribute("href", timeout=5_000).startswith(f"https://github.com/{REPO}/")
        tooltip = tile_tooltip(page, XSS)  # its label is cut short; the tooltip names the whole path
        title = PATH_SEPARATOR.join(["Evergreen v4", "evergreen-ui", XSS])
        assert tooltip.inner_text().split() == [*title.split(), str(XSS_IMPORTS), "imports"]
        assert page.locator('img[src="x"]').count() == 0 and page.dialogs == []
        assert errors == []
        shot = tmp_path / "dashboard.png"
        page.mouse.move(0, 0)
        tooltip.wait_for(state="hidden", timeout=10_000)
        page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000 and seconds < 60
    if os.environ.get("DEPREPORT_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["DEPREPORT_SCREENSHOT"])
