"""Adoption groups, applied as a view over a run's usage counts (`depreport.tally.usage`).

A group matches an import by glob over its package id *or* its package id and subpath joined with `/`
(`@acme/ui/next`, `@acme/ui/next/**`: a trailing `/**` also matches the module itself), and/or by
gitignore-style glob over the repo path of a local module (`src/ui/**`). Each import belongs to the first
group that matches it. Shares are counted three ways over the imports that belong to some group: imports,
importing files and distinct components (package + export). A module of a local group's folder imported
from inside that folder is internal to it and not counted (a package of the group imported there counts).
Type-only imports count unless `include_type_only` is off.

Groups are applied when adoption is shown, not when a run is stored, so editing the configuration
re-groups every stored run at once (`adoption_of` over the run's `usage` block). A run that stored uses
also counts JSX instances and value uses per group (`instances` and `values`, and shares of instances),
and one that stored its local import graph says per group how many files depend on it only through
local modules and which local modules wrap it (`depreport.tally.wrappers`).

Over 300 lines on purpose: groups (matching, classifying) and the view over usage counts are one
concept; `wrappers` and `standing` already hold what could leave.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any, Literal, cast

import pathspec

from depreport.model import LOCAL_RESOLUTIONS
from depreport.report.shape import (
    Adoption,
    AdoptionOptions,
    GroupAdoption,
    GroupDefinition,
    Usage,
)
from depreport.resolve.versions import in_range, range_within
from depreport.scan.globs import gitignore_spec, literal_folder
from depreport.startindex import StartIndex
from depreport.tally.shown import bump, within
from depreport.tally.usage import AdoptionContext
from depreport.tally.wrappers import dependence, wrappers_json

__all__ = [
    "ALL_METRICS",
    "METRICS",
    "AdoptionContext",
    "Group",
    "Groups",
    "Metric",
    "ShareMetric",
    "adoption_json",
    "adoption_of",
    "bump",
]  # fmt: skip

Metric = Literal["imports", "files", "components"]
METRICS: tuple[Metric, ...] = ("imports", "files", "components")  # counted in every run
ShareMetric = Literal["imports", "files", "components", "instances"]
ALL_METRICS: tuple[ShareMetric, ...] = (*METRICS, "instances")  # instances: in runs that stored uses


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
        return gitignore_spec(self.paths) if self.paths else None

    def matches(self, package: str, resolved: str, version: str | None = None, subpath: str = "") -> bool:
        """Does an import of this package id and subpath (resolved this way, at this version) belong here?"""
        if any(glob_matches(glob, package, subpath) for glob in self.packages):
            return self.version is None or (version is not None and in_range(version, self.version))
        spec = self._paths
        if spec is None or resolved not in LOCAL_RESOLUTIONS:
            return False
        return spec.match_file(package) or spec.match_file(package + "/")

    def contains_folder(self, folder: str) -> bool:
        """Is this folder inside one of the group's local folders? (Imports made within it are internal.)"""
        return bool(folder) and self._paths is not None and self._paths.match_file(folder + "/")

    def contains_file(self, path: str) -> bool:
        """Is this file inside one of the group's local folders?"""
        return self._paths is not None and self._paths.match_file(path)

    def holds_import(self, path: str, package: str, resolved: str) -> bool:
        """Is this file's import of this package internal to the group: a module of the repo that lies,
        with the importing file, inside one of the group's folders? (A package imported there counts.)"""
        return resolved in LOCAL_RESOLUTIONS and self.contains_folder(within(path, package))


def glob_matches(glob: str, package: str, subpath: str = "") -> bool:
    """A `packages` glob against a package id, or the id and subpath joined (`@acme/ui/next`)."""
    if fnmatchcase(package, glob):
        return True
    module = f"{package}/{subpath}" if subpath else package
    return fnmatchcase(module, glob) or (glob.endswith("/**") and fnmatchcase(module, glob[:-3]))


