"""Drive the real dashboard: `depreport dashboard` as a subprocess, Debian's chromium through Playwright.

Shared by the end-to-end test and the scripts in bench/dashboard/ (screenshot, first-render timing).
No browser is downloaded: Playwright drives /usr/bin/chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("DEPREPORT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
CHART = '[data-testid="stEChartsChart"]'
TREND = f".st-key-trend {CHART}"
TREEMAP = f'[class*="st-key-treemap-"] {CHART}'  # the key ends with a digest of the tree drawn
TOOLTIP = 'div[style*="z-index: 9999999"]'  # where ECharts shows a chart's tooltip


@dataclass(frozen=True)
class Server:
    """A running dashboard."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_chromium() -> Path:
    """The chromium binary, or a failure that says how to install it (never a skip)."""
    if not CHROMIUM.exists():
        raise AssertionError(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
            "(apt-get install -y chromium), or DEPREPORT_CHROMIUM=/path/to/chromium"
        )
    return CHROMIUM


@contextmanager
def dashboard_server(store: Path, log: Path, *extra: str, timeout: float = 90) -> Iterator[Server]:
    """`depreport dashboard --store STORE` on a free port of 127.0.0.1, stopped on exit."""
    port = free_port()
    command = [sys.executable, "-m", "depreport", "dashboard", "--store", str(store), "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        process = subprocess.Popen([*command, *extra], stdout=sink, stderr=subprocess.STDOUT, env=env)
    server = Server(url=f"http://127.0.0.1:{port}/", process=process, log=log)
    try:
        wait_healthy(server.url, process, log, timeout)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Wait until the Streamlit server at ``url`` says it is healthy; fail with its log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer within {timeout} s:\n{log.read_text()}")


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright (a ``playwright`` Browser)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(opener: Any, width: int = 1500, height: int = 1250) -> Any:
    """A new page of a Browser (fresh profile) or BrowserContext (shared cache); dialogs on ``page.dialogs``."""
    page = opener.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


@contextmanager
def chromium_page(width: int = 1500, height: int = 1250) -> Iterator[Any]:
    """A fresh page in headless chromium; JavaScript dialogs are recorded on ``page.dialogs``."""
    with chromium() as browser:
        yield open_page(browser, width, height)


def load_dashboard(page: Any, url: str, timeout_ms: float = 60_000) -> float:
    """Open the page and wait until the adoption number, the trend and the treemap are drawn; returns seconds."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=timeout_ms)
    page.wait_for_function(
        """([trend, treemap]) => document.querySelector(`${trend} svg path`)
            && document.querySelector(`${treemap} svg text`)""",
        arg=[TREND, TREEMAP],
        timeout=timeout_ms,
    )
    return time.perf_counter() - started


def chart_texts(page: Any, chart: str) -> list[str]:
    """The text drawn in a chart (SVG renderer): labels, legend, axes."""
    texts: list[str] = page.locator(f"{chart} svg text").all_text_contents()
    return texts


def find_tile(page: Any, label: str) -> Any:
    """The label of the treemap tile named ``label``: a tile's first line (maybe cut short with "...")
    or a box's top strip ("label · count")."""
    for text in page.locator(f"{TREEMAP} svg text").all():
        shown = text.text_content() or ""
        cut_short = shown.endswith("...") and label.startswith(shown[:-3].rstrip())
        if shown == label or shown.startswith(f"{label} · ") or cut_short:
            return text
    raise AssertionError(f"no treemap tile labelled {label!r}; tiles: {chart_texts(page, TREEMAP)}")


def click_tile(page: Any, label: str) -> None:
    """Click the treemap tile named ``label`` (on its label)."""
    page.mouse.click(*_middle(find_tile(page, label)))


def tile_tooltip(page: Any, label: str) -> Any:
    """Hover the treemap tile named ``label``; returns its tooltip (a Playwright locator)."""
    page.mouse.move(*_middle(find_tile(page, label)))
    tooltip = page.locator(f"{TREEMAP} {TOOLTIP}")
    tooltip.wait_for(state="visible", timeout=10_000)
    return tooltip


def tooltip_colours(tooltip: Any) -> dict[str, str]:
    """Name -> colour of the markers in a shown ECharts tooltip (a series or a tile, as #rrggbb)."""
    colours: dict[str, str] = tooltip.evaluate(
        """(box) => {
            const hex = (c) => '#' + c.match(/\\d+/g).slice(0, 3)
                .map((n) => Number(n).toString(16).padStart(2, '0')).join('');
            const found = {};
            for (const marker of box.querySelectorAll('span')) {
                const colour = marker.style.backgroundColor;
                const label = marker.nextElementSibling;
                if (colour && label) found[label.textContent.trim()] = hex(colour);
            }
            return found;
        }"""
    )
    return colours


def tile_colour(page: Any, label: str) -> str:
    """The fill (#rrggbb) of the treemap tile named ``label``: the smallest filled shape under its label."""
    colour: str = find_tile(page, label).evaluate(
        """(text) => {
            const hex = (c) => c.startsWith('#') ? c.toLowerCase() : '#' + c.match(/\\d+/g).slice(0, 3)
                .map((n) => Number(n).toString(16).padStart(2, '0')).join('');
            const t = text.getBoundingClientRect(), x = t.x + t.width / 2, y = t.y + t.height / 2;
            let best = null, area = Infinity;
            for (const shape of text.ownerSVGElement.querySelectorAll('path, rect')) {
                const fill = shape.getAttribute('fill'), b = shape.getBoundingClientRect();
                const inside = b.x <= x && x <= b.x + b.width && b.y <= y && y <= b.y + b.height;
                if (fill && fill !== 'none' && inside && b.width * b.height < area) {
                    best = fill; area = b.width * b.height;
                }
            }
            return best && hex(best);
        }"""
    )
    return colour


def trend_tooltip(page: Any) -> Any:
    """Hover the middle of the trend chart; returns its tooltip (every group's marker and value)."""
    box = page.locator(f"{TREND} svg").bounding_box()
    assert box is not None, "the trend is not drawn"
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    tooltip = page.locator(f"{TREND} {TOOLTIP}")
    tooltip.wait_for(state="visible", timeout=10_000)
    return tooltip


def _middle(element: Any) -> tuple[float, float]:
    """The middle of ``element`` on the screen, once scrolled into view."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None, "the element is not drawn"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
