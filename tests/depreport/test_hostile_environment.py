"""Hostile environments: the current folder removed under the process, standard output closed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from depreport.cli import main
from tests.helpers import git_repo

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["scan", "--progress", "never", "--no-cache"], id="scan-of-the-current-folder"),
        pytest.param(["report", "--store", "{store}"], id="report-reading-the-config-of-the-current-folder"),
    ],
)
def test_a_current_folder_removed_under_the_shell_is_said_plainly(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shell whose folder was removed (a CI step after `rm -rf` of its checkout, a deleted build
    folder): scan and report died with a FileNotFoundError traceback and "internal error", exit 4."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    code = main([arg.format(store=tmp_path / "store") for arg in argv])
    err = capsys.readouterr().err
    assert code == 2 and "the current folder no longer exists" in err and "Traceback" not in err


def test_a_removed_current_folder_does_not_stop_a_command_that_names_its_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path / "repo", {"a.ts": "import a from 'lodash';\n"})
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert main(["scan", str(repo), "--progress", "never", "--no-cache"]) == 0
    assert "lodash" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        pytest.param(["reports", "list", "--store", "{store}"], 2, id="a-listing-nowhere-to-go"),
        pytest.param(["scan", "{repo}", "--progress", "never", "--no-cache"], 2, id="a-table-nowhere-to-go"),
        pytest.param(
            ["scan", "{repo}", "--progress", "never", "--no-cache", "--out", "{out}"], 0, id="a-file"
        ),
    ],
)
def test_closed_standard_output_is_said_plainly(argv: list[str], code: int, tmp_path: Path) -> None:
    """Started with standard output closed (`>&-`, a daemon's spawn): scan died with an AttributeError
    traceback, exit 4, and `reports list` printed nothing and exited 0. Writing there is now an error
    naming the fix; a command that writes only files runs."""
    repo = git_repo(tmp_path / "repo", {"a.ts": "import a from 'lodash';\n"})
    main(["scan", str(repo), "--publish", str(tmp_path / "store"), "--progress", "never", "--no-cache"])
    args = [arg.format(store=tmp_path / "store", repo=repo, out=tmp_path / "out.json") for arg in argv]
    done = subprocess.run(
        ["sh", "-c", '"$0" -m depreport "$@" >&-', sys.executable, *args], capture_output=True, text=True
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert ("standard output is closed" in done.stderr) == (code != 0)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        pytest.param(["scan", "{repo}", "--progress", "never", "--no-cache"], 0, id="a-table"),
        pytest.param(
            ["scan", "{repo}", "--progress", "always", "--no-cache", "--out", "{out}"], 0, id="a-file"
        ),
        pytest.param(["scan", "{repo}/missing", "--progress", "never"], 2, id="a-usage-error"),
    ],
)
def test_closed_standard_error_is_no_internal_error(argv: list[str], code: int, tmp_path: Path) -> None:
    """Started with standard error closed (`2>&-`): every scan died on the progress display's
    `sys.stderr.isatty()`, exit 4. It now runs, with nothing said, and its exit code means what it says."""
    repo = git_repo(tmp_path / "repo", {"a.ts": "import a from 'lodash';\n"})
    out = tmp_path / "out.json"
    args = [arg.format(repo=repo, out=out) for arg in argv]
    done = subprocess.run(
        ["sh", "-c", '"$0" -m depreport "$@" 2>&-', sys.executable, *args], capture_output=True, text=True
    )
    assert done.returncode == code
    if "{out}" in argv:
        assert json.loads(out.read_text(encoding="utf-8"))["packages"]["lodash"]["imports"] == 1
    elif code == 0:
        assert "lodash" in done.stdout
