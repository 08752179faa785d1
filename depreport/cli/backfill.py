"""`depreport backfill`: one report per week from git history, published or written to a folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from depreport.backfill import Week, backfill, plan_weeks, publish_week, weeks_in_store
from depreport.cli.output import note, write_text
from depreport.cli.scan import DEFAULT_CACHE, add_run_options, add_store_options, run_info
from depreport.config import load_config
from depreport.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from depreport.fleet import Job, backfill_all, read_sources
from depreport.pipeline import ScanOptions
from depreport.render.tables import Table, render_table
from depreport.runner import default_jobs
from depreport.store import open_store, validate_repo


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("backfill", help="build one report per week from git history")
    parser.add_argument("path", nargs="?", default=".", type=Path, help="git repository (default: .)")
    parser.add_argument("--weeks", type=int, default=26, help="how many ISO weeks back (default 26)")
    parser.add_argument(
        "--publish", metavar="STORE", help="store each week's report: folder or s3://bucket/prefix"
    )
    parser.add_argument("--out-dir", type=Path, help="also write each week's report here as JSON")
    parser.add_argument("--config", type=Path, help="config file (default: the repo's depreport.toml)")
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs(), help="worker processes")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="extraction cache")
    parser.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    parser.add_argument(
        "--repos", type=Path, help="a file of clone URLs or paths (one per line): backfill them all"
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(".depreport/clones"), help="where --repos are cloned"
    )
    add_run_options(parser)
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan the weeks, skip those already stored, scan and publish the rest, print a table."""
    if args.repos is not None:
        return _run_fleet(args)
    root = args.path
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the path of a git clone")
    info = run_info(args, root)
    store = open_store(args.publish, args.endpoint_url) if args.publish else None
    plan = plan_weeks(root, args.weeks)
    stored = weeks_in_store(store, validate_repo(info.repo)) if store is not None else set()
    todo = [week for week in plan if week.monday not in stored]
    if stored:
        note(f"{len(plan) - len(todo)} of {len(plan)} weeks are already in {args.publish}; skipping them")
    options = ScanOptions(root=root, config=load_config(root, args.config), jobs=max(1, args.jobs),
                          cache_dir=args.cache_dir)  # fmt: skip
    rows = []
    for done in backfill(options, info, todo):
        where = ""  # where the report went
        if store is not None:
            where = publish_week(store, done).report_key
        if args.out_dir is not None:
            where = str(args.out_dir / f"{done.week.monday}_{done.week.commit.sha[:12]}.json")
            write_text(where, done.text)
        rows.append(_row(done.week, done.report, where))
    columns = ["week", "commit", "committed_at", "imports", "target share %", "stored as"]
    write_text(
        "-", render_table(Table(f"backfilled {len(rows)} week(s) of {info.repo}", columns, rows), args.format)
    )
    return EXIT_OK


def _row(week: Week, report: dict[str, Any], where: str) -> list[Any]:
    share = (report["adoption"] or {}).get("target_share") or {}
    target = round(100 * share["imports"], 1) if share else None
    totals = report["totals"]
    return [str(week.monday), week.commit.sha[:12], report["committed_at"], totals["imports"], target, where]


def _run_fleet(args: argparse.Namespace) -> int:
    """Backfill every repository of a list into one store, several at a time."""
    if not args.publish:
        raise UsageError("--repos needs --publish STORE", "the store is where the repositories' weeks meet")
    try:
        sources = read_sources(args.repos.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(
            f"cannot read {args.repos}: {error.strerror}", "give a file of clone URLs or paths"
        ) from error
    jobs = [
        Job(s, args.workdir, args.publish, args.endpoint_url, args.weeks, args.cache_dir) for s in sources
    ]
    rows = []
    for outcome in backfill_all(jobs, max(1, args.jobs)):
        rows.append([outcome.name, outcome.published, outcome.skipped, outcome.error or "ok"])
        note(f"{outcome.name}: " + (outcome.error or f"{outcome.published} weeks published"))
    table = Table(
        f"backfilled {len(rows)} repositories", ["repo", "published", "already stored", "status"], rows
    )
    write_text("-", render_table(table, args.format))
    return EXIT_FINDINGS if any(row[3] != "ok" for row in rows) else EXIT_OK
