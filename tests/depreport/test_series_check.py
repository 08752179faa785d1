"""A backfill checks each week before publishing it, but what an earlier week had is not looked at again."""

from __future__ import annotations

from typing import Any

import pytest

from depreport.history.adoption import Group, Groups
from depreport.history.publish import SeriesCheck
from depreport.model import ImportRecord
from depreport.report.schema import ReportError, build_header
from depreport.report.schema.validate import EVERY, check_report
from depreport.runinfo import RunInfo
from depreport.tally.body import ReportBody
from depreport.tally.index import FileEntry, LiveIndex

GROUPS = Groups((Group("new", packages=("ui",), target=True), Group("old", packages=("legacy",))))
HEADER = build_header(RunInfo("a/b", "0" * 40, "main", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00Z"), {})


def entry(path: str, *packages: str) -> FileEntry:
    records = [
        ImportRecord(path, line, 0, "import", name, name, "", "Button", "Button", False, "tsx", "npm")
        for line, name in enumerate(packages, 1)
    ]
    return FileEntry(tuple(records))


def week(index: LiveIndex) -> tuple[dict[str, Any], dict[str, str]]:
    body = ReportBody(index, GROUPS)
    parts = body.parts()
    return {**HEADER, **body.to_dict()}, parts


def checked_once() -> tuple[LiveIndex, SeriesCheck]:
    """An index of one file, and a series whose first week (of that index) was checked and passed."""
    index, series = LiveIndex(), SeriesCheck()
    index.set_file("src/a.tsx", entry("src/a.tsx", "ui", "react"))
    report, parts = week(index)
    check_report(report)
    series.passed(parts)
    return index, series


def test_a_later_week_names_only_what_changed_as_checked() -> None:
    index = LiveIndex()
    index.set_file("src/a.tsx", entry("src/a.tsx", "ui", "react"))
    index.set_file("src/b.tsx", entry("src/b.tsx", "legacy"))
    series = SeriesCheck()
    report, parts = week(index)
    assert series.unchanged(parts) == {}  # the first week is checked whole
    check_report(report, unchanged=series.unchanged(parts))
    series.passed(parts)
    index.set_file("src/b.tsx", entry("src/b.tsx", "lodash", "legacy"))
    report, parts = week(index)
    unchanged = series.unchanged(parts)
    assert unchanged["packages"] == {"react", "ui"}  # legacy moved to line 2, lodash is new
    assert unchanged["components"] is EVERY and "usage" not in unchanged and "totals" not in unchanged


def test_a_bad_value_in_what_changed_is_refused() -> None:
    index, series = checked_once()
    index.set_file("src/a.tsx", entry("src/a.tsx", "ui", "react", "legacy"))
    report, parts = week(index)
    report["packages"]["legacy"]["imports"] = -1  # what a bug in the tally would publish
    with pytest.raises(ReportError, match=r'packages\["legacy"\]\.imports'):
        check_report(report, unchanged=series.unchanged(parts))
    report["packages"]["legacy"]["imports"] = 1
    report["usage"]["rows"][0][1] = 99  # the usage block changed this week: checked whole
    with pytest.raises(ReportError, match=r"usage\.rows\[0\]\[1\]"):
        check_report(report, unchanged=series.unchanged(parts))


def test_what_passed_before_is_not_looked_at_again() -> None:
    index, series = checked_once()
    report, parts = week(index)
    report["packages"]["react"]["imports"] = -1  # not what its text (checked before) says
    check_report(report, unchanged=series.unchanged(parts))
    with pytest.raises(ReportError, match=r'packages\["react"\]\.imports'):
        check_report(report)  # a check of the whole report looks at it


def test_a_week_that_failed_is_not_remembered() -> None:
    index = LiveIndex()
    index.set_file("src/a.tsx", entry("src/a.tsx", "ui"))
    series = SeriesCheck()
    report, parts = week(index)
    report["packages"]["ui"]["files"] = "one"
    with pytest.raises(ReportError):
        check_report(report, unchanged=series.unchanged(parts))
    assert series.unchanged(parts) == {}  # nothing passed: the next week is checked whole
