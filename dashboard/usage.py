"""Component usage from the latest full reports: who imports what, where. Pure functions, no I/O.

One usage row per repo, package, export and importing file, tagged with the adoption group the package
belongs to (the report's own group definitions decide, as they did for its adoption block). A row's
``imports`` is the number of lines of that file importing the export. Reports made with a CODEOWNERS
file count adoption per owner (``adoption.by_owner``, which history reads); should they also name each
file's owners (``report["owners"]``: path -> team or teams) the frame gains an ``owners`` column and the
team filter narrows the treemap too; without it the column is absent.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import pandas as pd

from dashboard.components import instance_counts
from depreport.history.adoption import Group, Groups
from depreport.report.changes import UNGROUPED as UNGROUPED  # the dashboard's name for it too
from depreport.report.changes import GroupOf
from depreport.report.render.safe import defuse_formula
from depreport.report.shape import ExportUse, Report, Summary
from depreport.report.walk import export_entries, file_versions, imports_as_written

COLUMNS = ["repo", "commit", "group", "target", "package", "export", "component", "file", "lines"]
COLUMNS += ["imports", "instances"]  # import lines of the export in the file, and its JSX instances there
SIZES = ("imports", "instances")  # what the treemap's tiles may be sized by
OWNERS = "owners"
_NAMED_BY_LOCALS = ("default", "*")  # exports better known by the names they are imported as


def report_groups(report: Report | Summary) -> Groups:
    """The adoption groups a report was made with (none when it was made without groups).

    Read by `Groups.from_json`, as summaries, history and the ratchet read them: one reading everywhere.
    """
    options = report.get("options")
    return Groups.from_json((options.get("adoption") if options else None) or {})


def file_owners(report: Mapping[str, Any]) -> dict[str, tuple[str, ...]] | None:
    """path -> owning teams, when the report names owners (a team or a list of teams per path).

    `owners` is no key of the report's schema: a report that gains one (objects may gain keys) is read
    as any JSON, hence the `Mapping[str, Any]`."""
    owners = report.get("owners")
    if not isinstance(owners, Mapping):
        return None
    return {
        str(path): (str(teams),) if isinstance(teams, str) else tuple(str(team) for team in teams or ())
        for path, teams in owners.items()
    }


def component_name(export: str, use: ExportUse) -> str:
    """How a component is shown: its export name; `default`/`*` also by the local names it gets."""
    names = list(use.get("locals") or ())
    if export in _NAMED_BY_LOCALS and names:
        shown = ", ".join(names[:2]) + (", …" if len(names) > 2 else "")
        return f"{export} ({shown})"
    return export


class GroupOfSubpath(Protocol):
    """A `GroupOf` that also takes the subpath imported (`next` of `@acme/ui/next`; '' for none)."""

    def __call__(self, package: str, path: str, subpath: str = "") -> str | None: ...


def group_of(report: Report) -> GroupOfSubpath:
    """(package, importing file, subpath) -> the report's group of that import, `UNGROUPED`, or None to
    leave it out.

    The one place the dashboard (and the HTML report) decides which group an import belongs to: the
    first group matching the package and subpath (a group of `@acme/ui/next/**` takes the imports of
    `@acme/ui/next`, one of `unittest/mock` those of `unittest.mock`), at the version the file imports
    when groups have a version range (the report's `versions`); a module of a local group's folder
    imported inside that folder is internal to the group and left out, as adoption leaves it out (a
    package of the group imported there counts).
    """
    groups = report_groups(report)
    by_name = {group.name: group for group in groups.groups}
    packages = report.get("packages") or {}
    versions = (file_versions(report) if groups.versioned else None) or {}
    known: dict[tuple[str, str, str | None], tuple[Group | None, str]] = {}  # its group and resolution

    def lookup(package: str, path: str, subpath: str = "") -> str | None:
        version = versions[package].get(path) if package in versions else None
        if (package, subpath, version) not in known:
            entry = packages.get(package)
            resolved = entry.get("resolved_as", "") if entry else ""
            found = groups.classify(package, resolved, version, subpath) if groups.groups else None
            known[(package, subpath, version)] = (by_name.get(found or ""), resolved)
        group, resolved = known[(package, subpath, version)]
        if group is None:
            return UNGROUPED
        return None if group.holds_import(path, package, resolved) else group.name

    return lookup


def report_usage(report: Report) -> pd.DataFrame:
    """The usage rows of one report (see the module docstring)."""
    groups = report_groups(report)
    targets = {group.name for group in groups.groups if group.target}
    grouped = group_of(report)
    owners = file_owners(report)
    instances = instance_counts(report)
    repo, commit = str(report.get("repo") or ""), str(report.get("commit") or "")
    entries = {(package, export): use for package, export, _, use in export_entries(report)}
    rows = []
    for found in imports_as_written(report):  # each file's lines by subpath: a group may be a subpath's
        package, export, path, at = found.package, found.export, found.file, found.lines
        use = entries[(package, export)]
        if not groups.include_type_only and use.get("type_only", 0) >= use["count"]:
            continue  # only type imports: they do not count towards adoption either
        name = grouped(package, path, found.subpath)
        if name is None:
            instances.pop((package, export, path), None)
            continue  # a local group's own folder importing itself is internal to it
        row = [repo, commit, name, name in targets, package, export, component_name(export, use), path, at,
               len(at), instances.pop((package, export, path), 0)]  # fmt: skip
        if owners is not None:
            row.append(owners.get(path, ()))
        rows.append(row)
    rows += _instance_rows(instances, repo, commit, grouped, targets, owners)
    return pd.DataFrame(rows, columns=COLUMNS + ([OWNERS] if owners is not None else []))


def _instance_rows(
    instances: dict[tuple[str, str, str], int],
    repo: str,
    commit: str,
    grouped: GroupOf,
    targets: set[str],
    owners: dict[str, tuple[str, ...]] | None,
) -> list[list[Any]]:
    """Rows of instances no import row of the same export holds: an element through a namespace
    (`<EG.Pane>` imports `*`) or a local barrel (the import names the barrel): no import line of theirs."""
    rows = []
    for (package, export, path), count in instances.items():
        name = grouped(package, path)
        if name is not None:
            row = [repo, commit, name, name in targets, package, export, export, path, (), 0, count]
            rows.append(row + ([owners.get(path, ())] if owners is not None else []))
    return rows


def usage_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """The usage rows of several reports (one per repo); ``owners`` present if any report has owners."""
    frames = [report_usage(report) for report in reports]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    if OWNERS in frame.columns:
        frame[OWNERS] = frame[OWNERS].map(lambda teams: teams if isinstance(teams, tuple) else ())
    return frame


def select(
    usage: pd.DataFrame, repo: str | None = None, team: str | None = None, leave_out: Iterable[str] = ()
) -> pd.DataFrame:
    """The rows of one repo (None: all but those in ``leave_out``) and of files one team owns (None: all)."""
    keep = pd.Series(True, index=usage.index)
    if repo is not None:
        keep &= usage["repo"] == repo
    else:
        keep &= ~usage["repo"].isin(list(leave_out))
    if team is not None and OWNERS in usage.columns:
        keep &= usage[OWNERS].map(lambda owners: team in owners)
    return usage[keep].reset_index(drop=True)


def node_id(*path: str) -> str:
    """The treemap id of a node: its path (group, package, component) as JSON, so no name is ambiguous."""
    return json.dumps(list(path), ensure_ascii=False)


def node_title(path: tuple[str, ...], quote: Callable[[str], str] = str) -> str:
    """The heading of the file list for a tile; ``quote`` shows a name (`md_code` for Markdown)."""
    if len(path) >= 3:
        return f"Files importing {quote(path[2])} from {quote(path[1])}"
    if len(path) == 2:
        return f"Files importing {quote(path[1])}"
    if len(path) == 1:
        return f"Files importing group {quote(path[0])}"
    return "Files importing any grouped package"


def treemap_nodes(
    usage: pd.DataFrame, include_ungrouped: bool = False, size: str = "imports"
) -> pd.DataFrame:
    """id, parent, label, value, group, target, depth: group -> package -> component, sized by imports
    (or by `size`: "instances"); a component of size 0 has no tile."""
    columns = ["id", "parent", "label", "value", "group", "target", "depth"]
    rows = usage if include_ungrouped else usage[usage["group"] != UNGROUPED]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    leaves = rows.groupby(["group", "package", "export"], sort=True).agg(
        value=(size, "sum"), target=("target", "any"), label=("component", "first")
    )
    leaves = leaves[leaves["value"] > 0]
    if leaves.empty:
        return pd.DataFrame(columns=columns)
    groups: dict[str, int] = {}
    packages: dict[tuple[str, str], int] = {}
    targets: dict[str, bool] = {}
    components = []
    for record in leaves.reset_index().to_dict("records"):
        group, package, value = str(record["group"]), str(record["package"]), int(record["value"])
        groups[group] = groups.get(group, 0) + value
        packages[(group, package)] = packages.get((group, package), 0) + value
        targets[group] = targets.get(group, False) or bool(record["target"])
        path = (group, package, str(record["export"]))
        components.append((node_id(*path), node_id(group, package), str(record["label"]), value, group, 3))
    nodes = [(node_id(), "", f"all {size}", sum(groups.values()), "", False, 0)]
    nodes += [(node_id(g), node_id(), g, n, g, targets[g], 1) for g, n in groups.items()]
    nodes += [(node_id(g, p), node_id(g), p, n, g, targets[g], 2) for (g, p), n in packages.items()]
    nodes += [(i, parent, label, n, g, targets[g], depth) for i, parent, label, n, g, depth in components]
    return pd.DataFrame(nodes, columns=columns)


def files_for(usage: pd.DataFrame, path: tuple[str, ...]) -> pd.DataFrame:
    """The rows under a treemap node (the root, a group, a package or one component), by repo and file."""
    keep = pd.Series(True, index=usage.index)
    for column, value in zip(("group", "package", "export"), path, strict=False):
        keep &= usage[column] == value
    rows = usage[keep]
    return rows.sort_values(["repo", "file", "package", "export"], kind="stable").reset_index(drop=True)


FILE_COLUMNS = ["repo", "commit", "file", "lines", "imports", "packages", "components"]


def file_list(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per repo and file: every importing line, and which packages and components it imports."""
    return file_lists(rows, [])


def file_lists(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`file_list` of each node at once: one row per node (the `by` columns) and file, in one grouping
    (a treemap has hundreds of nodes; a grouping per node cost more than all the rows)."""
    columns = [*by, *FILE_COLUMNS]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    listing = rows.groupby([*by, "repo", "commit", "file"], sort=True).agg(
        lines=("lines", lambda runs: tuple(sorted({line for lines in runs for line in lines}))),
        imports=("imports", "sum"),
        packages=("package", lambda names: tuple(dict.fromkeys(names))),
        components=("component", lambda names: tuple(dict.fromkeys(names))),
    )
    return listing.reset_index()[columns]


def low_hanging_fruit(usage: pd.DataFrame, most: int = 2) -> pd.DataFrame:
    """Components of non-target groups imported at most ``most`` times, with where they are imported."""
    columns = ["group", "package", "component", "imports", "files", "where"]
    rows = usage[(usage["group"] != UNGROUPED) & ~usage["target"] & (usage["imports"] > 0)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    several_repos = rows["repo"].nunique() > 1
    rows = rows.assign(where=[_place(r, several_repos) for r in rows.itertuples(index=False)])
    fruit = rows.groupby(["group", "package", "export"], sort=True).agg(
        component=("component", "first"), imports=("imports", "sum"),
        files=("file", "nunique"), where=("where", "; ".join),
    ).reset_index()  # fmt: skip
    fruit = fruit[fruit["imports"] <= most]
    fruit = fruit.sort_values(["imports", "group", "package", "component"], kind="stable")
    return fruit[columns].reset_index(drop=True)


NO_GROUPS_FRUIT = "The reports carry no adoption groups: nothing is known to be left to migrate."
FRUIT_ORDERS = ("fewest imports", "group", "package", "component")


def sort_fruit(fruit: pd.DataFrame, by: str) -> pd.DataFrame:
    """The low-hanging fruit in one of ``FRUIT_ORDERS`` (ties keep the fewest-imports order)."""
    column = {"fewest imports": "imports"}.get(by, by)
    if column not in fruit.columns:
        return fruit
    return fruit.sort_values(column, kind="stable").reset_index(drop=True)


def _place(row: Any, with_repo: bool) -> str:
    lines = ",".join(str(line) for line in row.lines)
    place = f"{row.file}:{lines}"
    return f"{row.repo}:{place}" if with_repo else place


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV; text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse_formula)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
