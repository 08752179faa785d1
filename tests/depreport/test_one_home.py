"""Concepts with one home: each test fails if a second copy drifts from the first.

The ISO week of a run (Monday), the last run of each week, when a run happened and the commit a run is
filed under are used by publishing, the store, backfill and adoption history; they must agree.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depreport.cli.adoption import _json as adoption_table_json
from depreport.history.adoption import Group, Groups, adoption_json
from depreport.history.fleet import read_sources
from depreport.history.frames import _monday, adoption_frame, last_of_each_week
from depreport.history.plan import Span, plan_weeks
from depreport.history.publish import publish, stored_commit
from depreport.history.weeks import last_of_each_week as last_items
from depreport.history.weeks import week_start
from depreport.report.render.tables import Table, csv_text, render_table
from depreport.report.schema import ReportError
from depreport.report.schema.validate import TOTAL_KEYS
from depreport.runinfo import detect_run_info
from depreport.store import NO_COMMIT, MemoryStore, short_commit, weekly
from tests.helpers import commit_at, git, write_files

GROUPS = Groups((Group("DS", packages=("ds",), target=True), Group("Old", packages=("old",))))
START = datetime(2025, 12, 29, tzinfo=UTC)  # a Monday
zones = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


def report(when: datetime, commit: str | None = "ab" * 20, **times: str) -> dict[str, Any]:
    counts = {
        "DS": {"imports": 1, "files": 1, "components": 1},
        "Old": {"imports": 1, "files": 1, "components": 1},
    }
    return {
        "repo": "org/a", "commit": commit, "generated_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **times,
        "options": {"adoption": GROUPS.to_json()}, "adoption": adoption_json(counts, GROUPS),
        "packages": {}, "problems": [], "totals": dict.fromkeys(TOTAL_KEYS, 0), "exports": {},
    }  # fmt: skip


@given(st.dates())
def test_week_start_is_the_monday_of_the_same_iso_week(day: date) -> None:
    monday = week_start(day)
    assert monday.isoweekday() == 1 and monday.isocalendar()[:2] == day.isocalendar()[:2]


@given(st.datetimes(timezones=zones))
def test_the_history_frame_names_a_week_by_the_same_monday(moment: datetime) -> None:
    assert _monday(pd.Timestamp(moment)).date() == week_start(moment.astimezone(UTC).date())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 60 * 24 * 40), min_size=1, max_size=12, unique=True))
def test_the_store_and_the_history_frame_keep_the_same_last_run_of_each_week(minutes: list[int]) -> None:
    store = MemoryStore()
    for minute in minutes:
        publish(store, report(START + timedelta(minutes=minute)))
    runs = store.list_runs("org/a")
    frame = last_of_each_week(adoption_frame(store.get_summary(ref) for ref in runs))
    from_frame = sorted({t.to_pydatetime() for t in frame["time"]})
    assert [ref.time for ref in weekly(runs)] == from_frame
    assert list(last_items(sorted(runs), lambda ref: ref.time.date()).values()) == weekly(runs)


def test_history_times_a_run_as_publishing_filed_it() -> None:
    store = MemoryStore()
    made, committed = datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 1, 7, 8, tzinfo=UTC)
    ref = publish(store, report(made, committed_at=committed.strftime("%Y-%m-%dT%H:%M:%SZ")), True)
    frame = adoption_frame([store.get_summary(ref)])
    assert ref.time == committed and set(frame["time"]) == {pd.Timestamp(committed)}
    assert set(frame["week"]) == {pd.Timestamp(week_start(committed.date()), tz=UTC)}


@pytest.mark.parametrize(
    ("commit", "filed"),
    [
        pytest.param("AB" * 20, "ab" * 6, id="sha1-upper"),
        pytest.param("cd" * 32, "cd" * 6, id="sha256"),
        pytest.param("ef" * 33, NO_COMMIT, id="too-long"),
        pytest.param("not-a-commit", NO_COMMIT, id="not-hex"),
        pytest.param("abc", NO_COMMIT, id="too-short"),
        pytest.param(None, NO_COMMIT, id="outside-git"),
    ],
)
def test_a_run_is_filed_under_the_stores_short_commit(commit: str | None, filed: str) -> None:
    assert stored_commit({"commit": commit}) == filed
    if filed != NO_COMMIT:
        assert short_commit(str(commit)) == filed
    ref = publish(MemoryStore(), report(START, commit))
    assert ref.stem.split("_")[1] == filed


@pytest.mark.parametrize(
    "remote",
    [
        "https://github.com/acme/web.git",
        "https://github.com/acme/web/",
        "HTTPS://gitlab.example.com/group/acme/web",
        "ssh://git@github.com/acme/web.git",
        "git@github.com:acme/web.git",
    ],
)
def test_ci_and_a_fleet_list_name_a_remote_alike(remote: str, tmp_path: Path) -> None:
    env = {"BUILDKITE_COMMIT": "ab" * 20, "BUILDKITE_REPO": remote}
    from_ci = detect_run_info(tmp_path, env).repo
    [source] = read_sources(remote)
    assert from_ci == source.name == "acme/web" and source.is_url


def test_every_json_and_csv_table_is_written_one_way() -> None:
    table = Table("t", ["name", "count", "share"], [["=cmd|' /C calc'!A0", 3, 12.5], ["two\nlines", 0, None]])
    rows = [
        {"name": "=cmd|' /C calc'!A0", "count": 3, "share": 12.5},
        {"name": "two\nlines", "count": 0, "share": None},
    ]
    assert table.records() == rows
    assert json.loads(render_table(table, "json")) == rows
    assert json.loads(adoption_table_json(table)) == {"title": "t", "groups": rows}
    csv = render_table(table, "csv")
    assert csv == csv_text(table.columns, table.rows)
    assert csv.splitlines()[1].startswith("'=cmd") and "two\\nlines,0," in csv  # defused, on one line


def test_backfill_replays_the_commit_the_store_would_keep_for_each_week(tmp_path: Path) -> None:
    dates = [
        "2026-01-05T10:00:00+00:00",
        "2026-01-11T23:30:00+00:00",
        "2026-01-12T00:30:00+02:00",  # Sunday 22:30 UTC: still the week of 5 January
        "2026-01-12T09:00:00+00:00",
        "2026-01-28T12:00:00-05:00",
    ]
    git(tmp_path, "init", "-q", "-b", "main")
    for number, when in enumerate(dates):
        write_files(tmp_path, {"a.ts": f"export const a = {number};\n"})
        git(tmp_path, "add", "-A")
        commit_at(tmp_path, when)
    plan = plan_weeks(tmp_path, Span(weeks=None, since=date(2026, 1, 5)))
    store = MemoryStore()
    for when in dates:
        publish(store, report(datetime.fromisoformat(when)))
    kept = weekly(store.list_runs("org/a"))
    assert [week.commit.time for week in plan] == [ref.time for ref in kept]
    assert [week.monday for week in plan] == [week_start(ref.time.date()) for ref in kept]
    assert len(plan) == 3


@pytest.mark.parametrize("use_commit_time", [True, False])
def test_publishing_checks_the_time_it_files_the_run_under(use_commit_time: bool) -> None:
    past, future = datetime(2026, 1, 7, 8, tzinfo=UTC), datetime.now(UTC) + timedelta(days=400)
    dated = report(future, committed_at=past.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if use_commit_time:
        assert publish(MemoryStore(), dated, use_commit_time).time == past
    else:
        with pytest.raises(ReportError, match=r"generated_at is .* in the future"):
            publish(MemoryStore(), dated, use_commit_time)
