"""The page through Streamlit's AppTest: a clicked component's props beside its files, tiles sized by
instances. The store is the weekly two-repo store of the sample app (a real scan, see conftest)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from dashboard.charts import tile_paths
from dashboard.markup import md_code
from dashboard.panels import VERSIONED
from depreport.history.publish import publish
from depreport.store import LocalStore
from tests.dashboard.apptest import charts, click, plain, run_app, texts
from tests.dashboard.conftest import REPOS, HistoryStore

pytestmark = pytest.mark.integration
PANE = json.dumps(["Evergreen v4", "evergreen-ui", "Pane"])


def props_rows(markdown: str) -> list[list[str]]:
    return [
        [plain(cell.strip()) for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in markdown.split("\n")[2:]
    ]


def test_a_clicked_component_shows_its_props_beside_its_files(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = click(run_app(dashboard_env, history_store.path), PANE)
    assert f"Props of {md_code('Pane')}" in [s.value for s in app.subheader]
    # each repo: <Pane {...props}> (Home.tsx), <Pane elevation={1}> (Card.tsx), <EG.Pane> (Settings.jsx)
    instances = sum(
        r["components"]["evergreen-ui"]["Pane"]["instances"] for r in history_store.latest.values()
    )
    assert instances == 3 * len(REPOS)
    assert f"Instances: {instances:,} in {instances:,} files" in plain(texts(app))
    table = next(m.value for m in app.markdown if m.value.startswith("| prop | passed"))
    assert props_rows(table) == [["[spread]", "2", "4", "[spread] 2"], ["elevation", "2", "4", "1 2"]]
    app.sidebar.selectbox(key="repo").select(REPOS[0]).run()
    assert "Instances: 3 in 3 files" in plain(texts(app))


def test_a_component_imported_but_never_rendered_says_so(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = click(
        run_app(dashboard_env, history_store.path), json.dumps(["Evergreen v4", "evergreen-ui", "Icon"])
    )
    assert "No instance: it is imported but never rendered as an element." in [i.value for i in app.info]


def test_tiles_sized_by_instances(dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore) -> None:
    app = run_app(dashboard_env, history_store.path)
    app.radio(key="treemap_size").set_value("instances").run()
    assert not app.exception, app.exception
    option = charts(app)[1]
    assert option["series"][0]["tooltip"]["valueFormatter"] == "%,d instances"
    paths = tile_paths(option)
    assert ("Evergreen v4", "evergreen-ui", "Pane") in paths
    assert ("Evergreen v4", "evergreen-ui", "Icon") not in paths  # imported, never rendered
    pane = next(t for t in option["series"][0]["data"][0]["children"][0]["children"] if "Pane" in t["name"])
    assert pane["value"] == 3 * len(REPOS)


def test_indirect_dependence_under_the_headline(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    """The sample app's Settings.jsx renders @acme/react-ui's SelectMenu and Home.tsx imports Settings:
    one file reaches the React UI Library only through that local wrapper (the other repo's numbers are
    scaled copies)."""
    groups = [r["adoption"]["groups"]["React UI Library"] for r in history_store.latest.values()]
    indirect, direct = sum(g["files_indirect"] for g in groups), sum(g["files_direct"] for g in groups)
    assert [w["module"] for g in groups for w in g["wrappers"]] == ["src/pages/Settings.jsx"] * len(REPOS)
    app = run_app(dashboard_env, history_store.path)
    said = plain(texts(app))
    assert "**Indirect via wrappers** (latest reports)" in said
    assert (
        f"React UI Library: {direct} files import it directly, **{indirect} more files only through 2 "
        in said
    )
    app.sidebar.selectbox(key="repo").select(REPOS[0]).run()
    assert "React UI Library: 1 file import it directly, **1 more file only through 1 local wrapper" in plain(
        texts(app)
    )


def test_a_version_range_is_said_above_the_treemap(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore, tmp_path: Path
) -> None:
    pinned = copy.deepcopy(history_store.latest[REPOS[0]])
    pinned["options"]["adoption"]["groups"][1]["version"] = "<4"
    publish(LocalStore(tmp_path / "store"), pinned)
    app = run_app(dashboard_env, tmp_path / "store")
    assert VERSIONED in [caption.value for caption in app.caption]
    assert VERSIONED not in [c.value for c in run_app(dashboard_env, history_store.path).caption]
