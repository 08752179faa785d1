"""Backfill from real git repositories built by the test."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from depreport.cli import main
from depreport.store import LocalStore
from tests.helpers import commit_at, git, write_files

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
        commit_at(root, when)
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


def test_a_folder_inside_a_repository_is_refused_naming_its_top(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`backfill packages/web` (one package of a monorepo, as `scan packages/web` scans that folder alone)
    replayed whole commits: each week's report counted every file of the repository, under the name
    of the folder, without a word. It is refused, naming the repository's top and how to keep to the
    folder."""
    repo = tmp_path / "repo"
    history_repo(repo)
    write_files(repo, {"packages/web/w.tsx": "import {W} from 'evergreen-ui';"})
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "web")
    code = main(
        ["backfill", str(repo / "packages" / "web"), "--weeks", "8", "--publish", str(tmp_path / "store")]
    )
    err = capsys.readouterr().err
    assert code == 2 and f"is a folder inside the git repository {repo}" in err, err
    assert 'include = ["packages/web/**"]' in err
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(
    ("flags", "weeks"),
    [
        pytest.param(["--since", "2026-01-12"], ["2026-01-12", "2026-01-26"], id="since-to-newest"),
        pytest.param(["--until", "2026-01-20"], ["2026-01-05", "2026-01-12"], id="until-leaves-later-out"),
        pytest.param(
            ["--since", "2026-01-14", "--until", "2026-01-14"], ["2026-01-12"], id="one-day-one-week"
        ),
        pytest.param(["--since", "2026-01-01", "--weeks", "2"], ["2026-01-05"], id="weeks-from-since"),
        pytest.param(
            ["--until", "2026-01-31", "--weeks", "3"], ["2026-01-12", "2026-01-26"], id="weeks-to-until"
        ),
    ],
)
def test_bounded_backfill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], weeks: list[str]
) -> None:
    shas = history_repo(tmp_path / "repo")
    args = [
        "backfill",
        str(tmp_path / "repo"),
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path / "c"),
        *flags,
    ]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["week"] for r in rows] == weeks
    by_week = {"2026-01-05": shas[0], "2026-01-12": shas[2], "2026-01-26": shas[3]}
    if "--until" in flags and flags[flags.index("--until") + 1] == "2026-01-14":
        by_week["2026-01-12"] = shas[1]  # the 16th is after --until: the week ends with the 13th's commit
    assert [r["commit"] for r in rows] == [by_week[w][:12] for w in weeks]


def test_backfill_of_another_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shas = history_repo(tmp_path / "repo")
    git(tmp_path / "repo", "branch", "release", shas[1])  # a branch that stopped on the 13th
    git(tmp_path / "repo", "tag", "v1", shas[0])
    args = ["backfill", str(tmp_path / "repo"), "--format", "json", "--cache-dir", str(tmp_path / "c")]
    assert main([*args, "--ref", "release"]) == 0
    assert [r["commit"] for r in json.loads(capsys.readouterr().out)] == [shas[0][:12], shas[1][:12]]
    assert main([*args, "--ref", "v1"]) == 0
    assert [r["commit"] for r in json.loads(capsys.readouterr().out)] == [shas[0][:12]]
    assert main([*args]) == 0  # the current branch (main), whatever other refs exist
    assert len(json.loads(capsys.readouterr().out)) == 3


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        pytest.param(["--since", "2026-13-01"], "--since: not a date: '2026-13-01'", id="bad-since"),
        pytest.param(["--until", "last week"], "--until: not a date: 'last week'", id="bad-until"),
        pytest.param(
            ["--since", "2026-02-01", "--until", "2026-01-01"], "--since 2026-02-01 is after", id="reversed"
        ),
        pytest.param(["--ref", "no-such-branch"], "--ref: no commit named 'no-such-branch'", id="bad-ref"),
        pytest.param(["--ref=--output=/tmp/x"], "--ref: no commit named", id="ref-like-an-option"),
        pytest.param(
            ["--until", "2025-12-31"], "no commits on HEAD on or before 2025-12-31", id="before-history"
        ),
        pytest.param(["--weeks", "0"], "--weeks must be at least 1", id="no-weeks"),
    ],
)
def test_bad_bounds_exit_2_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], named: str
) -> None:
    history_repo(tmp_path / "repo")
    store = tmp_path / "store"
    args = ["backfill", str(tmp_path / "repo"), "--publish", str(store), "--repo", "a/b", *flags]
    assert main(args) == 2
    assert named in capsys.readouterr().err
    assert not store.exists() or not LocalStore(str(store)).list_runs("a/b")  # nothing published


