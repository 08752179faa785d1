"""`depreport publish` and `depreport reports list|latest|show`: put reports in a store, read them back."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from depreport.cli.output import (
    Described,
    add_store_options,
    note,
    note_already_stored,
    read_report,
    repo_name,
    repo_to_store,
    write_text,
)
from depreport.errors import EXIT_OK, UsageError
from depreport.history.publish import publish, published_before
from depreport.report.render import TABLE_FORMATS
from depreport.report.render.safe import plain
from depreport.report.render.tables import Table, render_table
from depreport.report.render.words import plural
from depreport.report.schema import SCHEMA_VERSION
from depreport.report.shape import Summary
from depreport.store import (
    RunNotFound,
    RunRef,
    Skipped,
    Store,
    current_runs,
    latest_readable,
    open_store,
    split,
    stored_report,
    stored_summary,
    validate_repo,
    weekly_readable,
)

ACTIONS = {
    "list": "examples:\n  depreport reports list --store .depreport/store\n"
    "  depreport reports list --store .depreport/store --repo acme/web",
    "latest": "examples:\n  depreport reports latest --store .depreport/store --repo acme/web\n"
    "  depreport reports latest --store .depreport/store --repo acme/web --full",
    "show": "example:\n  depreport reports show 2026-01-05T100000Z_0123456789ab"
    " --store .depreport/store --repo acme/web",
}


def add_parser(commands: Any) -> None:
    """Register `publish` and `reports`."""
    put = commands.add_parser("publish", help="store a report written by scan --format json")
    put.add_argument("report", type=Path, help="report file")
    put.add_argument("--repo", type=repo_name, help="store it under this repo name (default: the report's)")
    put.add_argument("--commit-time", action="store_true", help="date the run by its commit, not its scan")
    add_store_options(put)
    put.set_defaults(handler=run_publish)

    reports = commands.add_parser("reports", help="list and read stored reports")
    actions = Described(reports.add_subparsers(dest="action", required=True, metavar="ACTION"), ACTIONS)
    listing = actions.add_parser("list", help="repos in the store, or the runs of one repo")
    listing.add_argument("--format", choices=TABLE_FORMATS, default="table", help="table (default)")
    latest = actions.add_parser("latest", help="the latest run of a repo: a readable summary, or JSON")
    show = actions.add_parser("show", help="one run of a repo, by its name in `reports list`")
    show.add_argument("run", help="run name, e.g. 2026-01-05T100000Z_0123456789ab")
    for parser in (listing, latest, show):
        parser.add_argument(
            "--repo", type=repo_name, required=parser is not listing, help="repository name, org/name"
        )
        add_store_options(parser)
        parser.set_defaults(handler=run_reports)
    for parser in (latest, show):
        parser.add_argument("--full", action="store_true", help="the full report as JSON, not the summary")
        parser.add_argument(
            "--format", choices=("text", "json"), help="text: a readable summary (default; json with --full)"
        )


def run_publish(args: argparse.Namespace) -> int:
    """Store a report file."""
    report = read_report(args.report)
    if args.repo:
        report["repo"] = args.repo
    if not report.get("repo"):
        raise UsageError("the report names no repo", "give --repo org/name")
    repo_to_store(report.get("repo"), bool(args.repo), "the report")
    store = open_store(args.store, args.endpoint_url)
    earlier = published_before(store, report, use_commit_time=args.commit_time)
    if earlier is not None:
        note_already_stored(earlier, args.store)
        return EXIT_OK
    ref = publish(store, report, use_commit_time=args.commit_time)
    note(f"published {ref.repo} to {args.store}: {ref.report_key}")
    return EXIT_OK


def run_reports(args: argparse.Namespace) -> int:
    """List repos or runs, or print one run (`latest`: the newest that reads)."""
    store = open_store(args.store, args.endpoint_url)
    if args.action == "list":
        table = _runs(store, args.repo) if args.repo else _repos(store)
        write_text("-", render_table(table, args.format))
        return EXIT_OK
    repo = validate_repo(args.repo)
    if args.full and args.format == "text":  # the readable lines are the same for a summary and a report
        raise UsageError(
            "--full (the whole report, as JSON) and --format text (a readable summary) do not go together",
            "drop one",
        )
    document: Mapping[str, Any]
    if args.action == "latest":
        found, skipped = latest_readable(store, repo, stored_report if args.full else stored_summary)
        note_skipped(skipped)
        if found is None:
            raise RunNotFound(f"{store.uri} has no readable run of {repo}", "see `depreport reports list`")
        document = found[1]
    else:  # the run asked for, as stored: a damaged one is an error that names it
        ref = _find(store, repo, args.run)
        document = store.get_report(ref) if args.full else store.get_summary(ref)
        version = document.get("schema_version")
        if type(version) is int and version > SCHEMA_VERSION:  # `latest` passes over such runs
            note(f"{ref.stem} is of schema version {version}, and this depreport reads versions 1 to "
                 f"{SCHEMA_VERSION}: shown as stored, unchecked; upgrade depreport to read it")  # fmt: skip
    if args.format == "json" or args.full:
        write_text("-", json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    else:
        write_text("-", run_text(document))
    return EXIT_OK


def run_text(document: Mapping[str, Any], top: int = 10) -> str:
    """A stored run (summary or full report) in readable lines: what, totals, adoption, top packages.

    Read as any JSON: `reports show` prints a run as stored, before (or without) the shape checks."""
    totals, adoption = document.get("totals") or {}, document.get("adoption") or {}
    problems = document.get("problems")
    problems = len(problems) if isinstance(problems, list) else int(problems or 0)
    when = document.get("committed_at") or document.get("generated_at") or "?"
    lines = [
        f"{document.get('repo')} at {str(document.get('commit') or '?')[:12]} "
        f"({document.get('branch') or 'no branch'}), committed {when}, "
        f"depreport {document.get('tool_version')}",
        f"files: {totals.get('files_seen', 0):,} seen, {totals.get('files_parsed', 0):,} parsed, "
        f"{totals.get('files_skipped', 0):,} skipped, {plural(problems, 'problem')}",
        f"imports: {totals.get('imports', 0):,} of {plural(totals.get('packages', 0), 'package')}",
    ]
    groups = adoption.get("groups") or {}
    if groups:
        width = max(len("adoption"), *map(len, groups))
        lines += ["", f"  {'adoption':<{width}}   share  imports   files  components"]
        for name, group in sorted(
            groups.items(), key=lambda item: (not item[1]["target"], -item[1]["imports"])
        ):
            mark = "  <- target" if group["target"] else ""
            lines.append(f"  {name:<{width}}  {100 * group['share']['imports']:5.1f}%  {group['imports']:>7,}"
                         f"  {group['files']:>6,}  {group['components']:>10,}{mark}")  # fmt: skip
        left = adoption.get("left")
        if left:
            lines.append(f"  left: {left['imports']:,} imports of other groups in {left['files']:,} of "
                         f"{left['grouped_files']:,} files")  # fmt: skip
    packages = document.get("packages") or {}
    ranked = sorted(packages.items(), key=lambda item: (-item[1]["imports"], item[0]))[:top]
    if ranked:
        lines += [
            "",
            f"most imported packages (top {len(ranked)} of {totals.get('packages', len(packages)):,}):",
        ]
        width = max(len(name) for name, _ in ranked)
        lines += [
            f"  {name:<{width}}  {p['imports']:>7,} imports  {_count(p['files']):>6,} files"
            for name, p in ranked
        ]
    lines += ["", "the whole run as JSON: add --format json (or --full: the full report)"]
    return "\n".join(plain(line) for line in lines) + "\n"


def _count(files: Any) -> int:
    return len(files) if isinstance(files, dict | list) else int(files or 0)


def weekly_summaries(store: Store, repos: list[str], weeks: int | None) -> list[Summary]:
    """The last readable summary of each ISO week of each repo; runs passed over are noted on stderr."""
    found, skipped = split(
        item for repo in repos for item in weekly_readable(store, repo, stored_summary, weeks)
    )
    note_skipped(skipped)
    return [summary for _ref, summary in found]


def note_skipped(skipped: list[Skipped]) -> None:
    """One warning line per stored run a reader passed over."""
    for item in skipped:
        note(f"warning: {item}")


def _repos(store: Store) -> Table:
    rows, skipped = [], []
    for repo in store.list_repos():
        runs, future = current_runs(store, repo)
        skipped += future
        rows.append([repo, len(runs), runs[-1].time.isoformat() if runs else ""])
    note_skipped(skipped)
    if not rows:
        note(f"{store.uri} holds no reports yet: run `depreport scan PATH --publish {store.uri}`")
    return Table(f"repos in {store.uri}", ["repo", "runs", "latest"], rows)


def _runs(store: Store, repo: str) -> Table:
    runs, future = current_runs(store, validate_repo(repo))
    note_skipped(future)
    if not runs:
        note(f"no runs of {repo} in {store.uri}")
    rows: list[list[Any]] = [[run.stem, run.time.isoformat(), run.commit] for run in runs]
    return Table(f"runs of {repo} in {store.uri}", ["run", "time", "commit"], rows)


def _find(store: Store, repo: str, name: str) -> RunRef:
    for run in store.list_runs(repo):
        if run.stem == name:
            return run
    raise RunNotFound(
        f"{store.uri} has no run {name!r} of {repo}", "see `depreport reports list --repo REPO`"
    )
