"""Adoption over time: run summaries -> tidy pandas frames, week over week, per repo and org-wide.

Pure functions over summaries (the small documents stored beside each report); no I/O.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from depreport.history.adoption import METRICS, Groups, adoption_of
from depreport.history.weeks import STALE_WEEKS, week_start
from depreport.report.shape import GroupAdoption, Left, Report, RunHead
from depreport.runinfo import run_time

# Counts only some runs have (None in the others): instances of components (runs that stored uses),
# files reaching a group only through local modules and its wrapper modules (runs that stored the graph).
DEPENDENCE = ["instances", "files_indirect", "wrappers", "left_indirect_files"]

COLUMNS = [
    "repo",
    "time",
    "week",
    "commit",
    "group",
    "target",
    "order",
    *METRICS,
    "left_files",
    "grouped_files",
    *DEPENDENCE,
]


def regroup(
    summaries: Iterable[RunHead], groups: Groups, metric: str = "imports"
) -> tuple[list[RunHead], list[str]]:
    """Each summary with its adoption block computed under `groups` (today's configuration).

    A run stored with a `usage` block is regrouped exactly. An older run without one keeps its own block
    when it was made with these very groups; otherwise it is left out, and said so: runs made with
    different group definitions are never mixed. Without groups, every run keeps the block it was made
    with, and runs made with different definitions are named. Runs stored before instances and the local
    import graph were kept are named too (their numbers of them are None, never 0; with
    `metric="instances"` they are left out). Returns the summaries and the notes.
    """
    kept: list[RunHead] = []
    notes, dropped = [], Counter[str]()
    for summary in summaries:
        made_with = made_with_groups(summary)
        usage = summary.get("usage")
        if not groups.groups:
            kept.append(summary)
        elif usage:
            kept.append({**summary, "adoption": adoption_of(usage, groups)})
        elif made_with == groups:
            kept.append(summary)
        else:
            dropped[str(summary.get("repo"))] += 1
    notes += [left_out_note(repo, count) for repo, count in sorted(dropped.items())]
    notes += _without_instances(kept, metric)
    if not groups.groups:
        notes += mixed_groups_notes(kept)
    return kept, notes


def made_with_groups(summary: RunHead) -> Groups:
    """The adoption groups a stored run was made with (none without groups)."""
    options = summary.get("options")
    return Groups.from_json((options.get("adoption") if options else None) or {})


def mixed_groups_notes(summaries: Iterable[RunHead]) -> list[str]:
    """A note when the runs, each counted under the groups it was made with, were made with different
    group definitions (their shares are then summed over groups that do not match); else none."""
    recorded = {json.dumps(made_with_groups(summary).to_json(), sort_keys=True) for summary in summaries}
    if len(recorded) <= 1:
        return []
    return [
        "the stored runs were made with different group definitions; configure [[groups]] in "
        "depreport.toml (or pass --config) to count every run under the same ones"
    ]


def _without_instances(summaries: list[RunHead], metric: str) -> list[str]:
    """Notes naming the runs stored before instances and the local import graph were kept."""
    missing = Counter(str(s.get("repo")) for s in summaries if "uses" not in (s.get("usage") or {}))
    what = (
        "left out of the instance shares"
        if metric == "instances"
        else "their instances, indirect files and wrappers are left blank"
    )
    return [
        f"{repo}: {_runs(count)} stored before depreport counted component instances and local wrappers: "
        f"{what} (backfill into a new store with this version to count them)"
        for repo, count in sorted(missing.items())
    ]


def left_out_note(repo: str, count: int) -> str:
    """What `regroup` says of a repo's runs it left out (made under other groups, with no usage counts)."""
    return (
        f"{repo}: {_runs(count)} stored before runs kept usage counts, under other group definitions: "
        "left out. Rebuild that history with: depreport backfill PATH --publish STORE (into a new store)"
    )


def _runs(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def adoption_frame(summaries: Iterable[RunHead]) -> pd.DataFrame:
    """One row per run and adoption group, with the run's time and ISO week (its Monday)."""
    rows = []
    for summary in summaries:
        adoption = summary.get("adoption")
        if not adoption:
            continue
        time = _run_time(summary)
        order = group_order(summary)
        left: Left = adoption.get("left") or {}
        for group, counts in adoption["groups"].items():
            rows.append(
                [
                    summary.get("repo"),
                    time,
                    _monday(time),
                    summary.get("commit"),
                    group,
                    counts["target"],
                    order.get(group, len(order)),
                    *(counts[m] for m in METRICS),
                    left.get("files"),
                    left.get("grouped_files"),
                    *_dependence(counts, left),
                ]
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["repo", "time", "group"], kind="stable").reset_index(drop=True)


def _dependence(counts: GroupAdoption, left: Left) -> list[Any]:
    """The DEPENDENCE columns of one group in one run (None where the run did not count them)."""
    wrappers = counts.get("wrappers")
    return [
        counts.get("instances"),
        counts.get("files_indirect"),
        len(wrappers) if wrappers is not None else None,
        left.get("indirect_files"),
    ]


def last_of_each_week(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep, per repo, only the rows of the last run of each ISO week."""
    if frame.empty:
        return frame
    last = frame.groupby(["repo", "week"])["time"].transform("max")
    return frame[frame["time"] == last].reset_index(drop=True)


def carry_forward(frame: pd.DataFrame, stale_weeks: int = STALE_WEEKS) -> pd.DataFrame:
    """The last run of each ISO week per repo, with a repo's latest run standing in for weeks without one.

    Every repo then appears in every week from its first run to the newest week in the store, so an
    org-wide total does not dip in a week when some repo happened not to publish. A stand-in row is
    marked (`carried`); a run stands in for at most `stale_weeks` weeks after its own: older, the repo is
    stale in that week and left out of it.
    """
    weekly = last_of_each_week(frame)
    if weekly.empty:
        return weekly.assign(carried=pd.Series(dtype=bool))
    newest = weekly["week"].max()
    runs = weekly[["repo", "week", "time"]].drop_duplicates(["repo", "week"], keep="last")
    grid = pd.concat(
        [
            pd.DataFrame({"repo": repo, "week": pd.date_range(first, newest, freq="7D")})
            for repo, first in runs.groupby("repo")["week"].min().items()
        ],
        ignore_index=True,
    )
    runs = runs.sort_values("week").rename(columns={"week": "run_week"})
    grid = pd.merge_asof(
        grid.sort_values("week"), runs, left_on="week", right_on="run_week", by="repo", direction="backward"
    )
    grid = grid[grid["week"] - grid["run_week"] <= pd.Timedelta(weeks=stale_weeks)]
    grid = grid.assign(carried=grid["week"] != grid["run_week"]).drop(columns="run_week")
    rows = grid.merge(weekly.drop(columns="week"), on=["repo", "time"])
    rows = rows.drop_duplicates(["repo", "week", "group"], keep="last")
    rows = rows[[*frame.columns, "carried"]].sort_values(["repo", "week", "group"], kind="stable")
    return rows.reset_index(drop=True)


def stale_repos(frame: pd.DataFrame, stale_weeks: int = STALE_WEEKS) -> dict[str, pd.Timestamp]:
    """Repos whose last run is more than `stale_weeks` weeks older than the store's newest week."""
    if frame.empty:
        return {}
    newest = frame["week"].max()
    runs = frame[~frame["carried"]] if "carried" in frame else frame  # a carried row is not a run
    last = runs.groupby("repo")["week"].max()
    return {str(repo): week for repo, week in last.items() if newest - week > pd.Timedelta(weeks=stale_weeks)}


def weekly_shares(frame: pd.DataFrame, metric: str = "imports", repo: str | None = None) -> pd.DataFrame:
    """week x group share of `metric` (0..1), summed over repos (all when repo is None)."""
    weekly = last_of_each_week(frame)
    if repo is not None:
        weekly = weekly[weekly["repo"] == repo]
    counts = weekly.pivot_table(index="week", columns="group", values=metric, aggfunc="sum", fill_value=0)
    totals = counts.sum(axis=1).replace(0, float("nan"))
    shares = counts.div(totals, axis=0).fillna(0.0)
    return shares[_group_order(frame, list(shares.columns))]


def week_over_week(frame: pd.DataFrame, metric: str = "imports", repo: str | None = None) -> pd.DataFrame:
    """Per week and group: share and change since the previous week (in percentage points)."""
    shares = weekly_shares(frame, metric, repo)
    if not shares.empty:  # the change is against the previous ISO week, never an older one after a gap
        every_week = pd.date_range(shares.index.min(), shares.index.max(), freq="7D", name="week")
        shares = shares.reindex(every_week)
    long = shares.reset_index().melt(id_vars="week", var_name="group", value_name="share")
    change = shares.diff().reset_index().melt(id_vars="week", var_name="group", value_name="change")
    merged = long.merge(change, on=["week", "group"], how="left")
    merged["share"] = (merged["share"] * 100).round(1)
    merged["change"] = (merged["change"] * 100).round(1) + 0.0  # no "-0.0"
    return merged.dropna(subset=["share"]).reset_index(drop=True)


def target_group(frame: pd.DataFrame) -> str | None:
    """The name of the target group of the latest run."""
    targets = frame[frame["target"]]
    return None if targets.empty else str(targets.sort_values("time")["group"].iloc[-1])


def per_repo_latest(frame: pd.DataFrame, metric: str = "imports") -> pd.DataFrame:
    """repo x group share of `metric` in each repo's latest run."""
    if frame.empty:
        return pd.DataFrame()
    latest = frame[frame["time"] == frame.groupby("repo")["time"].transform("max")]
    counts = latest.pivot_table(index="repo", columns="group", values=metric, aggfunc="sum", fill_value=0)
    shares = counts.div(counts.sum(axis=1).replace(0, float("nan")), axis=0).fillna(0.0)
    return shares[_group_order(frame, list(shares.columns))]


def group_order(document: Report | RunHead) -> dict[str, int]:
    """Group name -> its place in the configuration recorded in a report or summary."""
    options = document.get("options")
    adoption = (options.get("adoption") if options else None) or {}
    return {group["name"]: index for index, group in enumerate(adoption.get("groups") or [])}


def _group_order(frame: pd.DataFrame, present: list[str]) -> list[str]:
    """Target first, then groups in their configured order (of the latest run that has them)."""
    latest = frame.sort_values("time", kind="stable").drop_duplicates("group", keep="last")
    ranked = latest.sort_values(["target", "order", "group"], ascending=[False, True, True], kind="stable")
    return [g for g in ranked["group"] if g in present]


def _run_time(summary: RunHead) -> pd.Timestamp:
    time = run_time(summary)
    if time is None:
        raise ValueError(f"a summary of {summary.get('repo')} without run_time, generated_at or committed_at")
    return pd.Timestamp(time)


def _monday(time: pd.Timestamp) -> pd.Timestamp:
    day = time.tz_convert("UTC").normalize() if time.tzinfo else time.normalize()
    return day - pd.Timedelta(days=(day.date() - week_start(day.date())).days)
