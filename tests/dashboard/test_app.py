"""The page through Streamlit's AppTest over a weekly two-repo store: numbers, charts, clicks, filters."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.charts import PICKED_COLOUR, tile_paths, tiles
from dashboard.markup import md_code
from depreport.history.publish import publish
from depreport.store import LocalStore
from tests.dashboard.apptest import (
    BUTTON,
    GITHUB,
    charts,
    click,
    listing,
    plain,
    run_app,
    share,
    texts,
)
from tests.dashboard.conftest import (
    NEWEST,
    REPOS,
    WEEKS,
    XSS_FILE,
    HistoryStore,
    at_week,
    build_backfilled_store,
    scan_sample,
)

pytestmark = pytest.mark.integration
CODEOWNERS = "* @acme/web\nsrc/pages/Settings.jsx @acme/settings\n"


def test_org_wide_headline_is_the_latest_week_over_every_repo(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path)
    now, before = (
        share(list(history_store.latest.values()), "imports"),
        share(list(history_store.previous.values()), "imports"),
    )
    metric = app.metric[0]
    assert metric.label == "Evergreen v4: share of imports"
    assert metric.value == f"{now:.1f}%"
    assert metric.delta == f"{now - before:+.1f} pts since last week"
    groups = [g for r in history_store.latest.values() for g in r["adoption"]["groups"].values()]
    count, total = sum(g["imports"] for g in groups if g["target"]), sum(g["imports"] for g in groups)
    assert f"{count:,} of {total:,} imports  \nWeek of {NEWEST:%Y-%m-%d}"[:-2] in plain(
        texts(app)
    )  # its Monday
    assert app.sidebar.selectbox(key="repo").options == ["All repos (org-wide)", *REPOS]
    assert app.expander[0].label.startswith("Per repo")


def test_one_repo_and_another_metric(dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore) -> None:
    app = run_app(dashboard_env, history_store.path)
    app.sidebar.selectbox(key="repo").select(REPOS[0])
    app.sidebar.radio(key="metric").set_value("files")
    app.run()
    expected = history_store.latest[REPOS[0]]["adoption"]["target_share"]["files"] * 100
    assert app.metric[0].value == f"{expected:.1f}%"
    assert app.metric[0].label == "Evergreen v4: share of importing files"
    assert not app.expander  # no per-repo table for a single repo


def test_charts_cover_every_group_and_week(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path)
    trend, treemap = charts(app)
    configured = [g["name"] for g in history_store.latest[REPOS[0]]["options"]["adoption"]["groups"]]
    groups = ["Evergreen v4", *(name for name in configured if name != "Evergreen v4")]
    assert [plain(metric.label) for metric in app.metric[1:]] == groups[
        1:
    ]  # the other groups, configured order
    assert [series["name"] for series in trend["series"]] == groups
    assert all(len(series["data"]) == WEEKS for series in trend["series"])
    assert len(trend["xAxis"]["data"]) == WEEKS
    assert treemap["series"][0]["type"] == "treemap"
    assert tuple(json.loads(BUTTON)) in tile_paths(treemap)
    app.radio(key="trend_mode").set_value("count").run()
    trend = charts(app)[0]
    latest = history_store.latest
    assert trend["series"][0]["data"][-1] == sum(
        r["adoption"]["groups"]["Evergreen v4"]["imports"] for r in latest.values()
    )


def test_weeks_without_a_run_are_gaps_in_the_trend_and_said(
    dashboard_env: pytest.MonkeyPatch, sample_report: dict[str, Any], tmp_path: Path
) -> None:
    store = LocalStore(tmp_path / "store")
    for weeks, scale in ((0, 1.0), (8, 2.0)):  # a run, then 7 weeks without one: 4 carried, 3 blank
        publish(
            store, {**at_week(sample_report, NEWEST - timedelta(weeks=8 - weeks), scale, 1.0), "repo": "a/b"}
        )
    app = run_app(dashboard_env, tmp_path / "store")
    trend = charts(app)[0]
    assert len(trend["xAxis"]["data"]) == 9
    assert all(series["data"][5:8] == [None, None, None] for series in trend["series"])
    assert all(value is not None for series in trend["series"] for value in series["data"][:5])
    assert "No run counts in 3 weeks (" in plain(texts(app))


def test_clicking_a_tile_lists_its_files_escaped_and_linked(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path, DEPREPORT_URL_TEMPLATE=GITHUB)
    assert "Click a tile" in app.info[0].value
    click(app, BUTTON)
    assert app.subheader[0].value == f"Files importing {md_code('Button')} from {md_code('evergreen-ui')}"
    files = listing(app)
    commit = history_store.latest[REPOS[0]]["commit"]
    escaped = "src/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.tsx"
    assert f"[{md_code(XSS_FILE)}](https://github.com/acme/mini-app/blob/{commit}/{escaped}#L1)" in files
    assert (
        f"[{md_code('src/pages/Home.tsx')}](https://github.com/acme/other-app/blob/{commit}/src/pages/Home.tsx#L2)"
        in files
    )
    assert files.count("\n") == 3  # two files in each of the two repos
    outlined = [
        tile["id"] for tile in tiles(charts(app)[1]) if tile["itemStyle"]["borderColor"] == PICKED_COLOUR
    ]
    assert outlined == [BUTTON]  # redrawn with the clicked tile outlined
    assert "<img" not in files.replace(md_code(XSS_FILE), "")  # the name appears only inside code spans


def test_clicking_a_package_lists_its_components_per_file(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path)
    app.sidebar.selectbox(key="repo").select(REPOS[0]).run()
    click(app, json.dumps(["Evergreen v4", "evergreen-ui"]))
    files = listing(app)
    names = ", ".join(md_code(name) for name in ("Button", "Heading", "Pane", "PaneProps"))
    assert f"- {md_code('src/pages/Home.tsx')} — lines 2, 3 — {names}" in files  # type-only imports count
    assert "github.com" not in files  # no template, no links


def fruit_rows(app: AppTest) -> list[list[str]]:
    """The low-hanging fruit table's rows as the visitor reads them."""
    table = next(m.value for m in app.markdown if m.value.startswith("| group | package | component"))
    return [
        [plain(cell.strip()) for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in table.split("\n")[2:]
    ]


def test_low_hanging_fruit_table_sorting_and_download(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path)
    app.sidebar.selectbox(key="repo").select(REPOS[0]).run()
    rows = fruit_rows(app)
    assert all(int(row[3]) <= 2 for row in rows) and "Evergreen v4" not in {row[0] for row in rows}
    assert [int(row[3]) for row in rows] == sorted(int(row[3]) for row in rows)
    [dialog] = [row for row in rows if row[1] == "evergreen-ui-v3"]
    assert dialog[2:] == ["default (Dialog, OldDialog)", "2", "2", f"{XSS_FILE}:2; src/pages/Home.tsx:7"]
    assert [b.label for b in app.get("download_button")] == ["Download as CSV"]
    app.radio(key="fruit_sort").set_value("package").run()
    packages = [row[1] for row in fruit_rows(app)]
    assert packages == sorted(packages) and len(packages) == len(rows)
    app.number_input(key="fruit_most").set_value(1).run()
    assert {row[3] for row in fruit_rows(app)} == {"1"}


def test_team_filter_from_codeowners(dashboard_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = scan_sample(tmp_path / "work", REPOS[0], CODEOWNERS)
    store = LocalStore(tmp_path / "store")
    publish(store, at_week(report, NEWEST - timedelta(weeks=1), 0.5, 1.0))
    publish(store, at_week(report, NEWEST, 1.0, 1.0))
    app = run_app(dashboard_env, tmp_path / "store")
    by_owner = report["adoption"]["by_owner"]
    team = app.sidebar.selectbox(key="team")
    assert team.options == ["All teams", *sorted(by_owner)]
    team.select("@acme/settings").run()
    assert not app.exception
    assert app.metric[0].value == f"{100 * by_owner['@acme/settings']['target_share']['imports']:.1f}%"
    assert any("Component usage covers every team" in plain(caption.value) for caption in app.caption)


def test_no_team_filter_without_codeowners(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    assert [box.key for box in run_app(dashboard_env, history_store.path).sidebar.selectbox] == ["repo"]


def test_per_file_owners_narrow_the_treemap_too(dashboard_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = scan_sample(tmp_path / "work", REPOS[0], CODEOWNERS)
    report["owners"] = {"src/pages/Home.tsx": ["@acme/web"], "src/pages/Settings.jsx": "@acme/settings"}
    publish(LocalStore(tmp_path / "store"), report)
    app = run_app(dashboard_env, tmp_path / "store")
    app.sidebar.selectbox(key="team").select("@acme/settings").run()
    click(app, json.dumps(["Evergreen v4", "evergreen-ui"]))
    assert "src/pages/Settings.jsx" in listing(app) and "Home.tsx" not in listing(app)
    assert not any("covers every team" in caption.value for caption in app.caption)


def test_backfilled_sample_app_shows_the_generators_numbers(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store, sample = build_backfilled_store(tmp_path, weeks=6)
    app = run_app(dashboard_env, store)
    now, before = (100 * record.target_share("files") for record in sample.weeks[-1:-3:-1])
    app.sidebar.radio(key="metric").set_value("files").run()
    assert app.metric[0].value == f"{now:.1f}%"
    assert app.metric[0].delta == f"{now - before:+.1f} pts since last week"
    trend = charts(app)[0]
    assert all(len(series["data"]) == 6 for series in trend["series"])
