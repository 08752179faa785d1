"""`depreport export`: a store's weekly history as Parquet for SQL engines."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from depreport.cli.output import add_store_options, note, repo_name
from depreport.cli.reports import note_skipped
from depreport.config import load_config
from depreport.errors import EXIT_OK, UsageError
from depreport.history.weeks import check_weeks
from depreport.report.render.words import plural
from depreport.store import open_store, validate_repo


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("export", help="write a store's weekly history as a Parquet dataset")
    add_store_options(parser)
    parser.add_argument("--format", choices=("parquet",), default="parquet", help="parquet (the default)")
    parser.add_argument("--out", required=True, help="folder or s3://bucket/prefix for the dataset")
    parser.add_argument(
        "--repo", type=repo_name, action="append", default=[], help="only these repos (default: all)"
    )
    parser.add_argument("--weeks", type=int, help="only the last N ISO weeks of each repo")
    parser.add_argument(
        "--config",
        type=Path,
        help="adoption groups from this file (default: ./depreport.toml or ./pyproject.toml)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export the last run of every week of every repo."""
    try:
        from depreport.history.export import export_parquet, open_destination
    except ModuleNotFoundError as error:
        if error.name != "pyarrow" and not (error.name or "").startswith("pyarrow."):
            raise  # a module of ours that fails to load is a bug, not a missing extra
        raise UsageError("Parquet export needs pyarrow", "pip install 'depreport[parquet]'") from error
    check_weeks(args.weeks, "e.g. --weeks 52, or leave --weeks out for every week")
    store_endpoint = args.endpoint_url if args.store.startswith("s3://") else None  # it may be for --out
    store = open_store(args.store, store_endpoint)
    repos = [validate_repo(r) for r in args.repo] or store.list_repos()
    groups = load_config(Path.cwd(), args.config).groups
    done = export_parquet(store, open_destination(args.out, args.endpoint_url), repos, args.weeks, groups)
    note_skipped(done.skipped)
    for line in done.notes:
        note(f"note: {line}")
    note(f"wrote {plural(done.runs, 'weekly run')} of {plural(len(repos), 'repo')} to {args.out}: "
         f"{done.adoption_rows:,} adoption rows, {done.import_rows:,} import rows")  # fmt: skip
    return EXIT_OK
