"""Walks over a full report: the one place that knows how `packages → exports → files` nests.

A report lists, per package and export, the lines of each importing file; lines imported through a
subpath of the package (`@acme/ui/next`) are also listed under the export's `subpaths`. `file_imports`
yields each (package, subpath, export, file) with its lines, so a reader can apply groups that match
subpaths without knowing that layout; names imported from local barrels (`usage.through`) are shown
where they come from. `component_uses`, `component_values`, `component_totals` and `component_props` do
the same for the `components` block (JSX instances, props and value uses), over a whole report or over
its `ComponentsPart` (what a view keeps of a report to walk its components later). `export_files` is the
walk as the report records it: (package, export, file) with its lines, no barrel or subpath taken apart.
`file_versions` reads which version of a package each file imports (groups of a version range need it).

The report's types are `depreport.report.shape`'s.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from typing import Any, NamedTuple

from depreport.report.shape import Component, ExportUse, Member, PropStats, Report


class FileImports(NamedTuple):
    """The lines of one file that import one export of one package, through one subpath ('' for none).

    A name imported from a local barrel is shown where it comes from, `via` naming the barrel.
    """

    package: str
    subpath: str
    export: str
    file: str
    lines: tuple[int, ...]
    resolved_as: str
    via: str = ""


class ExportFiles(NamedTuple):
    """One export of one package as a report records it: its entry, and the package's `resolved_as`."""

    package: str
    export: str
    resolved_as: str
    use: ExportUse


