"""`depreport backfill`: one report per week from git history, published or written to a folder."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from depreport.cli.findings import (
    ProblemWeeks,
    describe_config,
    describe_not_read,
    describe_source_folders,
    describe_unused_excludes,
)
from depreport.cli.output import (
    add_jobs_option,
    add_store_options,
    note,
    repo_to_store,
    store_uri,
    usable_cache,
    write_into,
    write_text,
)
from depreport.cli.progressbar import add_progress_option, progress_display
from depreport.cli.scan import DEFAULT_CACHE, DETECTED_REPO, add_run_options, run_info
from depreport.config import load_config
from depreport.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from depreport.history.arrayjob import SHARDS_ENV, resolve_shard
from depreport.history.backfill import WeekReport, backfill, file_week
from depreport.history.fleet import Job, Source, backfill_all, in_shard, read_sources
from depreport.history.plan import QuietWeeks, Span, Week, branch_of, plan_span, weeks_in_store
from depreport.history.publish import StoringAhead
from depreport.history.weeks import STALE_WEEKS
from depreport.report.render.tables import Table, render_table
from depreport.report.render.words import plural
from depreport.report.shape import Report
from depreport.runinfo import iso
from depreport.scan.assembly import ScanOptions
from depreport.scan.walk import read_named
from depreport.store import open_store

DEFAULT_WEEKS = 26
EXAMPLE = """\
examples:
  depreport backfill . --weeks 52 --publish .depreport/store
  depreport backfill . --since 2025-01-01 --until 2025-06-30 --ref main --publish s3://bucket/reports
  depreport backfill --repos repos.txt --shard 3/8 --weeks 52 --publish s3://bucket/reports
