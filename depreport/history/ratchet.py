"""The ratchet: usage that is meant to shrink (non-target groups, deprecated packages and exports) must
never grow. Pure: reports and the tracked usage of a baseline in, a verdict out.

Per tracked export: its count and per-file counts (not lines, so that edits above an import do not
count as changes); a baseline file keeps them (`depreport.history.baseline`). JSX instances of the same
components must not grow either: per file, members included, from the report's `components` block. A
baseline or stored report made before instances were counted has none; `check` then says so and checks
imports only. A file's instances are counted by the lines holding them, so a second element on a line
that already held one is not seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from depreport.config import Deprecations
from depreport.history.adoption import Groups
from depreport.report.shape import ExportUse, Report
from depreport.report.walk import component_uses, export_entries, file_versions

# "package export" -> {"count": n, "files": {path: n}, "why": str, and from a scan "package" and "export"}.
# The key is only matched, never split: package ids (local paths) and export names may hold spaces.
Tracked = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Growth:
    """One tracked export whose usage grew, and the files where it grew."""

    package: str
    export: str
    why: str
    before: int
    after: int
    sites: tuple[tuple[str, int, int, int], ...]  # (file, first line, count before, count after)
    unit: str = "imports"  # or "instances" (JSX elements)


@dataclass(frozen=True)
class Verdict:
    """The comparison of a scan with its baseline."""

    growths: tuple[Growth, ...]
    tracked: int
    before: int  # total tracked usage in the baseline
    after: int

    @property
    def passed(self) -> bool:
        """True when nothing that must shrink grew."""
        return not self.growths


def tracked_usage(
    report: Report, groups: Groups, deprecated: Deprecations, by_version: bool = True
) -> Tracked:
    """Per tracked export of a report: its count and per-file counts, and why it is tracked.

    Each import counts for the group of its package and subpath (`@acme/ui/next` may be the target
    while the rest of `@acme/ui` is being replaced), at the version the file imports (the report's
    `versions`); `by_version=False` reads it as a report without versions (to compare with one).
    """
    tracked: Tracked = {}
    policy = _Policy(groups, deprecated, file_versions(report) if by_version else None)
    for package, export, resolved, use in export_entries(report):
        imported = _import_groups(use, package, resolved, policy, export)
        if imported is None:
            continue
        files: dict[str, int] = {}
        whys = set()
        for path, counts in imported.items():
            for group, n in counts.items():
                why = policy.why(package, export, group, path, resolved)
                if why is not None:
                    files[path] = files.get(path, 0) + n
                    whys.add(why)
        if files:
            count, why = sum(files.values()), "; ".join(sorted(whys))
            entry = {"count": count, "files": files, "why": why, "package": package, "export": export}
            tracked[tracked_key(package, export)] = entry
    return tracked


def tracked_instances(
    report: Report, groups: Groups, deprecated: Deprecations, by_version: bool = True
) -> Tracked | None:
    """Per tracked component of a report: its JSX instances per file and in all, and why and how to fix
    it. None for a report made before components were counted.

    A file's instances count for the group of the subpath the file imports the component from (when it
    imports it one way only; else, and through local barrels, for the group of the package itself).
    """
    if "components" not in report or "uses" not in (report.get("usage") or {}):
        return None  # made before instances were counted (a version-1 report reads with no components)
    policy = _Policy(groups, deprecated, file_versions(report) if by_version else None)
    fix = f"render {groups.target.name}'s component instead" if groups.target else "render its replacement"
    tracked: Tracked = {}
    for (package, export), lines in sorted(_instance_lines(report).items()):
        usage = report["packages"].get(package)
        resolved = usage.get("resolved_as", "npm") if usage else "npm"
        use = (usage.get("exports") or {}).get(export) if usage else None
        imported = (
            _import_groups(use, package, resolved, policy, export, always=True) if use else None
        ) or {}
        counts, whys = {}, set()
        for path, at in lines.items():
            found = set(imported.get(path, ()))
            group = found.pop() if len(found) == 1 else policy.group(package, resolved, path)
            why = policy.why(package, export, group, path, resolved)
            if why is not None:
                counts[path] = len(at)
                whys.add(why)
        if counts:
            tracked[tracked_key(package, export)] = {
                "count": sum(counts.values()), "files": counts, "why": f"{'; '.join(sorted(whys))}: {fix}",
                "package": package, "export": export, "lines": {path: lines[path][0] for path in counts},
            }  # fmt: skip
    return tracked


class _Policy:
    """Why an import or instance is tracked, from the groups and the deprecated packages and exports."""

    def __init__(
        self, groups: Groups, deprecated: Deprecations, versions: dict[str, dict[str, str]] | None
    ) -> None:
        """`versions`: package -> file -> the version it imports (`file_versions`), for groups of a
        version range."""
        self.groups, self.deprecated = groups, deprecated
        self.by_name = {g.name: g for g in groups.groups}
        self._packages: dict[str, bool] = {}
        self.versions = versions or {}

    def group(self, package: str, resolved: str, path: str, subpath: str = "") -> str | None:
        """The group of an import of the package in a file (through a subpath), at the file's version."""
        version = self.versions.get(package, {}).get(path)
        return self.groups.classify(package, resolved, version, subpath)

    def groups_of(self, package: str, resolved: str, subpaths: Iterable[str]) -> set[str | None]:
        """Every group an import of the package may belong to, through these subpaths, at any version."""
        versions = {None, *self.versions.get(package, {}).values()}
        return {self.groups.classify(package, resolved, v, s) for s in ["", *subpaths] for v in versions}

    def deprecated_package(self, package: str) -> bool:
        found = self._packages.get(package)
        if found is None:
            found = self._packages[package] = any(fnmatchcase(package, g) for g in self.deprecated.packages)
        return found

    def replaced(self, group: str | None) -> bool:
        """Is this a group being replaced (not the target)?"""
        return group is not None and not self.by_name[group].target

    def why(self, package: str, export: str, group: str | None, path: str, resolved: str) -> str | None:
        """Why an import (or instance) of a group in a file is tracked; None when it is not."""
        replaced = self.replaced(group)
        if replaced and group is not None and self.by_name[group].holds_import(path, package, resolved):
            return None  # a module of the replaced local folder imported inside it, as adoption counts
        deprecated_export = (package, export) in self.deprecated.exports
        return _why(group if replaced else None, self.deprecated_package(package), deprecated_export)


