"""Questions asked of a stored report: which files use which exports of which packages, and how a
component is used (its instances and the props they pass, from the report's `components` block)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from depreport.errors import EXIT_FINDINGS, DepreportError
from depreport.render.safe import plain
from depreport.render.tables import Table


class NoMatch(DepreportError):
    """The query matched nothing; says what comes close."""

    exit_code = EXIT_FINDINGS


def export_usage(report: dict[str, Any], package_glob: str, exports: list[str]) -> Table:
    """Files per export of every package matching the glob (optionally only some exports)."""
    packages = report["packages"]
    matched = [name for name in packages if fnmatchcase(name, package_glob)]
    if not matched:
        raise NoMatch(f"no package matches {package_glob!r}", _closest(package_glob, list(packages)))
    rows = []
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


def export_sources(report: dict[str, Any], exports: list[str]) -> Table:
    """Which packages each export name is imported from, with counts and files."""
    rows = []
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


@dataclass(frozen=True)
class PropUse:
    """One prop of a component: instances passing it, instances without it, its values (most first)."""

    name: str
    count: int
    not_set: int
    values: tuple[tuple[str, int], ...]  # (value as written: JSON text, `[expression]`, `[spread]`), count


@dataclass(frozen=True)
class ComponentProps:
    """The props table of one component (or one of its members, `<Modal.Header>`)."""

    package: str
    export: str
    member: str  # '' for the component itself
    instances: int
    files: int
    props: tuple[PropUse, ...]  # the most passed first

    @property
    def name(self) -> str:
        """`Modal.Header`, or `Button`."""
        return f"{self.export}.{self.member}" if self.member else self.export

    def to_json(self) -> dict[str, Any]:
        """The table as a JSON object (`query --props --format json`)."""
        return {
            "package": self.package, "export": self.export, "member": self.member,
            "instances": self.instances, "files": self.files,
            "props": [
                {"prop": p.name, "count": p.count, "not_set": p.not_set,
                 "values": [{"value": v, "count": n} for v, n in p.values]}
                for p in self.props
            ],
        }  # fmt: skip


def component_props(
    report: Mapping[str, Any], package_glob: str, exports: list[str], member: str = ""
) -> list[ComponentProps]:
    """The props table of each named export (or its `member`) of every package matching the glob.

    NoMatch says why there is none: a report made before components were counted (scan again), no such
    package or export, or a component imported but never rendered.
    """
    if not exports:
        raise NoMatch("--props needs --export NAME", "e.g. --package evergreen-ui --export Button --props")
    if report.get("components") is None:
        raise NoMatch(
            "this report has no component usage (it was written by an older depreport)",
            "scan again: depreport scan . --format json --out report.json",
        )
    packages = report.get("packages") or {}
    components = report["components"]
    matched = sorted({n for n in [*packages, *components] if fnmatchcase(n, package_glob)})
    if not matched:
        raise NoMatch(f"no package matches {package_glob!r}", _closest(package_glob, list(packages)))
    tables = [
        table
        for package in matched
        for export in exports
        if (table := _props_of(components.get(package) or {}, package, export, member)) is not None
    ]
    if not tables:
        raise NoMatch(*_no_instances(report, matched, exports, member))
    return tables


def _props_of(components: Mapping[str, Any], package: str, export: str, member: str) -> ComponentProps | None:
    use = components.get(export)
    if use and member:
        use = (use.get("members") or {}).get(member)
    if not use or not use.get("instances"):
        return None
    props = [
        PropUse(name, int(prop["count"]), int(prop["not_set"]), most_first(prop["values"]))
        for name, prop in (use.get("props") or {}).items()
    ]
    props.sort(key=lambda p: (-p.count, p.name))
    files = use.get("files") or {}
    return ComponentProps(package, export, member, int(use["instances"]), len(files), tuple(props))


def most_first(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """(value, count) pairs, the most frequent first, ties in value order."""
    return tuple(sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda vn: (-vn[1], vn[0])))


def _no_instances(
    report: Mapping[str, Any], packages: list[str], exports: list[str], member: str
) -> tuple[str, str]:
    """Why no props table: the component is imported but never rendered, or not imported at all."""
    name = plain(", ".join(f"{e}.{member}" if member else e for e in exports))
    where = plain(", ".join(packages))
    imported = [
        (p, e)
        for p in packages
        for e in exports
        if e in ((report.get("packages") or {}).get(p) or {}).get("exports", {})
    ]
    if not imported:
        known = sorted(
            {e for p in packages for e in ((report["packages"].get(p) or {}).get("exports") or {})}
        )
        return f"{where} has no export named {plain(', '.join(exports))}: not imported", _closest(
            exports[0], known
        )
    files = sum(len(report["packages"][p]["exports"][e]["files"]) for p, e in imported)
    values = sum(int(((report["components"].get(p) or {}).get(e) or {}).get("values", {}).get("count", 0))
                 for p, e in imported)  # fmt: skip
    used = f"; used as a value {values} time{'' if values == 1 else 's'}" if values else ""
    return (
        f"no instance of {name} from {where}: it is imported in {files} file{'' if files == 1 else 's'} "
        f"but never rendered as an element{used}",
        "`depreport query --package ... --export ...` lists the importing files",
    )


def _sites(files: dict[str, list[int]]) -> str:
    return " ".join(f"{path}:{','.join(map(str, lines))}" for path, lines in files.items())


def _closest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "globs match whole package ids: try 'name*' or '@scope/*'; `depreport scan` lists packages"