@dataclass(frozen=True)
class Groups:
    """The configured groups, in matching order, and whether type-only imports count."""

    groups: tuple[Group, ...] = ()
    include_type_only: bool = True

    @property
    def target(self) -> Group | None:
        """The group being adopted."""
        return next((g for g in self.groups if g.target), None)

    @property
    def versioned(self) -> bool:
        """Does some group depend on dependency versions?"""
        return any(g.version is not None for g in self.groups)

    def group_of(
        self, package: str, resolved: str, version: str | None = None, subpath: str = ""
    ) -> Group | None:
        """The first group an import of this package (at this version) belongs to (remembered: a
        backfill asks again for every key of every week)."""
        if not self.groups:
            return None
        asked = (package, resolved, version, subpath)
        memo = self._answers
        if asked not in memo:
            groups = (self.groups[i] for i in self._candidates(package, resolved, subpath))
            memo[asked] = next((g for g in groups if g.matches(package, resolved, version, subpath)), None)
        return memo[asked]

    @cached_property
    def _answers(self) -> dict[tuple[str, str, str | None, str], Group | None]:
        return {}

    def _candidates(self, package: str, resolved: str, subpath: str) -> list[int]:
        """The groups (by index, in order) that may hold an import: those with a `packages` glob whose
        literal start begins its id, and those with `paths` for a module of the repo. Asking every
        group made 2,000 groups cost the square (11 s a scan)."""
        ids = (package, f"{package}/{subpath}") if subpath else (package,)
        found = {i for text in ids for _, i in self._glob_starts.candidates(text)}
        if resolved in LOCAL_RESOLUTIONS:
            found.update(i for i, group in enumerate(self.groups) if group.paths)
        return sorted(found)

    @cached_property
    def _glob_starts(self) -> StartIndex[int]:
        """The groups (by index) by the literal start of each of their `packages` globs (`_glob_start`)."""
        return StartIndex(
            (_glob_start(glob), i) for i, group in enumerate(self.groups) for glob in group.packages
        )

    def classify(
        self, package: str, resolved: str, version: str | None = None, subpath: str = ""
    ) -> str | None:
        """The name of the first group an import of this package (at this version) belongs to."""
        group = self.group_of(package, resolved, version, subpath)
        return group.name if group is not None else None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Groups:
        """The definitions recorded in a report's options (see `to_json`, an `AdoptionOptions`), read as
        any JSON: a header or summary may not have been checked yet; entries without a name are passed
        over."""
        groups = tuple(
            Group(
                str(g["name"]),
                tuple(g.get("packages", ())),
                tuple(g.get("paths", ())),
                bool(g.get("target")),
                g.get("version"),
            )
            for g in data.get("groups", ())
            if isinstance(g, dict) and "name" in g
        )
        return cls(groups, bool(data.get("include_type_only", True)))

    def to_json(self) -> AdoptionOptions:
        """The definitions, as recorded in a report's options."""
        return {"groups": [_definition(g) for g in self.groups], "include_type_only": self.include_type_only}


def _definition(group: Group) -> GroupDefinition:
    """One group as a report's options record it (its version only when it has one)."""
    found: GroupDefinition = {
        "name": group.name,
        "packages": list(group.packages),
        "paths": list(group.paths),
        "target": group.target,
    }
    if group.version:
        found["version"] = group.version
    return found


@dataclass
class _Tally:
    imports: int = 0
    files: int = 0
    components: set[tuple[str, str]] = field(default_factory=set)
    instances: int = 0
    values: int = 0

    def counts(self, uses: bool) -> dict[str, int]:
        counts = {"imports": self.imports, "files": self.files, "components": len(self.components)}
        return {**counts, "instances": self.instances, "values": self.values} if uses else counts


