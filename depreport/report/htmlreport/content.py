"""What the HTML report shows, computed by the dashboard's own functions so the numbers cannot drift.

`gather` reads the store (as the dashboard does, through `dashboard.source`); `build` is pure: the
headline and groups from `dashboard.data.headline`, the trend and treemap as `dashboard.charts` options,
file lists from `dashboard.usage`, the low-hanging fruit from `dashboard.usage.low_hanging_fruit`, and
what changed in the newest week from `depreport.report.changes` with the dashboard's `usage.group_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

import pandas as pd

from dashboard import charts, components, data, usage
from dashboard.components import TileProps
from dashboard.markup import file_url
from dashboard.source import History, NewestWeek, read_history, read_newest_week
from depreport.history.adoption import Groups
from depreport.report.changes import GroupChanges, by_group, report_changes
from depreport.report.shape import Report
from depreport.store import Store

MAX_FILES = 200  # files listed per tile; the count says how many there are
TABLE_WEEKS = 12  # weeks in the week-over-week table (the chart has them all)
LINE_MARK = 2_147_000_001  # a line number no file reaches: marks where a link's line number goes


class Tile(TypedDict):
    """What a click on one tile lists: its path, how many files and import lines, its first files."""

    path: list[str]
    count: int
    imports: int
    files: list[list[Any]]  # [index into TileFiles.files, lines, components]


class TileFiles(TypedDict, total=False):
    """The files of every tile, each file once: [repo, path, link parts], and the tiles by node id
    (neither without a treemap)."""

    files: list[list[Any]]
    tiles: dict[str, Tile]


@dataclass(frozen=True)
class Options:
    """How the report is made: the metric of the shares, file links, the target share, the title."""

    metric: str = "imports"
    url_template: str | None = None
    target_share: float | None = None
    title: str = "Design-system adoption"


@dataclass(frozen=True)
class Content:
    """Everything the page shows, as plain values (the page only lays them out)."""

    options: Options
    store: str
    generated_at: datetime
    repos: list[str]
    headline: data.Headline
    weekly: pd.DataFrame  # week x group share (percent), the newest TABLE_WEEKS weeks
    per_repo: pd.DataFrame  # repo, then each group's share (0..1) in its latest run
    trend: dict[str, Any] | None  # ECharts option; None without history
    treemap: dict[str, Any] | None  # ECharts option; None when no import belongs to a group
    files: TileFiles  # what a tile lists (see `tile_files`)
    fruit: pd.DataFrame
    changes: list[GroupChanges]
    colours: dict[str, str]
    problems: list[str] = field(default_factory=list)
    by_instances: dict[str, Any] | None = None  # the treemap sized by JSX instances; None without any
    props: dict[str, TileProps] = field(default_factory=dict)  # node id -> a component's props (`tile_props`)
    indirect: list[tuple[str, int, int, int]] = field(default_factory=list)  # `components.indirect_summary`
    history_notes: list[str] = field(default_factory=list)  # `data.history_notes`: gaps, stand-ins, stale
    stale: list[str] = field(default_factory=list)  # repos left out of the usage (`data.stale_left_out`)
    counting_notes: list[str] = field(default_factory=list)  # `History.notes`: groups differing by run


def gather(store: Store, options: Options, now: datetime, groups: Groups | None = None) -> Content:
    """Read the store (weekly summaries, the latest reports and the ones before) and build the content;
    with ``groups`` (today's configuration), every run is counted under them."""
    history = read_history(store, groups=groups)
    newest = read_newest_week(store, history.repos)
    return build(store.uri, history, newest, options, now)


def build(uri: str, history: History, newest: NewestWeek, options: Options, now: datetime) -> Content:
    """The content of the page from what was read (pure)."""
    frame = data.carry_forward(history.frame)
    colours = charts.group_colours(*data.groups_and_target(history.frame))
    stale = data.stale_left_out(history.frame)
    latest = [report for report in newest.latest if str(report.get("repo")) not in stale]
    rows = usage.usage_frame(latest)
    nodes = usage.treemap_nodes(rows)
    treemap = charts.usage_treemap(nodes, colours=colours) if not nodes.empty else None
    counted = usage.treemap_nodes(rows, size="instances")
    by_instances = None if counted.empty else charts.usage_treemap(counted, colours=colours, unit="instances")
    paths = tile_union(treemap, by_instances)
    trend = data.trend(frame, options.metric)
    order = list(dict.fromkeys(trend["group"]))  # target first, then as configured
    return Content(
        options=options, store=uri, generated_at=now, repos=history.repos,
        headline=data.headline(frame, options.metric), weekly=weekly_table(trend),
        per_repo=data.repo_shares(frame, options.metric) if frame["repo"].nunique() > 1 else pd.DataFrame(),
        trend=charts.adoption_trend(trend, options.metric, True, colours, options.target_share)
        if not trend.empty else None,
        treemap=treemap, files=tile_files(rows, paths, options.url_template) if treemap else {},
        by_instances=by_instances, props=tile_props(latest, paths), stale=stale,
        indirect=components.indirect_summary(components.dependence_frame(latest), None),
        fruit=usage.low_hanging_fruit(rows), changes=week_changes(newest, order), colours=colours,
        history_notes=data.history_notes(frame),
        counting_notes=history.notes,
        problems=[*history.problems, *newest.problems],
    )  # fmt: skip


def weekly_table(trend: pd.DataFrame) -> pd.DataFrame:
    """week x group share in percent (one decimal), the newest `TABLE_WEEKS` weeks, newest first."""
    if trend.empty:
        return pd.DataFrame()
    wide = trend.pivot(index="week", columns="group", values="value")[list(dict.fromkeys(trend["group"]))]
    return (wide * 100).round(1).tail(TABLE_WEEKS).iloc[::-1]


def tile_union(*options: dict[str, Any] | None) -> list[tuple[str, ...]]:
    """The paths of every tile of these treemaps (by imports, by instances), each once, root left out."""
    paths = (path for option in options if option for path in charts.tile_paths(option)[1:])
    return list(dict.fromkeys(paths))


def tile_props(reports: list[Report], paths: list[tuple[str, ...]]) -> dict[str, TileProps]:
    """Node id -> a component tile's props over the latest reports: instances, files, and rows [prop,
    passed, not set, values (most frequent first)]."""
    return {usage.node_id(*path): props for path, props in components.props_by_tile(reports, paths).items()}


def tile_files(rows: pd.DataFrame, paths: list[tuple[str, ...]], template: str | None) -> TileFiles:
    """What a click on a tile lists, each file once: ``files`` [repo, path, link parts] and ``tiles``
    id -> path, how many files and import lines are under it, and its first `MAX_FILES` files as
    [index into files, lines, components (above the component level)]."""
    files: dict[tuple[str, str], int] = {}
    table: list[list[Any]] = []
    tiles: dict[str, Tile] = {}
    listings = node_files(rows[rows["group"].isin({path[0] for path in paths})])  # no untiled rows
    for path in paths:
        listing = listings.get(path, _NO_FILES)
        listed = []
        for row in listing.head(MAX_FILES).to_dict("records"):
            repo, file = str(row["repo"]), str(row["file"])
            if (repo, file) not in files:
                files[(repo, file)] = len(table)
                table.append([repo, file, link_parts(template, repo, str(row["commit"]), file)])
            names = [str(name) for name in row["components"]] if len(path) < 3 else []
            listed.append([files[(repo, file)], [int(n) for n in row["lines"]], names])
        count, imports = len(listing), int(listing["imports"].sum())
        tile: Tile = {"path": list(path), "count": count, "imports": imports, "files": listed}
        tiles[usage.node_id(*path)] = tile
    return {"files": table, "tiles": tiles}


_NO_FILES = pd.DataFrame(columns=usage.FILE_COLUMNS)


def node_files(rows: pd.DataFrame) -> dict[tuple[str, ...], pd.DataFrame]:
    """`usage.file_list(usage.files_for(rows, path))` for every group, package and component, one
    grouping per level."""
    ordered = rows.sort_values(["repo", "file", "package", "export"], kind="stable")
    split: dict[tuple[str, ...], pd.DataFrame] = {}
    for keys in (["group"], ["group", "package"], ["group", "package", "export"]):
        listing = usage.file_lists(ordered, keys)
        for key, part in listing.groupby(keys, sort=False):
            split[tuple(str(k) for k in key)] = part[usage.FILE_COLUMNS].reset_index(drop=True)
    return split


def link_parts(template: str | None, repo: str, commit: str, path: str) -> list[str]:
    """A file's link cut where the line number goes: [before, after]; [url] when the template has no
    {line}; [] without a template. The page joins a line in (the link itself is `markup.file_url`'s)."""
    url = file_url(template, repo, commit, path, LINE_MARK)
    if url is None:
        return []
    before, mark, after = url.rpartition(str(LINE_MARK))
    return [before, after] if mark else [url]


def week_changes(newest: NewestWeek, order: list[str]) -> list[GroupChanges]:
    """What changed in each repo from its report before the newest week to its latest, per group."""
    latest = {str(report.get("repo")): report for report in newest.latest}
    changes = [
        change
        for repo, before in newest.before.items()
        if repo in latest
        for change in report_changes(before, latest[repo], usage.group_of(latest[repo]))
    ]
    return by_group(changes, order)
