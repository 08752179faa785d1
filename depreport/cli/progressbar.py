"""The progress bar of the commands that read many files (scan, backfill, check, migrate): drawn with rich
on an interactive terminal, never in CI or when stderr is piped, unless asked for with --progress."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from depreport.progress import Progress


class _Bar(Progress):
    """One bar of a rich progress display."""

    def __init__(self, bar: Any, task: Any) -> None:
        self.bar, self.task = bar, task

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def advance(self, count: int) -> None:
        self.bar.advance(self.task, count)


class _RichProgress(_Bar):
    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        bar = Bar(*columns, transient=True, console=Console(stderr=True))  # stdout is the output's
        super().__init__(bar, bar.add_task(label, total=None))

    def __enter__(self) -> _RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def below(self, label: str) -> Progress:
        """A second bar drawn under this one (backfill: weeks under files)."""
        return _Bar(self.bar, self.bar.add_task(label, total=None))


class _Quiet(Progress):
    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def below(self, label: str) -> Progress:
        """No second bar either."""
        return Progress()


PROGRESS_MODES = ("auto", "always", "never")


def add_progress_option(parser: argparse.ArgumentParser) -> None:
    """--progress: when the bar of `progress_display` is drawn."""
    parser.add_argument(
        "--progress",
        choices=PROGRESS_MODES,
        default="auto",
        help="a progress bar on stderr; auto (default): on a terminal, never when CI is set",
    )


def progress_display(mode: str, label: str = "scanning") -> _RichProgress | _Quiet:
    """A progress bar on an interactive terminal (never in CI), or nothing."""
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    if mode == "always" or (mode == "auto" and interactive):
        return _RichProgress(label)
    return _Quiet()
