"""Questions asked of a stored report: which files use which exports of which packages, and how a
component is used (its instances and the props they pass, from the report's `components` block)."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, TypedDict

from depreport.errors import EXIT_FINDINGS, DepreportError
from depreport.report.render.safe import plain
from depreport.report.render.tables import Table
from depreport.report.shape import LinesByFile, Report
from depreport.report.walk import (
    Components,
    ComponentUse,
    PropUse,
    component_totals,
    component_uses,
    file_imports,
)
from depreport.report.walk import component_props as report_props


class NoMatch(DepreportError):
    """The query matched nothing; says what comes close."""

    exit_code = EXIT_FINDINGS


def export_usage(report: Report, package_glob: str, exports: list[str]) -> Table:
    """Files per export of every package matching the glob (optionally only some exports)."""
    packages = report["packages"]
    matched = [name for name in packages if fnmatchcase(name, package_glob)]
    if not matched:
        raise NoMatch(f"no package matches {package_glob!r}", _closest(package_glob, list(packages)))
    rows: list[list[Any]] = []
    for name in matched:
        for export, use in packages[name]["exports"].items():
            if exports and export not in exports:
                continue
            rows.append([name, export, use["count"], len(use["files"]), _sites(use["files"])])
    if not rows:
        known = sorted({e for name in matched for e in packages[name]["exports"]})
        raise NoMatch(
            f"{plain(', '.join(matched))} has no export named {plain(', '.join(exports))}",
            _closest(exports[0], known),
        )
    rows.sort(key=lambda row: (row[0], -row[2], row[1]))
    title = f"{len(matched)} package{'' if len(matched) == 1 else 's'} matching {package_glob!r}"
    return Table(title, ["package", "export", "imports", "files", "where"], rows)


def export_sources(report: Report, exports: list[str]) -> Table:
    """Which packages each export name is imported from, with counts and files."""
    rows: list[list[Any]] = []
    for export in exports:
        for package, count in report["exports"].get(export, {}).items():
            files = report["packages"][package]["exports"][export]["files"]
            rows.append([export, package, count, len(files), _sites(files)])
    if not rows:
        raise NoMatch(
            f"no package is imported for {plain(', '.join(exports))}",
            _closest(exports[0], list(report["exports"])),
        )
    return Table("", ["export", "package", "imports", "files", "where"], rows)


class PropValueJson(TypedDict):
    """One value of a prop in `query --props --format json`."""

    value: str
    count: int


class PropJson(TypedDict):
    """One prop in `query --props --format json`."""

    prop: str
    count: int
    not_set: int
    values: list[PropValueJson]


class ComponentPropsJson(TypedDict):
    """One component's props table in `query --props --format json`."""

    package: str
    export: str
    member: str
    instances: int
    files: int
    members: dict[str, int]
    props: list[PropJson]


@dataclass(frozen=True)
class ComponentProps:
    """The props table of one component (or one of its members, `<Modal.Header>`)."""

    package: str
    export: str
    member: str  # '' for the component itself
    instances: int  # its members' instances included
    files: int  # files rendering it (or one of its members)
    props: tuple[PropUse, ...]  # the most passed first; each prop's values the most frequent first
    own: int = 0  # elements of the component itself (members excluded): what `not_set` counts among
    members: dict[str, int] = field(default_factory=dict)  # sub-component -> its element lines, most first

    @property
    def name(self) -> str:
        """`Modal.Header`, or `Button`."""
        return f"{self.export}.{self.member}" if self.member else self.export

    def to_json(self) -> ComponentPropsJson:
        """The table as a JSON object (`query --props --format json`)."""
        return {
            "package": self.package, "export": self.export, "member": self.member,
            "instances": self.instances, "files": self.files, "members": self.members,
            "props": [
                {"prop": p.name, "count": p.passed, "not_set": p.not_set,
                 "values": [{"value": v, "count": n} for v, n in p.values.items()]}
                for p in self.props
            ],
        }  # fmt: skip


def component_props(
    report: Report, package_glob: str, exports: list[str], member: str = ""
) -> list[ComponentProps]:
    """The props table of each named export (or its `member`) of every package matching the glob.

    NoMatch says why there is none: no such package or export, a component imported but never rendered,
    or a report without any component use (made by an older depreport: scan again).
    """
    if not exports:
        raise NoMatch("--props needs --export NAME", "e.g. --package evergreen-ui --export Button --props")
    rendered = {(use.package, use.export) for use in component_uses(report)}
    imported = {(found.package, found.export) for found in file_imports(report)}
    names = {package for package, _ in rendered | imported}
    matched = sorted(name for name in names if fnmatchcase(name, package_glob))
    if not matched:
        raise NoMatch(f"no package matches {package_glob!r}", _closest(package_glob, sorted(names)))
    tables = [
        table
        for package in matched
        for export in exports
        if (table := props_of(report, package, export, member)) is not None
    ]
    if not tables:
        raise NoMatch(*_no_instances(report, matched, exports, member, bool(rendered)))
    return tables


def props_of(report: Components, package: str, export: str, member: str = "") -> ComponentProps | None:
    """The props table of one component (or member) of a report; None when it has no instance there."""
    uses = [use for use in component_uses(report) if (use.package, use.export) == (package, export)]
    return _table(report, package, export, member, uses)


