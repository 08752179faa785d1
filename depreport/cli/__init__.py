"""The command line: arguments -> configuration -> run -> text and an exit code.

The only package that prints or exits. Exit codes: 0 ok, 1 findings (problems with --strict, a ratchet
that failed, nothing matched), 2 usage or configuration error, 3 store error, 4 internal error, 130 Ctrl-C,
143 SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

from depreport import __version__
from depreport.cli.output import Described
from depreport.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    DepreportError,
    UsageError,
)
from depreport.report.render.safe import guard_lines

# The modules of the commands, in the order `depreport --help` lists them, and the commands each adds.
# A run imports only the module of its command: a warm scan should not pay for codemods or the dashboard.
COMMANDS = {
    "scan": ("scan",),
    "query": ("query",),
    "adoption": ("adoption",),
    "reports": ("publish", "reports"),
    "check": ("check",),
    "backfill": ("backfill",),
    "merge": ("merge",),
    "export": ("export",),
    "dashboard": ("dashboard",),
    "report": ("report",),
    "migrate": ("migrate",),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    before = _on_sigterm(_terminate)
    if sys.stdout is None:  # started with it closed (`>&-`): Python has no stream to give print()
        _hold_closed_descriptor(1)
        sys.stdout = ClosedStdout()
    if sys.stderr is None:  # started with it closed (`2>&-`): there is nowhere to say anything
        sys.stderr = os.fdopen(_hold_closed_descriptor(2), "w", encoding="utf-8", errors="backslashreplace")
    try:  # Ctrl-C can come while the command's modules still import
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        code: int = args.handler(args)
        return code
    except DepreportError as error:
        print(f"depreport: error: {guard_lines(str(error))}", file=sys.stderr)
        return error.exit_code
    except Terminated:
        print("depreport: terminated (SIGTERM)", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("depreport: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        if _cwd_gone():
            print("depreport: error: the current folder no longer exists (removed or moved since this shell "
                  "entered it)\n  hint: cd to an existing folder and run again", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        traceback.print_exc()
        print("depreport: internal error; please report it with the traceback above", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        _on_sigterm(before)


class ClosedStdout(io.TextIOBase):
    """Standard output when the process started with it closed: writing there is an error said plainly
    (not a traceback, nor output dropped unsaid), and a command that writes only files still runs."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        """Refuse: there is nowhere to write."""
        raise UsageError(
            "standard output is closed (the command was started with >&-): there is nowhere to write to",
            "run it with standard output open (> /dev/null discards it), or give --out FILE",
        )


def _hold_closed_descriptor(number: int) -> int:
    """Open /dev/null as a standard stream the process started without, so that no file opened later
    takes its number: a worker or git writing its warnings there would write them into that file (a
    report being written with --out)."""
    null = os.open(os.devnull, os.O_WRONLY)
    if null != number:
        os.dup2(null, number)
        os.close(null)
    return number


def _cwd_gone() -> bool:
    """Was the current folder removed under the process? Every relative path then fails."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, `timeout`, `kill`): the run stops as on Ctrl-C, so what it was writing
    is withdrawn or removed instead of left half done."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


_Handler = Callable[[int, FrameType | None], Any] | int | None


def _on_sigterm(handler: _Handler) -> _Handler:
    """Set the SIGTERM handler and return the one before (only the main thread can; main() called from
    another thread keeps Python's default)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, signal.SIG_DFL if handler is None else handler)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The commands and their options: only `command`'s when it names one, else all of them."""
    parser = argparse.ArgumentParser(
        prog="depreport",
        description="Index every import of a code base and measure how far a library is adopted.",
    )
    parser.add_argument("--version", action="version", version=f"depreport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = [module for module, names in COMMANDS.items() if command in names] or list(COMMANDS)
    if command == "--version":
        chosen = []  # argparse answers it before it looks for a command
    for module in chosen:
        importlib.import_module(f"depreport.cli.{module}").add_parser(Described(commands, EXAMPLES))
    return parser


# Examples of the commands whose parsers do not give their own `epilog`.
EXAMPLES = {
    "publish": "example:\n  depreport publish report.json --store .depreport/store --commit-time",
    "reports": "examples:\n  depreport reports list --store .depreport/store\n"
    "  depreport reports latest --store .depreport/store --repo acme/web",
    "check": "examples:\n  depreport check --baseline depreport-baseline.json --update-baseline\n"
    "  depreport check --store s3://acme-depreport/reports --repo acme/web --format github",
    "export": "example:\n  depreport export --store .depreport/store --out adoption-dataset/",
    "dashboard": "example:\n  depreport dashboard --store .depreport/store --port 8501",
    "migrate": "examples:\n  depreport migrate rules.toml src/ --diff\n"
    "  depreport migrate rules.toml --check",
}
