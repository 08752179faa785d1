"""Flags and globs that would make a run do nothing, found by a hostile-input sweep: each is refused or
said, never a silent exit 0."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from depreport.cli import main
from tests.helpers import git_repo

pytestmark = pytest.mark.integration


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit:  # argparse refuses a flag's value
        code = int(exit.code or 0)
    return code, capsys.readouterr().err


def test_an_empty_store_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    for command in (["scan", str(repo), "--publish", ""], ["backfill", str(repo), "--publish", " "],
                    ["reports", "list", "--store", ""]):  # fmt: skip
        code, err = run(capsys, *command)
        assert code == 2 and "empty: give a folder or s3://bucket/prefix" in err, command


def test_an_empty_include_glob_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo(tmp_path / "repo", {"a.js": "import x from 'x';\n"})
    code, err = run(capsys, "scan", str(repo), "--include", "", "--no-cache")
    assert code == 2 and "include: '' is not a valid" in err and "matches no file" in err


def test_include_globs_that_select_nothing_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path / "repo", {"src/a.js": "import x from 'x';\n"})
    code, err = run(
        capsys, "scan", str(repo), "--include", "lib/**", "--no-cache", "--out", str(tmp_path / "o")
    )
    assert code == 0 and "include globs ('lib/**') selected no source file" in err
    code, err = run(
        capsys, "scan", str(repo), "--include", "src/**", "--no-cache", "--out", str(tmp_path / "o")
    )
    assert code == 0 and "selected no source file" not in err


def test_a_backfill_of_a_repository_without_commits_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    code, err = run(capsys, "backfill", str(repo), "--weeks", "1")
    assert code == 2 and "has no commits yet" in err and "commit first" in err
