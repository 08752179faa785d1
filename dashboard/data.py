"""Adoption history shaped for the page: pure functions over `depreport.history.frames` frames, no I/O.

The frames come from run summaries (`depreport.history.frames.adoption_frame`): one row per run and group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from depreport.history.frames import carry_forward as carry_forward  # the page's view of history
from depreport.history.frames import (
    last_of_each_week,
    per_repo_latest,
    stale_repos,
    target_group,
    week_over_week,
    weekly_shares,
)
from depreport.history.weeks import STALE_WEEKS

ALL_REPOS = "All repos (org-wide)"
GROUPS_EXAMPLE = """[[groups]]
name = "Design system"          # the library being adopted
packages = ["@acme/design-system", "@acme/design-system/**"]
target = true

[[groups]]
name = "Legacy UI"              # what it replaces
packages = ["legacy-ui"]
paths = ["src/components/old/**"]"""


def setup_commands(store: str) -> str:
    """The commands that fill a store, for an empty or unreadable one."""
    return (
        f"depreport scan . --publish {store}                 # publish the current state of a repo\n"
        f"depreport backfill . --weeks 26 --publish {store}  # or replay a history: one commit a week\n"
        f"depreport dashboard --store {store}"
    )


@dataclass(frozen=True)
class Headline:
    """The target group's share in the latest week, its change, and every group's share and count."""

    target: str | None
    week: date | None
    share: float | None  # percent
    change: float | None  # percentage points since the previous week; None in the first week
    groups: pd.DataFrame  # group, share (percent), change (points), target, count
    total: int = 0  # the metric summed over every group in the latest week

    @property
    def count(self) -> int | None:
        """The target group's count in the latest week (None without a target)."""
        row = self.groups[self.groups["target"]]
        return int(row["count"].iloc[0]) if not row.empty else None


def groups_and_target(frame: pd.DataFrame) -> tuple[list[str], str | None]:
    """Every group of a history frame (by name) and the target group: what the colours are fixed over."""
    if frame.empty:
        return [], None
    return sorted(map(str, frame["group"].unique())), target_group(frame)


def for_repo(frame: pd.DataFrame, repo: str | None) -> pd.DataFrame:
    """The rows of one repo, or every row for the org-wide view (``None`` or ``ALL_REPOS``)."""
    if repo is None or repo == ALL_REPOS:
        return frame
    return frame[frame["repo"] == repo].reset_index(drop=True)


def headline(frame: pd.DataFrame, metric: str) -> Headline:
    """The numbers at the top of the page, from a carried-forward frame (percent, points and counts)."""
    empty = pd.DataFrame(columns=["group", "share", "change", "target", "count"])
    if frame.empty:
        return Headline(None, None, None, None, empty)
    target = target_group(frame)
    changes = week_over_week(frame, metric)
    latest = changes["week"].max()
    groups = changes[changes["week"] == latest][["group", "share", "change"]].reset_index(drop=True)
    groups["target"] = groups["group"] == target
    groups["change"] = groups["change"].astype(float)
    counts = _weekly_counts(frame, metric).loc[latest]
    groups["count"] = [int(counts.get(group, 0)) for group in groups["group"]]
    row = groups[groups["target"]]
    share = float(row["share"].iloc[0]) if not row.empty else None
    change = float(row["change"].iloc[0]) if not row.empty else None
    return Headline(target, latest.date(), share, _finite(change), groups, int(counts.sum()))


