"""CI jobs on fresh clones: `scan --publish` leaves a pack in the store and the next job starts from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from depreport.cli import main
from tests.conftest import FIXTURES
from tests.helpers import git, git_copy, write_files
from tests.s3server import WeedServer

pytestmark = pytest.mark.integration


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A git copy of the sample app, with many more plain files so that most of the index is reused."""
    many = {
        f"lib/f{n}.js": f"import {{ Pane }} from 'evergreen-ui';\nimport x from './f{n + 1}';\n"
        for n in range(40)
    }
    return git_copy(FIXTURES / "repos" / "mini-app", tmp_path / "origin", dict(many))


def ci_job(
    origin: Path, workdir: Path, store: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[dict[str, Any], str]:
    """What a CI job does: clone afresh, scan with an empty cache, publish; returns the report and stderr."""
    clone = workdir / "clone"
    workdir.mkdir()
    git(workdir, "clone", "-q", str(origin), str(clone))
    out = workdir / "report.json"
    args = ["scan", str(clone), "--format", "json", "--out", str(out), "--progress", "never", "--jobs", "1"]
    code = main(
        [*args, "--cache-dir", str(workdir / "cache"), "--repo", "acme/app", "--publish", store, *extra]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    cold = workdir / "cold.json"
    assert main([*args[:5], str(cold), "--progress", "never", "--no-cache", "--repo", "acme/app"]) == 0
    capsys.readouterr()
    report, expected = json.loads(out.read_text()), json.loads(cold.read_text())
    for document in (report, expected):
        document.pop("generated_at")
    assert report == expected  # the same report a cold scan of the clone makes
    return report, err


def change(origin: Path) -> None:
    write_files(
        origin,
        {"lib/f3.js": "import { Dialog } from 'evergreen-ui';\n", "lib/new.js": "import 'evergreen-ui';\n"},
    )
    (origin / "lib/f7.js").unlink()
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "change")


def test_the_next_job_parses_only_what_changed(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store")
    _, err = ci_job(origin, tmp_path / "job1", store, capsys)
    assert "no pack of acme/app" in err and "stored the pack for the next scan" in err
    change(origin)
    report, err = ci_job(origin, tmp_path / "job2", store, capsys)
    assert "parsed 2 files, updated the last run's index" in err
    assert report["packages"]["evergreen-ui"]["exports"]["Dialog"]["files"] == {"lib/f3.js": [1]}
    assert len(list((tmp_path / "store/acme/app/packs").iterdir())) == 2


def test_no_store_cache_leaves_no_pack(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    _, err = ci_job(origin, tmp_path / "job1", str(store), capsys, "--no-store-cache")
    assert "pack" not in err and not (store / "acme/app/packs").exists()


def test_an_unreadable_pack_only_costs_a_cold_scan(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    ci_job(origin, tmp_path / "job1", str(store), capsys)
    (pack,) = (store / "acme/app/packs").iterdir()
    pack.write_bytes(b"garbage")
    change(origin)
    _, err = ci_job(origin, tmp_path / "job2", str(store), capsys)
    assert "unreadable or from another version: scanning without it" in err


@pytest.mark.s3
def test_packs_travel_through_s3(
    origin: Path, tmp_path: Path, s3_server: WeedServer, s3_bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store, endpoint = f"s3://{s3_bucket}/depreport", ("--endpoint-url", s3_server.endpoint)
    ci_job(origin, tmp_path / "job1", store, capsys, *endpoint)
    change(origin)
    _, err = ci_job(origin, tmp_path / "job2", store, capsys, *endpoint)
    assert "parsed 2 files, updated the last run's index" in err


def test_check_starts_from_the_pack_and_leaves_none(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    ci_job(origin, tmp_path / "job1", str(store), capsys)
    change(origin)
    clone = tmp_path / "pr"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    args = ["check", str(clone), "--store", str(store), "--repo", "acme/app", "--progress", "never"]
    code = main([*args, "--cache-dir", str(tmp_path / "pr-cache")])
    err = capsys.readouterr().err
    assert code in (0, 1) and "parsed 2 files, updated the last run's index" in err
    assert len(list((store / "acme/app/packs").iterdir())) == 1  # only publishing runs store packs


def test_no_cache_says_the_store_pack_is_not_used_either(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """scan --publish --no-cache read no pack and stored none, without a word (only --no-store-cache asks
    for that): the next CI job parsed every file again with no hint why."""
    store = tmp_path / "store"
    args = ["scan", str(origin), "--no-cache", "--publish", str(store), "--repo", "acme/app", "--jobs", "1"]
    assert main([*args, "--progress", "never"]) == 0
    err = capsys.readouterr().err
    assert "--no-cache: the store's pack is not read and none is stored" in err
    assert not (store / "acme/app/packs").exists()
