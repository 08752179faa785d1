"""Adoption groups: which imports belong to the library being adopted, and which to what it replaces.

A group matches package ids by glob (`evergreen-ui`, `@acme/*`) and/or local module paths by
gitignore-style glob (`src/ui/**`). Each import belongs to the first group that matches it. Shares are
computed over the imports that belong to some group, by three metrics: imports, importing files and
distinct components (package + export). Imports made inside a local group's own folder are internal to
it and not counted.
"""

from __future__ import annotations

from collections import Counter
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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Groups:
        """The definitions recorded in a report's options (see `to_json`)."""
        groups = tuple(
            Group(g["name"], tuple(g.get("packages", ())), tuple(g.get("paths", ())), bool(g.get("target")))
            for g in data.get("groups", ())
        )
        return cls(groups, bool(data.get("include_type_only", False)))

    def to_json(self) -> dict[str, Any]:
        """The definitions, as recorded in a report's options."""
        return {
            "groups": [
                {"name": g.name, "packages": list(g.packages), "paths": list(g.paths), "target": g.target}
                for g in self.groups
            ],
            "include_type_only": self.include_type_only,
        }


class AdoptionCounter:
    """Imports, files and components per group, updated file by file (added or removed)."""

    def __init__(self, groups: Groups) -> None:
        self.groups = groups
        self._by_name = {g.name: g for g in groups.groups}
        self._imports: Counter[str] = Counter()
        self._files: dict[str, Counter[str]] = {g.name: Counter() for g in groups.groups}
        self._components: dict[str, Counter[tuple[str, str]]] = {g.name: Counter() for g in groups.groups}
        self._memo: dict[tuple[str, str], str | None] = {}

    def apply(self, path: str, records: Iterable[ImportRecord], sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) the records of one file."""
        if not self.groups.groups:
            return
        for record in records:
            if record.type_only and not self.groups.include_type_only:
                continue
            key = (record.package, record.resolved)
            if key not in self._memo:
                self._memo[key] = self.groups.classify(*key)
            name = self._memo[key]
            if name is None or self._by_name[name].contains_file(path):
                continue
            self._imports[name] += sign
            _bump(self._files[name], path, sign)
            _bump(self._components[name], (record.package, record.export), sign)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per group: imports, files, components."""
        return {
            name: {"imports": self._imports[name], "files": len(self._files[name]),
                   "components": len(self._components[name])}
            for name in self._by_name
        }  # fmt: skip

    def to_json(self) -> dict[str, Any] | None:
        """The report's adoption block, or None when no groups are configured."""
        return adoption_json(self.counts(), self.groups) if self.groups.groups else None


def measure_adoption(records: Iterable[ImportRecord], groups: Groups) -> dict[str, Any] | None:
    """Per group: imports, files, components and their shares; None when no groups are configured."""
    counter = AdoptionCounter(groups)
    by_file: dict[str, list[ImportRecord]] = {}
    for record in records:
        by_file.setdefault(record.file, []).append(record)
    for path, found in by_file.items():
        counter.apply(path, found, +1)
    return counter.to_json()


def _bump(counter: Counter[Any], key: Any, by: int) -> None:
    value = counter[key] + by
    if value > 0:
        counter[key] = value
    else:
        del counter[key]


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
