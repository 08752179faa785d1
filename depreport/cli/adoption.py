"""`depreport adoption`: where adoption stands, what is left, and how it moved week over week.

Groups come from today's configuration (depreport.toml in the current folder, or --config) and are
applied to every stored run at read time, so editing the groups re-groups all history at once; without
configured groups each run is shown under the groups it was made with.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depreport.cli.output import add_store_options, read_report, repo_name, stored_repo, write_text
from depreport.cli.reports import weekly_summaries
from depreport.config import load_config
from depreport.errors import EXIT_OK, UsageError
from depreport.history.adoption import (
    ALL_METRICS,
    METRICS,
    NO_INSTANCES,
    Groups,
    ShareMetric,
    adoption_of,
    lasting_warnings,
)
from depreport.history.weeks import check_weeks
from depreport.report.render.tables import Table, csv_text, render_table
from depreport.report.render.words import plural
from depreport.report.shape import Adoption, GroupAdoption, Left, Report
from depreport.store import Store, open_store

if TYPE_CHECKING:  # pandas loads in a third of a second: only this command pays for it
    from depreport.history.standing import GroupWeek, Standing

EXAMPLES = """examples:
  depreport adoption --report report.json
  depreport adoption --report report.json --metric instances     # shares of JSX instances
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
    parser.add_argument("--repo", type=repo_name, help="a repo of the store (default: every repo, summed)")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of history to show (default 12)")
    parser.add_argument(
        "--metric",
        choices=ALL_METRICS,
        default="imports",
        help="what shares are counted in (default imports)",
    )
    parser.add_argument(
        "--format", choices=("table", "markdown", "json", "csv"), default="table", help="table (default)"
    )
    parser.add_argument("--store", help="folder or s3://bucket/prefix holding published reports")
    parser.add_argument(
        "--config", type=Path, help="groups from this file (default: ./depreport.toml or ./pyproject.toml)"
    )
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print adoption from one report, or from a store's history."""
    if (args.report is None) == (args.store is None):
        raise UsageError(
            "adoption needs --report FILE or --store URI", "e.g. --store .depreport/store --repo org/app"
        )
    check_weeks(args.weeks, "e.g. --weeks 12")
    groups = load_config(Path.cwd(), args.config).groups
    if args.report is not None:
        tables, warnings = _report_tables(read_report(args.report), groups, args.metric)
        _warn(warnings)
        write_text("-", _render_report(tables, args.format))
        return EXIT_OK
    result = _history(open_store(args.store, args.endpoint_url), args.repo, args.weeks, args.metric, groups)
    _warn(result.notes)
    write_text("-", render_standing(result, args.format))
    return EXIT_OK


def _warn(notes: list[str]) -> None:
    for note in notes:
        print(f"depreport: note: {note}", file=sys.stderr)


# Per group beside the counts: files importing it, files reaching it only through local modules, wrappers.
DEPENDENCE = ["instances", "files_direct", "files_indirect", "wrappers"]


def _report_tables(report: Report, groups: Groups, metric: ShareMetric) -> tuple[list[Table], list[str]]:
    """The groups of one report (counts, direct and indirect files, share) and the wrapper modules."""
    from depreport.history.frames import group_order

    adoption = _report_adoption(report, groups, metric)
    order = {g.name: i for i, g in enumerate(groups.groups)} or group_order(report)
    ranked = sorted(
        adoption["groups"].items(), key=lambda item: (not item[1]["target"], order.get(item[0], 0))
    )
    share = [round(100 * group["share"][metric], 1) for _, group in ranked]
    rows = [
        [name, *(group[m] for m in METRICS), *_dependence(group), pct, group["target"]]
        for (name, group), pct in zip(ranked, share, strict=True)
    ]
    title = f"{report.get('repo') or 'this repo'}"
    target_share = adoption.get("target_share")
    if target_share:
        title = f"{adoption['target']}: {100 * target_share[metric]:.1f}% of {metric} in {title}"
    left = adoption.get("left")
    if left:
        title += f"; left: {_left_text(left)}"
    columns = ["group", *METRICS, *DEPENDENCE, f"share_of_{metric}_pct", "target"]
    tables = [Table(title, columns, rows)]
    wrappers = [
        [w["module"], name, w["importers"]] for name, group in ranked for w in group.get("wrappers") or ()
    ]
    if wrappers:
        about = "local wrappers: modules other files import that render or pass a group's components"
        tables.append(Table(about, ["module", "group", "importers"], wrappers))
    warnings = list(adoption.get("warnings") or ())
    if not all("files_indirect" in group for _, group in ranked):
        warnings.append(
            "this report has no local import graph: no indirect dependence nor wrappers (scan again with "
            "this version)"
        )
    return tables, warnings


def _report_adoption(report: Report, groups: Groups, metric: str) -> Adoption:
    """The report's adoption under today's groups (its own when it has no usage counts)."""
    adoption = adoption_of(report.get("usage"), groups, metric) if groups.groups else report.get("adoption")
    if groups.groups and adoption is None:
        adoption = report.get("adoption")  # a report made before usage counts: its own groups
    if not adoption:
        how = (
            "add [[groups]] to ./depreport.toml or give --config FILE: they apply to this report as it "
            "is read, with no new scan"
            if report.get("usage")
            else "configure [[groups]] in depreport.toml, then scan again (this report has no usage counts)"
        )
        raise UsageError("the report has no adoption groups", how)
    if metric == "instances" and not all("instances" in g["share"] for g in adoption["groups"].values()):
        where = report.get("repo") or "the report"
        raise UsageError(f"{where}: {NO_INSTANCES}", "scan again with this version")
    return adoption


