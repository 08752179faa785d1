"""Make the README's dashboard screenshot: the backfilled sample app, a treemap tile clicked.

    python bench/dashboard/screenshot.py [--out docs/dashboard.png] [--weeks 26] [--tile Button]

Builds the sample app's git history (fixtures/sample_app) in a temporary folder, backfills one report per
week into a store (`depreport backfill`), starts `depreport dashboard` on 127.0.0.1, opens it in headless
Debian chromium (/usr/bin/chromium), clicks the tile and saves the page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.dashboard.browser import chromium_page, click_tile, dashboard_server, load_dashboard  # noqa: E402
from tests.dashboard.conftest import build_backfilled_store  # noqa: E402

URL_TEMPLATE = "https://github.com/{repo}/blob/{commit}/{path}#L{line}"


def screenshot(out: Path, weeks: int, tile: str) -> float:
    """Build the store, open the dashboard, click ``tile``, save the page; returns the load time."""
    with tempfile.TemporaryDirectory(prefix="depreport-shot-") as work:
        store, _ = build_backfilled_store(Path(work), weeks)
        log = Path(work) / "server.log"
        server_args = ("--url-template", URL_TEMPLATE)
        with dashboard_server(store, log, *server_args) as server, chromium_page(1440, 1900) as page:
            seconds = load_dashboard(page, server.url)
            click_tile(page, tile)
            page.get_by_text("Files importing").wait_for(timeout=30_000)
            page.mouse.move(0, 0)  # no hover label over the treemap
            time.sleep(1.0)  # let the redrawn treemap settle
            page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Write the screenshot."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "dashboard.png")
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--tile", default="Button", help="label of the treemap tile to click")
    args = parser.parse_args(argv)
    seconds = screenshot(args.out, args.weeks, args.tile)
    print(f"wrote {args.out} (page drawn in {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
