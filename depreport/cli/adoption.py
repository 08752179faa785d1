"""`depreport adoption`: where adoption stands, what is left, and how it moved week over week.

Groups come from today's configuration (depreport.toml in the current folder, or --config) and are
applied to every stored run at read time, so editing the groups re-groups all history at once; without
configured groups each run is shown under the groups it was made with.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depreport.adoption import METRICS, Groups, adoption_of, lasting_warnings
from depreport.cli.output import plural, read_report, write_text
from depreport.cli.reports import weekly_summaries
from depreport.cli.scan import add_store_options
from depreport.config import load_config
from depreport.errors import EXIT_OK, UsageError
from depreport.render.tables import Table, csv_text, render_table
from depreport.store import Store, open_store, validate_repo

if TYPE_CHECKING:  # pandas loads in a third of a second: only this command pays for it
    from depreport.standing import Standing

EXAMPLES = """examples:
  depreport adoption --report report.json
  depreport adoption --store .depreport/store --repo acme/web --weeks 26
  depreport adoption --store s3://bucket/depreport --format csv > adoption.csv"""


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser(
        "adoption",
        help="adoption per group now, what is left, and week over week",
        description="Adoption per group in one report, or in a store's history week over week (one repo "
        "or every repo summed), under the groups of today's configuration.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--report", type=Path, help="a report written by scan --format json")
    parser.add_argument("--repo", help="a repo of the store (default: every repo, summed)")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of history to show (default 12)")
    parser.add_argument("--metric", choices=METRICS, default="imports", help="what shares are counted in")
    parser.add_argument("--format", choices=("table", "markdown", "json", "csv"), default="table")
    parser.add_argument("--store", help="folder or s3://bucket/prefix holding published reports")
    parser.add_argument("--config", type=Path, help="groups from this file (default: ./depreport.toml)")
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print adoption from one report, or from a store's history."""
    if (args.report is None) == (args.store is None):
        raise UsageError(
            "adoption needs --report FILE or --store URI", "e.g. --store .depreport/store --repo org/app"
        )
    if args.weeks < 1:
        raise UsageError(f"--weeks must be at least 1, got {args.weeks}", "e.g. --weeks 12")
    groups = load_config(Path.cwd(), args.config).groups
    if args.report is not None:
        table, warnings = _report_table(read_report(args.report), groups, args.metric)
        _warn(warnings)
        write_text("-", render_table(table, args.format) if args.format != "json" else _json(table))
        return EXIT_OK
    result = _history(open_store(args.store, args.endpoint_url), args.repo, args.weeks, args.metric, groups)
    _warn(result.notes)
    write_text("-", render_standing(result, args.format))
    return EXIT_OK


def _warn(notes: list[str]) -> None:
    for note in notes:
        print(f"depreport: note: {note}", file=sys.stderr)


def _report_table(report: dict[str, Any], groups: Groups, metric: str) -> tuple[Table, list[str]]:
    from depreport.history import group_order

    adoption = adoption_of(report.get("usage"), groups) if groups.groups else report.get("adoption")
    if groups.groups and adoption is None:
        adoption = report.get("adoption")  # a report made before usage counts: its own groups
    if not adoption:
        raise UsageError(
            "the report has no adoption groups", "configure [[groups]] in depreport.toml, then scan"
        )
    order = {g.name: i for i, g in enumerate(groups.groups)} or group_order(report)
    ranked = sorted(
        adoption["groups"].items(), key=lambda item: (not item[1]["target"], order.get(item[0], 0))
    )
    rows = [
        [name, *(group[m] for m in METRICS), round(100 * group["share"][metric], 1), group["target"]]
        for name, group in ranked
    ]
    title = f"{report.get('repo') or 'this repo'}"
    if adoption.get("target_share"):
        share = 100 * adoption["target_share"][metric]
        title = f"{adoption['target']}: {share:.1f}% of {metric} in {title}"
    left = adoption.get("left")
    if left:
        title += f"; left: {_left_text(left)}"
    columns = ["group", *METRICS, f"share_of_{metric}_pct", "target"]
    return Table(title, columns, rows), list(adoption.get("warnings") or ())