def test_progress_shows_files_and_weeks_on_a_terminal_only(tmp_path: Path) -> None:
    history_repo(tmp_path / "repo")
    args = ["backfill", str(tmp_path / "repo"), "--format", "json", "--cache-dir", str(tmp_path / "c")]
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"COLUMNS": "100", "TERM": "xterm"}
    on_terminal = _stderr_on_a_terminal([sys.executable, "-m", "depreport", *args], env)
    assert "files" in on_terminal and "weeks" in on_terminal and "3/3" in on_terminal
    piped = subprocess.run(
        [sys.executable, "-m", "depreport", *args], env=env, capture_output=True, text=True
    )
    assert piped.returncode == 0  # stderr piped: no display, only the note naming the week without a commit
    assert (
        piped.stderr.startswith("depreport: 1 of the 4 weeks have no commit (2026-01-19)")
        and piped.stderr.count("\n") == 1
    )
    in_ci = _stderr_on_a_terminal([sys.executable, "-m", "depreport", *args], env | {"CI": "true"})
    assert "weeks" not in in_ci.replace("of the 4 weeks have no commit", "")


def _stderr_on_a_terminal(command: list[str], env: dict[str, str]) -> str:
    """Run a command with stderr on a pseudo-terminal; everything it drew there."""
    leader, follower = pty.openpty()
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower) as process:
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the follower side closed: the process is done
                break
            if not chunk:
                break
            drawn += chunk
        assert process.wait(timeout=60) == 0
    os.close(leader)
    return drawn.decode("utf-8", "replace")


def test_a_week_reports_committed_symbolic_links_as_a_scan_of_that_commit_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backfill left a commit's symbolic links out without a word (git lists them as mode 120000), so
    the week's report had fewer files seen and no problem where a scan of the same commit had both."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"src/a.tsx": "import {A} from 'evergreen-ui';", "README.md": "x"})
    os.symlink("a.tsx", root / "src" / "b.tsx")  # inside: the same file again
    os.symlink("../../shared/c.js", root / "src" / "c.js")  # outside the repository
    os.symlink("README.md", root / "notes.md")  # not a source file: no problem either way
    git(root, "add", "-A")
    git(root, "commit", "-qm", "links")
    store = tmp_path / "store"
    backfill = ["backfill", str(root), "--weeks", "1", "--publish", str(store), "--repo", "acme/app",
                "--cache-dir", str(tmp_path / "cache"), "--progress", "never"]  # fmt: skip
    assert main(backfill) == 0
    capsys.readouterr()
    week = LocalStore(str(store)).get_report(LocalStore(str(store)).list_runs("acme/app")[0])
    assert main(["scan", str(root), "--format", "json", "--no-cache", "--progress", "never"]) == 0
    scanned = json.loads(capsys.readouterr().out)
    assert week["totals"]["files_seen"] == scanned["totals"]["files_seen"] == 3
    by_path = {p["path"]: p for p in week["problems"]}
    assert by_path.keys() == {p["path"] for p in scanned["problems"]} == {"src/b.tsx", "src/c.js"}
    inside = next(p for p in scanned["problems"] if p["path"] == "src/b.tsx")
    assert by_path["src/b.tsx"] == inside  # the same words: a link to src/a.tsx, scanned where it is
    assert by_path["src/c.js"]["reason"] == "unreadable"
    assert "../../shared/c.js, outside the repository: not read" in by_path["src/c.js"]["message"]


def test_what_the_latest_week_did_not_read_is_said_as_a_scan_says_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Vue components and a tsconfig preset package (never installed at a past commit) were said by a
    scan and passed over by a backfill of the same commits without a word; the latest week's are said."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"src/a.ts": "import a from 'x';", "tsconfig.json": '{"extends": "@acme/tsconfig"}',
                       "src/B.vue": "<script>import { B } from 'evergreen-ui'</script>",
                       "src/hooks/index.ts": "export const useX = 1;",
                       "src/c.ts": "import { useX } from 'hooks';"})  # fmt: skip
    git(root, "add", "-A")
    commit_at(root, "2026-01-07T10:00:00Z")
    write_files(root, {"src/a.ts": "import a from 'y';"})
    git(root, "add", "-A")
    commit_at(root, "2026-01-14T10:00:00Z")  # the same files: the week keeps the resolver it had
    args = ["backfill", str(root), "--weeks", "4", "--out-dir", str(tmp_path / "out"), "--repo", "acme/app",
            "--cache-dir", str(tmp_path / "cache"), "--progress", "never"]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1 .vue file not read" in err
    assert "tsconfig.json extends '@acme/tsconfig', which is not installed" in err
    assert "1 import of 1 package no package.json declares ('hooks') is counted as an npm package" in err
