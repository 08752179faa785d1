"""weekly(): the last run of each ISO week."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from depreport.store import RunRef, weekly
from depreport.store.layout import make_ref

SHA = "0123456789abcdef0123456789abcdef01234567"


def run(text: str, repo: str = "org/app") -> RunRef:
    return make_ref(repo, datetime.fromisoformat(text).replace(tzinfo=UTC), SHA, unique=False)


def test_empty() -> None:
    assert weekly([]) == []
    assert weekly([], weeks=4) == []


def test_last_run_of_each_iso_week_oldest_first() -> None:
    runs = [
        run("2024-03-04T09:00:00"),  # Mon, week 10
        run("2024-03-10T23:59:59"),  # Sun, week 10: last of the week
        run("2024-03-11T00:00:00"),  # Mon, week 11
        run("2024-03-26T08:00:00"),  # Tue, week 13 (week 12 has no run)
        run("2024-03-27T08:00:00"),  # Wed, week 13: last
    ]
    shuffled = runs[:]
    random.Random(7).shuffle(shuffled)
    assert weekly(shuffled) == [runs[1], runs[2], runs[4]]


def test_weeks_counts_calendar_weeks_back_from_the_latest() -> None:
    runs = [run("2024-03-04T09:00:00"), run("2024-03-11T09:00:00"), run("2024-03-26T09:00:00")]
    assert weekly(runs, weeks=1) == [runs[2]]
    assert weekly(runs, weeks=2) == [runs[2]]  # week 12 is empty
    assert weekly(runs, weeks=3) == [runs[1], runs[2]]
    assert weekly(runs, weeks=52) == runs


def test_iso_week_across_new_year() -> None:
    # 2020-12-31 (Thu) and 2021-01-03 (Sun) are both ISO week 53 of 2020
    runs = [run("2020-12-31T10:00:00"), run("2021-01-03T10:00:00"), run("2021-01-04T10:00:00")]
    assert weekly(runs) == [runs[1], runs[2]]


def test_same_second_runs_pick_the_last_key() -> None:
    time = datetime(2024, 3, 4, 12, tzinfo=UTC)
    refs = [make_ref("org/app", time, SHA, unique=True) for _ in range(5)]
    assert weekly(refs) == [max(refs)]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        weekly([run("2024-03-04T09:00:00")], weeks=0)
    with pytest.raises(ValueError, match="one repo"):
        weekly([run("2024-03-04T09:00:00"), run("2024-03-05T09:00:00", repo="org/other")])


def test_a_year_of_daily_runs_gives_one_per_week() -> None:
    start = datetime(2024, 1, 1, 6, tzinfo=UTC)  # a Monday
    runs = [make_ref("org/app", start + timedelta(days=d), SHA, unique=False) for d in range(364)]
    picked = weekly(runs)
    assert len(picked) == 52
    assert all(ref.time.isoweekday() == 7 for ref in picked)
    assert weekly(runs, weeks=12) == picked[-12:]
