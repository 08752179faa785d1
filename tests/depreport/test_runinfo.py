"""Commit, branch and repo from git and from each CI's variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from depreport.runinfo import detect_run_info
from tests.helpers import git, git_repo


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param(
            {"GITHUB_SHA": "a" * 40, "GITHUB_REF_NAME": "feature", "GITHUB_REPOSITORY": "acme/web"},
            ("a" * 40, "feature", "acme/web"), id="github",
        ),
        pytest.param(
            {"CI_COMMIT_SHA": "b" * 40, "CI_COMMIT_REF_NAME": "main", "CI_PROJECT_PATH": "group/sub/app"},
            ("b" * 40, "main", "group/sub/app"), id="gitlab",
        ),
        pytest.param(
            {"CIRCLE_SHA1": "c" * 40, "CIRCLE_BRANCH": "dev", "CIRCLE_PROJECT_USERNAME": "acme",
             "CIRCLE_PROJECT_REPONAME": "api"},
            ("c" * 40, "dev", "acme/api"), id="circleci",
        ),
        pytest.param(
            {"BUILDKITE_COMMIT": "d" * 40, "BUILDKITE_BRANCH": "rel", "BUILDKITE_REPO": "git@github.com:acme/mobile.git"},
            ("d" * 40, "rel", "acme/mobile"), id="buildkite",
        ),
    ],
)  # fmt: skip
def test_ci_variables(tmp_path: Path, env: dict[str, str], expected: tuple[str, str, str]) -> None:
    info = detect_run_info(tmp_path, env)
    assert (info.commit, info.branch, info.repo) == expected


def test_git_checkout(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "checkout", {"a.js": ""})
    git(repo, "remote", "add", "origin", "https://github.com/acme/site.git")
    info = detect_run_info(repo, {})
    assert info.commit == git(repo, "rev-parse", "HEAD").strip()
    assert (info.branch, info.repo, info.committed_at) == ("main", "acme/site", "2026-01-05T10:00:00Z")


def test_plain_folder_is_named_after_itself(tmp_path: Path) -> None:
    (tmp_path / "my-app").mkdir()
    info = detect_run_info(tmp_path / "my-app", {})
    assert (info.repo, info.commit) == ("my-app", None)
