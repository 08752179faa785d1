"""History shaping: carry-forward per repo, the headline numbers, the weekly trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from dashboard.data import (
    ALL_REPOS,
    carry_forward,
    for_repo,
    groups_and_target,
    headline,
    history_notes,
    repo_shares,
    trend,
    week_range,
)
from depreport.history.adoption import Group, Groups, adoption_json
from depreport.history.frames import adoption_frame

GROUPS = Groups((Group("DS", packages=("ds",), target=True), Group("Legacy", packages=("old",))))
MONDAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def summary(repo: str, when: datetime, ds: int, legacy: int) -> dict[str, Any]:
    """A run summary whose groups have these import counts (files and components alike)."""
    counts = {
        name: {"imports": n, "files": n, "components": n} for name, n in (("DS", ds), ("Legacy", legacy))
    }
    return {"repo": repo, "commit": "0" * 12, "run_time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "adoption": adoption_json(counts, GROUPS)}  # fmt: skip


def week(n: int, days: int = 0) -> datetime:
    return MONDAY + timedelta(weeks=n, days=days)


def test_carry_forward_fills_weeks_without_runs_with_the_latest_before() -> None:
    frame = adoption_frame(
        [summary("a", week(0), 1, 9), summary("a", week(3), 5, 5), summary("b", week(1), 2, 2)]
    )
    filled = carry_forward(frame)
    ds = filled[filled["group"] == "DS"]
    assert [(r.repo, r.week.date(), r.imports) for r in ds.itertuples()] == [
        ("a", date(2026, 1, 5), 1), ("a", date(2026, 1, 12), 1), ("a", date(2026, 1, 19), 1),
        ("a", date(2026, 1, 26), 5),
        ("b", date(2026, 1, 12), 2), ("b", date(2026, 1, 19), 2), ("b", date(2026, 1, 26), 2),
    ]  # fmt: skip
    assert list(filled.columns) == [*frame.columns, "carried"]
    assert [r.carried for r in ds.itertuples()] == [False, True, True, False, False, True, True]


def test_carry_forward_keeps_only_the_last_run_of_a_week() -> None:
    frame = adoption_frame([summary("a", week(0), 1, 1), summary("a", week(0, days=6), 7, 3)])
    assert carry_forward(frame)[["group", "imports"]].values.tolist() == [["DS", 7], ["Legacy", 3]]


def test_carry_forward_of_nothing() -> None:
    assert carry_forward(adoption_frame([])).empty


def test_headline_target_share_and_change_since_last_week() -> None:
    frame = carry_forward(adoption_frame([summary("a", week(0), 1, 3), summary("a", week(1), 3, 1)]))
    head = headline(frame, "imports")
    assert (head.target, head.week, head.share, head.change) == ("DS", date(2026, 1, 12), 75.0, 50.0)
    assert head.groups.to_dict("records") == [
        {"group": "DS", "share": 75.0, "change": 50.0, "target": True, "count": 3},
        {"group": "Legacy", "share": 25.0, "change": -50.0, "target": False, "count": 1},
    ]
    assert (head.count, head.total) == (3, 4)  # "3 of 4 imports"


def test_headline_first_week_has_no_change_and_org_wide_sums_repos() -> None:
    frame = carry_forward(adoption_frame([summary("a", week(0), 1, 3), summary("b", week(0), 5, 1)]))
    head = headline(frame, "files")
    assert (head.share, head.change, head.count, head.total) == (60.0, None, 6, 10)
    assert headline(for_repo(frame, "b"), "files").share == pytest.approx(83.3)


def test_headline_of_an_empty_frame() -> None:
    head = headline(adoption_frame([]), "imports")
    assert (head.target, head.week, head.share, head.change) == (None, None, None, None)
    assert head.groups.empty and head.count is None


def test_groups_and_target_name_every_group_of_the_history() -> None:
    frame = adoption_frame([summary("a", week(0), 1, 3)])
    assert groups_and_target(frame) == (["DS", "Legacy"], "DS")
    assert groups_and_target(adoption_frame([])) == ([], None)


def test_org_wide_total_counts_a_repo_that_skipped_the_latest_week() -> None:
    frame = adoption_frame(
        [summary("a", week(0), 0, 10), summary("b", week(0), 10, 0), summary("b", week(1), 10, 0)]
    )
    assert headline(carry_forward(frame), "imports").share == 50.0  # without carry-forward: 100%


def test_trend_shares_counts_and_range() -> None:
    frame = carry_forward(adoption_frame([summary("a", week(n), n, 4 - n) for n in range(4)]))
    shares = trend(frame, "imports")
    assert shares[shares["group"] == "DS"]["value"].tolist() == [0.0, 0.25, 0.5, 0.75]
    assert shares["target"].tolist() == [True, False] * 4
    counts = trend(frame, "imports", as_share=False, between=(date(2026, 1, 12), date(2026, 1, 19)))
    assert counts.values.tolist() == [
        [pd.Timestamp("2026-01-12", tz="UTC"), "DS", 1, True], [pd.Timestamp("2026-01-12", tz="UTC"), "Legacy", 3, False],
        [pd.Timestamp("2026-01-19", tz="UTC"), "DS", 2, True], [pd.Timestamp("2026-01-19", tz="UTC"), "Legacy", 2, False],
    ]  # fmt: skip


def test_week_range_and_repo_filter() -> None:
    frame = carry_forward(adoption_frame([summary("a", week(0), 1, 1), summary("b", week(2, days=3), 1, 1)]))
    assert week_range(frame) == (date(2026, 1, 5), date(2026, 1, 19))
    assert week_range(frame.iloc[0:0]) is None
    assert set(for_repo(frame, "b")["repo"]) == {"b"}
    assert len(for_repo(frame, ALL_REPOS)) == len(for_repo(frame, None)) == len(frame)


def test_repo_shares_one_row_per_repo_target_first() -> None:
    frame = carry_forward(
        adoption_frame(
            [summary("a", week(0), 1, 3), summary("b", week(0), 3, 1), summary("a", week(1), 2, 2)]
        )
    )
    shares = repo_shares(frame, "imports")
    assert shares.to_dict("records") == [
        {"repo": "a", "DS": 0.5, "Legacy": 0.5},
        {"repo": "b", "DS": 0.75, "Legacy": 0.25},
    ]
    assert list(repo_shares(frame.iloc[0:0], "imports").columns) == ["repo"]


def test_trend_leaves_weeks_without_any_run_blank_instead_of_joining_the_weeks_around_them() -> None:
    frame = carry_forward(adoption_frame([summary("a", week(0), 1, 3), summary("a", week(7), 3, 1)]))
    shares = trend(frame, "imports")
    ds = shares[shares["group"] == "DS"]
    assert [w.date() for w in ds["week"]] == [date(2026, 1, 5) + timedelta(weeks=n) for n in range(8)]
    values = ds["value"].tolist()
    assert values[:5] == [0.25] * 5 and values[7] == 0.75  # the run, then 4 weeks it stands in for
    assert all(pd.isna(v) for v in values[5:7])  # stale: no number, not a line from 25 % to 75 %
    blank = trend(frame, "imports", between=(date(2026, 2, 9), date(2026, 2, 16)))
    assert blank["value"].isna().all() and len(blank) == 4


def test_history_notes_name_gaps_stand_ins_and_stale_repos() -> None:
    frame = carry_forward(
        adoption_frame(
            [summary("a", week(0), 1, 3), summary("a", week(8), 3, 1), summary("b", week(0), 1, 1),
             summary("b", week(10), 1, 1), summary("c", week(1), 1, 1)]
        )
    )  # fmt: skip
    assert history_notes(frame) == [
        "No run counts in 2 weeks (2026-02-16 to 2026-02-23): left blank, not drawn as a change.",
        "a: no run in the newest week (2026-03-16); its run of 2026-03-02 stands in for it.",
        "c: no run since the week of 2026-01-12 (more than 4 weeks): left out of the weeks after that; "
        "publish a run of it to count it again.",
    ]
    one_week = carry_forward(adoption_frame([summary("a", week(0), 1, 3), summary("a", week(6), 1, 3)]))
    assert history_notes(one_week) == [
        "No run counts in 1 week (the week of 2026-02-09): left blank, not drawn as a change."
    ]
    assert history_notes(carry_forward(adoption_frame([summary("a", week(0), 1, 1)]))) == []
    assert history_notes(carry_forward(adoption_frame([]))) == []
