"""`depreport query`: which files use which exports of which packages."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from depreport.cli.output import read_report, write_text
from depreport.errors import EXIT_OK, UsageError
from depreport.report.query import ComponentProps, component_props, export_sources, export_usage, values_text
from depreport.report.render import TABLE_FORMATS
from depreport.report.render.safe import plain
from depreport.report.render.tables import Table, render_table
from depreport.report.render.words import plural
from depreport.report.shape import Report

EXAMPLE = """\
examples:
  depreport scan . --format json --out report.json
  depreport query --report report.json --package 'evergreen-*' --export Button
  depreport query --report report.json --export Button --format csv
  depreport query --report report.json --package evergreen-ui --export Button --props
  depreport query --report report.json --package evergreen-ui --export Modal --member Header --props
"""


def add_parser(commands: Any) -> None:
    """Register the command."""
    query = commands.add_parser("query", help="ask a report which files use which exports", epilog=EXAMPLE)
    query.add_argument("--report", type=Path, required=True, help="a report written by scan --format json")
    query.add_argument("--package", metavar="GLOB", help="package ids to look at, e.g. 'evergreen-*'")
    query.add_argument("--export", action="append", default=[], metavar="NAME", help="export names")
    query.add_argument(
        "--props", action="store_true", help="the props the export's JSX instances pass, with their values"
    )
    query.add_argument("--member", default="", metavar="NAME", help="with --props: a sub-component (Header)")
    query.add_argument(
        "--format", choices=TABLE_FORMATS, default="table", help="table: one file per line (default)"
    )
    query.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Answer the query from a stored report."""
    report = read_report(args.report)
    if args.props or args.member:
        return run_props(args, report)
    if args.package:
        table = export_usage(report, args.package, args.export)
    elif args.export:
        table = export_sources(report, args.export)
    else:
        raise UsageError("query needs --package GLOB, --export NAME, or both", "e.g. --package 'evergreen-*'")
    if args.format == "table":
        width = shutil.get_terminal_size((100, 24)).columns
        write_text("-", files_text(report, table, by_package=bool(args.package), width=width))
    else:
        write_text("-", render_table(table, args.format))
    return EXIT_OK


def files_text(report: Report, table: Table, by_package: bool, width: int = 100) -> str:
    """Each package and export with its counts, then one file per line with its lines.

    A file's lines are cut to fit `width`, ending with "+N more".
    """
    out = [plain(table.title)] if table.title else []
    for row in table.rows:
        package, export = (row[0], row[1]) if by_package else (row[1], row[0])
        files = report["packages"][package]["exports"][export]["files"]
        count = row[2]
        out.append(
            f"{plain(package)} {plain(export)}: {plural(count, 'import')} in {plural(len(files), 'file')}"
        )
        out += [f"  {file_line(path, lines, width - 2)}" for path, lines in files.items()]
    return "\n".join(out) + "\n"


def file_line(path: str, lines: list[int], width: int) -> str:
    """`path:3,10,42`, or as many lines as fit in `width` then `+N more`."""
    head = f"{plain(path)}:"
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = f" +{rest} more" if rest else ""
        if shown and len(head) + len(",".join([*shown, str(line)])) + len(tail) > width:
            return f"{head}{','.join(shown)} +{len(lines) - len(shown)} more"
        shown.append(str(line))
    return head + ",".join(shown)


def run_props(args: argparse.Namespace, report: Report) -> int:
    """`--props`: the props table of each component asked for."""
    if not args.props:
        raise UsageError("--member goes with --props", "e.g. --export Modal --member Header --props")
    if not args.package:
        raise UsageError(
            "--props needs --package and --export", "e.g. --package evergreen-ui --export Button"
        )
    tables = component_props(report, args.package, args.export, args.member)
    if args.format == "json":
        text = json.dumps([table.to_json() for table in tables], indent=2, ensure_ascii=False) + "\n"
    elif args.format == "table":
        width = shutil.get_terminal_size((100, 24)).columns
        text = "\n".join(props_text(table, width) for table in tables)
    else:
        text = render_table(props_table(tables), args.format)
    write_text("-", text)
    return EXIT_OK


def props_text(table: ComponentProps, width: int = 100) -> str:
    """A component's instances, then one prop per line: passed, not set, values (most frequent first)."""
    head = (
        f"{plain(table.package)} {plain(table.name)}: {plural(table.instances, 'instance')} "
        f"in {plural(table.files, 'file')}"
    )
    if table.members:
        head += f"\nmembers: {values_text(table.members, width - 9)}"
    if not table.props:
        return f"{head}\n  no instance passes a prop\n"
    rows = [[prop.name, prop.passed, prop.not_set, ""] for prop in table.props]
    lines = render_table(Table("", ["prop", "passed", "not set", "values"], rows), "table").splitlines()
    for index, prop in enumerate(table.props):
        line = lines[index + 2]
        lines[index + 2] = line + "  " + values_text(prop.values, width - len(line) - 2)
    return "\n".join([head, *lines]) + "\n"


def props_table(tables: list[ComponentProps]) -> Table:
    """One row per component, prop and value (for markdown and csv)."""
    rows = [
        [t.package, t.name, p.name, p.passed, p.not_set, value, count]
        for t in tables
        for p in t.props
        for value, count in p.values.items()
    ]
    return Table("", ["package", "component", "prop", "passed", "not set", "value", "count"], rows)
