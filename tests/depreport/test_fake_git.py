"""A `git` first on PATH that answers what git never prints (a NUL byte, binary bytes, nothing, a word
where a commit id is due): each answer depreport reads from `git rev-parse` is an error naming the
command and what it printed, exit 2 as git's other errors, never a traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from depreport.cli import main
from tests.helpers import commit_at, git

pytestmark = pytest.mark.integration


def _fake_git(folder: Path, command: str, printed: bytes) -> Path:
    """A folder holding a `git` that prints `printed` (and succeeds) when its arguments hold `command`,
    and runs the real git otherwise."""
    real = shutil.which("git")
    assert real is not None
    folder.mkdir()
    (folder / "printed").write_bytes(printed)
    script = folder / "git"
    script.write_text(
        f'#!/bin/sh\ncase "$*" in\n  *"{command}"*) cat "{folder / "printed"}"; exit 0;;\nesac\n'
        f'exec "{real}" "$@"\n'
    )
    script.chmod(0o755)
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "src/a.ts").write_text("import a from 'x';\n")
    git(root, "add", "-A")
    commit_at(root, "2026-01-07T10:00:00Z")
    return root


SCAN = ["scan", "{repo}", "--no-cache", "--progress", "never", "--out", "{out}"]
BACKFILL = ["backfill", "{repo}", "--weeks", "2", "--until", "2026-01-10", "--out-dir", "{out}",
            "--cache-dir", "{cache}", "--progress", "never"]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "command", "printed", "said"),
    [
        pytest.param(SCAN, "rev-parse HEAD", b"/tmp/x\0garbage\n", r"rev-parse HEAD printed '/tmp/x\x00garbage'",
                     id="scan-a-nul-for-the-commit"),
        pytest.param(SCAN, "rev-parse HEAD", b"main\n", "rev-parse HEAD printed 'main', which is not a commit id",
                     id="scan-a-word-for-the-commit"),
        pytest.param(SCAN, "--abbrev-ref", b"ma\0in\n", r"rev-parse --abbrev-ref HEAD printed 'ma\x00in'",
                     id="scan-a-nul-in-the-branch"),
        pytest.param(SCAN, "--show-toplevel", b"{repo}\0garbage\n", r"rev-parse --show-toplevel printed",
                     id="scan-a-nul-in-the-top-folder"),
        pytest.param(SCAN, "--show-toplevel", b"", "rev-parse --show-toplevel printed '', which is not the path",
                     id="scan-no-top-folder"),
        pytest.param(BACKFILL, "--is-shallow-repository", b"\xff\xfe\n", "rev-parse --is-shallow-repository printed",
                     id="backfill-binary-for-shallow"),
        pytest.param(BACKFILL, "--show-prefix", b"\0\n", r"rev-parse --show-prefix printed '\x00\n'",
                     id="backfill-a-nul-for-the-prefix"),
        pytest.param([*BACKFILL, "--ref", "main"], "^{commit}", b"garbage\n",
                     "printed 'garbage\\n', which is not a commit id", id="backfill-a-word-for-the-ref"),
    ],
)  # fmt: skip
def test_an_answer_git_never_gives_is_an_error_naming_it(
    argv: list[str],
    command: str,
    printed: bytes,
    said: str,
    repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    printed = printed.replace(b"{repo}", str(repo).encode())
    fake = _fake_git(tmp_path / "bin", command, printed)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    filled = [a.format(repo=repo, out=tmp_path / "out", cache=tmp_path / "cache") for a in argv]
    code = main(filled)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "error: git " in err and said in err and "command -v git" in err
    assert "Traceback" not in err and "internal error" not in err


def test_the_real_git_passes_the_same_checks(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, args in enumerate((SCAN, [*BACKFILL, "--ref", "main"])):
        filled = [a.format(repo=repo, out=tmp_path / f"out{number}", cache=tmp_path / "cache") for a in args]
        assert main(filled) == 0, capsys.readouterr().err
