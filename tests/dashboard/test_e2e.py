"""The dashboard in a real browser: `depreport dashboard` as a subprocess, headless Debian chromium.

Needs /usr/bin/chromium (`apt-get install -y chromium`); without it the test fails and says so.
`DEPREPORT_SCREENSHOT=docs/dashboard.png` also saves the screenshot there (bench/dashboard/screenshot.py
makes the README's from the backfilled sample app).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.dashboard.browser import (
    TREND,
    chart_texts,
    chromium_page,
    click_tile,
    dashboard_server,
    load_dashboard,
    require_chromium,
)
from tests.dashboard.conftest import REPOS, XSS_FILE, HistoryStore

pytestmark = pytest.mark.e2e
GITHUB = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"


def target_share(history_store: HistoryStore) -> str:
    groups = [g for report in history_store.latest.values() for g in report["adoption"]["groups"].values()]
    share = 100 * sum(g["imports"] for g in groups if g["target"]) / sum(g["imports"] for g in groups)
    return f"{share:.1f}%"


def test_dashboard_in_chromium(history_store: HistoryStore, tmp_path: Path) -> None:
    require_chromium()
    args = ("--url-template", GITHUB)
    with (
        dashboard_server(history_store.path, tmp_path / "server.log", *args) as server,
        chromium_page() as page,
    ):
        seconds = load_dashboard(page, server.url)
        assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == target_share(history_store)
        assert "since last week" in page.locator('[data-testid="stMetricDelta"]').first.inner_text()
        groups = [g["name"] for g in history_store.latest[REPOS[0]]["options"]["adoption"]["groups"]]
        assert set(groups) <= set(chart_texts(page, TREND))  # one stacked area (legend entry) per group
        click_tile(page, "Button")
        page.get_by_text("Files importing").wait_for(timeout=30_000)
        listing = page.locator('[data-testid="stMarkdownContainer"] ul').filter(has_text="src/pages/Home.tsx")
        text = listing.inner_text()
        assert text.count(XSS_FILE) == 2 and text.count("src/pages/Home.tsx") == 2, text
        assert all(repo in text for repo in REPOS)
        links = listing.locator("a[href*='%3Cimg%20src%3Dx']")
        assert links.count() == 4  # the file and its line number, in each repo
        assert links.first.get_attribute("href", timeout=5_000).startswith("https://github.com/acme/")
        assert page.locator('img[src="x"]').count() == 0 and page.dialogs == []
        shot = tmp_path / "dashboard.png"
        page.mouse.move(0, 0)
        page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000 and seconds < 60
    if os.environ.get("DEPREPORT_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["DEPREPORT_SCREENSHOT"])