class _View:
    """Groups applied to one usage block: which group each key belongs to, then the counts."""

    def __init__(self, usage: Usage, groups: Groups) -> None:
        self.usage, self.groups = usage, groups
        # package, subpath, resolved, version, folder, and the local barrel passed ("" for none; older
        # runs stored keys without it)
        self.keys: list[tuple[Any, ...]] = [(*key, "")[:6] for key in usage["keys"]]
        self.owner_sets: list[list[str]] = usage["owners"]
        self.key_group = [self._group_of(key) for key in self.keys]

    def _group_of(self, key: tuple[Any, ...]) -> str | None:
        package, subpath, resolved, version, folder, _ = key
        group = self.groups.group_of(package, resolved, version, subpath)
        if group is None or (folder and group.contains_folder(folder)):
            return None  # ungrouped, or internal to a local group's own folder
        return group.name

    def tallies(self) -> tuple[dict[str, _Tally], dict[str, dict[str, _Tally]], dict[str, int]]:
        """Per group, per owner and group, and the files importing any group / any non-target group."""
        names = [g.name for g in self.groups.groups]
        total = {name: _Tally() for name in names}
        owners: dict[str, dict[str, _Tally]] = {}
        with_type = self.groups.include_type_only

        def tallies_of(owner_id: int, name: str) -> list[_Tally]:
            mine = [
                owners.setdefault(o, {n: _Tally() for n in names})[name] for o in self.owner_sets[owner_id]
            ]
            return [total[name], *mine]

        for owner_id, key_id, exports in self.usage["rows"]:
            name = self.key_group[key_id]
            if name is None:
                continue
            package = self.keys[key_id][0]
            tallies = tallies_of(owner_id, name)
            for export, (value, type_only) in exports.items():
                count = value + type_only if with_type else value
                if count:
                    for tally in tallies:
                        tally.imports += count
                        tally.components.add((package, export))
        target = self.groups.target
        files = {"grouped": 0, "left": 0}
        for owner_id, codes, count in self.usage["files"]:
            hit = {self.key_group[code >> 1] for code in codes if with_type or code & 1} - {None}
            for name in hit:
                for tally in tallies_of(owner_id, name):
                    tally.files += count
            files["grouped"] += count if hit else 0
            files["left"] += count if hit - {target.name if target else None} else 0
        for owner_id, key_id, exports in self.usage.get("uses") or ():
            name = self.key_group[key_id]
            if name is not None:
                instances = sum(counts[0] for counts in exports.values())
                values = sum(counts[1] for counts in exports.values())
                for tally in tallies_of(owner_id, name):
                    tally.instances += instances
                    tally.values += values
        return total, owners, files

    def shadowed(self) -> list[str]:
        """A warning for each group whose imports all go to groups listed before it (the first match wins),
        unless a group taking them has a version range that leaves some of its versions out: then the
        versions decide, not the order (the group of the other majors counts nothing once every file
        gets the new one). A group whose range lies within a range before it never counts anything."""
        order = [g.name for g in self.groups.groups]
        ranges = {g.name: g.version for g in self.groups.groups}
        counted = set(self.key_group)
        found = []
        for group in self.groups.groups:
            if group.name in counted:
                continue
            takers = {
                name
                for key, name in zip(self.keys, self.key_group, strict=True)
                if name is not None and group.matches(key[0], key[2], key[3], key[1])
            }
            if any(_covers(ranges[name], group.version) for name in takers):
                found.append(_shadowed(group.name, sorted(takers, key=order.index)))
        return found

    def unmatched(self) -> list[tuple[str, str, str, str]]:
        """Each `packages` glob or `paths` entry that matches nothing: group, key, pattern, and a warning
        that names the nearest ids seen."""
        keys_of: dict[str, list[tuple[Any, ...]]] = {}  # each id (package, package/subpath) -> its keys
        for key in self.keys:
            keys_of.setdefault(key[0], []).append(key)
            if key[1]:
                keys_of.setdefault(f"{key[0]}/{key[1]}", []).append(key)
        ids = sorted(keys_of)
        local = sorted({key[0] for key in self.keys if key[2] in LOCAL_RESOLUTIONS})
        found = []
        for group in self.groups.groups:
            for glob in group.packages:
                near = (k for i in _starting_with(ids, _glob_start(glob)) for k in keys_of[i])
                if not any(glob_matches(glob, key[0], key[1]) for key in near):
                    said = _workspace_hint(group, glob, self.usage.get("workspaces") or {})
                    if said is not None:
                        found.append((group.name, "workspace", glob, said))
                    else:
                        found.append(
                            (group.name, "packages", glob, _unmatched(group.name, "packages", glob, ids))
                        )
            for pattern in group.paths:
                spec = gitignore_spec([pattern])
                candidates = _starting_with(local, literal_folder(pattern) or "")
                if not any(spec.match_file(m) or spec.match_file(m + "/") for m in candidates):
                    found.append(
                        (group.name, "paths", pattern, _unmatched(group.name, "paths", pattern, local))
                    )
        return found


