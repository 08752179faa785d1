"""Publishing a report to a store: the report, then its small summary for history views."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from depreport.history.adoption import Groups
from depreport.report.schema.validate import EVERY, Unchanged, check_report
from depreport.report.shape import Package, PackageOutline, PackageSummary, Report, ReportOutline, Summary
from depreport.runinfo import iso, run_time
from depreport.store import NO_COMMIT, DamagedRun, RunNotFound, RunRef, Store, short_commit, validate_repo
from depreport.tally.jsontext import Joined, dumps, join_sorted
from depreport.textslices import Text

# Summary keys copied from the report as they are; packages lose their file lists.
_SUMMARY_KEYS = (
    "schema_version", "tool_version", "repo", "commit", "branch", "committed_at", "generated_at", "options",
    "totals", "adoption", "usage",
)  # fmt: skip


def summarize(report: Report | ReportOutline, top: int = 50) -> Summary:
    """The small view of a report that history reads, without file lists.

    Header, totals and adoption; the packages of adoption groups with their per-export counts (the
    components whose trend matters) and the `top` most imported packages with their totals. Its
    `run_time` is None: `publish` sets it to when the run is filed.
    """
    summary: dict[str, Any] = {key: report.get(key) for key in _SUMMARY_KEYS}
    groups = Groups.from_json((report.get("options") or {}).get("adoption") or {})
    packages: Mapping[str, Package | PackageOutline] = report["packages"]
    ranked = sorted(packages, key=lambda name: (-packages[name]["imports"], name))[:top]
    kept = {name: _package_summary(packages[name]) for name in ranked}
    for name, usage in packages.items():
        group = groups.classify(name, usage["resolved_as"]) if groups.groups else None
        if group is not None:
            entry = kept.setdefault(name, _package_summary(usage))
            entry["group"] = group
            entry["exports"] = {export: use["count"] for export, use in usage.get("exports", {}).items()}
    summary["packages"] = kept
    summary["problems"] = len(report["problems"])
    summary["run_time"] = None
    return cast(Summary, summary)


def _package_summary(usage: Package | PackageOutline) -> PackageSummary:
    return {"resolved_as": usage["resolved_as"], "imports": usage["imports"], "files": usage["files"]}


def stored_commit(report: Mapping[str, Any]) -> str:
    """The commit the store files a run under (`short_commit`), or NO_COMMIT when the report has none
    it can name (a folder outside git)."""
    try:
        return short_commit(str(report.get("commit") or ""))
    except ValueError:
        return NO_COMMIT


class SeriesCheck:
    """What of a series of reports from one index (a backfill's weeks) was checked already.

    A report body comes as the JSON text of each block, and the big blocks as the kept text of each entry
    (`Joined`). A block or entry whose text equals one that passed the check is the same value, and the
    checks look at each on its own, so it passes again: only the header, the small blocks and what changed
    are looked at, and every value published has been checked in exactly the form it is published in.
    """

    def __init__(self) -> None:
        self._passed: dict[str, str | dict[str, str]] = {}

    def unchanged(self, parts: dict[str, str]) -> Unchanged:
        """Per block, the entries (or EVERY: all of it) whose text passed before."""
        found: dict[str, Any] = {}
        for block, text in parts.items():
            before = self._passed.get(block)
            if isinstance(before, str) and before == text:
                found[block] = EVERY
            elif isinstance(before, dict) and isinstance(text, Joined):
                found[block] = {key for key, entry in text.entries.items() if before.get(key) == entry}
        return found

    def passed(self, parts: dict[str, str]) -> None:
        """Remember a report's blocks as checked."""
        for block, text in parts.items():
            self._passed[block] = dict(text.entries) if isinstance(text, Joined) else text


class StoringAhead:
    """Stores a series of runs (a backfill's weeks) by a thread, each while the next is made: compressing
    a report and writing it to disk or S3 hardly need the interpreter, and waiting on the store's latency
    not at all. Each run is checked and summarized before it is handed in (`file_run`).

    One run in flight: handing in a run first waits for the last one to be stored, so a store that
    fails is raised with the next run at the latest (and at the end), and no run is stored after it.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._last: Future[RunRef] | None = None

    def store(self, filed: Filing) -> Future[RunRef]:
        """Store a run behind (checked and summarized already); where it went, once it is there."""
        self.wait()
        self._last = self._pool.submit(filed.store_in, self._store)
        return self._last

    def wait(self) -> None:
        """Wait for the run in flight to be stored; raise what stopped it."""
        if self._last is not None:
            self._last.result()

    def __enter__(self) -> StoringAhead:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._pool.shutdown(wait=True)  # a run being stored is stored whole, even on Ctrl-C
        if kind is None:
            self.wait()


def published_before(store: Store, report: Mapping[str, Any], use_commit_time: bool = False) -> RunRef | None:
    """The stored run that already holds this very report (published once, then again), or None.

    Only runs of the same time and commit are read, so a new scan (a new time) costs one listing."""
    time = run_time(report, use_commit_time)
    if time is None:
        return None
    commit = stored_commit(report)
    for run in store.list_runs(validate_repo(report.get("repo"))):
        if run.time == time and run.commit == commit and _stored_report(store, run) == report:
            return run
    return None


def _stored_report(store: Store, run: RunRef) -> dict[str, Any] | None:
    """A run's report, or None when it is missing or damaged (then it holds no report to match)."""
    try:
        return store.get_report(run)
    except (RunNotFound, DamagedRun):
        return None


@dataclass(frozen=True)
class Filing:
    """A run checked and summarized, ready to be stored: `publish` is `file_run`, then `store_in`."""

    repo: str
    time: datetime
    commit: str
    report: Report | ReportOutline | Text  # its JSON text (or pieces) when the caller had it
    summary: str

    def store_in(self, store: Store) -> RunRef:
        """Store the run (create-only: no half run on failure); where it went."""
        return store.put_run(self.repo, self.time, self.commit, self.report, self.summary)


def publish(
    store: Store,
    report: Report | ReportOutline,
    use_commit_time: bool = False,
    report_json: Text | None = None,
    unchanged: Unchanged | None = None,
    block_texts: Mapping[str, str] | None = None,
) -> RunRef:
    """Store a report and its summary under the report's repo; returns where it went (see `file_run`)."""
    return file_run(report, use_commit_time, report_json, unchanged, block_texts).store_in(store)


def file_run(
    report: Report | ReportOutline,
    use_commit_time: bool = False,
    report_json: Text | None = None,
    unchanged: Unchanged | None = None,
    block_texts: Mapping[str, str] | None = None,
) -> Filing:
    """A report checked (exit 2 naming the field: the store takes only good runs) and summarized.

    `report_json`, when given, is the report's JSON text (or its pieces): stored as it is, not encoded again.
    `unchanged`: what `SeriesCheck` says is the same as in a report of the series checked before.
    `block_texts`: the compact JSON text of blocks of the report's body; a summary copies them as they are.
    """
    check_report(report, use_commit_time, unchanged=unchanged or {})
    repo = validate_repo(report.get("repo"))
    time = run_time(report, use_commit_time) or datetime.now(UTC).replace(microsecond=0)
    summary: Summary = {**summarize(report), "run_time": iso(time)}
    summary_json = summary_text(summary, block_texts or {})
    return Filing(repo, time, stored_commit(report), report_json or report, summary_json)


def summary_text(summary: Summary, block_texts: Mapping[str, str]) -> str:
    """The summary as compact JSON text with sorted keys, each block it copies from the report (the usage
    block is most of a summary: 8.6 MB of 42k files) as the text the report has of it, not encoded again."""
    copied = {key: dumps(key) + ":" + block_texts[key] for key in _SUMMARY_KEYS if key in block_texts}
    values = cast(Mapping[str, Any], summary)
    return join_sorted(values, copied, lambda key: dumps(values[key]))
