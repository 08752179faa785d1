"""A `.gitignore` that is a FIFO in a git work tree: git opens it listing untracked files and waits for
ever for a writer. The scan (and migrate's check for uncommitted changes) goes on, and names the file.

Each command runs in a process group of its own, killed whole if it does not end: a regression fails the
test instead of hanging it, and leaves no git behind waiting on the FIFO."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import git, git_repo

pytestmark = pytest.mark.integration
LIMIT = 120  # seconds: a safety net, far above what the command takes


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "depreport", *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the command and the git it waits for
        process.communicate()
        pytest.fail(f"depreport {' '.join(argv)} did not end in {LIMIT} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _scan(root: Path) -> tuple[dict[str, Any], str]:
    out = root.parent / "report.json"
    done = _run("scan", str(root), "--no-cache", "--format", "json", "--out", str(out), "--progress", "never")
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report, done.stderr


def test_a_gitignore_fifo_in_a_git_work_tree_is_read_as_empty_and_named(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "repo",
        {"a.js": "import a from 'a';\n", "lib/.gitignore": "gen.js\n", "lib/b.js": "import b from 'b';\n"},
    )
    (root / "lib/gen.js").write_text("import g from 'g';\n")
    (root / "lib/.gitignore").unlink()
    os.mkfifo(root / "lib/.gitignore")  # a tracked one, replaced on disk
    (root / "sub").mkdir()
    os.mkfifo(root / "sub/.gitignore")  # an untracked one
    (root / "sub/c.js").write_text("import c from 'c';\n")
    (root / "skipped.js").write_text("import s from 's';\n")
    (root / ".git/info/exclude").write_text("skipped.js\n")  # only git honours it: the listing is git's
    report, err = _scan(root)
    problems = {p["path"]: p["message"] for p in report["problems"]}
    assert set(problems) == {"lib/.gitignore", "sub/.gitignore"}
    assert "a FIFO, not a file: git waited on it" in problems["sub/.gitignore"]
    assert "make it a regular file" in problems["sub/.gitignore"] and "sub/.gitignore" in err
    assert sorted(report["packages"]) == ["a", "b", "c", "g"]  # gen.js: its .gitignore read as empty


@pytest.mark.skipif(not os.path.exists("/proc/self/wchan"), reason="tells a waiting git through /proc")
def test_a_git_waiting_on_another_ignore_fifo_is_stopped_and_the_folder_walked(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {"a.js": "import a from 'a';\n"})
    (root / ".git/info/exclude").unlink(missing_ok=True)
    os.mkfifo(root / ".git/info/exclude")
    report, _ = _scan(root)
    assert list(report["packages"]) == ["a"]
    (problem,) = report["problems"]
    assert problem["path"] == "." and "it was stopped and the folder walked instead" in problem["message"]


def test_migrate_write_checks_for_uncommitted_changes_past_a_gitignore_fifo(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {"src/a.js": "import { B } from 'old-ui';\n"})
    os.mkfifo(root / "src/.gitignore")
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nfrom = "old-ui"\nto = "new-ui"\n')
    done = _run("migrate", str(rules), str(root / "src"), "--write", "--progress", "never")
    assert done.returncode == 0, done.stderr
    assert (root / "src/a.js").read_text() == "import { B } from 'new-ui';\n"
    assert git(root, "diff", "--name-only") == "src/a.js\n"
