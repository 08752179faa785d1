"""Adoption groups: which imports belong to the library being adopted, and which to what it replaces.

A group matches package ids by glob (`evergreen-ui`, `@acme/*`) and/or local module paths by
gitignore-style glob (`src/ui/**`). Each import belongs to the first group that matches it. Shares are
computed over the imports that belong to some group, by three metrics: imports, importing files and
distinct components (package + export). Imports made inside a local group's own folder are internal to
it and not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

import pathspec

from depreport.model import LOCAL_RESOLUTIONS, ImportRecord

METRICS = ("imports", "files", "components")


@dataclass(frozen=True)
class Group:
    """A named set of packages and/or local folders; one group is the adoption target."""

    name: str
    packages: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    target: bool = False

    @cached_property
    def _paths(self) -> pathspec.GitIgnoreSpec | None:
        return pathspec.GitIgnoreSpec.from_lines(self.paths) if self.paths else None

    def matches(self, package: str, resolved: str) -> bool:
        """Does an import of this package id (resolved this way) belong to the group?"""
        if any(fnmatchcase(package, glob) for glob in self.packages):
            return True
        spec = self._paths
        if spec is None or resolved not in LOCAL_RESOLUTIONS:
            return False
        return spec.match_file(package) or spec.match_file(package + "/")

    def contains_file(self, path: str) -> bool:
        """Is this file inside one of the group's local folders? (Its imports of the group are internal.)"""
        return self._paths is not None and self._paths.match_file(path)


@dataclass(frozen=True)
class Groups:
    """The configured groups, in matching order, and whether type-only imports count."""

    groups: tuple[Group, ...] = ()
    include_type_only: bool = False

    @property
    def target(self) -> Group | None:
        """The group being adopted."""
        return next((g for g in self.groups if g.target), None)

    def classify(self, package: str, resolved: str) -> str | None:
        """The name of the first group an import of this package belongs to."""
        return next((g.name for g in self.groups if g.matches(package, resolved)), None)

    def to_json(self) -> dict[str, Any]:
        """The definitions, as recorded in a report's options."""
        return {
            "groups": [
                {"name": g.name, "packages": list(g.packages), "paths": list(g.paths), "target": g.target}
                for g in self.groups
            ],
            "include_type_only": self.include_type_only,
        }


def measure_adoption(records: Iterable[ImportRecord], groups: Groups) -> dict[str, Any] | None:
    """Per group: imports, files, components and their shares; None when no groups are configured."""
    if not groups.groups:
        return None
    imports = {g.name: 0 for g in groups.groups}
    files: dict[str, set[str]] = {g.name: set() for g in groups.groups}
    components: dict[str, set[tuple[str, str]]] = {g.name: set() for g in groups.groups}
    memo: dict[tuple[str, str], str | None] = {}
    by_name = {g.name: g for g in groups.groups}
    for record in records:
        if record.type_only and not groups.include_type_only:
            continue
        key = (record.package, record.resolved)
        if key not in memo:
            memo[key] = groups.classify(*key)
        name = memo[key]
        if name is not None and not by_name[name].contains_file(record.file):
            imports[name] += 1
            files[name].add(record.file)
            components[name].add((record.package, record.export))
    counts = {
        name: {"imports": imports[name], "files": len(files[name]), "components": len(components[name])}
        for name in imports
    }
    return adoption_json(counts, groups)


def adoption_json(counts: dict[str, dict[str, int]], groups: Groups) -> dict[str, Any]:
    """Counts per group -> the report's adoption block, with shares per metric."""
    totals = {metric: sum(c[metric] for c in counts.values()) for metric in METRICS}
    target = groups.target
    block: dict[str, Any] = {"target": target.name if target else None, "groups": {}}
    for group in groups.groups:
        count = counts[group.name]
        share = {m: round(count[m] / totals[m], 6) if totals[m] else 0.0 for m in METRICS}
        block["groups"][group.name] = {**count, "share": share, "target": group.target}
    block["target_share"] = block["groups"][target.name]["share"] if target else None
    return block
