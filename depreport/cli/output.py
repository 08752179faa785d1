"""Shared helpers of the commands: writing output, progress bars, problem summaries, reading reports."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from depreport.errors import UsageError
from depreport.pipeline import Progress
from depreport.schema import loads


def write_text(out: str, text: str) -> None:
    """Write to stdout ('-') or atomically to a file."""
    if out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def read_report(path: Path) -> dict[str, Any]:
    """A report file written by `scan --format json`."""
    try:
        return loads(path.read_bytes())
    except OSError as error:
        raise UsageError(
            f"cannot read {path}: {error.strerror}", "write one with scan --format json"
        ) from error


def describe_problems(problems: list[dict[str, str]], shown: int = 5) -> None:
    """A short summary of per-file problems on stderr."""
    if not problems:
        return
    counts = Counter(p["reason"] for p in problems)
    summary = ", ".join(f"{count} {reason}" for reason, count in sorted(counts.items()))
    print(f"depreport: {len(problems)} file problem(s): {summary}", file=sys.stderr)
    for problem in problems[:shown]:
        print(f"  {problem['path']}: {problem['message']}", file=sys.stderr)
    if len(problems) > shown:
        print(f"  ... {len(problems) - shown} more in the report's 'problems' list", file=sys.stderr)


def note(message: str) -> None:
    """A line of information on stderr (stdout is kept for the requested output)."""
    print(f"depreport: {message}", file=sys.stderr)


class _RichProgress(Progress):
    def __init__(self, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        self.bar = Bar(*columns, transient=True)
        self.task = self.bar.add_task("scan", total=None)

    def __enter__(self) -> _RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def advance(self, count: int) -> None:
        self.bar.advance(self.task, count)


class _Quiet(Progress):
    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def progress_display(mode: str, label: str = "scanning") -> _RichProgress | _Quiet:
    """A progress bar on an interactive terminal (never in CI), or nothing."""
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    if mode == "always" or (mode == "auto" and interactive):
        return _RichProgress(label)
    return _Quiet()
