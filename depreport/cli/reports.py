"""`depreport publish` and `depreport reports list|latest|show`: put reports in a store, read them back."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from depreport.cli.output import note, read_report, write_text
from depreport.cli.scan import add_store_options
from depreport.errors import EXIT_OK, UsageError
from depreport.publish import publish
from depreport.render import TABLE_FORMATS
from depreport.render.tables import Table, render_table
from depreport.store import RunNotFound, RunRef, Store, open_store, validate_repo


def add_parser(commands: Any) -> None:
    """Register `publish` and `reports`."""
    put = commands.add_parser("publish", help="store a report written by scan --format json")
    put.add_argument("report", type=Path, help="report file")
    put.add_argument("--repo", help="store it under this repo name (default: the report's)")
    put.add_argument("--commit-time", action="store_true", help="date the run by its commit, not its scan")
    add_store_options(put)
    put.set_defaults(handler=run_publish)

    reports = commands.add_parser("reports", help="list and read stored reports")
    actions = reports.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="repos in the store, or the runs of one repo")
    listing.add_argument("--format", choices=TABLE_FORMATS, default="table")
    latest = actions.add_parser("latest", help="the latest run of a repo")
    show = actions.add_parser("show", help="one run of a repo, by its name in `reports list`")
    show.add_argument("run", help="run name, e.g. 2026-01-05T100000Z_0123456789ab")
    for parser in (listing, latest, show):
        parser.add_argument("--repo", required=parser is not listing, help="repository name, org/name")
        add_store_options(parser)
        parser.set_defaults(handler=run_reports)
    for parser in (latest, show):
        parser.add_argument("--full", action="store_true", help="the full report, not the summary")


def run_publish(args: argparse.Namespace) -> int:
    """Store a report file."""
    report = read_report(args.report)
    if args.repo:
        report["repo"] = args.repo
    if not report.get("repo"):
        raise UsageError("the report names no repo", "give --repo org/name")
    ref = publish(open_store(args.store, args.endpoint_url), report, use_commit_time=args.commit_time)
    note(f"published {ref.repo} to {args.store}: {ref.report_key}")
    return EXIT_OK


def run_reports(args: argparse.Namespace) -> int:
    """List repos or runs, or print one run."""
    store = open_store(args.store, args.endpoint_url)
    if args.action == "list":
        table = _runs(store, args.repo) if args.repo else _repos(store)
        write_text("-", render_table(table, args.format))
        return EXIT_OK
    ref = _find(store, validate_repo(args.repo), getattr(args, "run", None))
    document = store.get_report(ref) if args.full else store.get_summary(ref)
    write_text("-", json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return EXIT_OK


def _repos(store: Store) -> Table:
    rows = []
    for repo in store.list_repos():
        runs = store.list_runs(repo)
        rows.append([repo, len(runs), runs[-1].time.isoformat() if runs else ""])
    if not rows:
        note(f"{store.uri} holds no reports yet: run `depreport scan PATH --publish {store.uri}`")
    return Table(f"repos in {store.uri}", ["repo", "runs", "latest"], rows)


def _runs(store: Store, repo: str) -> Table:
    runs = store.list_runs(validate_repo(repo))
    if not runs:
        note(f"no runs of {repo} in {store.uri}")
    rows: list[list[Any]] = [[run.stem, run.time.isoformat(), run.commit] for run in runs]
    return Table(f"runs of {repo} in {store.uri}", ["run", "time", "commit"], rows)


def _find(store: Store, repo: str, name: str | None) -> RunRef:
    runs = store.list_runs(repo)
    if name is None and runs:
        return runs[-1]
    for run in runs:
        if run.stem == name:
            return run
    what = f"run {name!r} of {repo}" if name else f"any run of {repo}"
    raise RunNotFound(f"{store.uri} has no {what}", "see `depreport reports list --repo REPO`")
