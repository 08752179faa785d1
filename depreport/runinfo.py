"""Who, what and when of a run: repo name, commit, branch and times, from flags, CI variables or git."""

from __future__ import annotations

import os
import re
import subprocess
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from depreport.errors import UsageError
from depreport.gitanswers import answer, is_commit_id, is_one_line


@dataclass(frozen=True)
class RunInfo:
    """The header of a report."""

    repo: str | None = None
    commit: str | None = None
    branch: str | None = None
    committed_at: str | None = None  # ISO 8601, UTC
    generated_at: str | None = None


# CI variables, in the order they are tried: (commit, branch, repo).
_CI_VARIABLES = (
    ("GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_REPOSITORY"),
    ("CI_COMMIT_SHA", "CI_COMMIT_REF_NAME", "CI_PROJECT_PATH"),
    ("CIRCLE_SHA1", "CIRCLE_BRANCH", None),
    ("BUILDKITE_COMMIT", "BUILDKITE_BRANCH", "BUILDKITE_REPO"),
)
_REMOTE = re.compile(r"(?:[:/])([^/:]+/[^/]+?)(?:\.git)?$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def now_utc() -> str:
    """The current time, or SOURCE_DATE_EPOCH when set (reproducible builds); UsageError if it is no time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return iso(datetime.now(UTC))
    moment = epoch_time(epoch) if epoch.isascii() and epoch.isdigit() else None
    if moment is None:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a time",
            "set it to whole seconds since 1970-01-01 UTC before the year 10000 (git log -1 --format=%ct), "
            "or unset it",
        )
    return iso(moment)


def epoch_time(seconds: str) -> datetime | None:
    """Seconds since 1970 (git's %ct) as a UTC time; None when it is no date a computer can hold (year
    10000 and on) or no number."""
    try:
        return datetime.fromtimestamp(int(seconds), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def iso(moment: datetime) -> str:
    """A datetime as `YYYY-MM-DDTHH:MM:SSZ` in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_field(document: Mapping[str, Any], use_commit_time: bool = False) -> str | None:
    """Which field of a report or summary says when its run happened, or None when none does.

    The `run_time` that publishing stamps on a summary wins; else the commit time for a backfilled run
    (`use_commit_time`), else when the report was made, each falling back on the other.
    """
    keys = ("committed_at", "generated_at") if use_commit_time else ("generated_at", "committed_at")
    return next((key for key in ("run_time", *keys) if document.get(key)), None)


def run_time(document: Mapping[str, Any], use_commit_time: bool = False) -> datetime | None:
    """When the run of a report or summary happened (`time_field`), or None when it does not say."""
    field = time_field(document, use_commit_time)
    return None if field is None else datetime.fromisoformat(str(document[field]).replace("Z", "+00:00"))


def detect_run_info(root: Path, env: Mapping[str, str] | None = None) -> RunInfo:
    """What git and the CI's variables say about the checkout at root."""
    env = os.environ if env is None else env
    info = RunInfo(generated_at=now_utc())
    head = _git(root, "rev-parse", "HEAD")
    if head:
        head = answer(("rev-parse", "HEAD"), head, "a commit id", is_commit_id)
        when = epoch_time(_git(root, "show", "-s", "--format=%ct", "HEAD") or "")
        branch = _git(root, "rev-parse", "--abbrev-ref", "HEAD")
        if branch is not None:
            branch = answer(("rev-parse", "--abbrev-ref", "HEAD"), branch, "a branch name", is_one_line)
        info = replace(
            info,
            commit=head,
            branch=branch,
            committed_at=iso(when) if when is not None else None,
            repo=repo_from_remote(_git(root, "config", "--get", "remote.origin.url")),
        )
    for commit_var, branch_var, repo_var in _CI_VARIABLES:
        if env.get(commit_var):
            info = replace(info, commit=env[commit_var], branch=env.get(branch_var) or info.branch)
            if repo_var and env.get(repo_var):
                value = env[repo_var]
                from_url = repo_from_remote(value) if is_remote_url(value) else None
                info = replace(info, repo=from_url or value)
            break
    if env.get("CIRCLE_PROJECT_USERNAME") and env.get("CIRCLE_PROJECT_REPONAME"):
        info = replace(info, repo=f"{env['CIRCLE_PROJECT_USERNAME']}/{env['CIRCLE_PROJECT_REPONAME']}")
    if info.branch == "HEAD":
        info = replace(info, branch=None)
    if info.repo is None:
        info = replace(info, repo=root.resolve().name)
    return info


def is_remote_url(location: str) -> bool:
    """A clone URL (`https://…`, `ssh://…`, `git@host:…`) rather than a path or a bare `org/name`."""
    return bool(_URL.match(location.strip()))


def without_credentials(location: str) -> str:
    """A clone URL as it may be shown in a message or a log: a token or password in it masked
    (`https://***@github.com/acme/web.git`); a user name alone (`ssh://git@host/...`) and paths kept."""
    parts = urllib.parse.urlsplit(location)
    user, at, host = parts.netloc.rpartition("@")
    if not at or (parts.scheme not in ("http", "https") and ":" not in user):
        return location
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def repo_from_remote(url: str | None) -> str | None:
    """`org/name` from a git remote URL or a path (its last two segments, without `.git`), else None."""
    if not url:
        return None
    match = _REMOTE.search(url.strip().rstrip("/"))
    return match.group(1) if match else None


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError:
        return None
    # a branch name or remote URL that is not UTF-8 is shown with `\xff` escapes, never a crash
    out = done.stdout.decode("utf-8", "backslashreplace")
    return out.strip() or None if done.returncode == 0 else None
