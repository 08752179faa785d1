"""Stores for the dashboard tests, built in one place.

`build_backfilled_store` runs `depreport backfill` over the sample app's git history
(fixtures/sample_app/build.py): the real-browser test and the screenshot use it. The history store,
faster to build and with numbers chosen for the AppTest checks, holds two repos:
* `acme/mini-app`: the scanned sample app (fixtures/repos/mini-app) plus a file named like an HTML
  injection, published once a week for `WEEKS` weeks (twice in some weeks), with the target group's
  imports growing and the others' shrinking week by week;
* `acme/other-app`: the same scan under another name, starting later, with other numbers.
Only the adoption blocks of older runs are rewritten; every run keeps the real scan's packages.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dashboard.usage import report_groups
from depreport.cli import main
from depreport.history.adoption import ALL_METRICS, Groups, adoption_json
from depreport.history.publish import publish
from depreport.runinfo import iso
from depreport.store import LocalStore
from tests.conftest import FIXTURES

WEEKS = 12
NEWEST = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)  # a Wednesday
XSS_FILE = "src/<img src=x onerror=alert(1)>.tsx"
XSS_SOURCE = "import { Button } from 'evergreen-ui';\nimport Dialog from 'evergreen-ui-v3';\n"
REPOS = ("acme/mini-app", "acme/other-app")


@dataclass(frozen=True)
class HistoryStore:
    """A store with weekly history, and the reports last published for each repo."""

    path: Path
    latest: dict[str, dict[str, Any]]  # repo -> its newest full report
    previous: dict[str, dict[str, Any]]  # repo -> the last report of the week before the newest


def scan_sample(work: Path, repo: str, codeowners: str | None = None) -> dict[str, Any]:
    """Scan a copy of the sample app (plus the oddly named file, and a CODEOWNERS file) into a report."""
    app = work / "mini-app"
    if not app.exists():
        shutil.copytree(FIXTURES / "repos" / "mini-app", app)
        (app / XSS_FILE).write_text(XSS_SOURCE, encoding="utf-8")
        if codeowners is not None:
            (app / "CODEOWNERS").write_text(codeowners, encoding="utf-8")
    out = work / "report.json"
    args = ["scan", str(app), "--format", "json", "--out", str(out), "--no-cache", "--jobs", "1"]
    code = main([*args, "--progress", "never", "--no-git", "--repo", repo, "--commit", "ab" * 20])
    assert code == 0, "scanning the sample app failed"
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def published_sample(root: Path) -> tuple[Path, dict[str, Any]]:
    """The sample app scanned for real and published once into a store under ``root``: store, report."""
    report = scan_sample(root / "work", "acme/mini-app")
    publish(LocalStore(root / "store"), report)
    return root / "store", report


def at_week(
    report: dict[str, Any], when: datetime, target_scale: float, other_scale: float
) -> dict[str, Any]:
    """A copy of ``report`` dated ``when`` whose target group has ``target_scale`` x its imports."""
    dated = copy.deepcopy(report)
    dated["generated_at"] = iso(when)
    dated["adoption"] = _scaled(report["adoption"], report_groups(report), target_scale, other_scale)
    by_owner = report["adoption"].get("by_owner")
    if by_owner is not None:
        dated["adoption"]["by_owner"] = {
            owner: _scaled(block, report_groups(report), target_scale, other_scale)
            for owner, block in by_owner.items()
        }
    return dated


def _scaled(block: dict[str, Any], groups: Groups, target_scale: float, other_scale: float) -> dict[str, Any]:
    """The block with every group's counts scaled (instances and direct/indirect files too, when the
    scan counted them; its wrappers kept)."""
    counts, dependence = {}, {}
    for name, group in block["groups"].items():
        scale = target_scale if group["target"] else other_scale
        counts[name] = {m: max(0, round(group[m] * scale)) for m in ALL_METRICS if m in group}
        dependence[name] = {key: max(0, round(group[key] * scale)) for key in ("files_direct", "files_indirect")
                            if key in group} | ({"wrappers": group["wrappers"]} if "wrappers" in group else {})  # fmt: skip
    scaled = adoption_json(counts, groups)
    for name, extra in dependence.items():
        scaled["groups"][name] |= extra
    return scaled


def publish_history(store: LocalStore, report: dict[str, Any], weeks: int) -> None:
    """Publish ``weeks`` weekly runs ending in NEWEST's week, the last one being ``report`` itself."""
    for index in range(weeks):
        when = NEWEST - timedelta(weeks=weeks - 1 - index)
        if index % 3 == 0:  # an earlier run in the same week, which the weekly view must ignore
            publish(store, at_week(report, when - timedelta(days=1), 3.0, 3.0))
        if index == weeks - 1:
            publish(store, at_week(report, when, 1.0, 1.0))  # today's numbers, as scanned
        else:  # the target grows from a quarter of today's imports to 3/4, the others shrink from 3x to 1.5x
            progress = index / max(1, weeks - 2)
            publish(store, at_week(report, when, 0.25 + 0.5 * progress, 3.0 - 1.5 * progress))