def every_props(
    report: Components, wanted: Collection[tuple[str, str]] | None = None
) -> dict[tuple[str, str], ComponentProps]:
    """(package, export) -> the props table of every component the report renders (or of those `wanted`),
    walking the uses and totals once."""
    uses: dict[tuple[str, str], list[ComponentUse]] = {}
    for use in component_uses(report):
        if wanted is None or (use.package, use.export) in wanted:
            uses.setdefault((use.package, use.export), []).append(use)
    totals: Counter[tuple[str, str]] = Counter()
    for total in component_totals(report):
        totals[(total.package, total.export)] += total.instances
    tables = {key: _table(report, *key, "", found, totals[key]) for key, found in uses.items()}
    return {key: table for key, table in tables.items() if table is not None}


def _table(
    report: Components,
    package: str,
    export: str,
    member: str,
    uses: list[ComponentUse],
    instances: int | None = None,
) -> ComponentProps | None:
    """The table of a component from its uses (every member's), or of one member; `instances` when known."""
    mine = [use for use in uses if use.member == member]
    if not (mine if member else uses):
        return None
    props = sorted(
        (
            PropUse(p.name, p.passed, p.not_set, most_first(p.values))
            for p in report_props(report, package, export, member)
        ),
        key=lambda p: (-p.passed, p.name),
    )
    own = props[0].passed + props[0].not_set if props else sum(len(use.lines) for use in mine)
    if member:
        instances = own
    elif instances is None:
        totals = component_totals(report)
        instances = sum(t.instances for t in totals if (t.package, t.export) == (package, export))
    files = len({use.file for use in (mine if member else uses)})
    members: Counter[str] = Counter()
    for use in [] if member else uses:
        if use.member:
            members[use.member] += len(use.lines)
    return ComponentProps(package, export, member, instances, files, tuple(props), own, most_first(members))


def merge_props(tables: list[ComponentProps]) -> ComponentProps | None:
    """One component's props tables from several reports (repos) as one: counts and files added up; a
    prop one report never saw is not set on all of that report's own elements."""
    if not tables:
        return None
    props = []
    for name in sorted({prop.name for table in tables for prop in table.props}):
        passed, not_set, values = 0, 0, Counter[str]()
        for table in tables:
            prop = next((p for p in table.props if p.name == name), None)
            if prop is None:
                not_set += table.own
                continue
            passed, not_set = passed + prop.passed, not_set + prop.not_set
            values.update(prop.values)
        props.append(PropUse(name, passed, not_set, most_first(values)))
    props.sort(key=lambda p: (-p.passed, p.name))
    first = tables[0]
    total = [sum(getattr(t, field) for t in tables) for field in ("instances", "files", "own")]
    members: Counter[str] = Counter()
    for table in tables:
        members.update(table.members)
    return ComponentProps(
        first.package,
        first.export,
        first.member,
        total[0],
        total[1],
        tuple(props),
        total[2],
        most_first(members),
    )


def most_first(counts: Mapping[str, int]) -> dict[str, int]:
    """The values by count, the most frequent first, ties in value order."""
    return dict(sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda vn: (-vn[1], vn[0])))


def values_text(values: Mapping[str, int], width: int) -> str:
    """`"primary" 4, [expression] 3`, or as many values as fit in `width` then `+N more` (one at least)."""
    items = [f"{plain(value)} {count:,}" for value, count in values.items()]
    for shown in range(len(items), 0, -1):
        rest = len(items) - shown
        text = ", ".join(items[:shown]) + (f" +{rest} more" if rest else "")
        if len(text) <= width or shown == 1:
            return text
    return ""


def _no_instances(
    report: Report, packages: list[str], exports: list[str], member: str, any_rendered: bool
) -> tuple[str, str]:
    """Why no props table: the component is imported but never rendered, or not imported at all."""
    name = plain(", ".join(f"{e}.{member}" if member else e for e in exports))
    where = plain(", ".join(packages))
    asked = {(p, e) for p in packages for e in exports}
    files = {found.file for found in file_imports(report) if (found.package, found.export) in asked}
    if not files:
        known = sorted({found.export for found in file_imports(report) if found.package in packages})
        return f"{where} has no export named {plain(', '.join(exports))}: not imported", _closest(
            exports[0], known
        )
    values = sum(t.values for t in component_totals(report) if (t.package, t.export) in asked)
    used = f"; used as a value {values} time{'' if values == 1 else 's'}" if values else ""
    count = f"{len(files)} file{'' if len(files) == 1 else 's'}"
    message = (
        f"no instance of {name} from {where}: imported in {count} but never rendered as an element{used}"
    )
    if not any_rendered:
        return f"{message} (this report has no JSX instance of any component)", (
            "a report written before depreport counted components has none: scan again with this version"
        )
    return message, "`depreport query --package ... --export ...` lists the importing files"


def _sites(files: LinesByFile) -> str:
    return " ".join(f"{path}:{','.join(map(str, lines))}" for path, lines in files.items())


def _closest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "globs match whole package ids: try 'name*' or '@scope/*'; `depreport scan` lists packages"