def unresolved_imports(packages: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Each specifier of a report's packages that resolves to no file of the repo and no package, with
    its imports (the report's outline is enough: no file lists are read)."""
    return {
        name: int(entry.get("imports", 0))
        for name, entry in packages.items()
        if entry.get("resolved_as") == "unresolved"
    }


def source_folder_packages(
    packages: Mapping[str, Mapping[str, Any]], declared: Container[str], folders: Container[str]
) -> dict[str, int]:
    """Each npm package of a report that no package.json of the repo declares and that names a folder of
    `src/` (`hooks`, `containers`), with its imports: what a bundler resolving bare specifiers from `src/`
    (webpack's `resolve.modules`, `NODE_PATH=src`) imports from the repo, counted as a package."""
    return {
        name: int(entry.get("imports", 0))
        for name, entry in packages.items()
        if entry.get("resolved_as") == "npm" and name not in declared and f"src/{name}" in folders
    }


def export_entries(report: Report) -> Iterator[ExportFiles]:
    """Every (package, export) of a report's `packages` block with its entry, in the report's order."""
    for package, usage in (report.get("packages") or {}).items():
        resolved = str(usage.get("resolved_as") or "")
        for export, use in (usage.get("exports") or {}).items():
            yield ExportFiles(package, export, resolved, use)


def file_versions(report: Report) -> dict[str, dict[str, str]] | None:
    """package -> file -> the version of the package that file imports, from the report's `versions`
    block; None for a report made without one (its groups have no version range, or it is older)."""
    block = report.get("versions")
    if not isinstance(block, dict):
        return None
    return {
        str(package): {
            path: str(version)
            for version, paths in versions.items()
            if isinstance(paths, list)
            for path in paths
            if isinstance(path, str)
        }
        for package, versions in block.items()
        if isinstance(versions, dict)
    }


def export_files(report: Report) -> Iterator[tuple[str, str, str, list[int]]]:
    """Every (package, export, file, lines) as the report records it (names from local barrels and
    subpaths not taken apart: see `file_imports` for that)."""
    for found in export_entries(report):
        for path, lines in (found.use.get("files") or {}).items():
            yield found.package, found.export, path, lines


def file_imports(report: Report) -> Iterator[FileImports]:
    """Every (package, subpath, export, file) of a report with its lines."""
    through = {(t[0], t[1]): t[2:] for t in _through(report)}
    for found in imports_as_written(report):
        source = through.get((found.package, found.export))
        if source is None:
            yield found
        else:
            package, subpath, resolved, export, via = source
            yield FileImports(package, subpath, export, found.file, found.lines, resolved, via)


def imports_as_written(report: Report) -> Iterator[FileImports]:
    """`file_imports` with names from local barrels left at the barrel: each file's lines of an export
    taken apart by subpath (the package itself last), in the report's order."""
    for package, export, resolved, use in export_entries(report):
        subpaths = use.get("subpaths") or {}
        for path, lines in (use.get("files") or {}).items():
            rest = set(lines)
            for subpath, files in subpaths.items():
                through = files.get(path)
                if through:
                    yield FileImports(package, subpath, export, path, tuple(through), resolved)
                    rest.difference_update(through)
            if rest:
                yield FileImports(package, "", export, path, tuple(sorted(rest)), resolved)


def _through(report: Report) -> list[list[Any]]:
    """The report's names from local barrels: [module, export, package, subpath, resolved, export, barrel]."""
    usage = report.get("usage")
    return usage.get("through") or [] if usage else []


# Components (schema 2): `components → package → export → {instances, files, members, props, values}`
# (depreport/tally/components.py writes it): `instances` counts the JSX elements of the export, members
# included; `files` and `props` are the export's own elements, each member has its own `instances`,
# `files` and `props`. The walkers below are the only readers of that nesting; a report of schema 1 has
# no components and walks as empty.


class ComponentsPart(NamedTuple):
    """What the component walks read of a report: its `components` block and the names local barrels
    pass (`usage.through`), kept instead of the whole report by a view that walks components later."""

    components: dict[str, dict[str, Component]]
    through: list[list[Any]]


Components = Report | ComponentsPart  # what the component walks take


def components_part(report: Report) -> ComponentsPart:
    """The part of a report the component walks read."""
    return ComponentsPart(report.get("components") or {}, _through(report))


class ComponentUse(NamedTuple):
    """The lines of one file that render one component (or one of its members) as a JSX element.

    `member` is '' for the component itself (`<Modal>`, `<EG.Button>`), the sub-component path for a
    member (`Header` for `<Modal.Header>`). A name imported from a local barrel is shown where it comes
    from, `via` naming the barrel.
    """

    package: str
    export: str
    member: str
    file: str
    lines: tuple[int, ...]
    via: str = ""


class ComponentValue(NamedTuple):
    """The lines of one file that pass a component around as a value (`as={X}`, `styled(X)`, ...)."""

    package: str
    export: str
    file: str
    lines: tuple[int, ...]
    via: str = ""


class PropUse(NamedTuple):
    """One prop of a component: how often it is passed (the report's `count`), instances without it,
    values with counts.

    Values are JSON text of literals ('"primary"', '3', 'true', 'null'), '[expression]' for anything
    else, '[spread]' for `{...rest}` (whose prop name is '[spread]' too).
    """

    name: str
    passed: int
    not_set: int
    values: dict[str, int]


class ComponentTotals(NamedTuple):
    """One component's counts: JSX instances (members included) and uses as a value."""

    package: str
    export: str
    instances: int
    values: int
    via: str = ""


def component_uses(report: Components) -> Iterator[ComponentUse]:
    """Every (package, export, member, file) rendered as a JSX element, with its lines."""
    for package, export, via, entry in _components(report):
        for path, lines in (entry.get("files") or {}).items():
            yield ComponentUse(package, export, "", path, tuple(lines), via)
        for member, node in (entry.get("members") or {}).items():
            for path, lines in (node.get("files") or {}).items():
                yield ComponentUse(package, export, member, path, tuple(lines), via)


def component_values(report: Components) -> Iterator[ComponentValue]:
    """Every (package, export, file) using the component (or a member) as a value, with its lines."""
    for package, export, via, entry in _components(report):
        for path, lines in ((entry.get("values") or {}).get("files") or {}).items():
            yield ComponentValue(package, export, path, tuple(lines), via)


def component_totals(report: Components) -> Iterator[ComponentTotals]:
    """Every component of the report with its instance and value-use counts."""
    for package, export, via, entry in _components(report):
        values = int((entry.get("values") or {}).get("count") or 0)
        yield ComponentTotals(package, export, int(entry.get("instances") or 0), values, via)


def component_props(report: Components, package: str, export: str, member: str = "") -> list[PropUse]:
    """The props of a component (of one of its members when `member` is given), sorted by name.

    A component imported both directly and through local barrels has its counts added up (a prop one
    source never passes counts all of that source's elements as not setting it).
    """
    found: list[tuple[int, dict[str, PropStats]]] = []  # per source: its own elements, its props
    for name, exported, _, entry in _components(report):
        if (name, exported) == (package, export):
            node: Component | Member | None = (entry.get("members") or {}).get(member) if member else entry
            members = [] if member else list((entry.get("members") or {}).values())
            instances = int(node.get("instances") or 0) if node else 0
            own = instances - sum(int(m.get("instances") or 0) for m in members)
            found.append((own, (node.get("props") or {}) if node else {}))
    merged: dict[str, PropUse] = {}
    for prop in sorted({prop for _, props in found for prop in props}):
        passed = not_set = 0
        values: dict[str, int] = {}
        for own, props in found:
            stats: PropStats = props.get(prop) or {"count": 0, "not_set": own, "values": {}}
            passed, not_set = passed + int(stats["count"]), not_set + int(stats["not_set"])
            for value, n in (stats.get("values") or {}).items():
                values[value] = values.get(value, 0) + int(n)
        merged[prop] = PropUse(prop, passed, not_set, values)
    return list(merged.values())


def _components(report: Components) -> Iterator[tuple[str, str, str, Component]]:
    """(package, export, barrel, entry) per component, local barrel names shown where they come from."""
    part = report if isinstance(report, ComponentsPart) else components_part(report)
    through = {(t[0], t[1]): t[2:] for t in part.through}
    for package, exports in part.components.items():
        for export, entry in exports.items():
            source = through.get((package, export))
            if source is None:
                yield package, export, "", entry
            else:
                yield source[0], source[3], source[4], entry
