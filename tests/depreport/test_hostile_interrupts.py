"""Hostile inputs: a command interrupted (Ctrl-C, SIGTERM) at any point ends with a line and its exit code,
and leaves nothing half done behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import depreport.cli as cli
from depreport.errors import EXIT_INTERRUPTED, EXIT_TERMINATED


def test_ctrl_c_while_the_command_loads_is_an_interruption(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the first second (the command's modules still importing) was a KeyboardInterrupt
    traceback, the parser being built outside the handler."""

    def pressed(command: str | None = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", pressed)
    assert cli.main(["scan", "."]) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert "depreport: interrupted" in err and "Traceback" not in err


# Runs depreport with a SIGTERM arriving just as the published report's summary is about to be written.
_TERM_BEFORE_SUMMARY = """
import os, signal, sys
import depreport.cli as cli
from depreport.store.local import LocalBackend

put_new = LocalBackend.put_new

def term_before_summary(self, key, data, content_type):
    if "/summaries/" in key:
        os.kill(os.getpid(), signal.SIGTERM)
    return put_new(self, key, data, content_type)

LocalBackend.put_new = term_before_summary
sys.exit(cli.main(sys.argv[1:]))
"""


def test_sigterm_mid_publish_stops_cleanly_and_stores_no_half_run(tmp_path: Path) -> None:
    """SIGTERM (a cancelled CI job, `timeout`) killed scan --publish at once, exit -15: the report stored
    without its summary stayed in the store for good, with the temporary file of the write beside it,
    and a re-run published beside them. It now stops as Ctrl-C does: the half run is withdrawn, exit 143."""
    repo, store = tmp_path / "repo", tmp_path / "store"
    repo.mkdir()
    (repo / "a.js").write_text("import { Button } from 'evergreen-ui';\n")
    command = [sys.executable, "-c", _TERM_BEFORE_SUMMARY, "scan", str(repo), "--no-git", "--no-cache",
               "--jobs", "1", "--publish", str(store), "--repo", "acme/web"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_TERMINATED, done.stderr
    assert "depreport: terminated (SIGTERM)" in done.stderr and "Traceback" not in done.stderr
    assert [p for p in store.rglob("*") if p.is_file()] == []