def _glob_start(glob: str) -> str:
    """What every id a `packages` glob matches starts with: its text before the first wildcard (of the
    glob without a last `/**`, which also matches the module itself). Only the ids starting so are
    tried: 2,000 groups' globs against every import took 38 million matches."""
    body = glob.removesuffix("/**")
    return body[: min((i for i, c in enumerate(body) if c in "*?["), default=len(body))]


def _starting_with(ids: list[str], prefix: str) -> list[str]:
    """The ids of a sorted list that start with `prefix`."""
    start = bisect.bisect_left(ids, prefix)
    end = start
    while end < len(ids) and ids[end].startswith(prefix):
        end += 1
    return ids[start:end]


def _covers(earlier: str | None, later: str | None) -> bool:
    """Does a group's version range (None: any) take every version a group after it allows?"""
    return earlier is None or (later is not None and range_within(later, earlier))


def _shadowed(group: str, takers: list[str]) -> str:
    before = " and ".join(repr(name) for name in takers)
    return (
        f"group {group!r} counts no import: every import it matches goes to {before}, listed before it "
        "(the first group that matches takes an import); list it first if it narrows that group"
    )


def _workspace_hint(group: Group, glob: str, workspaces: dict[str, str]) -> str | None:
    """The warning for a `packages` glob naming workspace packages of the repo, whose imports count as
    the repo's own modules, under their folders; None when it names none whose folder the group's
    `paths` leave out (a glob kept for the weeks before the package joined the workspaces)."""
    named = {folder for name, folder in workspaces.items() if fnmatchcase(name, glob)}
    folders = sorted(folder for folder in named if not group.contains_folder(folder))
    if not folders:
        return None
    paths = ", ".join(f'"{folder}/**"' for folder in folders[:3]) + (", …" if len(folders) > 3 else "")
    return (
        f"group {group.name!r}: packages entry {glob!r} matches no import in this code: it names a workspace "
        f"package of the repo, whose imports count as the repo's own modules, in its folder: give "
        f"paths = [{paths}] instead"
    )


def _unmatched(group: str, key: str, pattern: str, seen: list[str]) -> str:
    wanted = pattern.rstrip("*/")
    nearest = difflib.get_close_matches(wanted, _near(wanted, seen), n=3, cutoff=0.5)
    hint = f"; nearest seen: {', '.join(nearest)}" if nearest else ""
    return f"group {group!r}: {key} entry {pattern!r} matches no import in this code{hint}"


_MOST_COMPARED = 200  # ids compared letter by letter for the nearest: the cost of a warning stays small


def _near(wanted: str, seen: list[str]) -> list[str]:
    """The ids (of a sorted list) worth comparing with `wanted`: its siblings (or else everything) under
    the deepest of its folders (or scopes) holding three ids, else every id; at most `_MOST_COMPARED`,
    those sharing the most letters first. A backfill warns of a pattern every week until its library
    arrives: comparing it with every id each week took longer than the backfill's parsing."""
    parts = wanted.split("/")
    chosen = seen
    for depth in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:depth]) + "/"
        under = _starting_with(seen, folder)
        if len(under) >= 3:
            siblings = [i for i in under if i.count("/") == len(parts) - 1]
            chosen = siblings if len(siblings) >= 3 else under
            break
    if len(chosen) <= _MOST_COMPARED:
        return chosen
    letters = Counter(wanted)

    def shared(candidate: str) -> float:  # difflib's quick_ratio: an upper bound of the ratio it ranks by
        return 2 * (letters & Counter(candidate)).total() / (len(wanted) + len(candidate))

    return sorted(chosen, key=lambda i: (-shared(i), i))[:_MOST_COMPARED]


def lasting_warnings(blocks: list[Adoption]) -> list[str]:
    """The warnings of the newest of these adoption blocks (oldest first, one grouping), less those of
    patterns an older block did match: a pattern kept for the weeks before a rename is no mistake. A
    package that joined the workspaces is always said: its imports moved to a folder no group counts."""
    if not blocks:
        return []
    newest = blocks[-1]
    unmatched = [tuple(u) for u in newest.get("unmatched") or ()]
    older = [
        {tuple(u) for u in b.get("unmatched") or ()} for b in blocks[:-1] if b.get("unmatched") is not None
    ]
    matched_before = {
        u for u in unmatched if u[1] != "workspace" and any(u not in earlier for earlier in older)
    }
    warnings = list(newest.get("warnings") or ())
    return [w for i, w in enumerate(warnings) if i >= len(unmatched) or unmatched[i] not in matched_before]


