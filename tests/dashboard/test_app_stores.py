"""The page through AppTest over odd stores: empty, unreadable, damaged, without groups; the cache."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.Metric_pb2 import Metric

from dashboard.usage import report_usage, treemap_nodes
from depreport.cli import main
from depreport.history.publish import publish
from depreport.store import LocalStore, open_store
from tests.dashboard.apptest import BUTTON, charts, click, listing, plain, run_app, texts
from tests.dashboard.conftest import (
    NEWEST,
    HistoryStore,
    at_week,
)

pytestmark = pytest.mark.integration


def test_an_empty_store_says_what_to_run(dashboard_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = run_app(dashboard_env, tmp_path / "nothing-here")
    assert "does not exist yet" in app.info[0].value
    assert f"depreport scan . --publish {tmp_path / 'nothing-here'}" in app.code[0].value
    assert "depreport backfill" in app.code[0].value
    (tmp_path / "empty").mkdir()
    assert "holds no reports yet" in run_app(dashboard_env, tmp_path / "empty").info[0].value


@pytest.mark.parametrize(
    ("store", "env", "message"),
    [
        pytest.param("ftp://host/x", {}, "unsupported scheme", id="bad-uri"),
        pytest.param(
            "s3://reports/depreport",
            {"DEPREPORT_ENDPOINT_URL": "http://127.0.0.1:9"},
            "cannot reach S3 endpoint http://127.0.0.1:9",
            id="unreachable-s3",
        ),
    ],
)
def test_an_unreadable_store_shows_the_error_not_a_traceback(
    dashboard_env: pytest.MonkeyPatch, store: str, env: dict[str, str], message: str
) -> None:
    dashboard_env.setenv("AWS_ACCESS_KEY_ID", "test")
    dashboard_env.setenv("AWS_SECRET_ACCESS_KEY", "test")
    app = run_app(dashboard_env, store, **env)
    assert message in plain(app.error[0].value) and store in app.error[0].value
    assert "depreport scan . --publish" in app.code[0].value


def test_reports_without_groups_still_show_usage(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path, sample_report: dict[str, Any]
) -> None:
    bare = copy.deepcopy(sample_report)
    bare["adoption"] = None
    del bare["options"]["adoption"]
    publish(LocalStore(tmp_path), bare)
    app = run_app(dashboard_env, tmp_path)
    assert "carry no adoption groups" in app.info[0].value
    assert "[[groups]]" in app.code[0].value and "target = true" in app.code[0].value
    assert f"depreport scan . --publish {tmp_path}" in app.code[1].value
    assert [h.value for h in app.main.header] == ["Global adoption", "Component usage", "Low-hanging fruit"]
    assert app.checkbox(key="ungrouped").value is True  # nothing is grouped: show every package
    assert len(app.get("echarts_chart")) == 1 and not app.sidebar.selectbox  # one repo: no repo picker
    # found on jaeger-ui scanned without groups: "No component of the other groups is imported that
    # rarely" was a success, as if every migration were done, when no group says what to migrate
    assert not app.success and "no adoption groups: nothing is known to be left" in app.info[-1].value


def test_a_damaged_run_is_named_and_the_rest_shown(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path, sample_report: dict[str, Any]
) -> None:
    store = LocalStore(tmp_path)
    ref = publish(store, at_week(sample_report, NEWEST, 1.0, 1.0))
    publish(store, at_week(sample_report, NEWEST.replace(day=1), 0.5, 1.0))
    (tmp_path / ref.summary_key).write_bytes(b"{broken")
    app = run_app(dashboard_env, tmp_path)
    assert app.expander[0].label == "Stored runs unreadable and left out: 1"
    assert ref.stem in app.expander[0].markdown[0].value
    assert app.metric[0].value.endswith("%")


def test_a_bad_url_template_turns_links_off_and_says_why(
    dashboard_env: pytest.MonkeyPatch, history_store: HistoryStore
) -> None:
    app = run_app(dashboard_env, history_store.path, DEPREPORT_URL_TEMPLATE="javascript:alert(1)//{path}")
    assert "must start with https://" in plain(app.sidebar.warning[0].value)
    assert "javascript" not in texts(click(app, BUTTON)).replace(app.sidebar.warning[0].value, "")


def test_history_is_cached_until_reload(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path, sample_report: dict[str, Any]
) -> None:
    store = LocalStore(tmp_path)
    publish(store, at_week(sample_report, NEWEST, 0.5, 1.0))
    app = run_app(dashboard_env, tmp_path)
    first = app.metric[0].value
    publish(store, at_week(sample_report, NEWEST.replace(hour=11), 1.0, 1.0))
    assert app.run().metric[0].value == first  # served from the cache
    app.sidebar.button[0].click().run()
    assert app.metric[0].value != first


@pytest.mark.s3
def test_an_s3_store_reads_like_a_folder(
    dashboard_env: pytest.MonkeyPatch, s3_server: Any, s3_bucket: str, sample_report: dict[str, Any]
) -> None:
    uri = f"s3://{s3_bucket}/reports"
    store = open_store(uri, s3_server.endpoint)
    publish(store, at_week(sample_report, NEWEST - timedelta(weeks=1), 0.5, 1.0))
    publish(store, at_week(sample_report, NEWEST, 1.0, 1.0))
    app = run_app(dashboard_env, uri, DEPREPORT_ENDPOINT_URL=s3_server.endpoint)
    assert app.metric[0].value == f"{100 * sample_report['adoption']['target_share']['imports']:.1f}%"
    assert len(charts(app)[0]["series"][0]["data"]) == 2
    click(app, BUTTON)
    assert "src/pages/Home.tsx" in listing(app)


def test_the_target_share_draws_a_line_and_no_change_is_grey(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path, sample_report: dict[str, Any]
) -> None:
    store = LocalStore(tmp_path)
    publish(store, at_week(sample_report, NEWEST - timedelta(weeks=1), 1.0, 1.0))
    publish(store, at_week(sample_report, NEWEST, 1.0, 1.0))  # the same numbers two weeks running
    app = run_app(dashboard_env, tmp_path, DEPREPORT_TARGET_SHARE="0.8")
    [mark] = charts(app)[0]["series"][0]["markLine"]["data"]
    assert mark["yAxis"] == 80.0
    assert app.metric[0].delta == "+0.0 pts since last week"
    gray, none = Metric.MetricColor.Value("GRAY"), Metric.MetricDirection.Value("NONE")
    assert {(m.proto.color, m.proto.direction) for m in app.metric} == {(gray, none)}  # neither good nor bad
    bad = run_app(dashboard_env, tmp_path, DEPREPORT_TARGET_SHARE="80")
    assert "at most 1" in plain(bad.sidebar.warning[0].value)
    assert "markLine" not in charts(bad)[0]["series"][0]


def test_a_stale_repo_is_left_out_of_the_org_wide_usage_as_of_its_shares(
    dashboard_env: pytest.MonkeyPatch, tmp_path: Path, sample_report: dict[str, Any]
) -> None:
    """Found on a store of jaeger-ui and frontend-app-learning, the latter last backfilled 57 weeks before
    the newest: the shares left it out (stale), the treemap counted its 291 Paragon imports ("all imports
    · 708" under a headline of 417) and its components in the low-hanging fruit."""
    store = LocalStore(tmp_path / "store")
    publish(store, at_week(sample_report, NEWEST, 1.0, 1.0))
    old = copy.deepcopy(sample_report) | {"repo": "acme/old-app"}
    publish(store, at_week(old, NEWEST - timedelta(weeks=10), 1.0, 1.0))
    app = run_app(dashboard_env, tmp_path / "store")
    imports = int(treemap_nodes(report_usage(sample_report))["value"].iloc[0])  # acme/mini-app's alone
    [treemap] = [chart for chart in charts(app) if chart["series"][0]["type"] == "treemap"]
    assert sum(tile["value"] for tile in treemap["series"][0]["data"]) == imports  # every grouped import line
    assert "Left out, as in the shares above (no run for more than 4 weeks): acme/old-app." in plain(
        texts(app)
    )
    fruit = [m.value for m in app.markdown if "where (file:lines" in plain(m.value)]
    assert fruit and "acme/old-app" not in plain(fruit[0])  # the low-hanging fruit: one repo's files
    app.sidebar.selectbox[0].select("acme/old-app").run()
    [treemap] = [chart for chart in charts(app) if chart["series"][0]["type"] == "treemap"]
    assert sum(tile["value"] for tile in treemap["series"][0]["data"]) == imports  # its own latest report
    page = tmp_path / "page.html"
    assert main(["report", "--store", str(tmp_path / "store"), "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "acme/old-app." in html and html.count("acme/old-app") == 3  # the note, stale note, per repo
