"""`--weeks N` of the commands that read a store's history, checked before any date is computed from it."""

from __future__ import annotations

from depreport.errors import UsageError
from depreport.history.weeks import MAX_WEEKS


def check_weeks(weeks: int | None, example: str) -> None:
    """Raise a UsageError naming --weeks unless it is None or 1 to MAX_WEEKS; ``example`` is the fix."""
    if weeks is not None and weeks < 1:
        raise UsageError(f"--weeks must be at least 1, got {weeks}", example)
    if weeks is not None and weeks > MAX_WEEKS:
        raise UsageError(f"--weeks {weeks:,} reaches back more than 1,000 years",
                         f"give at most {MAX_WEEKS:,}; {example}")  # fmt: skip
