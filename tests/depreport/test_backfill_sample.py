"""Backfill the sample apps' real 26-week git histories and compare with what their generator committed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.store import LocalStore
from fixtures.sample_app import SampleHistory, build_sample_repo
from fixtures.sample_app.names import ADMIN, DASHBOARD, AppProfile

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleHistory:
    return build_sample_repo(tmp_path_factory.mktemp("sample") / "acme-dashboard")


@pytest.mark.parametrize("app", [pytest.param(DASHBOARD, id="dashboard"), pytest.param(ADMIN, id="admin")])
def test_backfilled_series_is_what_was_committed(
    app: AppProfile, sample: SampleHistory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = sample if app is DASHBOARD else build_sample_repo(tmp_path / app.name, app=app)
    store, repo = str(tmp_path / "store"), app.name.replace("-", "/")
    args = ["backfill", str(sample.root), "--weeks", "26", "--publish", store, "--repo", repo,
            "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["commit"] for row in rows] == [week.sha[:12] for week in sample.weeks]
    runs = LocalStore(store).list_runs(repo)
    assert len(runs) == len(sample.weeks) == 26
    for run, week in zip(runs, sample.weeks, strict=True):
        adoption = LocalStore(store).get_summary(run)["adoption"]
        measured = {
            name: {m: g[m] for m in ("imports", "files", "components")}
            for name, g in adoption["groups"].items()
        }
        assert measured == week.counts, week.iso_week
        assert run.time.strftime("%Y-%m-%dT%H:%M:%SZ") == week.time


def test_adoption_history_shows_regressions(
    sample: SampleHistory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store")
    main(["backfill", str(sample.root), "--weeks", "26", "--publish", store, "--repo", "acme/dashboard",
          "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    capsys.readouterr()
    assert (
        main(["adoption", "--store", store, "--repo", "acme/dashboard", "--weeks", "26", "--format", "json"])
        == 0
    )
    weeks = json.loads(capsys.readouterr().out)["weeks"]
    measured = [next(g["share"] for g in week["groups"] if g["target"]) for week in weeks]
    expected = [round(100 * week.target_share("imports"), 1) for week in sample.weeks]
    assert measured == expected
    assert any(later < earlier for earlier, later in itertools.pairwise(measured))
