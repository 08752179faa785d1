"""`depreport query`: which files use which exports of which packages."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from depreport.cli.output import read_report, write_text
from depreport.errors import EXIT_OK, UsageError
from depreport.query import export_sources, export_usage
from depreport.render import TABLE_FORMATS
from depreport.render.tables import render_table


def add_parser(commands: Any) -> None:
    """Register the command."""
    query = commands.add_parser("query", help="ask a report which files use which exports")
    query.add_argument("--report", type=Path, required=True, help="a report written by scan --format json")
    query.add_argument("--package", metavar="GLOB", help="package ids to look at, e.g. 'evergreen-*'")
    query.add_argument("--export", action="append", default=[], metavar="NAME", help="export names")
    query.add_argument("--format", choices=TABLE_FORMATS, default="table")
    query.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Answer the query from a stored report."""
    report = read_report(args.report)
    if args.package:
        table = export_usage(report, args.package, args.export)
    elif args.export:
        table = export_sources(report, args.export)
    else:
        raise UsageError("query needs --package GLOB, --export NAME, or both", "e.g. --package 'evergreen-*'")
    write_text("-", render_table(table, args.format))
    return EXIT_OK
