"""Adoption groups: which imports belong to the library being adopted, and which to what it replaces.

A group matches package ids by glob (`evergreen-ui`, `@acme/*`) and/or local module paths by
gitignore-style glob (`src/ui/**`). Each import belongs to the first group that matches it. Shares are
computed over the imports that belong to some group, by three metrics: imports, importing files and
distinct components (package + export). Imports made inside a local group's own folder are internal to
it and not counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

import pathspec

from depreport.model import LOCAL_RESOLUTIONS, ImportRecord
from depreport.owners import UNOWNED
from depreport.versions import satisfies

METRICS = ("imports", "files", "components")


@dataclass(frozen=True)
class Group:
    """A named set of packages and/or local folders; one group is the adoption target."""

    name: str
    packages: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    target: bool = False
    version: str | None = None  # npm range the importing file's dependency version must satisfy

    @cached_property
    def _paths(self) -> pathspec.GitIgnoreSpec | None:
        return pathspec.GitIgnoreSpec.from_lines(self.paths) if self.paths else None

    def matches(self, package: str, resolved: str, version: str | None = None) -> bool:
        """Does an import of this package id (resolved this way, at this version) belong to the group?"""
        if any(fnmatchcase(package, glob) for glob in self.packages):
            return self.version is None or (version is not None and satisfies(version, self.version))
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

    @property
    def versioned(self) -> bool:
        """Does some group depend on dependency versions?"""
        return any(g.version is not None for g in self.groups)

    def classify(self, package: str, resolved: str, version: str | None = None) -> str | None:
        """The name of the first group an import of this package (at this version) belongs to."""
        return next((g.name for g in self.groups if g.matches(package, resolved, version)), None)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Groups:
        """The definitions recorded in a report's options (see `to_json`)."""
        groups = tuple(
            Group(
                g["name"],
                tuple(g.get("packages", ())),
                tuple(g.get("paths", ())),
                bool(g.get("target")),
                g.get("version"),
            )
            for g in data.get("groups", ())
        )
        return cls(groups, bool(data.get("include_type_only", False)))

    def to_json(self) -> dict[str, Any]:
        """The definitions, as recorded in a report's options."""
        return {
            "groups": [
                {
                    "name": g.name,
                    "packages": list(g.packages),
                    "paths": list(g.paths),
                    "target": g.target,
                    **({"version": g.version} if g.version else {}),
                }
                for g in self.groups
            ],
            "include_type_only": self.include_type_only,
        }


@dataclass(frozen=True)
class AdoptionContext:
    """What classifying an import may need besides the import: dependency versions, file owners."""

    version: Callable[[str, str], str | None] | None = None  # (file, package) -> version
    owners: Callable[[str], tuple[str, ...]] | None = None  # file -> owners (CODEOWNERS)


@dataclass
class _Tally:
    imports: int = 0
    files: Counter[str] = field(default_factory=Counter)
    components: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, path: str, component: tuple[str, str], sign: int) -> None:
        self.imports += sign
        bump(self.files, path, sign)
        bump(self.components, component, sign)

    def counts(self) -> dict[str, int]:
        return {"imports": self.imports, "files": len(self.files), "components": len(self.components)}

    def save(self) -> tuple[int, dict[str, int], dict[tuple[str, str], int]]:
        return (self.imports, dict(self.files), dict(self.components))

    @classmethod
    def restore(cls, saved: tuple[int, dict[str, int], dict[tuple[str, str], int]]) -> _Tally:
        imports, files, components = saved
        return cls(imports, Counter(files), Counter(components))


class AdoptionCounter:
    """Imports, files and components per group (and per owner), updated file by file."""

    def __init__(self, groups: Groups, context: AdoptionContext | None = None) -> None:
        self.groups = groups
        self.context = context or AdoptionContext()
        self._by_name = {g.name: g for g in groups.groups}
        self._tallies: dict[str, _Tally] = {g.name: _Tally() for g in groups.groups}
        self._by_owner: dict[str, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
        self._memo: dict[tuple[str, str, str | None], str | None] = {}

    def apply(self, path: str, records: Iterable[ImportRecord], sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) the records of one file."""
        if not self.groups.groups:
            return
        owners = (self.context.owners(path) or (UNOWNED,)) if self.context.owners else ()
        for record in records:
            name = self._group_of(path, record)
            if name is None or self._by_name[name].contains_file(path):
                continue
            component = (record.package, record.export)
            self._tallies[name].add(path, component, sign)
            for owner in owners:
                self._by_owner[owner][name].add(path, component, sign)

    def save(self) -> tuple[Any, ...]:
        """The counts in plain values, for `restore` in a later run under the same groups and context."""
        tallies = {name: tally.save() for name, tally in self._tallies.items()}
        owners = {
            owner: {name: t.save() for name, t in by_group.items()}
            for owner, by_group in self._by_owner.items()
        }
        return (tallies, owners)

    @classmethod
    def restore(cls, groups: Groups, context: AdoptionContext, saved: tuple[Any, ...]) -> AdoptionCounter:
        """The counter `save` saw."""
        counter = cls(groups, context)
        tallies, owners = saved
        counter._tallies.update({name: _Tally.restore(t) for name, t in tallies.items()})
        for owner, by_group in owners.items():
            counter._by_owner[owner].update({name: _Tally.restore(t) for name, t in by_group.items()})
        return counter

    def _group_of(self, path: str, record: ImportRecord) -> str | None:
        if record.type_only and not self.groups.include_type_only:
            return None
        version = None
        if self.groups.versioned and self.context.version is not None:
            version = self.context.version(path, record.package)
        key = (record.package, record.resolved, version)
        if key not in self._memo:
            self._memo[key] = self.groups.classify(*key)
        return self._memo[key]

    def to_json(self) -> dict[str, Any] | None:
        """The report's adoption block, or None when no groups are configured."""
        if not self.groups.groups:
            return None
        block = adoption_json({name: t.counts() for name, t in self._tallies.items()}, self.groups)
        if self.context.owners is not None:
            block["by_owner"] = {
                owner: adoption_json(
                    {
                        name: tallies[name].counts() if name in tallies else _Tally().counts()
                        for name in self._by_name
                    },
                    self.groups,
                )
                for owner, tallies in sorted(self._by_owner.items())
                if any(t.imports for t in tallies.values())
            }
        return block


def bump(counter: Counter[Any], key: Any, by: int) -> None:
    """Add to a counter, dropping the key at zero (removal must leave no trace)."""
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