def trend(
    frame: pd.DataFrame, metric: str, as_share: bool = True, between: tuple[date, date] | None = None
) -> pd.DataFrame:
    """Long frame week, group, value, target: each group's share (0..1) or count per week."""
    if frame.empty:
        return pd.DataFrame(columns=["week", "group", "value", "target"])
    wide = weekly_shares(frame, metric) if as_share else _weekly_counts(frame, metric)
    wide = wide.reindex(_every_week(wide.index))  # a week no run counts is a gap (NaN), not left out
    if between is not None:
        days = wide.index.map(lambda week: week.date())
        wide = wide[(days >= between[0]) & (days <= between[1])]
    long = wide.reset_index().melt(id_vars="week", var_name="group", value_name="value")
    long = long.sort_values("week", kind="stable").reset_index(drop=True)  # week by week, groups in order
    long["target"] = long["group"] == target_group(frame)
    return long[["week", "group", "value", "target"]]


def repo_shares(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per repo: its latest run's share (0..1) of ``metric`` per group, target group first."""
    shares = per_repo_latest(frame, metric)
    return (
        shares.rename_axis(columns=None).reset_index() if not shares.empty else pd.DataFrame(columns=["repo"])
    )


def stale_left_out(frame: pd.DataFrame, repo: str | None = None) -> list[str]:
    """The repos whose latest reports an org-wide view (``repo`` None) leaves out of its component usage,
    as its shares leave them out: the stale ones (see `history_notes`). None for one repo's view."""
    return [] if repo not in (None, ALL_REPOS) else sorted(stale_repos(frame))


def stale_usage_note(repos: list[str]) -> str:
    """What a reader of the component usage must know when stale repos are left out of it."""
    return (
        f"Left out, as in the shares above (no run for more than {_weeks(STALE_WEEKS)}): {', '.join(repos)}."
    )


def week_range(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The first and last week (their Mondays) in a frame, or None when it is empty."""
    if frame.empty:
        return None
    return frame["week"].min().date(), frame["week"].max().date()


def history_notes(frame: pd.DataFrame, stale_weeks: int = STALE_WEEKS) -> list[str]:
    """What a reader of the trend must know about a carried-forward frame: stretches of weeks no run
    counts (blank on the chart), repos whose numbers in the newest week are an older run carried
    forward, and repos left out as stale (no run for more than `stale_weeks` weeks)."""
    if frame.empty:
        return []
    notes = []
    present = set(frame["week"])
    missing = [week for week in _every_week(pd.DatetimeIndex(sorted(present))) if week not in present]
    for first, last in _stretches(missing):
        span = f"the week of {first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
        count = (last - first) // pd.Timedelta(weeks=1) + 1
        notes.append(f"No run counts in {_weeks(count)} ({span}): left blank, not drawn as a change.")
    newest = frame["week"].max()
    carried = frame[(frame["week"] == newest) & frame["carried"]]
    for repo, time in carried.groupby("repo")["time"].max().items():
        notes.append(f"{repo}: no run in the newest week ({newest:%Y-%m-%d}); its run of {time:%Y-%m-%d} "
                     "stands in for it.")  # fmt: skip
    for repo, last in stale_repos(frame, stale_weeks).items():
        notes.append(f"{repo}: no run since the week of {last:%Y-%m-%d} (more than {_weeks(stale_weeks)}): "
                     "left out of the weeks after that; publish a run of it to count it again.")  # fmt: skip
    return notes


def _every_week(weeks: pd.Index) -> pd.DatetimeIndex:
    """Every ISO week (Monday) from the first of `weeks` to the last."""
    if len(weeks) == 0:
        return pd.DatetimeIndex(weeks, name="week")
    return pd.date_range(weeks.min(), weeks.max(), freq="7D", name="week")


def _stretches(weeks: list[pd.Timestamp]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Consecutive weeks as (first, last) pairs."""
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for week in weeks:
        if runs and week - runs[-1][1] == pd.Timedelta(weeks=1):
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"


def _weekly_counts(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """week x group sums of ``metric`` over repos, groups in the same order as the shares."""
    weekly = last_of_each_week(frame)
    counts = weekly.pivot_table(index="week", columns="group", values=metric, aggfunc="sum", fill_value=0)
    order = list(weekly_shares(frame, metric).columns)
    return counts[order]


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value