def _left_text(left: dict[str, int]) -> str:
    return (
        f"{left['imports']:,} imports and {left['components']:,} components of other groups "
        f"in {left['files']:,} of {left['grouped_files']:,} files"
    )


def _history(store: Store, repo: str | None, weeks: int, metric: str, groups: Groups) -> Standing:
    from depreport.history import adoption_frame, carry_forward, regroup
    from depreport.standing import standing

    repos = [validate_repo(repo)] if repo else store.list_repos()
    # A stale repo's last run may be older than the shown weeks: read a few more to find it.
    summaries = weekly_summaries(store, repos, weeks + 8)  # damaged runs: skipped with a warning
    summaries, notes = regroup(summaries, groups)
    frame = adoption_frame(summaries)
    if frame.empty:
        what = f"{repo}" if repo else "any repo"
        hint = "publish some: depreport scan PATH --publish STORE, or depreport backfill PATH --publish STORE"
        _warn(notes)
        raise UsageError(f"{store.uri} has no reports with adoption groups for {what}", hint)
    newest = frame[frame["time"] == frame["time"].max()].iloc[0]
    runs = [s for s in summaries if s.get("repo") == newest["repo"]]  # oldest first
    warnings = lasting_warnings([s["adoption"] for s in runs if s.get("adoption")])
    scope = repo or plural(int(frame["repo"].nunique()), "repo")
    return standing(carry_forward(frame), metric, weeks, scope, [*notes, *warnings])


def render_standing(result: Standing, fmt: str) -> str:
    """The standing in one output format; every format carries every table."""
    if fmt == "json":
        return json.dumps(result.to_json(), indent=1) + "\n"
    if fmt == "csv":
        return _csv(result)
    return "\n".join(render_table(table, fmt) for table in _tables(result))


def _tables(result: Standing) -> list[Table]:
    metric, head, latest = result.metric, result.headline, result.latest
    title = result.scope
    if head is not None:
        title = f"{head.group}: {head.share:.1f}% of {metric} in {result.scope}"
        if head.change is not None:
            title += f" ({head.change:+.1f} pts since last week)"
    title += f", week of {latest.week}"
    rows = [[g.group, g.share, g.change, g.imports, g.files, g.components] for g in latest.groups]
    tables = [Table(title, ["group", f"share of {metric} %", "change (pts)", *METRICS], rows)]
    if head is not None:
        left = Table(
            f"left to migrate: {_left_text(result.left)}", list(result.left), [list(result.left.values())]
        )
        tables.append(left)
    names = [g.group for g in latest.groups]
    weekly_rows = []
    for week in result.weeks:
        shares = {g.group: g.share for g in week.groups}
        weekly_rows.append([str(week.week), *(shares.get(n) for n in names), ", ".join(week.carried) or None])
    tables.append(
        Table(f"week over week (share of {metric} %)", ["week", *names, "carried forward"], weekly_rows)
    )
    if result.repos:
        rows = [
            [r.repo, *(r.shares.get(n) for n in names), str(r.last_week), _repo_status(r.carried, r.stale)]
            for r in result.repos
        ]
        tables.append(
            Table(f"per repo, latest run (share of {metric} %)", ["repo", *names, "last run", "status"], rows)
        )
    return tables


def _repo_status(carried: bool, stale: bool) -> str:
    return "stale: left out" if stale else "carried forward" if carried else "current"


def _csv(result: Standing) -> str:
    """One row per week and group, plus one per repo and group of the newest week."""
    columns = ["table", "week", "repo", "group", "target", "share", "change", *METRICS]
    columns += ["carried_forward", "stale"]
    rows: list[list[Any]] = []
    for week in result.weeks:
        for g in week.groups:
            rows.append(["weekly", week.week, result.scope, g.group, g.target, g.share, g.change,
                         g.imports, g.files, g.components, ";".join(week.carried), False])  # fmt: skip
    for repo in result.repos:
        for group, share in repo.shares.items():
            target = group == result.target
            rows.append(["per_repo", repo.last_week, repo.repo, group, target, share, None,
                         None, None, None, repo.carried, repo.stale])  # fmt: skip
    return csv_text(columns, rows)  # names defused as formulas and kept on one line


def _json(table: Table) -> str:
    return json.dumps({"title": table.title, "groups": table.records()}, indent=1) + "\n"
