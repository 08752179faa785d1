"""Publishing a report to a store: the report, then its small summary for history views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from depreport.history.adoption import Groups
from depreport.report.schema.validate import check_report
from depreport.runinfo import iso, run_time
from depreport.store import NO_COMMIT, RunRef, Store, short_commit, validate_repo

# Summary keys copied from the report as they are; packages lose their file lists.
_SUMMARY_KEYS = (
    "schema_version", "tool_version", "repo", "commit", "branch", "committed_at", "generated_at", "options",
    "totals", "adoption", "usage",
)  # fmt: skip


def summarize(report: dict[str, Any], top: int = 50) -> dict[str, Any]:
    """The small view of a report that history reads, without file lists.

    Header, totals and adoption; the packages of adoption groups with their per-export counts (the
    components whose trend matters) and the `top` most imported packages with their totals.
    """
    summary = {key: report.get(key) for key in _SUMMARY_KEYS}
    groups = Groups.from_json((report.get("options") or {}).get("adoption") or {})
    packages: dict[str, Any] = report["packages"]
    ranked = sorted(packages, key=lambda name: (-packages[name]["imports"], name))[:top]
    kept = {name: _package_summary(packages[name]) for name in ranked}
    for name, usage in packages.items():
        group = groups.classify(name, usage["resolved_as"]) if groups.groups else None
        if group is not None:
            entry = kept.setdefault(name, _package_summary(usage))
            entry["group"] = group
            entry["exports"] = {export: use["count"] for export, use in usage["exports"].items()}
    summary["packages"] = kept
    summary["problems"] = len(report["problems"])
    return summary


def _package_summary(usage: dict[str, Any]) -> dict[str, Any]:
    return {"resolved_as": usage["resolved_as"], "imports": usage["imports"], "files": usage["files"]}


def stored_commit(report: dict[str, Any]) -> str:
    """The commit the store files a run under (`short_commit`), or NO_COMMIT when the report has none
    it can name (a folder outside git)."""
    try:
        return short_commit(str(report.get("commit") or ""))
    except ValueError:
        return NO_COMMIT


def publish(
    store: Store, report: dict[str, Any], use_commit_time: bool = False, report_json: str | None = None
) -> RunRef:
    """Store a report and its summary under the report's repo; returns where it went.

    `report_json`, when given, is the report's JSON text: stored as it is instead of encoding again.
    """
    check_report(report, use_commit_time)  # exit 2 naming the field: the store takes only good runs
    repo = validate_repo(report.get("repo"))
    time = run_time(report, use_commit_time) or datetime.now(UTC).replace(microsecond=0)
    summary = {**summarize(report), "run_time": iso(time)}
    return store.put_run(repo, time, stored_commit(report), report_json or report, summary)