def adoption_of(
    usage: Usage | dict[str, Any] | None, groups: Groups, metric: str = "imports"
) -> Adoption | None:
    """The adoption block of a run under these groups, from the run's `usage` block (a stored run's, or
    the `dict` a live tally makes: `depreport.tally.usage.UsageTally.to_json`, of the same shape).

    None when no groups are configured or the run has no usage block (made by an older version). A run
    stored before uses were counted has no instance counts: asked for `metric="instances"`, the block
    says so in a warning rather than showing zeros.
    """
    if not groups.groups or not usage:
        return None
    usage = cast(Usage, usage)
    view = _View(usage, groups)
    total, owners, files = view.tallies()
    uses = "uses" in usage
    block = adoption_json({name: t.counts(uses) for name, t in total.items()}, groups)
    target = groups.target
    others = [t for name, t in total.items() if target is None or name != target.name]
    block["left"] = {
        "imports": sum(t.imports for t in others),
        "components": sum(len(t.components) for t in others),
        "files": files["left"],
        "grouped_files": files["grouped"],
        **({"instances": sum(t.instances for t in others)} if uses else {}),
    }
    _add_dependence(block, view)
    unmatched = view.unmatched()
    block["unmatched"] = [list(u[:3]) for u in unmatched]
    warnings = block["warnings"] = (
        [u[3] for u in unmatched]
        + view.shadowed()
        + [
            f"local modules re-export from each other in a cycle: {' -> '.join(cycle)}; imports through "
            "them count where they stand"
            for cycle in usage.get("barrel_cycles") or ()
        ]
    )
    if groups.versioned and not usage.get("versioned"):
        warnings.append(
            "a group has a version range, but this run recorded no dependency versions: its imports count "
            "for no versioned group (scan again, or backfill into a new store, with this configuration)"
        )
    if metric == "instances" and not uses:
        warnings.append(NO_INSTANCES)
    if usage.get("owned"):
        block["by_owner"] = {
            owner: adoption_json({name: t.counts(uses) for name, t in tallies.items()}, groups)
            for owner, tallies in sorted(owners.items())
            if any(t.imports for t in tallies.values())
        }
    return block


NO_INSTANCES = (
    "this run was stored before depreport counted component instances: it has no instance numbers "
    "(scan again, or backfill into a new store, with this version)"
)


def _add_dependence(block: Adoption, view: _View) -> None:
    """Direct and indirect files and the wrappers of each group, when the run stored its import graph."""
    names = [g.name for g in view.groups.groups]
    target = view.groups.target
    found = dependence(
        view.usage, view.key_group, names, target.name if target else None, view.groups.include_type_only
    )
    if found is None:
        return
    for name, group in block["groups"].items():
        group["files_direct"] = group["files"]
        group["files_indirect"] = found.indirect[name]
        group["wrappers"] = wrappers_json(found.wrappers[name])
    block.setdefault("left", {})["indirect_files"] = found.left_indirect


def adoption_json(counts: dict[str, dict[str, int]], groups: Groups) -> Adoption:
    """Counts per group -> the report's adoption block, with shares per metric."""
    metrics = [m for m in ALL_METRICS if all(m in c for c in counts.values())]
    totals = {metric: sum(c[metric] for c in counts.values()) for metric in metrics}
    target = groups.target
    found: dict[str, GroupAdoption] = {}
    for group in groups.groups:
        count = counts[group.name]
        share = {m: round(count[m] / totals[m], 6) if totals[m] else 0.0 for m in metrics}
        # the counts are METRICS (+ instances, values): the keys of GroupAdoption, checked by the tests
        found[group.name] = cast(GroupAdoption, {**count, "share": share, "target": group.target})
    share_of_target = found[target.name]["share"] if target else None
    return {"target": target.name if target else None, "groups": found, "target_share": share_of_target}
