"""Which version of a dependency a file sees: its nearest package.json, refined by the lockfile that
speaks for its folder (`depreport.resolve.lockfiles`: npm, pnpm or yarn, at the root or below it).

For monorepos whose workspaces pin different majors of one library, so that an adoption group can be
"evergreen-ui, version <4".
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from functools import cache

import nodesemver

from depreport.model import Problem, ProblemReason
from depreport.resolve.lockfiles import read_lockfiles
from depreport.resolve.tsconfig import ReadText
from depreport.resolve.workspaces import DEPENDENCY_KEYS, PNPM_WORKSPACE, YARNRC, catalogs, json_object


@cache
def satisfies(version: str, spec: str) -> bool:
    """Does an exact version satisfy an npm range (`<4`, `^3.2`, `>=2 <5`)?"""
    try:
        return bool(nodesemver.satisfies(version, spec, loose=True))
    except (ValueError, TypeError):
        return False


def in_range(version: str, spec: str) -> bool:
    """Does the version a file gets fall in a group's range? As npm reads the range, or, for a
    prerelease, as the release it leads to: `5.4.0-prerelease.2` is on the 5 line (in `<6` and `^5`,
    which npm's rule for what to install keeps it out of, as neither names a prerelease of 5.4.0) and
    `6.0.0-alpha.1` on the 6 line (in `>=6`, not in `<6`)."""
    if satisfies(version, spec):
        return True
    try:
        parsed = nodesemver.make_semver(version, loose=True)
    except (ValueError, TypeError):
        return False
    return bool(parsed.prerelease) and satisfies(f"{parsed.major}.{parsed.minor}.{parsed.patch}", spec)


def valid_range(spec: str) -> bool:
    """Is this an npm version range?"""
    try:
        return nodesemver.valid_range(spec, loose=True) is not None
    except (ValueError, TypeError):
        return False


def range_within(inner: str, outer: str) -> bool:
    """Does every version `inner` allows satisfy `outer` too (`>=4.3` within `>=4`, `^4` not within
    `>=4.3`)? Both are unions of intervals whose ends are the versions they name, so a version one allows
    and the other does not is found among those versions and their next and previous ones."""
    try:
        named = [
            comparator.semver
            for spec in (inner, outer)
            for alternatives in nodesemver.make_range(spec, loose=True).set
            for comparator in alternatives
            if comparator.semver is not nodesemver.ANY
        ]
    except (ValueError, TypeError):
        return False
    tried = {(0, 0, 0), (_HUGE, 0, 0)}
    for v in named:
        major, minor, patch = v.major, v.minor, v.patch
        tried |= {(major, minor, patch), (major, minor, patch + 1), (major, minor + 1, 0), (major + 1, 0, 0)}
        tried |= {
            (major, minor, patch - 1)
            if patch
            else (major, minor - 1, _HUGE)
            if minor
            else (major - 1, _HUGE, _HUGE)
        }
    versions = [".".join(map(str, t)) for t in tried if min(t) >= 0]
    return all(satisfies(version, outer) for version in versions if satisfies(version, inner))


_HUGE = 999_999  # a part of a version above any a range names


def lowest_version(spec: str) -> str | None:
    """The lowest version an npm dependency spec allows (`^3.4.1` -> `3.4.1`); None for tags, URLs, paths."""
    spec = _range_of(spec.strip())
    try:
        ranges = nodesemver.make_range(spec, loose=True)
    except (ValueError, TypeError):
        return None
    floors = [
        str(comparator.semver)
        for alternatives in ranges.set
        for comparator in alternatives
        if comparator.operator in ("", "=", ">=") and comparator.semver is not nodesemver.ANY
    ]
    if not floors:
        return "0.0.0" if spec in ("*", "", "x", "latest") else None
    return min(floors, key=_key)


def _range_of(spec: str) -> str:
    """The version range of a dependency spec (`npm:name@^3` -> `^3`)."""
    return spec.rpartition("@")[2] if spec.startswith("npm:") else spec


def _key(version: str) -> tuple[int, ...]:
    parsed = nodesemver.make_semver(version, loose=True)
    return (parsed.major, parsed.minor, parsed.patch)


class DependencyVersions:
    """The version of each dependency as seen from each folder of the repo."""

    def __init__(
        self, read: ReadText, manifests: Iterable[str], problems: list[Problem] | None = None
    ) -> None:
        self._read = read
        manifests = list(manifests)
        self._folders = {posixpath.dirname(m) for m in manifests}
        self._lock = read_lockfiles(read, manifests, problems)  # a lockfile it cannot use is a problem
        self._catalogs = catalogs(read, problems)
        self._problems = problems if problems is not None else []
        self._declared: dict[str, dict[str, str]] = {}
        self._seen: dict[tuple[str, str], str | None] = {}  # (folder, package) -> its version
        for folder in sorted(self._folders):  # every manifest now: its problems do not depend on the files
            self._dependencies(folder)

    def version(self, file: str, package: str) -> str | None:
        """The version of `package` that `file` gets, from the nearest package.json declaring it: the
        copy locked in its folder (npm's path, pnpm's folder, yarn's declared range), else the one Node
        finds in a parent folder when it satisfies the declared range (hoisted, or a peer dependency the
        app above declares and installs), else the range's lowest. A dependency no package.json above the
        file declares (one that comes with another) is the copy Node finds: locked nearest the file (npm's
        path), or the one version of it the nearest yarn.lock locks (hoisted)."""
        return self._in_folder(posixpath.dirname(file), package)

    def _in_folder(self, start: str, package: str) -> str | None:
        """`version` for the files of one folder, worked out once per folder and package (a scan asks
        for every import of every file)."""
        key = (start, package)
        if key not in self._seen:
            self._seen[key] = self._look_up(start, package)
        return self._seen[key]

    def _look_up(self, start: str, package: str) -> str | None:
        """`version`, from the folder up."""
        folder = start
        while True:
            if folder in self._folders:
                spec = self._dependencies(folder).get(package)
                if spec is not None:
                    prefix = f"{folder}/" if folder else ""
                    own = self._lock.paths.get(f"{prefix}node_modules/{package}")
                    if own is None:
                        own = self._lock.in_folder(folder, package, spec)
                    if own is not None:
                        return own
                    above = self._locked_above(folder, package)
                    if above is None and folder:  # a peer dependency: the app's copy, declared above
                        above = self._in_folder(posixpath.dirname(folder), package)
                    if above is not None and satisfies(above, _range_of(spec)):
                        return above
                    return lowest_version(spec)
            if not folder:
                prefix = f"{start}/" if start else ""
                own = self._lock.paths.get(f"{prefix}node_modules/{package}")
                if own is None:
                    own = self._locked_above(start, package)
                return own if own is not None else self._lock.only_yarn_copy(start, package)
            folder = posixpath.dirname(folder)

    def _locked_above(self, folder: str, package: str) -> str | None:
        """The locked copy of `package` in the nearest node_modules of a folder above `folder`."""
        while folder:
            folder = posixpath.dirname(folder)
            prefix = f"{folder}/" if folder else ""
            locked = self._lock.paths.get(f"{prefix}node_modules/{package}")
            if locked is not None:
                return locked
        return None

    def _dependencies(self, folder: str) -> dict[str, str]:
        if folder not in self._declared:
            path = posixpath.join(folder, "package.json")
            manifest = json_object(self._read(path))
            merged: dict[str, str] = {}
            for key in DEPENDENCY_KEYS:
                section = manifest.get(key)
                if isinstance(section, dict):
                    merged.update(
                        {k: self._catalog_range(path, k, v) for k, v in section.items() if isinstance(v, str)}
                    )
            self._declared[folder] = merged
        return self._declared[folder]

    def _catalog_range(self, manifest: str, package: str, spec: str) -> str:
        """A `catalog:` / `catalog:NAME` spec (pnpm, yarn) as the range its catalog gives the package. When
        no catalog names it (pnpm and yarn refuse to install such a manifest), that is a problem of the
        manifest; then, and when the catalogs are unknown, the spec itself is kept: no version."""
        if not spec.startswith("catalog:"):
            return spec
        if self._catalogs is None:  # a catalog file does not parse: said where it is read
            return spec
        name = spec.removeprefix("catalog:").strip() or "default"
        found = self._catalogs.get(name, {}).get(package)
        if found is None:
            where = "the default catalog" if name == "default" else f"a catalog named {name!r}"
            message = (
                f"{manifest} declares {package} as {spec!r}, but {where} in {PNPM_WORKSPACE} or {YARNRC} has "
                f"no entry for it: its version is unknown, so groups with a version range do not count its "
                f"imports; add `{package}` to that catalog"
            )
            self._problems.append(Problem(manifest, ProblemReason.SYNTAX_ERROR.value, message))
            return spec
        return found


def declared_dependencies(read: ReadText, manifests: Iterable[str]) -> frozenset[str]:
    """Every package a package.json of the repo names as a dependency, of any kind."""
    names: set[str] = set()
    for manifest in manifests:
        found = json_object(read(manifest))
        for key in DEPENDENCY_KEYS:
            section = found.get(key)
            if isinstance(section, dict):
                names.update(section)
    return frozenset(names)
