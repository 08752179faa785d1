"""The command line: arguments -> configuration -> run -> text and an exit code.

The only module that prints or exits. Exit codes: 0 ok, 1 findings (problems with --strict, nothing
matched), 2 usage or configuration error, 3 store error, 4 internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from depreport import __version__
from depreport.config import Config, load_config, parse_size
from depreport.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, DepreportError, UsageError
from depreport.pipeline import Progress, ScanOptions, scan
from depreport.query import export_sources, export_usage
from depreport.render import SCAN_FORMATS, TABLE_FORMATS, render_scan
from depreport.render.tables import render_table
from depreport.runinfo import detect_run_info
from depreport.runner import default_jobs
from depreport.schema import loads

DEFAULT_HOME = Path(".depreport")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except DepreportError as error:
        print(f"depreport: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("depreport: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        traceback.print_exc()
        print("depreport: internal error; please report it with the traceback above", file=sys.stderr)
        return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    """All commands and their options."""
    parser = argparse.ArgumentParser(
        prog="depreport", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"depreport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_scan(commands)
    _add_query(commands)
    return parser


def _add_scan(commands: Any) -> None:
    scan_cmd = commands.add_parser("scan", help="index every import of a repo into a report")
    scan_cmd.add_argument("path", nargs="?", default=".", type=Path, help="repo to scan (default: .)")
    scan_cmd.add_argument(
        "--config", type=Path, help="config file (default: depreport.toml or pyproject.toml)"
    )
    scan_cmd.add_argument("--format", choices=SCAN_FORMATS, default="table", help="output format")
    scan_cmd.add_argument("--out", "-o", default="-", help="output file, '-' for stdout (default)")
    scan_cmd.add_argument("--jobs", "-j", type=int, default=default_jobs(), help="worker processes")
    scan_cmd.add_argument("--cache-dir", type=Path, default=DEFAULT_HOME / "cache", help="extraction cache")
    scan_cmd.add_argument("--no-cache", action="store_true", help="parse every file, remember nothing")
    scan_cmd.add_argument("--include", action="append", default=[], metavar="GLOB", help="only these files")
    scan_cmd.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave these out")
    scan_cmd.add_argument(
        "--include-declarations", action="store_true", default=None, help="also .d.ts files"
    )
    scan_cmd.add_argument(
        "--no-default-excludes", action="store_true", help="also scan build output and minified bundles"
    )
    scan_cmd.add_argument("--max-file-size", metavar="SIZE", help="skip larger files (default 2MB)")
    scan_cmd.add_argument("--no-git", action="store_true", help="walk the folder even in a git work tree")
    scan_cmd.add_argument("--strict", action="store_true", help="exit 1 when any file had a problem")
    scan_cmd.add_argument("--repo", help="repository name for the report (default: from git or CI)")
    scan_cmd.add_argument("--progress", choices=("auto", "always", "never"), default="auto")
    scan_cmd.set_defaults(handler=run_scan)


def _add_query(commands: Any) -> None:
    query = commands.add_parser("query", help="ask a report which files use which exports")
    query.add_argument("--report", type=Path, required=True, help="a report written by scan --format json")
    query.add_argument("--package", metavar="GLOB", help="package ids to look at, e.g. 'evergreen-*'")
    query.add_argument("--export", action="append", default=[], metavar="NAME", help="export names")
    query.add_argument("--format", choices=TABLE_FORMATS, default="table")
    query.set_defaults(handler=run_query)


def run_scan(args: argparse.Namespace) -> int:
    """`depreport scan`."""
    root = args.path
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the path of the repository to scan")
    config = _scan_config(args, load_config(root, args.config))
    options = ScanOptions(
        root=root,
        config=config,
        jobs=max(1, args.jobs),
        cache_dir=None if args.no_cache else args.cache_dir,
        use_git=not args.no_git,
    )
    info = detect_run_info(root)
    if args.repo:
        info = replace(info, repo=args.repo)
    with _progress(args.progress) as progress:
        result = scan(options, info, progress, records=args.format == "jsonl")
    if args.format == "json":
        _write(args.out, result.report_json())
    else:
        _write(args.out, render_scan(result.report, result.records or [], args.format))
    problems = result.problems
    _describe_problems(problems)
    return EXIT_FINDINGS if args.strict and problems else EXIT_OK


def _scan_config(args: argparse.Namespace, config: Config) -> Config:
    changes: dict[str, Any] = {}
    if args.include:
        changes["include"] = (*config.include, *args.include)
    if args.exclude:
        changes["exclude"] = (*config.exclude, *args.exclude)
    if args.include_declarations:
        changes["include_declarations"] = True
    if args.no_default_excludes:
        changes["default_excludes"] = False
    if args.max_file_size is not None:
        size = parse_size(args.max_file_size)
        if size is None:
            raise UsageError(
                f"--max-file-size: not a size: {args.max_file_size!r}", "write e.g. 2MB or 500KB"
            )
        changes["max_file_size"] = size
    return replace(config, **changes)


def run_query(args: argparse.Namespace) -> int:
    """`depreport query`."""
    try:
        report = loads(args.report.read_bytes())
    except OSError as error:
        raise UsageError(
            f"cannot read {args.report}: {error.strerror}", "write one with scan --format json"
        ) from error
    if args.package:
        table = export_usage(report, args.package, args.export)
    elif args.export:
        table = export_sources(report, args.export)
    else:
        raise UsageError("query needs --package GLOB, --export NAME, or both", "e.g. --package 'evergreen-*'")
    _write("-", render_table(table, args.format))
    return EXIT_OK


def _write(out: str, text: str) -> None:
    if out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _describe_problems(problems: list[dict[str, str]], shown: int = 5) -> None:
    if not problems:
        return
    counts = Counter(p["reason"] for p in problems)
    summary = ", ".join(f"{count} {reason}" for reason, count in sorted(counts.items()))
    print(f"depreport: {len(problems)} file problem(s): {summary}", file=sys.stderr)
    for problem in problems[:shown]:
        print(f"  {problem['path']}: {problem['message']}", file=sys.stderr)
    if len(problems) > shown:
        print(f"  ... {len(problems) - shown} more in the report's 'problems' list", file=sys.stderr)


class _RichProgress(Progress):
    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(
            TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
        )
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


def _progress(mode: str) -> _RichProgress | _Quiet:
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    if mode == "always" or (mode == "auto" and interactive):
        return _RichProgress()
    return _Quiet()
