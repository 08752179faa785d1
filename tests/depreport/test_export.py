"""Parquet export read back with DuckDB: the same numbers as `depreport adoption`."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import boto3
import duckdb
import pytest

from depreport.cli import main
from depreport.history.publish import publish
from depreport.store import LocalStore
from tests.depreport.test_adoption_cli import publish_history, week_report
from tests.s3server import WeedServer

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path: Path) -> str:
    folder = publish_history(tmp_path / "store")
    earlier_that_week = week_report("acme/web", 2, 5, 0) | {"generated_at": "2026-01-19T09:00:00Z"}
    publish(LocalStore(folder), earlier_that_week)  # not the last run of its week: left out
    return folder


def test_duckdb_reads_the_same_adoption(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert main(["export", "--store", store, "--format", "parquet", "--out", str(out)]) == 0
    assert "wrote 6 weekly runs of 2 repos" in capsys.readouterr().err
    main(["adoption", "--store", store, "--format", "json"])
    expected = [
        {"week": w["week"], "Evergreen v4": w["groups"][0]["share"]}
        for w in json.loads(capsys.readouterr().out)["weeks"]
    ]
    shares = duckdb.sql(
        f"""
        SELECT week, round(100 * sum(imports) FILTER (WHERE target) / sum(imports), 1) AS share
        FROM read_parquet('{out}/adoption/**/*.parquet', hive_partitioning = true)
        GROUP BY week ORDER BY week
        """
    ).fetchall()
    assert [(str(week), share) for week, share in shares] == [
        (r["week"], r["Evergreen v4"]) for r in expected
    ]
    repos = duckdb.sql(
        f"SELECT DISTINCT repo FROM read_parquet('{out}/imports/**/*.parquet', hive_partitioning = true) ORDER BY 1"
    )
    assert repos.fetchall() == [("acme/admin",), ("acme/web",)]
    lines = duckdb.sql(
        f"""SELECT count(*) FROM read_parquet('{out}/imports/**/*.parquet', hive_partitioning = true)
            WHERE repo = 'acme/web' AND week = DATE '2026-01-19' AND package = 'evergreen-ui' AND export = 'Pane'"""
    ).fetchall()
    assert lines == [(2,)]  # src/pages/Home.tsx:2 and src/ui/Card.tsx:2 in the sample report


@pytest.mark.s3
def test_export_back_to_s3(
    store: str, s3_server: WeedServer, s3_bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "export",
        "--store",
        store,
        "--out",
        f"s3://{s3_bucket}/dataset",
        "--endpoint-url",
        s3_server.endpoint,
    ]
    assert main(args) == 0
    client = boto3.client("s3", endpoint_url=s3_server.endpoint, region_name="us-east-1")
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket, Prefix="dataset/")["Contents"]]
    assert "dataset/adoption/repo=acme%2Fweb/week=2026-01-19/part-0.parquet" in keys
    assert len(keys) == 12


CARRIED_SHARE = """
WITH a AS (SELECT * FROM read_parquet('{out}/adoption/**/*.parquet', hive_partitioning = true)),
     runs AS (SELECT DISTINCT repo, week AS run_week FROM a),
     grid AS (SELECT repo, w.week FROM (SELECT DISTINCT week FROM a) w
              JOIN (SELECT repo, min(week) AS first FROM a GROUP BY repo) r ON w.week >= r.first)
