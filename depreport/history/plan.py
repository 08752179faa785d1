"""Which weeks a backfill replays: the span asked for, and the last commit of each ISO week of a ref.

The last commit of each week on the ref (first parents) is that week's; a commit dated before its parent
or ahead of the clock takes its parent's time (`depreport.scan.gitobjects.first_parent_commits`). Weeks
whose last commit already has a run in the store are skipped, so an interrupted backfill resumes where it
stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from depreport.errors import UsageError
from depreport.gitanswers import answer, is_commit_id
from depreport.history.weeks import STALE_WEEKS, by_week, check_weeks
from depreport.history.weeks import week_start as week_of
from depreport.scan.gitobjects import Commit, GitError, first_parent_commits, git, is_shallow
from depreport.store import Store, short_commit


@dataclass(frozen=True)
class Week:
    """One week to backfill: its Monday, the last commit made in it, and its commits whose own date was
    not used (`Commit.misdated`)."""

    monday: date
    commit: Commit
    misdated: tuple[Commit, ...] = ()


@dataclass(frozen=True)
class Span:
    """Which history to replay: a branch or ref, and the weeks (the last `weeks`, or `since`..`until`)."""

    weeks: int | None = 26  # None with `since`: every week from `since` on
    since: date | None = None
    until: date | None = None
    ref: str = "HEAD"  # the current branch

    def first_week(self, last: date) -> date:
        """The Monday the span starts at, when the newest week with a commit is `last`'s."""
        return week_of(self.since) if self.since else last - timedelta(weeks=(self.weeks or 1) - 1)

    def check(self) -> Span:
        """The span itself, or a UsageError naming the flag that is wrong."""
        replays_all = "any number of weeks older than the first commit replays it all"
        check_weeks(self.weeks, "e.g. --weeks 52 for a year", replays_all)
        if self.since and self.until and self.since > self.until:
            raise UsageError(
                f"--since {self.since} is after --until {self.until}", "give the earlier date to --since"
            )
        return self


def plan_weeks(root: Path, span: Span) -> list[Week]:
    """The last commit of each ISO week of the span on its ref, first parents only.

    By default the `weeks` weeks ending with the week of the newest commit (at or before `until`).
    """
    return plan_span(root, span).weeks


def plan_span(root: Path, span: Span) -> Planned:
    """The weeks `plan_weeks` plans, and the weeks of the span it plans none for."""
    span.check()
    commits = _commits_until(root, span)
    last_monday = week_of(max(c.time for c in commits).date())
    first_monday = span.first_week(last_monday)
    if span.since and span.weeks:  # both: the weeks counted from --since
        last_monday = min(last_monday, first_monday + timedelta(weeks=span.weeks - 1))
    if is_shallow(root) and week_of(commits[0].time.date()) > first_monday:
        raise UsageError(
            f"{root} is a shallow clone: its history starts {commits[0].time.date()}, "
            f"after the weeks asked for (from {first_monday})",
            "fetch the history: git fetch --unshallow (GitHub Actions: actions/checkout with fetch-depth: 0)",
        )
    in_span = [c for c in commits if first_monday <= week_of(c.time.date()) <= last_monday]
    of_week = by_week(in_span, lambda c: c.time.date())  # commits are oldest first
    if not of_week:
        raise UsageError(
            f"{root} has no commit on {span.ref} from {first_monday} to {last_monday}",
            "widen --since/--until",
        )
    weeks = [Week(monday, made[-1], tuple(c for c in made if c.misdated)) for monday, made in of_week.items()]
    return Planned(weeks, _quiet(weeks, max(first_monday, week_of(commits[0].time.date())), last_monday))


@dataclass(frozen=True)
class QuietWeeks:
    """Mondays of a span without a commit on its ref, once the ref has commits: at its start (before the
    first week planned, with no run to carry forward), between planned weeks (history counts each with
    the week before it), between planned weeks but more than STALE_WEEKS after the one before them (gaps:
    history leaves them out) and at its end (`--since` and `--weeks` reaching past the last week planned
    while the ref has later commits)."""

    leading: list[date]
    inner: list[date]
    trailing: list[date]
    gaps: list[date]


@dataclass(frozen=True)
class Planned:
    """The weeks to backfill and the weeks of the span without a commit."""

    weeks: list[Week]
    quiet: QuietWeeks


def _quiet(plan: list[Week], start: date, end: date) -> QuietWeeks:
    planned = {week.monday for week in plan}
    count = (end - start).days // 7 + 1
    quiet = [start + timedelta(weeks=n) for n in range(count) if start + timedelta(weeks=n) not in planned]
    first, last = plan[0].monday, plan[-1].monday
    leading = [m for m in quiet if m < first]
    between = [m for m in quiet if first < m < last]
    gaps = [m for m in between if m - max(p for p in planned if p < m) > timedelta(weeks=STALE_WEEKS)]
    inner = [m for m in between if m not in gaps]
    return QuietWeeks(leading, inner, [m for m in quiet if m > last], gaps)


def _commits_until(root: Path, span: Span) -> list[Commit]:
    """The ref's first-parent commits, oldest first, up to the end of the `until` day (UTC)."""
    commits = first_parent_commits(root, "HEAD" if span.ref == "HEAD" else resolve_ref(root, span.ref))
    if span.until is not None:
        commits = [c for c in commits if c.time.date() <= span.until]
    if not commits:
        when = f" on or before {span.until}" if span.until else ""
        raise UsageError(
            f"{root} has no commits on {span.ref}{when}", "backfill replays the history of a branch"
        )
    return commits


def resolve_ref(root: Path, ref: str) -> str:
    """The commit a branch, tag or sha names; a UsageError naming --ref when there is none."""
    asked = ("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    try:
        said = git(root, *asked)
    except GitError as error:
        raise UsageError(
            f"--ref: no commit named {ref!r} in {root}",
            "give a branch, tag or commit (git branch -a lists them)",
        ) from error
    return answer(asked, said, "a commit id", is_commit_id)


def branch_of(root: Path, ref: str) -> str | None:
    """The branch a ref names (`main`, `origin/main` -> `main`), None for a tag or a commit."""
    asked = ("rev-parse", "--symbolic-full-name", "--end-of-options", ref)
    try:
        lines = answer(asked, git(root, *asked), "a ref's name", lambda _: True).split()
    except GitError:
        return None
    name = lines[-1] if lines else ""  # git also echoes `--end-of-options` here
    for prefix in ("refs/heads/", "refs/remotes/"):
        if name.startswith(prefix):
            branch = name.removeprefix(prefix)
            return branch.partition("/")[2] if prefix == "refs/remotes/" else branch
    return None


def weeks_in_store(store: Store, repo: str, plan: list[Week]) -> set[date]:
    """Mondays of the planned weeks whose last commit already has a run of this repo in the store.

    A week stored from another commit (a backfill stopped mid-week, a scan of a commit before the week
    ended) is not among them: its last commit is backfilled, and as the week's latest run it is the
    one history reads.
    """
    stored = {(week_of(run.time.date()), run.commit) for run in store.list_runs(repo)}
    return {week.monday for week in plan if (week.monday, short_commit(week.commit.sha)) in stored}