def build_history_store(root: Path, weeks: int = WEEKS, base: dict[str, Any] | None = None) -> HistoryStore:
    """The two-repo weekly store described in the module docstring (``base``: the scan to reuse)."""
    base = base if base is not None else scan_sample(root / "work", REPOS[0])
    store = LocalStore(root / "store")
    publish_history(store, base, weeks)
    other = copy.deepcopy(base)
    other["repo"] = REPOS[1]
    other = at_week(other, NEWEST, 0.5, 2.0)  # generated_at NEWEST: its last run shares the newest week
    publish_history(store, other, weeks // 2)
    latest = {repo: store.get_report(store.list_runs(repo)[-1]) for repo in REPOS}
    previous = {repo: _last_of_previous_week(store, repo) for repo in REPOS}
    return HistoryStore(path=root / "store", latest=latest, previous=previous)


def build_backfilled_store(
    root: Path, weeks: int = 26, repo: str = "acme/sample-app", last_commit: dict[str, str] | None = None
) -> tuple[Path, Any]:
    """The sample app's git history (fixtures/sample_app) backfilled into a store, one run per week.

    ``last_commit`` (path -> text) adds those files in one more commit, an hour after the generator's
    last one (same week), before the backfill. Returns the store and the generator's SampleHistory
    (with the adoption counts it expects, which do not count ``last_commit``).
    """
    from fixtures.sample_app.build import build_sample_repo

    sample = build_sample_repo(root / "sample-app", weeks)
    if last_commit:
        add_commit(
            sample.root, last_commit, datetime.fromisoformat(sample.commits[-1].time) + timedelta(hours=1)
        )
    store = root / "store"
    args = ["backfill", str(sample.root), "--weeks", str(weeks), "--publish", str(store), "--repo", repo]
    assert main([*args, "--cache-dir", str(root / "cache"), "--jobs", "1"]) == 0, "backfill failed"
    return store, sample


def add_commit(root: Path, files: dict[str, str], when: datetime) -> None:
    """Write ``files`` into the git repository at ``root`` and commit them, dated ``when``."""
    from fixtures.sample_app.gitrepo import GitRepo

    repo = GitRepo(root)
    repo.write(files)  # a new GitRepo has written nothing yet, so it only adds these files
    repo.commit(f"Add {', '.join(sorted(files))}", when)


def run_cli(*args: str) -> tuple[int, str, str]:
    """`depreport ARGS` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def adoption_rows(store: Path) -> list[dict[str, Any]]:
    """Each group of the newest week as `depreport adoption --store STORE --format json` prints it:
    group, target, share and change (percent and points), and the counts when it prints them."""
    code, out, err = run_cli("adoption", "--store", str(store), "--format", "json")
    assert code == 0, err
    printed = json.loads(out)
    if isinstance(printed, dict):  # {"latest": {"groups": [...]}}
        return list(printed["latest"]["groups"])
    [first, *_] = printed  # [{"title": "Target: ...", "rows": [...]}]: the first table is the newest week
    target = first["title"].split(":")[0]
    return [
        {"group": row["group"], "target": row["group"] == target,
         "share": next(v for k, v in row.items() if k.startswith("share")),
         "change": next(v for k, v in row.items() if k.startswith("change"))}
        for row in first["rows"]
    ]  # fmt: skip


def _last_of_previous_week(store: LocalStore, repo: str) -> dict[str, Any]:
    runs = store.list_runs(repo)
    newest_week = runs[-1].time.isocalendar()[:2]
    earlier = [run for run in runs if run.time.isocalendar()[:2] != newest_week]
    return store.get_report(earlier[-1])


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample app's report, scanned once per session (copy it before changing it)."""
    return scan_sample(tmp_path_factory.mktemp("dashboard-scan"), REPOS[0])


@pytest.fixture(scope="session")
def history_store(tmp_path_factory: pytest.TempPathFactory, sample_report: dict[str, Any]) -> HistoryStore:
    """The shared weekly store (read-only for the tests)."""
    return build_history_store(tmp_path_factory.mktemp("dashboard-history"), base=sample_report)


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A clean slate for the app: no settings from the environment, no cached reads."""
    import streamlit as st

    for name in (
        "DEPREPORT_STORE",
        "DEPREPORT_ENDPOINT_URL",
        "DEPREPORT_URL_TEMPLATE",
        "DEPREPORT_TARGET_SHARE",
    ):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    yield monkeypatch
    st.cache_data.clear()
