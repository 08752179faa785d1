"""`depreport merge`: the report of a sharded scan, from the partials of every shard."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, cast

from depreport.cli.output import add_store_options, note, note_already_stored, write_text
from depreport.errors import EXIT_OK, UsageError
from depreport.history.publish import publish, published_before
from depreport.report.render import TABLE_FORMATS, render_scan
from depreport.scan.partial import partial_problem
from depreport.scan.shard import merge_partials
from depreport.scan.walk import read_named
from depreport.store import open_store

EXAMPLE = """\
example (four shards, then one merge that publishes):
  depreport scan . --shard 1/4 --out part-1.json      # ... and 2/4, 3/4, 4/4, in parallel jobs
  depreport merge part-*.json --out report.json --publish s3://acme-depreport/reports
"""
_FIX = "give the files scan --shard wrote"


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser(
        "merge", help="combine the partials of scan --shard into one report", epilog=EXAMPLE
    )
    parser.add_argument("parts", nargs="+", type=Path, help="partial reports, one per shard")
    formats = ("json", *(f for f in TABLE_FORMATS if f != "json"))  # json first: the default
    parser.add_argument("--format", choices=formats, default="json", help="json: the full report (default)")
    parser.add_argument("--out", "-o", default="-", help="output file, '-' for stdout (default)")
    parser.add_argument("--publish", metavar="STORE", help="also store the merged report")
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Merge, write, publish."""
    merged = merge_partials([_read_partial(path) for path in args.parts])
    report = merged.report
    text = merged.report_json() if args.format == "json" else render_scan(report, args.format)
    write_text(args.out, text)
    if args.publish:
        store = open_store(args.publish, args.endpoint_url)
        earlier = published_before(store, report)
        if earlier is not None:  # the same partials merged again (a retried job)
            note_already_stored(earlier, args.publish)
            return EXIT_OK
        ref = publish(store, report, report_json=merged.report_json())
        note(f"published {ref.repo} to {args.publish}: {ref.report_key}")
    return EXIT_OK


def _read_partial(path: Path) -> dict[str, Any]:
    """A partial report from its file, checked: a UsageError naming the file and field when it is not one."""
    try:
        document = json.loads(read_named(path).decode("utf-8"))
    except RecursionError as error:
        raise UsageError(f"not a partial report: {path}: nested too deeply to read", _FIX) from error
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read partial {path}: {error}", _FIX) from error
    problem = partial_problem(document)
    if problem is not None:
        raise UsageError(f"not a partial report: {path}: {problem}", _FIX)
    return cast(dict[str, Any], document)