"""


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser(
        "backfill", help="build one report per ISO week from git history (no checkout)", epilog=EXAMPLE
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="git repository (default: .)")
    parser.add_argument(
        "--weeks", type=int, help=f"how many ISO weeks (default {DEFAULT_WEEKS}; with --since: from it)"
    )
    parser.add_argument("--since", metavar="DATE", help="first week: the one holding DATE (YYYY-MM-DD, UTC)")
    parser.add_argument("--until", metavar="DATE", help="last day: commits after DATE are left out")
    parser.add_argument(
        "--ref", default="HEAD", help="branch, tag or commit to replay (default: the current branch)"
    )
    parser.add_argument("--publish", metavar="STORE", type=store_uri,
                        help="store each week's report: folder or s3://bucket/prefix")  # fmt: skip
    parser.add_argument("--out-dir", type=Path, help="also write each week's report here as JSON")
    parser.add_argument(
        "--config", type=Path, help="config file (default: the repo's depreport.toml or pyproject.toml)"
    )
    add_jobs_option(parser)
    parser.add_argument(
        "--cache-dir", type=Path, help=f"extraction cache (default: {DEFAULT_CACHE} in the repository)"
    )
    parser.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table",
                        help="the weeks done: table (default)")  # fmt: skip
    add_progress_option(parser)
    parser.add_argument(
        "--repos", type=Path, help="a file of clone URLs or paths (one per line): backfill them all"
    )
    parser.add_argument("--workdir", type=Path, default=Path(".depreport/clones"),
                        help="where --repos are cloned (default .depreport/clones)")  # fmt: skip
    parser.add_argument(
        "--shard", metavar="I/N", help="with --repos: backfill only the I-th of N stable shares ('auto': "
        "from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)",
    )  # fmt: skip
    parser.add_argument("--shards", type=int, help=f"with --shard auto: how many shares (${SHARDS_ENV})")
    add_run_options(parser)
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def span_of(args: argparse.Namespace) -> Span:
    """The weeks and ref asked for, checked; a bad date is a usage error naming its flag."""
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    weeks = args.weeks if args.weeks is not None or since else DEFAULT_WEEKS
    return Span(weeks, since, until, args.ref).check()


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(
            f"{flag}: not a date: {text!r}", f"write {flag} YYYY-MM-DD, e.g. 2026-01-05"
        ) from error


def run(args: argparse.Namespace) -> int:
    """Plan the weeks, skip those already stored, scan and publish the rest, print a table."""
    span = span_of(args)
    if args.repos is None and (args.shard is not None or args.shards is not None):
        raise UsageError("--shard splits a list of repositories", "give --repos FILE")
    if args.repos is not None:
        _refuse_single_repository_options(args)
        return _run_fleet(args, span)
    root = args.path
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the path of a git clone")
    info = run_info(args, root)
    if span.ref != "HEAD" and not args.branch:  # the replayed ref's branch, not the checkout's
        info = replace(info, branch=branch_of(root, span.ref))
    store = open_store(args.publish, args.endpoint_url) if args.publish else None
    planned = plan_span(root, span)
    plan = planned.weeks
    for commit in (c for week in plan for c in week.misdated):
        when = iso(commit.time)
        note(f"warning: commit {commit.sha[:12]} {commit.misdated}: given its parent's time, {when}")
    _note_quiet_weeks(plan, planned.quiet)
    repo = repo_to_store(info.repo, bool(args.repo), DETECTED_REPO) if store is not None else ""
    stored = weeks_in_store(store, repo, plan) if store is not None else set()
    todo = [week for week in plan if week.monday not in stored]
    if stored:
        already = f"{len(plan) - len(todo)} of {plural(len(plan), 'week')}"
        note(f"{already} are already in {args.publish}; skipping them")
    options = ScanOptions(root=root, config=load_config(root, args.config), jobs=args.jobs,
                          cache_dir=usable_cache(args.cache_dir or root / DEFAULT_CACHE))  # fmt: skip
    describe_config(options.config)
    if not options.config.groups.groups:
        source = options.config.source
        where = f"no depreport.toml in {root}" if source == "defaults" else f"none in {source}"
        note(f"note: no adoption groups ({where}; every week is read with the working tree's config): "
             "'target share %' stays empty; add [[groups]] or give --config, or group the stored weeks "
             "later with `depreport adoption --config FILE`")  # fmt: skip
    done: list[tuple[list[Any], Callable[[], str]]] = []
    problems, last = ProblemWeeks(), None
    storing = StoringAhead(store) if store is not None else None
    with progress_display(args.progress, "files") as files, storing or contextlib.nullcontext():
        weeks = files.below("weeks")
        weeks.start(len(todo))
        for last in backfill(options, info, todo, files):
            done.append((_row(last.week, last.report), _keep(args, storing, last)))
            problems.add(last.week.monday, last.report["problems"])
            weeks.advance(1)
    rows = [[*row, where()] for row, where in done]  # every week stored by now
    columns = ["week", "commit", "committed_at", "imports", "target share %", "stored as"]
    title = f"backfilled {plural(len(rows), 'week')} of {info.repo}"
    write_text("-", render_table(Table(title, columns, rows), args.format))
    problems.describe(len(rows))
    if last is not None:  # what the latest week's tree held and was not read: as a scan of it says
        describe_not_read(last.not_read)
        describe_source_folders(last.source_folders())
        describe_unused_excludes(last.unused_excludes, source=options.config.source)  # in any week
    return EXIT_OK


def _note_quiet_weeks(plan: list[Week], quiet: QuietWeeks) -> None:
    """Name the weeks of the span without a commit: nothing is scanned for them."""
    if quiet.leading:
        weeks = f"{len(quiet.leading)} weeks have" if len(quiet.leading) > 1 else "week has"
        note(f"the span's first {weeks} no commit ({_mondays(quiet.leading)}): no run is made for "
             f"them and history starts {plan[0].monday}; an earlier --since starts it at a week with a "
             "commit")  # fmt: skip
    total = (plan[-1].monday - plan[0].monday).days // 7 + 1
    if quiet.inner:
        note(f"{len(quiet.inner)} of the {total} weeks have no commit ({_mondays(quiet.inner)}): no run is "
             "made for them; adoption carries the week before them forward")  # fmt: skip
    if quiet.gaps:
        note(f"{len(quiet.gaps)} of the {total} weeks have no commit and come more than {STALE_WEEKS} weeks "
             f"after a week with one ({_mondays(quiet.gaps)}): no run is made for them; adoption leaves "
             "them out as gaps, and the week after a gap shows no change")  # fmt: skip
    if quiet.trailing:
        weeks = f"{len(quiet.trailing)} weeks have" if len(quiet.trailing) > 1 else "week has"
        note(f"the span's last {weeks} no commit ({_mondays(quiet.trailing)}): no run is made for them "
             f"and history ends {plan[-1].monday}")  # fmt: skip


def _mondays(mondays: list[date]) -> str:
    shown = ", ".join(str(monday) for monday in mondays[:_QUIET_SHOWN])
    return shown + (f" and {len(mondays) - _QUIET_SHOWN} more" if len(mondays) > _QUIET_SHOWN else "")


_QUIET_SHOWN = 8


def _keep(args: argparse.Namespace, storing: StoringAhead | None, done: WeekReport) -> Callable[[], str]:
    """Publish a week (stored while the next week is made) and/or write it to --out-dir; where it went."""
    stored = storing.store(file_week(done)) if storing is not None else None
    if args.out_dir is not None:
        written = write_into(args.out_dir, f"{done.week.monday}_{done.week.commit.sha[:12]}.json", done.text)
        return lambda: written
    return lambda: stored.result().report_key if stored is not None else ""


def _row(week: Week, report: Report) -> list[Any]:
    """The table's row of a week but where it went (the week's report is live: read it now)."""
    adoption = report["adoption"]
    share = adoption["target_share"] if adoption is not None else None
    target = round(100 * share["imports"], 1) if share else None
    totals = report["totals"]
    return [str(week.monday), week.commit.sha[:12], report["committed_at"], totals["imports"], target]


def _refuse_single_repository_options(args: argparse.Namespace) -> None:
    """What describes one repository means nothing for a list of them: said, not silently passed over."""
    given = [
        flag for flag in ("config", "out_dir", "repo", "commit", "branch") if getattr(args, flag) is not None
    ]
    flags = [f"--{flag.replace('_', '-')}" for flag in given] + (
        [str(args.path)] if args.path != Path(".") else []
    )
    if flags:
        raise UsageError(
            f"{', '.join(flags)} cannot be given with --repos: each repository of the list is backfilled "
            "from its own clone, with its own depreport.toml, under the name the list gives it",
            "leave them out (the list gives names: URL name=org/name), or backfill that repository alone",
        )


def _run_fleet(args: argparse.Namespace, span: Span) -> int:
    """Backfill every repository of a list into one store, several at a time."""
    if not args.publish:
        raise UsageError("--repos needs --publish STORE", "the store is where the repositories' weeks meet")
    try:
        sources = read_sources(read_named(args.repos).decode("utf-8-sig"))  # a BOM (Notepad) is no location
    except OSError as error:
        raise UsageError(
            f"cannot read {args.repos}: {error.strerror}", "give a file of clone URLs or paths"
        ) from error
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{args.repos} is not UTF-8 text (byte {error.start}: {error.reason})",
            "save the list as UTF-8: one clone URL or folder per line",
        ) from error
    if args.shard is not None:
        sources = _my_share(args, sources)
    try:  # else every repository would fail on its own, each with an internal error
        if args.workdir.exists() and not args.workdir.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder")
        args.workdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"--workdir {args.workdir}: {error.strerror}", "give --workdir a folder (it is made when missing)"
        ) from error
    cache = args.cache_dir or DEFAULT_CACHE  # beside --workdir's clones, one cache folder per repository
    if cache.exists() and not cache.is_dir():  # each repository would go on without one, unsaid
        raise UsageError(f"--cache-dir {cache} is not a folder", "give a folder (it is made when missing)")
    jobs = [Job(s, args.workdir, args.publish, args.endpoint_url, span, cache) for s in sources]
    rows = []
    for outcome in backfill_all(jobs, args.jobs):
        status = outcome.error.splitlines()[0] if outcome.error else "ok"  # the whole error: on stderr
        rows.append([outcome.name, outcome.published, outcome.skipped, status])
        note(f"{outcome.name}: " + (outcome.error or f"{plural(outcome.published, 'week')} published"))
        if outcome.hint:
            print(f"  hint: {outcome.hint}", file=sys.stderr)
        describe_not_read(outcome.not_read, where=f"{outcome.name}: ")
        describe_unused_excludes(
            outcome.unused_excludes, source="its configuration", where=f"{outcome.name}: "
        )
    title = f"backfilled {plural(len(rows), 'repository', 'repositories')}"
    table = Table(title, ["repo", "published", "already stored", "status"], rows)
    write_text("-", render_table(table, args.format))
    return EXIT_FINDINGS if any(row[3] != "ok" for row in rows) else EXIT_OK


def _my_share(args: argparse.Namespace, sources: list[Source]) -> list[Source]:
    number, count = resolve_shard(args.shard, args.shards, os.environ)
    mine = in_shard(sources, number, count)
    note(f"shard {number}/{count}: {len(mine)} of {plural(len(sources), 'repository', 'repositories')}")
    if not mine:
        note(f"shard {number}/{count} has nothing to do: fewer repositories than shards leave some empty")
    return mine
