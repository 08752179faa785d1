"""`depreport adoption` over a report and over a store's history (one repo, and org-wide)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from depreport.history.publish import publish
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


def standing(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["adoption", *args, "--format", "json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def shares(week: dict[str, Any]) -> dict[str, float]:
    return {g["group"]: g["share"] for g in week["groups"]}


def test_one_repo_week_over_week(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = standing(capsys, "--store", store, "--repo", "acme/web")
    head = result["latest"]["groups"][0]
    assert head == {"group": "Evergreen v4", "target": True, "share": 75.0, "change": 25.0, "imports": 3,
                    "files": head["files"], "components": head["components"], "instances": head["instances"],
                    "files_direct": head["files"], "files_indirect": head["files_indirect"],
                    "wrappers": head["wrappers"]}  # fmt: skip
    assert [shares(w)["Evergreen v4"] for w in result["weeks"]] == [25.0, 50.0, 75.0]
    assert [w["week"] for w in result["weeks"]] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert result["scope"] == "acme/web" and result["target"] == "Evergreen v4"


def test_the_table_says_the_change_since_last_week(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adoption", "--store", store, "--repo", "acme/web"]) == 0
    out = capsys.readouterr().out
    assert "Evergreen v4: 75.0% of imports in acme/web (+25.0 pts since last week), week of 2026-01-19" in out


def test_org_wide_sums_repos_and_breaks_them_down(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = standing(capsys, "--store", store)
    assert result["scope"] == "2 repos"
    assert [shares(w)["Evergreen v4"] for w in result["weeks"]] == [12.5, 25.0, 37.5]
    assert {r["repo"]: r["shares"]["Evergreen v4"] for r in result["repos"]} == {
        "acme/admin": 0.0,
        "acme/web": 75.0,
    }


def test_from_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adoption", "--report", str(FIXTURES / "golden" / "mini-app.report.json"), "--metric", "files",
                 "--format", "json"]) == 0  # fmt: skip
    table = json.loads(capsys.readouterr().out)
    assert table["title"].startswith("Evergreen v4: 62.5% of files in acme/mini-app")
    assert [row["group"] for row in table["groups"]] == [
        "Evergreen v4",
        "Evergreen v3",
        "React UI Library",
        "Legacy ui folder",
    ]
    assert [row["target"] for row in table["groups"]] == [True, False, False, False]


@pytest.mark.parametrize("form", ["table", "markdown"])
def test_a_lone_surrogate_in_a_reports_repo_is_printed_escaped(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (FIXTURES / "golden" / "mini-app.report.json").read_text(encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text(text.replace('"acme/mini-app"', '"acme/\\udc00"'), encoding="utf-8")  # JSON allows it
    assert main(["adoption", "--report", str(report), "--format", form]) == 0
    assert "69.2% of imports in acme/\\udc00;" in capsys.readouterr().out


def test_empty_store_says_what_to_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adoption", "--store", str(tmp_path / "empty")]) == 2
    assert "depreport backfill PATH --publish STORE" in capsys.readouterr().err


def test_org_wide_counts_a_repo_that_did_not_publish_this_week_with_its_last_run_visibly(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(LocalStore(store), week_report("acme/web", 3, 4, 0))  # only acme/web publishes in week 3
    result = standing(capsys, "--store", store, "--weeks", "2")
    # week 3: acme/web 4 of 4, acme/admin still 0 of 4 (its week-2 run): 50%, not 100%
    assert result["latest"]["groups"][0]["share"] == 50.0 and result["latest"]["groups"][0]["change"] == 12.5
    assert [(w["week"], shares(w)["Evergreen v4"], w["carried_forward"]) for w in result["weeks"]] == [
        ("2026-01-19", 37.5, []),
        ("2026-01-26", 50.0, ["acme/admin"]),
    ]  # the store's newest two weeks
    assert {r["repo"]: r["carried_forward"] for r in result["repos"]} == {
        "acme/admin": True,
        "acme/web": False,
    }


def test_a_gap_compares_with_the_previous_iso_week_not_an_older_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = LocalStore(str(tmp_path / "store"))
    publish(target, week_report("acme/web", 0, 1, 3))
    publish(target, week_report("acme/web", 3, 3, 1))  # weeks 1 and 2 have no run
    result = standing(capsys, "--store", str(tmp_path / "store"), "--repo", "acme/web")
    assert [(w["week"], shares(w)["Evergreen v4"], w["carried_forward"]) for w in result["weeks"]] == [
        ("2026-01-05", 25.0, []),
        ("2026-01-12", 25.0, ["acme/web"]),
        ("2026-01-19", 25.0, ["acme/web"]),
        ("2026-01-26", 75.0, []),
    ]
    assert (
        result["latest"]["groups"][0]["change"] == 50.0
    )  # against week 2 (carried), not a jump from nothing


def test_a_stale_repo_is_left_out_of_the_org_share_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = LocalStore(str(tmp_path / "store"))
    publish(target, week_report("acme/old", 0, 0, 4))
    for week in range(6):
        publish(target, week_report("acme/web", week, 1, 1))
    assert main(["adoption", "--store", str(tmp_path / "store"), "--weeks", "2", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert shares(result["latest"])["Evergreen v4"] == 50.0  # acme/old's 0 of 4 would make it 25%
    assert any("acme/old" in note and "stale" in note for note in result["notes"])
    assert "acme/old: last run in the week of 2026-01-05, stale" in err
    assert {r["repo"]: r["stale"] for r in result["repos"]} == {"acme/old": True, "acme/web": False}


def test_csv_carries_week_over_week(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adoption", "--store", store, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    weekly = [
        (r["week"], r["share"]) for r in rows if r["table"] == "weekly" and r["group"] == "Evergreen v4"
    ]
    assert weekly == [("2026-01-05", "12.5"), ("2026-01-12", "25.0"), ("2026-01-19", "37.5")]
    assert {r["repo"] for r in rows if r["table"] == "per_repo"} == {"acme/admin", "acme/web"}
    assert {r["target"] for r in rows if r["group"] == "Evergreen v4"} == {"True"}


def test_the_newest_runs_warnings_are_the_ones_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = LocalStore(str(tmp_path / "store"))
    for week, warning in ((0, "an old warning"), (1, "the newest warning")):
        report = week_report("acme/web", week, 1, 1)
        report["adoption"]["warnings"] = [warning]
        publish(target, report)
    assert main(["adoption", "--store", str(tmp_path / "store"), "--repo", "acme/web"]) == 0
    err = capsys.readouterr().err
    assert "the newest warning" in err and "an old warning" not in err


def test_a_pattern_that_matched_in_older_weeks_is_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A group keeps the subpath it was imported through before a rename: not a mistake, no warning."""
    from depreport.history.adoption import Group, Groups, adoption_of
    from tests.depreport.test_adoption import record, usage_of

    groups = Groups(
        (Group("Next", packages=("@acme/ui/next/**", "@acme/ui-next", "@acme/typo"), target=True),)
    )
    target = LocalStore(str(tmp_path / "store"))
    for week, next_import in (
        (0, record("a.tsx", "@acme/ui", "X", subpath="next")),
        (1, record("a.tsx", "@acme/ui-next", "X")),
    ):
        report = week_report("acme/web", week, 1, 1)
        report["usage"] = usage_of([next_import])
        report["adoption"] = adoption_of(report["usage"], groups)
        publish(target, report)
    assert main(["adoption", "--store", str(tmp_path / "store"), "--repo", "acme/web"]) == 0
    err = capsys.readouterr().err
    assert "'@acme/typo' matches no import" in err
    assert "@acme/ui/next/**" not in err