def _import_groups(
    use: ExportUse, package: str, resolved: str, policy: _Policy, export: str, always: bool = False
) -> dict[str, dict[str | None, int]] | None:
    """file -> group -> import lines of one export, each line counted for the group of its subpath (at
    the version the file imports); None (unless `always`) when no import of the export can be tracked."""
    subpaths = use.get("subpaths") or {}
    possible = policy.groups_of(package, resolved, subpaths)
    tracked = any(policy.replaced(g) for g in possible) or policy.deprecated_package(package)
    if not (always or tracked or (package, export) in policy.deprecated.exports):
        return None
    found: dict[str, dict[str | None, int]] = {}
    for path, lines in use["files"].items():
        counts: dict[str | None, int] = {}
        through: set[int] = set()
        for subpath, files in subpaths.items():
            at = files.get(path)
            if at:
                group = policy.group(package, resolved, path, subpath)
                counts[group] = counts.get(group, 0) + len(at)
                through.update(at)
        bare = len(set(lines) - through)
        if bare:
            group = policy.group(package, resolved, path)
            counts[group] = counts.get(group, 0) + bare
        found[path] = counts
    return found


def _instance_lines(report: Report) -> dict[tuple[str, str], dict[str, list[int]]]:
    """(package, export) -> file -> lines of its JSX elements, members included, barrels followed."""
    files: dict[tuple[str, str], dict[str, list[int]]] = {}
    for use in component_uses(report):
        found = files.setdefault((use.package, use.export), {})
        found[use.file] = sorted({*found.get(use.file, ()), *use.lines})
    return files


def tracked_key(package: str, export: str) -> str:
    """The baseline key of a package's export."""
    return f"{package} {export}"


def _why(group: str | None, package: bool, export: bool) -> str | None:
    if export:
        return "deprecated export"
    if package:
        return "deprecated package"
    return f"group {group!r} is being replaced" if group else None


def compare(baseline: Tracked, current: Tracked, report: Report, unit: str = "imports") -> Verdict:
    """What grew between the baseline and the current usage (imports, or instances), with the sites."""
    growths = []
    for key in sorted(current):
        now, then = current[key], baseline.get(key, {"count": 0, "files": {}})
        if now["count"] <= then["count"]:
            continue
        package, export = now["package"], now["export"]
        first = now.get("lines") or {
            path: at[0] for path, at in report["packages"][package]["exports"][export]["files"].items()
        }
        sites = tuple(
            (path, first[path], then["files"].get(path, 0), count)
            for path, count in sorted(now["files"].items())
            if count > then["files"].get(path, 0)
        )
        growths.append(Growth(package, export, now["why"], then["count"], now["count"], sites, unit))
    before = sum(t["count"] for t in baseline.values())
    after = sum(t["count"] for t in current.values())
    return Verdict(tuple(growths), len(current), before, after)