SELECT grid.week, round(100 * sum(a.imports) FILTER (WHERE a.target) / sum(a.imports), 1) AS share
FROM grid ASOF JOIN runs ON grid.repo = runs.repo AND grid.week >= runs.run_week
JOIN a ON a.repo = grid.repo AND a.week = runs.run_week
WHERE datediff('day', runs.run_week, grid.week) <= 28  -- older: the repo is stale that week
GROUP BY grid.week ORDER BY grid.week
"""


def test_duckdb_counts_a_repo_that_skipped_a_week_as_adoption_does(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(LocalStore(store), week_report("acme/web", 3, 4, 0))  # acme/admin does not publish in week 3
    out = tmp_path / "dataset"
    assert main(["export", "--store", store, "--format", "parquet", "--out", str(out)]) == 0
    main(["adoption", "--store", store, "--format", "json"])
    weeks = json.loads(capsys.readouterr().out)["weeks"]
    expected = [(w["week"], w["groups"][0]["share"]) for w in weeks]
    shares = duckdb.sql(CARRIED_SHARE.format(out=out)).fetchall()
    assert [(str(week), share) for week, share in shares] == expected
    assert expected[-1] == ("2026-01-26", 50.0)


def test_export_applies_todays_groups_as_adoption_does(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README: adoption, check, export and the dashboard apply the groups of today's configuration."""
    config = tmp_path / "depreport.toml"
    config.write_text(
        '[[groups]]\nname = "Next"\npackages = ["evergreen-ui"]\ntarget = true\n'
        '[[groups]]\nname = "Old"\npackages = ["evergreen-ui-v3", "@acme/react-ui"]\n'
    )
    out = tmp_path / "dataset"
    assert main(["export", "--store", store, "--out", str(out), "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["adoption", "--store", store, "--config", str(config), "--format", "json"]) == 0
    expected = [(w["week"], w["groups"][0]["share"]) for w in json.loads(capsys.readouterr().out)["weeks"]]
    rows = duckdb.sql(
        f"""
        SELECT week, round(100 * sum(imports) FILTER (WHERE target) / sum(imports), 1),
               string_agg(DISTINCT "group", ',' ORDER BY "group")
        FROM read_parquet('{out}/adoption/**/*.parquet', hive_partitioning = true)
        GROUP BY week ORDER BY week
        """
    ).fetchall()
    assert {groups for _, _, groups in rows} == {"Next,Old"}
    assert [(str(week), share) for week, share, _ in rows] == expected


def test_runs_regrouped_under_todays_groups_are_not_said_to_be_left_out(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every run keeps usage counts, so no repo is named with '0 runs ... left out'."""
    config = tmp_path / "depreport.toml"
    config.write_text('[[groups]]\nname = "Next"\npackages = ["evergreen-ui"]\ntarget = true\n')
    assert (
        main(["export", "--store", store, "--out", str(tmp_path / "dataset"), "--config", str(config)]) == 0
    )
    err = capsys.readouterr().err
    assert "left out" not in err
    assert "wrote " in err


@pytest.mark.parametrize(
    ("missing", "code", "said"),
    [
        pytest.param("pyarrow", 2, "Parquet export needs pyarrow", id="pyarrow"),
        pytest.param("pyarrow.parquet", 2, "Parquet export needs pyarrow", id="pyarrow-part"),
        pytest.param("depreport.history.frames", 4, "internal error", id="ours"),
    ],
)
def test_only_a_missing_pyarrow_is_said_to_need_the_extra(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    missing: str, code: int, said: str,
) -> None:  # fmt: skip
    monkeypatch.delitem(sys.modules, "depreport.history.export", raising=False)
    monkeypatch.setitem(sys.modules, missing, None)  # `import missing` raises ModuleNotFoundError
    assert main(["export", "--store", store, "--out", str(tmp_path / "dataset")]) == code
    assert said in capsys.readouterr().err


def test_a_run_without_usage_counts_under_other_groups_is_named_and_keeps_its_import_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "store")
    old = week_report("acme/web", 0, 1, 3)
    del old["usage"]  # stored by a depreport that kept no usage counts
    publish(LocalStore(folder), old)
    config = tmp_path / "depreport.toml"
    config.write_text('[[groups]]\nname = "React"\npackages = ["react"]\ntarget = true\n')
    out = tmp_path / "dataset"
    assert main(["export", "--store", folder, "--out", str(out), "--config", str(config)]) == 0
    err = capsys.readouterr().err
    assert "acme/web: 1 run stored before runs kept usage counts, under other group definitions" in err
    assert "0 adoption rows" in err
    assert list((out / "imports").rglob("*.parquet"))


def test_rows_carry_the_full_commit_id_as_git_and_the_reports_write_it(store: str, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    assert main(["export", "--store", store, "--out", str(out), "--repo", "acme/web"]) == 0
    for table in ("adoption", "imports"):
        commits = duckdb.sql(
            f"SELECT DISTINCT commit FROM read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)"
        ).fetchall()
        assert sorted(c for (c,) in commits) == [f"{week:040x}" for week in range(3)]  # week_report's ids


def _file_size_limited(limit: int) -> Callable[[], None]:
    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def test_an_export_that_fails_mid_file_leaves_no_part_file_and_can_run_again(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A disk that fills up (here a file-size limit) mid-write left a truncated part-0.parquet: DuckDB could
    not read the dataset, and the next export, once there was room, refused to replace that file ('not a
    file export wrote'). Each file is written beside its place and moved there whole."""
    out = tmp_path / "dataset"
    command = [sys.executable, "-m", "depreport", "export", "--store", store, "--format", "parquet",
               "--out", str(out)]  # fmt: skip
    failed = subprocess.run(
        command, capture_output=True, text=True, timeout=120, preexec_fn=_file_size_limited(1024)
    )
    assert failed.returncode == 2 and "File too large" in failed.stderr, failed.stderr
    assert [p for p in out.rglob("*") if p.is_file()] == []
    assert main(["export", "--store", store, "--format", "parquet", "--out", str(out)]) == 0
    assert "wrote 6 weekly runs of 2 repos" in capsys.readouterr().err