def test_a_report_without_groups_says_groups_apply_without_a_new_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src/a.tsx").write_text("import { Button } from 'evergreen-ui';\nimport { Pane } from 'ui-v3';\n")
    report = tmp_path / "report.json"
    assert main(["scan", str(repo), "--no-cache", "--format", "json", "--out", str(report)]) == 0
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["adoption", "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert "no adoption groups" in err and "--config FILE" in err and "no new scan" in err
    (tmp_path / "depreport.toml").write_text(
        '[[groups]]\nname = "new"\npackages = ["evergreen-ui"]\ntarget = true\n'
        '[[groups]]\nname = "old"\npackages = ["ui-v3"]\n'
    )
    assert main(["adoption", "--report", str(report)]) == 0  # what the hint said: no new scan
    assert "new: 50.0% of imports" in capsys.readouterr().out
    document = json.loads(report.read_text())
    del document["usage"]  # a report made before usage counts: its own groups only
    report.write_text(json.dumps(document))
    (tmp_path / "depreport.toml").unlink()
    assert main(["adoption", "--report", str(report)]) == 2
    assert "then scan again" in capsys.readouterr().err


def test_a_repo_the_store_does_not_hold_is_named_with_the_ones_it_does(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["adoption", "--store", store, "--repo", "acme/wbe"]) == 2
    err = capsys.readouterr().err
    assert "holds no repo acme/wbe" in err and "its repos include acme/admin, acme/web" in err


def test_a_week_no_run_counts_is_named_not_left_out_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """getredash/redash had no commit for five weeks (2021-06-21 to 2021-07-19): the fifth is more than 4
    weeks after the run before it, and `adoption` went from 2021-07-12 to 2021-07-26 without a word."""
    target = LocalStore(str(tmp_path / "store"))
    publish(target, week_report("acme/web", 0, 1, 3))
    publish(target, week_report("acme/web", 6, 3, 1))  # weeks 1-4 carried forward, week 5 stale
    assert (
        main(["adoption", "--store", str(tmp_path / "store"), "--repo", "acme/web", "--format", "json"]) == 0
    )
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert "2026-02-09" not in [w["week"] for w in result["weeks"]]
    assert any("no run counts in 1 week (2026-02-09)" in note for note in result["notes"])
    assert "no run counts in 1 week (2026-02-09)" in err
