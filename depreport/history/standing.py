"""Where adoption stands: each ISO week's shares and counts per group, what is left, and per repo.

Pure functions over an adoption frame (`depreport.history.frames.adoption_frame`, carried forward): the one
result `depreport adoption` renders as a table, Markdown, JSON or CSV, so every format carries the same
numbers. Shares are percentages rounded to one decimal; changes are against the previous ISO week.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict

import pandas as pd

from depreport.history.adoption import METRICS
from depreport.history.frames import (
    DEPENDENCE,
    per_repo_latest,
    stale_repos,
    target_group,
    week_over_week,
)
from depreport.history.weeks import STALE_WEEKS
from depreport.report.shape import Left


class GroupWeekJson(TypedDict):
    """A group's week in `adoption --format json`."""

    group: str
    target: bool
    share: float
    change: float | None
    imports: int
    files: int
    components: int
    instances: int | None
    files_direct: int
    files_indirect: int | None
    wrappers: int | None


class WeekJson(TypedDict):
    """A week in `adoption --format json`."""

    week: str
    carried_forward: list[str]
    groups: list[GroupWeekJson]


class RepoStandingJson(TypedDict):
    """A repo's latest run in `adoption --format json`."""

    repo: str
    last_run_week: str
    shares: dict[str, float]
    carried_forward: bool
    stale: bool


class StandingJson(TypedDict):
    """The whole of `adoption --format json` (over stored runs)."""

    scope: str
    metric: str
    target: str | None
    latest: WeekJson
    left: Left
    weeks: list[WeekJson]
    repos: list[RepoStandingJson]
    notes: list[str]


@dataclass(frozen=True)
class GroupWeek:
    """One group in one week: its share of the metric, the change since the week before, its counts."""

    group: str
    target: bool
    share: float  # percent
    change: float | None  # points since the previous ISO week; None when that week has no data
    imports: int
    files: int
    components: int
    instances: int | None = None  # None: some run of the week was stored before instances were counted
    files_indirect: int | None = None  # files reaching the group only through local modules
    wrappers: int | None = None  # local modules wrapping the group

    def to_json(self) -> GroupWeekJson:
        """Stable snake_case keys."""
        return {
            "group": self.group, "target": self.target, "share": self.share, "change": self.change,
            "imports": self.imports, "files": self.files, "components": self.components,
            "instances": self.instances, "files_direct": self.files,
            "files_indirect": self.files_indirect, "wrappers": self.wrappers,
        }  # fmt: skip


@dataclass(frozen=True)
class Week:
    """One ISO week (its Monday) and the repos whose numbers in it are an older run carried forward."""

    week: date
    groups: list[GroupWeek]
    carried: list[str] = field(default_factory=list)

    def to_json(self) -> WeekJson:
        """Stable snake_case keys."""
        return {
            "week": self.week.isoformat(),
            "carried_forward": self.carried,
            "groups": [g.to_json() for g in self.groups],
        }


@dataclass(frozen=True)
class RepoStanding:
    """One repo in the newest week: its shares (percent), and whether its run is carried or stale."""

    repo: str
    last_week: date
    shares: dict[str, float]
    carried: bool
    stale: bool

    def to_json(self) -> RepoStandingJson:
        """Stable snake_case keys."""
        return {
            "repo": self.repo, "last_run_week": self.last_week.isoformat(), "shares": self.shares,
            "carried_forward": self.carried, "stale": self.stale,
        }  # fmt: skip


@dataclass(frozen=True)
class Standing:
    """Adoption over the shown weeks, oldest first, and what is left in the newest one."""

    scope: str  # a repo, or "N repos"
    metric: str
    target: str | None
    weeks: list[Week]
    left: Left  # newest week: imports, components, files (each once), grouped_files
    repos: list[RepoStanding]
    notes: list[str]

    @property
    def latest(self) -> Week:
        """The newest week."""
        return self.weeks[-1]

    @property
    def headline(self) -> GroupWeek | None:
        """The target group in the newest week."""
        return next((g for g in self.latest.groups if g.target), None)

    def to_json(self) -> StandingJson:
        """Every table, with stable snake_case keys."""
        return {
            "scope": self.scope,
            "metric": self.metric,
            "target": self.target,
            "latest": self.latest.to_json(),
            "left": self.left,
            "weeks": [w.to_json() for w in self.weeks],
            "repos": [r.to_json() for r in self.repos],
            "notes": self.notes,
        }


