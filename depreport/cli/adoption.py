"""`depreport adoption`: where adoption stands, and how it moved week over week."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depreport.adoption import METRICS
from depreport.cli.output import read_report, write_text
from depreport.cli.scan import add_store_options
from depreport.errors import EXIT_OK, UsageError
from depreport.render.tables import Table, render_table
from depreport.store import Store, open_store, validate_repo, weekly

if TYPE_CHECKING:  # pandas loads in a third of a second: only this command pays for it
    import pandas as pd


def add_parser(commands: Any) -> None:
    """Register the command."""
    parser = commands.add_parser("adoption", help="adoption per group now, and week over week")
    parser.add_argument("--report", type=Path, help="a report written by scan --format json")
    parser.add_argument("--repo", help="a repo of the store (default: every repo, summed)")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of history to show (default 12)")
    parser.add_argument("--metric", choices=METRICS, default="imports", help="what shares are counted in")
    parser.add_argument("--format", choices=("table", "markdown", "json", "csv"), default="table")
    parser.add_argument("--store", help="folder or s3://bucket/prefix holding published reports")
    add_store_options(parser, required=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print adoption from one report, or from a store's history."""
    if (args.report is None) == (args.store is None):
        raise UsageError(
            "adoption needs --report FILE or --store URI", "e.g. --store .depreport/store --repo org/app"
        )
    if args.report is not None:
        tables = [_report_table(read_report(args.report), args.metric)]
    else:
        frame = _history(open_store(args.store, args.endpoint_url), args.repo, args.weeks)
        tables = _history_tables(frame, args.metric, args.repo, args.weeks)
    write_text("-", _render(tables, args.format))
    return EXIT_OK


def _report_table(report: dict[str, Any], metric: str) -> Table:
    from depreport.history import group_order

    adoption = report.get("adoption")
    if not adoption:
        raise UsageError(
            "the report has no adoption groups", "configure [[groups]] in depreport.toml, then scan"
        )
    order = group_order(report)
    ranked = sorted(
        adoption["groups"].items(), key=lambda item: (not item[1]["target"], order.get(item[0], 0))
    )
    rows = [
        [name, *(group[m] for m in METRICS), round(100 * group["share"][metric], 1), group["target"]]
        for name, group in ranked
    ]
    share = 100 * adoption["target_share"][metric]
    title = f"{adoption['target']}: {share:.1f}% of {metric} in {report.get('repo') or 'this repo'}"
    return Table(title, ["group", *METRICS, f"share of {metric} %", "target"], rows)


def _history(store: Store, repo: str | None, weeks: int) -> pd.DataFrame:
    from depreport.history import adoption_frame

    repos = [validate_repo(repo)] if repo else store.list_repos()
    summaries = [store.get_summary(run) for name in repos for run in weekly(store.list_runs(name), weeks)]
    frame = adoption_frame(summaries)
    if frame.empty:
        what = f"{repo}" if repo else "any repo"
        hint = "publish some: depreport scan PATH --publish STORE, or depreport backfill PATH --publish STORE"
        raise UsageError(f"{store.uri} has no reports with adoption groups for {what}", hint)
    return frame


def _history_tables(frame: pd.DataFrame, metric: str, repo: str | None, weeks: int) -> list[Table]:
    import pandas as pd

    from depreport.history import carry_forward, per_repo_latest, target_group, week_over_week

    if repo is None:  # a repo that did not publish in a week counts with its last run before it
        frame = carry_forward(frame)
    changes = week_over_week(frame, metric, repo)
    last_week = changes["week"].max()
    changes = changes[changes["week"] > last_week - pd.Timedelta(weeks=weeks)]  # the store's newest weeks
    now = changes[changes["week"] == last_week]
    target = target_group(frame)
    headline = now[now["group"] == target].iloc[0] if target in set(now["group"]) else None
    scope = repo or f"{frame['repo'].nunique()} repos"
    title = f"{target}: {headline['share']:.1f}% of {metric} in {scope}" if headline is not None else scope
    if headline is not None and pd.notna(headline["change"]):
        title += f" ({headline['change']:+.1f} pts since last week)"
    rows = [
        [g, s, None if pd.isna(c) else c]
        for g, s, c in now[["group", "share", "change"]].itertuples(index=False)
    ]
    tables = [Table(title, ["group", f"share of {metric} %", "change (pts)"], rows)]
    wide = changes.pivot(index="week", columns="group", values="share")[list(now["group"])]
    weekly_rows = [
        [str(week.date()), *values] for week, values in zip(wide.index, wide.to_numpy().tolist(), strict=True)
    ]
    tables.append(Table(f"week over week (share of {metric} %)", ["week", *wide.columns], weekly_rows))
    if repo is None and frame["repo"].nunique() > 1:
        per_repo = (per_repo_latest(frame, metric) * 100).round(1)
        rows = [
            [name, *values] for name, values in zip(per_repo.index, per_repo.to_numpy().tolist(), strict=True)
        ]
        tables.append(Table(f"per repo, latest run (share of {metric} %)", ["repo", *per_repo.columns], rows))
    return tables


def _render(tables: list[Table], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"title": t.title, "rows": [dict(zip(t.columns, r, strict=True)) for r in t.rows]}
                           for t in tables], indent=1) + "\n"  # fmt: skip
    if fmt == "csv":
        return render_table(tables[-2] if len(tables) > 1 else tables[0], "csv")
    return "\n".join(render_table(table, fmt) for table in tables)
