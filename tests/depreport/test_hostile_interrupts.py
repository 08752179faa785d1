"""Hostile inputs: a command interrupted (Ctrl-C, SIGTERM) at any point ends with a line and its exit code,
and leaves nothing half done behind."""

from __future__ import annotations

import pytest

import depreport.cli as cli
from depreport.errors import EXIT_INTERRUPTED


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