def standing(frame: pd.DataFrame, metric: str, weeks: int, scope: str, notes: list[str]) -> Standing:
    """The standing of a carried-forward frame (one repo, or several summed), over its newest weeks."""
    changes = week_over_week(frame, metric)
    newest = changes["week"].max()
    changes = changes[changes["week"] > newest - pd.Timedelta(weeks=weeks)]
    by_week = frame.groupby(["week", "group"])
    counts = by_week[list(METRICS)].sum().join(by_week[DEPENDENCE[:3]].agg(_total_or_none))
    target = target_group(frame)
    shown = []
    for week, rows in changes.groupby("week", sort=True):
        groups = [_group_week(row, target, counts, week) for row in rows.itertuples(index=False)]
        carried = sorted(frame[(frame["week"] == week) & frame["carried"]]["repo"].unique())
        shown.append(Week(pd.Timestamp(week).date(), groups, [str(r) for r in carried]))
    latest = frame[frame["week"] == newest].drop_duplicates("repo")
    left: Left = {
        "imports": sum(g.imports for g in shown[-1].groups if not g.target),
        "components": sum(g.components for g in shown[-1].groups if not g.target),
        "files": _total(latest["left_files"]),
        "grouped_files": _total(latest["grouped_files"]),
    }
    indirect = _total_or_none(latest["left_indirect_files"])
    if indirect is not None:
        left["indirect_files"] = indirect
    stale = stale_repos(frame)
    notes = [*notes, *(_stale_note(repo, week) for repo, week in sorted(stale.items()))]
    notes += _gap_notes([week.week for week in shown])
    return Standing(scope, metric, target, shown, left, _repos(frame, metric, stale), notes)


def _gap_notes(weeks: list[date]) -> list[str]:
    """A note naming the weeks between the first and the last shown that no run counts (every repo's
    last run before them is more than STALE_WEEKS weeks older): they are left out of the table."""
    gaps = [
        week + timedelta(weeks=n)
        for week, after in itertools.pairwise(weeks)
        for n in range(1, (after - week).days // 7)
    ]
    if not gaps:
        return []
    more = f" and {len(gaps) - 8} more" if len(gaps) > 8 else ""
    named = ", ".join(str(week) for week in gaps[:8]) + more
    count = "1 week" if len(gaps) == 1 else f"{len(gaps)} weeks"
    return [
        f"no run counts in {count} ({named}): a week more than {STALE_WEEKS} weeks after the run "
        "before it is a gap, left out of the weekly table, and the week after a gap shows no change"
    ]


def _group_week(row: Any, target: str | None, counts: pd.DataFrame, week: Any) -> GroupWeek:
    found = (week, row.group) in counts.index
    numbers = [int(counts.loc[(week, row.group), m]) if found else 0 for m in METRICS]
    more = [counts.loc[(week, row.group), m] if found else None for m in DEPENDENCE[:3]]
    change = None if pd.isna(row.change) else float(row.change)
    optional = [None if n is None or pd.isna(n) else int(n) for n in more]
    return GroupWeek(str(row.group), row.group == target, float(row.share), change, *numbers, *optional)


def _total(values: pd.Series) -> int:
    return int(pd.to_numeric(values, errors="coerce").fillna(0).sum())


def _total_or_none(values: pd.Series) -> int | None:
    """The sum of counts only some runs have; None when one of them lacks it (never a partial sum)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return None if numbers.empty or numbers.isna().any() else int(numbers.sum())


def _stale_note(repo: str, week: pd.Timestamp) -> str:
    return (
        f"{repo}: last run in the week of {week.date()}, stale: left out of the newest weeks "
        f"(publish it again, e.g. depreport scan PATH --publish STORE --repo {repo})"
    )


def _repos(frame: pd.DataFrame, metric: str, stale: dict[str, pd.Timestamp]) -> list[RepoStanding]:
    if frame["repo"].nunique() < 2 and not stale:
        return []
    shares = (per_repo_latest(frame, metric) * 100).round(1)
    newest = frame["week"].max()
    rows = []
    for repo, values in shares.iterrows():
        mine = frame[frame["repo"] == repo]
        last_week = mine["week"].max()
        carried = bool(mine[mine["week"] == last_week]["carried"].any()) if last_week == newest else False
        rows.append(
            RepoStanding(
                str(repo),
                pd.Timestamp(mine[~mine["carried"]]["week"].max()).date(),
                {str(g): float(v) for g, v in values.items()},
                carried,
                str(repo) in stale,
            )
        )
    return rows
