"""How components are used beyond being imported, for the page: instances, props, indirect dependence.

Pure functions over the latest full reports (no I/O), read through the walkers of `depreport.report.walk`:
JSX instances per package, export and file size the treemap by instances, and a clicked component's props
come from `depreport.report.query.props_of`, merged over repos; a report's adoption block, when the run
stored its local import graph, says per group how many files depend on it only through local wrapper
modules. Reports made before either was counted simply lack them: the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

import pandas as pd

from depreport.report.query import ComponentProps, every_props, merge_props, props_of
from depreport.report.shape import Report
from depreport.report.walk import Components, ComponentsPart, component_uses

DEPENDENCE_COLUMNS = ["repo", "group", "target", "direct", "indirect", "wrappers"]


def has_instances(part: Components | None) -> bool:
    """Does a report (or its `components_part`) count some JSX instance? Reports made before depreport
    counted them have none."""
    return part is not None and next(component_uses(part), None) is not None


def instance_counts(report: Components) -> dict[tuple[str, str, str], int]:
    """(package, export, file) -> lines rendering that component (or one of its members) in the file."""
    counts: dict[tuple[str, str, str], int] = {}
    for use in component_uses(report):
        key = (use.package, use.export, use.file)
        counts[key] = counts.get(key, 0) + len(use.lines)
    return counts


def tile_props(
    parts: Mapping[str, ComponentsPart | None], repos: Iterable[str], package: str, export: str
) -> ComponentProps | None:
    """The props of one component over the repos shown; None when none of them renders it."""
    tables = [
        table
        for repo in repos
        if (part := parts.get(repo)) is not None and (table := props_of(part, package, export)) is not None
    ]
    return merge_props(tables)


def dependence_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """Per repo and group: files importing it directly, files reaching it only through local modules,
    and its wrapper modules; only for reports whose adoption block carries this (`files_indirect`)."""
    rows = []
    for report in reports:
        adoption = report.get("adoption")
        for name, group in (adoption["groups"] if adoption else {}).items():
            if "files_indirect" in group:
                direct = int(group.get("files_direct") or group.get("files") or 0)
                wrappers = len(group.get("wrappers") or ())
                rows.append([str(report.get("repo") or ""), name, bool(group.get("target")), direct,
                             int(group["files_indirect"]), wrappers])  # fmt: skip
    return pd.DataFrame(rows, columns=DEPENDENCE_COLUMNS)


def indirect_summary(
    dependence: pd.DataFrame, repo: str | None, leave_out: Iterable[str] = ()
) -> list[tuple[str, int, int, int]]:
    """(group, direct files, indirect files, wrapper modules) of the groups being replaced that some file
    reaches only through local wrappers, in one repo (None: all but those in ``leave_out``), the most
    indirect first."""
    if dependence.empty:
        return []
    if repo is None:
        rows = dependence[~dependence["repo"].isin(list(leave_out))]
    else:
        rows = dependence[dependence["repo"] == repo]
    rows = rows[~rows["target"]]
    summed = rows.groupby("group", sort=True)[["direct", "indirect", "wrappers"]].sum()
    summed = summed[summed["indirect"] > 0].sort_values("indirect", ascending=False, kind="stable")
    return [(str(g), int(r.direct), int(r.indirect), int(r.wrappers)) for g, r in summed.iterrows()]


class TileProps(TypedDict):
    """A component tile's props as the page's JSON: rows [prop, passed, not set, {value: count}]."""

    instances: int
    files: int
    members: dict[str, int]
    rows: list[list[Any]]


def props_by_tile(
    reports: Iterable[Components], paths: Iterable[tuple[str, ...]]
) -> dict[tuple[str, ...], TileProps]:
    """Tile path -> the props of each component tile (group, package, export) over every report, as JSON:
    instances, files and rows [prop, passed, not set, {value: count} most frequent first]."""
    wanted = {path[1:]: path for path in paths if len(path) == 3}
    tables: dict[tuple[str, str], list[ComponentProps]] = {}
    for report in reports:
        for key, table in every_props(report, set(wanted)).items():
            tables.setdefault(key, []).append(table)
    found: dict[tuple[str, ...], TileProps] = {}
    for key, parts in tables.items():
        merged = merge_props(parts)
        if merged is not None:
            found[wanted[key]] = {
                "instances": merged.instances, "files": merged.files, "members": merged.members,
                "rows": [[p.name, p.passed, p.not_set, p.values] for p in merged.props],
            }  # fmt: skip
    return found


def indirect_words(direct: int, indirect: int, wrappers: int) -> tuple[str, str]:
    """What the page says of a group's indirect dependence, as plain text: "12 files import it directly,"
    and the part to stress, "34 more files only through 5 local wrapper modules"."""
    return (
        f"{direct:,} file{'' if direct == 1 else 's'} import it directly,",
        f"{indirect:,} more file{'' if indirect == 1 else 's'} only through {wrappers:,} local wrapper "
        f"module{'' if wrappers == 1 else 's'}",
    )
