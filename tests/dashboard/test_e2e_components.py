"""Component usage in a real browser: `depreport dashboard` as a subprocess, headless Debian chromium.

The store holds the sample app (fixtures/repos/mini-app) scanned for real and published: a click on the
`Pane` tile shows its props beside its files, the treemap can be sized by instances, and the headline
says which group files reach only through a local wrapper (Settings.jsx renders @acme/react-ui's
SelectMenu and Home.tsx imports Settings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.browser import (
    TREEMAP,
    chromium_page,
    click_tile,
    dashboard_server,
    load_dashboard,
    require_chromium,
    tile_tooltip,
)
from tests.dashboard.conftest import published_sample

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return published_sample(tmp_path_factory.mktemp("dashboard-components"))


def cells(page: Any, header: str) -> list[list[str]]:
    """The rows of the table whose first header cell is ``header``, as shown."""
    table = page.locator("table").filter(has=page.locator(f"th:text-is('{header}')"))
    rows: list[list[str]] = table.locator("tbody tr").evaluate_all(
        "(rows) => rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim()))"
    )
    return rows


def test_props_instances_and_wrappers_in_chromium(
    scanned: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    require_chromium()
    store, report = scanned
    pane = report["components"]["evergreen-ui"]["Pane"]
    wrapper = report["adoption"]["groups"]["React UI Library"]
    with dashboard_server(store, tmp_path / "server.log") as server, chromium_page(width=1300) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        load_dashboard(page, server.url)
        headline = page.get_by_text("React UI Library: ", exact=False).first
        assert headline.inner_text() == (
            f"React UI Library: {wrapper['files_direct']} file import it directly, "
            f"{wrapper['files_indirect']} more file only through 1 local wrapper module"
        )
        click_tile(page, "Pane")
        page.get_by_text("Props of").wait_for(timeout=30_000)
        caption = f"Instances: {pane['instances']} in {len(pane['files'])} files"
        assert page.get_by_text(caption, exact=False).count() == 1
        shown = cells(page, "prop")
        expected = [
            [name, str(p["count"]), str(p["not_set"]), ", ".join(f"{v} {n}" for v, n in p["values"].items())]
            for name, p in sorted(pane["props"].items(), key=lambda item: (-item[1]["count"], item[0]))
        ]
        assert shown == expected, shown
        assert page.get_by_text("src/ui/Card.tsx").count() >= 1  # the files list beside it
        page.get_by_text("instances", exact=True).click()  # size the tiles by instances
        page.wait_for_function(  # the new chart is drawn (its root says what sizes it), without Icon
            """(chart) => [...document.querySelectorAll(chart)].length === 1
                && document.querySelector(chart).textContent.includes('all instances')
                && !document.querySelector(chart).textContent.includes('Icon')""",
            arg=TREEMAP,
            timeout=30_000,
        )
        page.wait_for_timeout(500)  # the page settles (Streamlit may still swap the element once)
        tooltip = tile_tooltip(page, "Pane")
        assert tooltip.inner_text().split()[-2:] == [str(pane["instances"]), "instances"]
        assert errors == []
        page.mouse.move(0, 0)
        page.screenshot(path=str(tmp_path / "components.png"), full_page=True)
