"""Backfill from real git repositories built by the test."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.store import LocalStore
from tests.helpers import git, write_files

pytestmark = pytest.mark.integration

CONFIG = """
[[groups]]
name = "new"
packages = ["evergreen-ui"]
target = true
[[groups]]
name = "old"
packages = ["evergreen-ui-v3"]
"""
# (commit date, files written in that commit); two commits fall in the week of 2026-01-12.
HISTORY = [
    (
        "2026-01-07T10:00:00Z",
        {"a.tsx": "import {A} from 'evergreen-ui-v3';", "b.tsx": "import {B} from 'evergreen-ui-v3';"},
    ),
    ("2026-01-13T10:00:00Z", {"a.tsx": "import {A} from 'evergreen-ui';"}),
    ("2026-01-16T10:00:00Z", {"c.tsx": "import {C} from 'evergreen-ui-v3';"}),
    (
        "2026-01-28T10:00:00Z",
        {"b.tsx": "import {B} from 'evergreen-ui';", "c.tsx": "import {C} from 'evergreen-ui';"},
    ),
]


def history_repo(root: Path) -> list[str]:
    """A repo with HISTORY; returns the commit shas."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"depreport.toml": CONFIG})
    shas = []
    for when, files in HISTORY:
        write_files(root, files)
        git(root, "add", "-A")
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", when],
            env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"},
            check=True,
        )
        shas.append(git(root, "rev-parse", "HEAD").strip())
    return shas


def test_one_report_per_week_dated_at_the_last_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shas = history_repo(tmp_path / "repo")
    (tmp_path / "repo" / "a.tsx").write_text("import {A} from 'not-committed';")  # must not be read
    store = tmp_path / "store"
    args = ["backfill", str(tmp_path / "repo"), "--weeks", "8", "--publish", str(store), "--repo", "acme/app",
            "--cache-dir", str(tmp_path / "cache"), "--format", "json"]  # fmt: skip
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["commit"] for r in rows] == [shas[0][:12], shas[2][:12], shas[3][:12]]  # no commit in week 3
    assert [r["target share %"] for r in rows] == [0.0, 33.3, 100.0]
    runs = LocalStore(str(store)).list_runs("acme/app")
    assert [run.time.isoformat() for run in runs] == [
        "2026-01-07T10:00:00+00:00", "2026-01-16T10:00:00+00:00", "2026-01-28T10:00:00+00:00",
    ]  # fmt: skip
    report = LocalStore(str(store)).get_report(runs[0])
    assert report["commit"] == shas[0] and "not-committed" not in report["packages"]
    assert (tmp_path / "repo" / "a.tsx").read_text() == "import {A} from 'not-committed';"


def test_rerun_skips_weeks_already_stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history_repo(tmp_path / "repo")
    args = ["backfill", str(tmp_path / "repo"), "--weeks", "2", "--publish", str(tmp_path / "s"), "--repo", "a/b",
            "--format", "json", "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    main(args)
    assert len(json.loads(capsys.readouterr().out)) == 1  # only the last week has a commit in a 2-week window
    args[3] = "8"
    main(args)
    out = capsys.readouterr()
    assert len(json.loads(out.out)) == 2 and "1 of 3 weeks are already in" in out.err
    assert len(LocalStore(str(tmp_path / "s")).list_runs("a/b")) == 3


def test_shallow_clone_says_how_to_fetch_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history_repo(tmp_path / "repo")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{tmp_path / 'repo'}", str(clone)], check=True
    )
    assert main(["backfill", str(clone), "--weeks", "8"]) == 2
    assert "git fetch --unshallow" in capsys.readouterr().err


def test_not_a_git_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plain").mkdir()
    assert main(["backfill", str(tmp_path / "plain")]) == 2
    assert "git" in capsys.readouterr().err
