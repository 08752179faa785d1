"""History selection over run references (pure functions, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from depreport.history.weeks import by_week as _of_week
from depreport.history.weeks import week_start
from depreport.store.base import RunRef

__all__ = ["by_week", "week_start", "weekly"]


def weekly(runs: Iterable[RunRef], weeks: int | None = None) -> list[RunRef]:
    """The last run of each ISO week (UTC), oldest to newest.

    With ``weeks``, keep only the ``weeks`` calendar weeks ending with the week of the
    newest run (weeks without runs count, they just contribute nothing).
    All runs must belong to one repo.
    """
    return [week[-1] for week in by_week(runs, weeks)]


def by_week(runs: Iterable[RunRef], weeks: int | None = None) -> list[list[RunRef]]:
    """The runs of each ISO week (UTC) that has some, each week oldest first, weeks oldest to newest.

    ``weeks`` keeps the calendar weeks ending with the newest run's week, as in ``weekly``; a reader
    falls back to an earlier run of a week when its last one cannot be read.
    """
    if weeks is not None and weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    of_week = _of_week(runs, lambda run: run.time.date())
    repos = {run.repo for week in of_week.values() for run in week}
    if len(repos) > 1:
        raise ValueError(f"weekly() takes the runs of one repo, got {sorted(repos)}")
    if not of_week:
        return []
    mondays = sorted(of_week)
    if weeks is not None:
        first = mondays[-1] - timedelta(weeks=weeks - 1)
        mondays = [monday for monday in mondays if monday >= first]
    return [sorted(of_week[monday]) for monday in mondays]
