"""Reading runs for the views: one damaged run is skipped with a warning, never a crash, never "latest".

Every reader of stored runs (`adoption --store`, `export`, `check --store`, `reports`, the dashboard)
goes through here. A summary or report that does not parse, or does not have the shape of a summary or
report of this version, is a ``DamagedRun``; the functions below turn it into a ``Skipped`` value and
fall back to the run before it (the previous run of the same week, or the previous latest). Runs dated
far in the future are skipped the same way, since key order is time order and one would stay "latest"
until then. Store errors that are not about one run (unreachable, access denied) still raise. A run
is named and dated by its key (its repo and run time), as the store lists it.
A document read here is `dict[str, Any]` until checked, then a `Report`, `Summary` or `RunHead`
(`depreport.report.shape`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from depreport.report.schema import migrate
from depreport.report.schema.validate import history_problem, is_far_future, report_problem, summary_problem
from depreport.report.shape import Report, RunHead, Summary
from depreport.runinfo import iso
from depreport.store.base import DamagedRun, RunNotFound, RunRef, Store
from depreport.store.history import by_week

T = TypeVar("T")
MAX_FALLBACK = 20  # damaged runs tried before a reader gives up on a repo's latest


@dataclass(frozen=True)
class Skipped:
    """A stored run a reader passed over, and why (a warning to show, not an error)."""

    repo: str
    stem: str
    reason: str

    def __str__(self) -> str:
        return f"skipped run {self.stem} of {self.repo}: {self.reason}"


def current_runs(store: Store, repo: str, now: datetime | None = None) -> tuple[list[RunRef], list[Skipped]]:
    """The runs of ``repo``, oldest first, without those dated far in the future (returned as skipped)."""
    runs, skipped = [], []
    for ref in store.list_runs(repo):
        if is_far_future(ref.time, now):
            skipped.append(Skipped(ref.repo, ref.stem, f"it is dated {ref.time.isoformat()}, in the future"))
        else:
            runs.append(ref)
    return runs, skipped


def stored_summary(store: Store, ref: RunRef) -> Summary:
    """The summary of ``ref``; DamagedRun when it is not one this version can read."""
    summary = _checked(ref, ref.summary_key, store.get_summary(ref), summary_problem)
    return cast(Summary, {**summary, **_where_stored(ref), "run_time": iso(ref.time)})


def stored_report(store: Store, ref: RunRef) -> Report:
    """The full report of ``ref``, brought to this schema version; DamagedRun when it is not one this
    version can read."""
    report = migrate(_checked(ref, ref.report_key, store.get_report(ref), report_problem))
    return cast(Report, {**report, **_where_stored(ref)})


def check_history_part(ref: RunRef, part: dict[str, Any]) -> RunHead:
    """``part`` (a summary's header and adoption block) if history can use it, else DamagedRun."""
    head = _checked(ref, ref.summary_key, part, history_problem)
    return cast(RunHead, {**head, **_where_stored(ref), "run_time": iso(ref.time)})


def _where_stored(ref: RunRef) -> dict[str, str]:
    """A run's repo is the one it is stored under, whatever its document says: the name `reports list`
    and `export` give it, also after its runs were moved or copied under another name by hand."""
    return {"repo": ref.repo}


def weekly_readable(
    store: Store, repo: str, read: Callable[[Store, RunRef], T], weeks: int | None = None
) -> Iterator[tuple[RunRef, T] | Skipped]:
    """The last readable run of each ISO week of ``repo`` (oldest week first), and the runs skipped."""
    runs, future = current_runs(store, repo)
    yield from future
    for week in by_week(runs, weeks):
        for ref in reversed(week):
            result = _attempt(store, ref, read)
            yield result
            if not isinstance(result, Skipped):
                break


def latest_readable(
    store: Store, repo: str, read: Callable[[Store, RunRef], T]
) -> tuple[tuple[RunRef, T] | None, list[Skipped]]:
    """The newest run of ``repo`` that reads, and the newer ones skipped (None when none reads)."""
    runs, skipped = current_runs(store, repo)
    for ref in reversed(runs[-MAX_FALLBACK:]):
        result = _attempt(store, ref, read)
        if not isinstance(result, Skipped):
            return result, skipped
        skipped.append(result)
    return None, skipped


def split(items: Iterable[tuple[RunRef, T] | Skipped]) -> tuple[list[tuple[RunRef, T]], list[Skipped]]:
    """Read results apart from the runs skipped."""
    found: list[tuple[RunRef, T]] = []
    skipped: list[Skipped] = []
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            found.append(item)
    return found, skipped


def _attempt(store: Store, ref: RunRef, read: Callable[[Store, RunRef], T]) -> tuple[RunRef, T] | Skipped:
    try:
        return ref, read(store, ref)
    except (DamagedRun, RunNotFound) as error:
        return Skipped(ref.repo, ref.stem, error.message)


def _checked(
    ref: RunRef, key: str, document: dict[str, Any], problem_of: Callable[[Any], str | None]
) -> dict[str, Any]:
    if is_far_future(ref.time):
        raise DamagedRun(f"{key} is dated {ref.time.isoformat()}, in the future")
    problem = problem_of(document)
    if problem:
        raise DamagedRun(f"stored object {key} is malformed: {problem}")
    return document
