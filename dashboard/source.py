"""Reading the store for the dashboard: run summaries for history, latest full reports for usage.

History never downloads a full report: the run list comes from key names, only the last run of each ISO
week is fetched (as a summary), and fetches run on a small thread pool (S3 GETs wait on the network).
A damaged run is set aside and named, so one bad object does not take the page down.

History needs only a summary's header and adoption block, and summaries are stored as compact JSON with
sorted keys, so those come before `packages` and `usage`. The store reads only that head
(`depreport.store.summary_head`: the first bytes of the object, a ranged GET on S3), which skips
downloading and parsing the counts (nearly all of a summary's bytes: 8.6 MB of a repository of 42k
files); when the head is longer, or on anything unexpected, the full `Store.get_summary`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar, cast

import pandas as pd

from dashboard.components import DEPENDENCE_COLUMNS, dependence_frame
from dashboard.usage import report_groups, usage_frame
from depreport.history.adoption import Groups
from depreport.history.frames import adoption_frame, mixed_groups_notes, regroup
from depreport.history.weeks import week_start
from depreport.report.shape import Adoption, AdoptionBlock, Report, RunHead
from depreport.report.walk import ComponentsPart, components_part, file_versions
from depreport.runinfo import iso
from depreport.store import (
    RunRef,
    Store,
    StoreError,
    check_history_part,
    latest_readable,
    parallel_fetches,
    stored_report,
    summary_head,
    weekly,
)
from depreport.store import leading_keys as leading_keys  # the dashboard tests read it here

FETCH_THREADS = 8
# Summary keys history needs; the rest (per-export counts) is dropped as soon as it is read.
HISTORY_KEYS = ("repo", "commit", "run_time", "generated_at", "committed_at", "options", "adoption")
# The ones that sort before "packages" (the bulk of a summary); repo and run time come from the key name.
LEADING_KEYS = frozenset({"adoption", "commit", "committed_at", "generated_at", "options"})
T = TypeVar("T")


@dataclass(frozen=True)
class History:
    """What the store holds, and the adoption rows (one per run and group) of its weekly runs."""

    repos: list[str]
    frame: pd.DataFrame
    runs: int  # weekly runs read
    problems: list[str] = field(default_factory=list)  # runs that could not be read
    teams: list[str] = field(default_factory=list)  # owners the runs count adoption for (CODEOWNERS)
    notes: list[str] = field(default_factory=list)  # how the runs are counted: mixed or other groups


@dataclass(frozen=True)
class Usage:
    """Who imports what, from the latest full report of each repo asked for (see ``dashboard.usage``);
    how its components are used (see ``dashboard.components``)."""

    frame: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    components: dict[str, ComponentsPart] = field(default_factory=dict)  # repo -> its components_part
    dependence: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DEPENDENCE_COLUMNS))
    versioned: bool = False  # some report's groups have version ranges, but it records no file's version


def weekly_runs(store: Store, repos: Iterable[str]) -> list[RunRef]:
    """The last run of each ISO week of every repo, from key names alone."""
    picked: list[RunRef] = []
    for repo in repos:
        picked.extend(weekly(store.list_runs(repo)))
    return picked


def read_history(store: Store, team: str | None = None, groups: Groups | None = None) -> History:
    """Every repo's weekly summaries as one adoption frame (see ``depreport.history.frames``).

    With ``team``, the frame counts only the files that team owns (the runs' ``adoption.by_owner``).
    With ``groups`` (today's configuration), every run is counted under them, as `depreport adoption`
    counts it (`regroup`: from each run's usage counts); without, under the groups it was made with.
    """
    repos = store.list_repos()
    refs = weekly_runs(store, repos)
    regrouped = groups is not None and bool(groups.groups)
    parts, problems = _fetch_all(refs, lambda ref: history_part(store, ref, regrouped), _threads(store))
    if groups is not None and regrouped:
        parts, notes = regroup(parts, groups)
        parts = [cast(RunHead, {k: v for k, v in part.items() if k != "usage"}) for part in parts]
    else:
        notes = mixed_groups_notes(parts)
    teams = sorted({owner for part in parts for owner in _by_owner(part)})
    if team is not None:
        parts = [_for_owner(part, team) for part in parts]
    return History(repos, adoption_frame(parts), len(parts), problems, teams, notes)


def _by_owner(part: RunHead) -> dict[str, AdoptionBlock]:
    """owner -> adoption block of one run (empty when the run was made without CODEOWNERS)."""
    adoption = part.get("adoption")
    by_owner = adoption.get("by_owner") if adoption else None
    return by_owner if isinstance(by_owner, dict) else {}


def _for_owner(part: RunHead, team: str) -> RunHead:
    """The run as the files one owner owns count it (its adoption block None when they own none)."""
    block = _by_owner(part).get(team)  # an owner's block is a run's block without `by_owner` of its own
    return {**part, "adoption": cast("Adoption | None", block)}


def read_usage(store: Store, repos: Iterable[str]) -> Usage:
    """The usage rows of the newest full report of each repo (the treemap and file lists read these)."""
    repos = list(repos)  # a repo's newest report that reads: a damaged one is named and passed over
    with ThreadPoolExecutor(max_workers=max(1, min(_threads(store), len(repos)))) as pool:
        found = list(pool.map(lambda repo: latest_readable(store, repo, stored_report), repos))
    reports = [hit[1] for hit, _ in found if hit is not None]
    problems = [f"{item.repo} {item.stem}: {item.reason}" for _, skipped in found for item in skipped]
    components = {str(report.get("repo") or ""): components_part(report) for report in reports}
    versioned = any(report_groups(r).versioned and file_versions(r) is None for r in reports)
    return Usage(usage_frame(reports), problems, components, dependence_frame(reports), versioned)


@dataclass(frozen=True)
class NewestWeek:
    """Each repo's latest full report; of the repos that published in the store's newest week, also the
    last report before that week (None for a repo's first week), to tell what changed."""

    latest: list[Report]
    before: dict[str, Report | None]  # repo -> its report before the newest week
    problems: list[str] = field(default_factory=list)


def read_newest_week(store: Store, repos: Iterable[str]) -> NewestWeek:
    """The reports the HTML report needs: each repo's latest, and the one before the newest week."""
    runs = {repo: weekly(store.list_runs(repo)) for repo in repos}
    runs = {repo: refs for repo, refs in runs.items() if refs}
    newest = max((week_start(refs[-1].time.date()) for refs in runs.values()), default=None)
    current = {repo for repo, refs in runs.items() if week_start(refs[-1].time.date()) == newest}
    latest = [refs[-1] for refs in runs.values()]
    earlier = [runs[repo][-2] for repo in sorted(current) if len(runs[repo]) > 1]
    with_ref = _fetch_all(latest + earlier, lambda ref: (ref, stored_report(store, ref)), _threads(store))
    fetched, problems = with_ref
    reports = dict(fetched)
    before = {repo: reports.get(runs[repo][-2]) if len(runs[repo]) > 1 else None for repo in sorted(current)}
    return NewestWeek([reports[ref] for ref in latest if ref in reports], before, problems)


def history_part(store: Store, ref: RunRef, with_usage: bool = False) -> RunHead:
    """What history needs of a run's summary: repo, commit, run time, options and the adoption block;
    ``with_usage``, also its usage counts (to count it under other groups: the whole summary is read)."""
    head = None if with_usage else summary_head(store, ref, LEADING_KEYS)
    if head is not None and "adoption" in head:
        return check_history_part(ref, {**head, "repo": ref.repo, "run_time": iso(ref.time)})
    summary = store.get_summary(ref)
    keys = (*HISTORY_KEYS, "usage") if with_usage else HISTORY_KEYS
    return check_history_part(ref, {key: summary.get(key) for key in keys})


def _threads(store: Store) -> int:
    """Threads for fetching: a local folder answers at once (threads only fight over the GIL)."""
    return parallel_fetches(store, FETCH_THREADS)


def _fetch_all(refs: list[RunRef], fetch: Callable[[RunRef], T], threads: int) -> tuple[list[T], list[str]]:
    """Fetch every ref in order (on a thread pool when ``threads`` > 1); unreadable runs become messages."""

    def attempt(ref: RunRef) -> T | str:
        """The fetched document, or a message naming the run."""
        try:
            return fetch(ref)
        except StoreError as error:
            return f"{ref.repo} {ref.stem}: {error.message}"

    if threads <= 1 or len(refs) <= 1:
        results = [attempt(ref) for ref in refs]
    else:
        with ThreadPoolExecutor(max_workers=min(threads, len(refs))) as pool:
            results = list(pool.map(attempt, refs))
    done = [result for result in results if not isinstance(result, str)]
    return done, [result for result in results if isinstance(result, str)]
