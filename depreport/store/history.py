"""History selection over run references (pure functions, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from depreport.store.base import RunRef


def week_start(day: date) -> date:
    """The Monday that starts the ISO week of ``day``."""
    return day - timedelta(days=day.isoweekday() - 1)


def weekly(runs: Iterable[RunRef], weeks: int | None = None) -> list[RunRef]:
    """The last run of each ISO week (UTC), oldest to newest.

    With ``weeks``, keep only the ``weeks`` calendar weeks ending with the week of the
    newest run (weeks without runs count, they just contribute nothing).
    All runs must belong to one repo.
    """
    if weeks is not None and weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    last_of_week: dict[date, RunRef] = {}
    repos: set[str] = set()
    for run in runs:
        repos.add(run.repo)
        monday = week_start(run.time.date())
        current = last_of_week.get(monday)
        if current is None or current < run:
            last_of_week[monday] = run
    if len(repos) > 1:
        raise ValueError(f"weekly() takes the runs of one repo, got {sorted(repos)}")
    if not last_of_week:
        return []
    mondays = sorted(last_of_week)
    if weeks is not None:
        first = mondays[-1] - timedelta(weeks=weeks - 1)
        mondays = [monday for monday in mondays if monday >= first]
    return [last_of_week[monday] for monday in mondays]
