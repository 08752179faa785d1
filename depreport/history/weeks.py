"""ISO weeks, the unit of history: the Monday that names a week, and the last item of each week.

History (store, backfill, adoption, dashboard) counts one run per ISO week: the last one. These two
functions are that rule's only home; the pandas form in `depreport.history.frames` is checked against them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TypeVar

from depreport.errors import UsageError

T = TypeVar("T")
MAX_WEEKS = 52_000  # 1,000 years: any more and dates before year 1 would have to be computed
STALE_WEEKS = 4  # a run stands in for at most this many weeks after its own; a repo older is stale


def week_start(day: date) -> date:
    """The Monday that starts the ISO week of ``day``."""
    return day - timedelta(days=day.isoweekday() - 1)


def by_week(items: Iterable[T], day_of: Callable[[T], date]) -> dict[date, list[T]]:
    """The items of each ISO week that has some, keyed by its Monday, in the order they came."""
    weeks: dict[date, list[T]] = {}
    for item in items:
        weeks.setdefault(week_start(day_of(item)), []).append(item)
    return weeks


def last_of_each_week(items: Iterable[T], day_of: Callable[[T], date]) -> dict[date, T]:
    """The last item of each ISO week, keyed by its Monday, weeks oldest first.

    "Last" is the order the items come in: pass them oldest first.
    """
    weeks = by_week(items, day_of)
    return {monday: weeks[monday][-1] for monday in sorted(weeks)}


def check_weeks(weeks: int | None, hint: str, beyond: str | None = None) -> None:
    """Raise a UsageError naming --weeks unless it is None or 1 to MAX_WEEKS (dates before year 1
    cannot be computed); ``hint`` is the fix, ``beyond`` the one for too many weeks (default ``hint``)."""
    if weeks is not None and weeks < 1:
        raise UsageError(f"--weeks must be at least 1, got {weeks}", hint)
    if weeks is not None and weeks > MAX_WEEKS:
        raise UsageError(f"--weeks {weeks:,} reaches back more than 1,000 years",
                         f"give at most {MAX_WEEKS:,}; {beyond or hint}")  # fmt: skip
