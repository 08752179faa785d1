"""`depreport adoption` over a report and over a store's history (one repo, and org-wide)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.publish import publish
from depreport.store import LocalStore
from tests.conftest import FIXTURES

pytestmark = pytest.mark.integration
GOLDEN = json.loads((FIXTURES / "golden" / "mini-app.report.json").read_text())


def week_report(repo: str, week: int, new: int, old: int) -> dict[str, Any]:
    """A copy of the golden report with other adoption counts, dated `week` weeks after a Wednesday."""
    report = json.loads(json.dumps(GOLDEN))
    when = datetime(2026, 1, 7, 10, tzinfo=UTC) + timedelta(weeks=week)
    report.update(repo=repo, commit=f"{week:040x}", generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    groups = report["adoption"]["groups"]
    for name, count in (
        ("Evergreen v4", new),
        ("Evergreen v3", old),
        ("React UI Library", 0),
        ("Legacy ui folder", 0),
    ):
        groups[name]["imports"] = count
    return report


def publish_history(folder: Path) -> str:
    """Three weeks of two repos: acme/web migrates (25% -> 75%), acme/admin does not (0%)."""
    target = LocalStore(str(folder))
    for week, (new, old) in enumerate([(1, 3), (2, 2), (3, 1)]):
        publish(target, week_report("acme/web", week, new, old))
        publish(target, week_report("acme/admin", week, 0, 4))
    return str(folder)


@pytest.fixture
def store(tmp_path: Path) -> str:
    return publish_history(tmp_path / "store")


def tables(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["adoption", *args, "--format", "json"]) == 0
    result: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return result


def test_one_repo_week_over_week(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    now, weekly = tables(capsys, "--store", store, "--repo", "acme/web")
    assert now["title"] == "Evergreen v4: 75.0% of imports in acme/web (+25.0 pts since last week)"
    assert now["rows"][0] == {"group": "Evergreen v4", "share of imports %": 75.0, "change (pts)": 25.0}
    assert [row["Evergreen v4"] for row in weekly["rows"]] == [25.0, 50.0, 75.0]
    assert [row["week"] for row in weekly["rows"]] == ["2026-01-05", "2026-01-12", "2026-01-19"]


def test_org_wide_sums_repos_and_breaks_them_down(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    now, weekly, per_repo = tables(capsys, "--store", store)
    assert now["title"].startswith("Evergreen v4: 37.5% of imports in 2 repos")
    assert [row["Evergreen v4"] for row in weekly["rows"]] == [12.5, 25.0, 37.5]
    assert {row["repo"]: row["Evergreen v4"] for row in per_repo["rows"]} == {
        "acme/admin": 0.0,
        "acme/web": 75.0,
    }


def test_from_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    (table,) = tables(
        capsys, "--report", str(FIXTURES / "golden" / "mini-app.report.json"), "--metric", "files"
    )
    assert table["title"] == "Evergreen v4: 62.5% of files in acme/mini-app"
    assert [row["group"] for row in table["rows"]] == [
        "Evergreen v4",
        "Evergreen v3",
        "React UI Library",
        "Legacy ui folder",
    ]


def test_empty_store_says_what_to_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adoption", "--store", str(tmp_path / "empty")]) == 2
    assert "depreport backfill PATH --publish STORE" in capsys.readouterr().err


def test_org_wide_counts_a_repo_that_did_not_publish_this_week_with_its_last_run(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(LocalStore(store), week_report("acme/web", 3, 4, 0))  # only acme/web publishes in week 3
    now, weekly, _ = tables(capsys, "--store", store, "--weeks", "2")
    # week 3: acme/web 4 of 4, acme/admin still 0 of 4 (its week-2 run): 50%, not 100%
    assert now["title"] == "Evergreen v4: 50.0% of imports in 2 repos (+12.5 pts since last week)"
    assert [(row["week"], row["Evergreen v4"]) for row in weekly["rows"]] == [
        ("2026-01-19", 37.5),
        ("2026-01-26", 50.0),
    ]  # the store's newest two weeks
