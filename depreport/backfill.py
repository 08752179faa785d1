"""Backfill: one report per ISO week from git history, so a new dashboard has history on day one.

The last commit of each week on the current branch (first parents) is scanned from git objects and
dated at its commit time. Contents are cached by blob id, so a file unchanged across weeks is parsed
once. Weeks already in the store are skipped, so an interrupted backfill resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from depreport.errors import UsageError
from depreport.gitobjects import Commit, first_parent_commits, is_shallow
from depreport.pipeline import Progress, Scan, ScanOptions, scan_commit
from depreport.publish import publish
from depreport.runinfo import RunInfo, iso, now_utc
from depreport.store import RunRef, Store


@dataclass(frozen=True)
class Week:
    """One week to backfill: its Monday and the last commit made in it."""

    monday: date
    commit: Commit


def week_of(day: date) -> date:
    """The Monday of the ISO week of a day."""
    return day - timedelta(days=day.isoweekday() - 1)


def plan_weeks(root: Path, weeks: int) -> list[Week]:
    """The last commit of each of the `weeks` ISO weeks ending with the week of the branch's last commit."""
    if weeks < 1:
        raise UsageError(f"--weeks must be at least 1, got {weeks}", "e.g. --weeks 52 for a year")
    commits = first_parent_commits(root)
    if not commits:
        raise UsageError(f"{root} has no commits", "backfill replays the history of the current branch")
    last_monday = week_of(max(c.time for c in commits).date())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    if is_shallow(root) and week_of(commits[0].time.date()) > first_monday:
        raise UsageError(
            f"{root} is a shallow clone: its history starts {commits[0].time.date()}, "
            f"after the {weeks} weeks asked for (from {first_monday})",
            "fetch the history: git fetch --unshallow (GitHub Actions: actions/checkout with fetch-depth: 0)",
        )
    last_of_week: dict[date, Commit] = {}
    for commit in commits:
        monday = week_of(commit.time.date())
        if monday >= first_monday:
            last_of_week[monday] = commit  # commits are oldest first: the last one wins
    return [Week(monday, last_of_week[monday]) for monday in sorted(last_of_week)]


def weeks_in_store(store: Store, repo: str) -> set[date]:
    """Mondays of the weeks that already have a run of this repo in the store."""
    return {week_of(run.time.date()) for run in store.list_runs(repo)}


def backfill(
    options: ScanOptions, info: RunInfo, plan: list[Week], progress: Progress | None = None
) -> Iterator[tuple[Week, Scan]]:
    """Scan each planned week's commit, oldest first; yields (week, scan) as each one is done."""
    for week in plan:
        when = iso(week.commit.time)
        header = replace(info, commit=week.commit.sha, committed_at=when, generated_at=now_utc())
        yield week, scan_commit(options, header, week.commit.sha, progress)


def publish_week(store: Store, scanned: Scan) -> RunRef:
    """Publish a backfilled week, dated at its commit."""
    return publish(store, scanned.report, use_commit_time=True)