def _dependence(group: GroupAdoption) -> list[Any]:
    """A group's instances, direct and indirect files and wrapper count; None where the run has none."""
    wrappers = group.get("wrappers")
    return [
        group.get("instances"),
        group.get("files_direct"),
        group.get("files_indirect"),
        len(wrappers) if wrappers is not None else None,
    ]


# Wrapper modules listed per group on a terminal or in Markdown, most imported first; JSON has them all.
WRAPPERS_SHOWN = 10


def _render_report(tables: list[Table], fmt: str) -> str:
    """Groups (and wrappers) of one report; CSV is the groups table, whose columns say it all."""
    if fmt == "json":
        return _json(tables[0], tables[1].records() if len(tables) > 1 else [])
    if fmt == "csv":
        return render_table(tables[0], fmt)
    return "\n".join(render_table(table, fmt) for table in [tables[0], *map(_top_wrappers, tables[1:])])


def _top_wrappers(table: Table) -> Table:
    """The wrappers table cut to the most imported `WRAPPERS_SHOWN` of each group, saying what was left."""
    per_group: Counter[str] = Counter()
    shown: list[list[Any]] = []
    for row in table.rows:  # grouped by group, most importers first
        per_group[row[1]] += 1
        if per_group[row[1]] <= WRAPPERS_SHOWN:
            shown.append(row)
    left = len(table.rows) - len(shown)
    if not left:
        return table
    cut = f"the {WRAPPERS_SHOWN} most imported of each group; {left:,} more in --format json"
    return Table(f"{table.title} ({cut})", table.columns, shown)


def _left_text(left: Left) -> str:
    text = (
        f"{left['imports']:,} imports and {left['components']:,} components of other groups "
        f"in {left['files']:,} of {left['grouped_files']:,} files"
    )
    if left.get("indirect_files"):
        text += f", and {left['indirect_files']:,} more files reach them only through local modules"
    return text


def _history(store: Store, repo: str | None, weeks: int, metric: str, groups: Groups) -> Standing:
    from depreport.history.frames import adoption_frame, carry_forward, regroup
    from depreport.history.standing import standing

    repos = [stored_repo(store, repo)] if repo else store.list_repos()
    # A stale repo's last run may be older than the shown weeks: read a few more to find it.
    stored = weekly_summaries(store, repos, weeks + 8)  # damaged runs: skipped with a warning
    summaries, notes = regroup(stored, groups, metric)
    frame = adoption_frame(summaries)
    if metric == "instances":  # runs stored before instances were counted: named in the notes, left out
        frame = frame[frame["instances"].notna()].reset_index(drop=True)
    if frame.empty:
        what = f"{repo}" if repo else "any repo"
        hint = "publish some: depreport scan PATH --publish STORE, or depreport backfill PATH --publish STORE"
        _warn(notes)
        raise UsageError(f"{store.uri} has no reports with adoption groups for {what}", hint)
    newest = frame[frame["time"] == frame["time"].max()].iloc[0]
    runs = [s for s in summaries if s.get("repo") == newest["repo"]]  # oldest first
    warnings = lasting_warnings([adoption for s in runs if (adoption := s.get("adoption"))])
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
    rows = [[g.group, g.share, g.change, *_counts(g)] for g in latest.groups]
    tables = [Table(title, ["group", f"share of {metric} %", "change (pts)", *COUNTS], rows)]
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


# A group's counts in a week; the last four are None for weeks of runs that did not count them.
COUNTS = [*METRICS, "instances", "files_direct", "files_indirect", "wrappers"]


def _counts(g: GroupWeek) -> list[Any]:
    return [g.imports, g.files, g.components, g.instances, g.files, g.files_indirect, g.wrappers]


def _repo_status(carried: bool, stale: bool) -> str:
    return "stale: left out" if stale else "carried forward" if carried else "current"


def _csv(result: Standing) -> str:
    """One row per week and group, plus one per repo and group of the newest week."""
    columns = ["table", "week", "repo", "group", "target", "share", "change", *COUNTS]
    columns += ["carried_forward", "stale"]
    rows: list[list[Any]] = []
    for week in result.weeks:
        for g in week.groups:
            rows.append(["weekly", week.week, result.scope, g.group, g.target, g.share, g.change,
                         *_counts(g), ";".join(week.carried), False])  # fmt: skip
    for repo in result.repos:
        for group, share in repo.shares.items():
            target = group == result.target
            rows.append(["per_repo", repo.last_week, repo.repo, group, target, share, None,
                         *[None] * len(COUNTS), repo.carried, repo.stale])  # fmt: skip
    return csv_text(columns, rows)  # names defused as formulas and kept on one line


def _json(table: Table, wrappers: list[dict[str, Any]] | None = None) -> str:
    """The groups table of one report as JSON (and the wrapper modules, when given)."""
    body: dict[str, Any] = {"title": table.title, "groups": table.records()}
    if wrappers is not None:
        body["wrappers"] = wrappers
    return json.dumps(body, indent=1) + "\n"
