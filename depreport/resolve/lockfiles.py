"""The repo's lockfiles: the exact version installed for each dependency.

A lockfile is read in every folder holding a package.json, the root's and those below it (an app in
`frontend/` with its own `package-lock.json`), each speaking for the folders under it:

* npm's `package-lock.json`: `node_modules/...` paths and their versions (v2/v3 `packages`; v1 the
  nested `dependencies` tree, an npm alias's version being `npm:name@version`).
* pnpm's `pnpm-lock.yaml`: per workspace folder (an *importer*, the root included), the version each of
  its direct dependencies got (v6 to v9 `{specifier, version}`, v5 plain versions; peer suffixes such
  as `4.4.3(react@16.14.0)` dropped). Only the lockfile's top-level sections for direct dependencies are
  parsed, not its list of every package.
* yarn's `yarn.lock`, classic (v1) and berry: the version each declared range resolved to
  (`"evergreen-ui@^6.0.0", "evergreen-ui@^6.1.0":` / `"evergreen-ui@npm:^6.0.0":` and its `version`).

Paths and folders of a lockfile below the root are made repo-relative; where two lockfiles speak for one
folder, the nearest one above it wins, as for the package manager run there. A lockfile that does not
parse, or holds a merge's conflict markers, gives no versions (the declared ranges then stand) and is a
problem naming it; `depreport.resolve.versions` decides which one a file sees.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import yaml

from depreport.model import Problem, ProblemReason
from depreport.resolve.tsconfig import ReadText
from depreport.resolve.workspaces import DEPENDENCY_KEYS

LOCKFILES = ("package-lock.json", "pnpm-lock.yaml", "yarn.lock")
_PNPM_SECTIONS = ("importers", "specifiers", "optionalDependencies", "devDependencies", "dependencies")
_VERSION = re.compile(r"\d+\.\d+\.\d+\S*")
_T = TypeVar("_T")
_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$))", re.M)  # git's merge conflict markers


@dataclass(frozen=True)
class Locked:
    """What the repo's lockfiles say was installed."""

    paths: dict[str, str] = field(default_factory=dict)  # npm: `node_modules/...` path -> version
    importers: dict[str, dict[str, str]] = field(default_factory=dict)  # pnpm: folder -> package -> version
    # yarn: the folder of each yarn.lock -> (package, range) -> version
    ranges: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    # yarn: the folder of each yarn.lock -> package -> its version, for a package locked at one version
    only_copies: dict[str, dict[str, str]] = field(default_factory=dict)

    def in_folder(self, folder: str, package: str, spec: str) -> str | None:
        """The version a package declared as `spec` in `folder`'s package.json was locked at, by pnpm or
        yarn (npm's is found by path): by the nearest yarn.lock at or above the folder."""
        pinned = self.importers.get(folder, {}).get(package)
        if pinned is not None:
            return pinned
        while folder not in self.ranges and folder:
            folder = posixpath.dirname(folder)
        return self.ranges.get(folder, {}).get((package, spec.removeprefix("npm:")))

    def only_yarn_copy(self, folder: str, package: str) -> str | None:
        """The version of `package` the nearest yarn.lock at or above the folder locks, when it locks one
        version of it: the copy hoisted to that folder's node_modules, which Node finds from below."""
        while folder not in self.ranges and folder:
            folder = posixpath.dirname(folder)
        return self.only_copies.get(folder, {}).get(package)


def lockfile_paths(manifests: Iterable[str]) -> tuple[str, ...]:
    """Every lockfile `read_lockfiles` may read: those beside the root and each package.json."""
    return tuple(posixpath.join(folder, name) for folder in _folders(manifests) for name in LOCKFILES)


def read_lockfiles(
    read: ReadText, manifests: Iterable[str] = (), problems: list[Problem] | None = None
) -> Locked:
    """The versions the lockfiles beside the root and each package.json lock, repo-relative; a lockfile
    that cannot be used is a problem in `problems`."""
    sink = problems if problems is not None else []
    locked = Locked()
    for folder in _folders(manifests):
        prefix = f"{folder}/" if folder else ""
        npm = _usable(read, prefix + "package-lock.json", _npm_lock, sink) or {}
        locked.paths.update((prefix + path, version) for path, version in _npm_paths(npm))
        pnpm = _usable(read, prefix + "pnpm-lock.yaml", _pnpm_importers, sink) or {}
        for importer, versions in pnpm.items():
            locked.importers[posixpath.join(folder, importer).rstrip("/")] = versions
        yarn = _usable(read, prefix + "yarn.lock", _yarn_ranges, sink)
        if yarn is not None:
            locked.ranges[folder] = yarn
            locked.only_copies[folder] = _only_copies(yarn)
    return locked


def _folders(manifests: Iterable[str]) -> list[str]:
    """The root and the folder of each manifest, shallow ones first (a nearer lockfile's word on a
    folder is then the one kept)."""
    folders = {posixpath.dirname(manifest) for manifest in manifests} | {""}
    return sorted(folders, key=lambda folder: (folder.count("/") + bool(folder), folder))


def _npm_paths(npm: dict[str, object]) -> Iterator[tuple[str, str]]:
    """A package-lock.json's `node_modules/...` paths and their versions (v2/v3, or v1's tree)."""
    packages = npm.get("packages")
    if not isinstance(packages, dict):
        yield from _tree_versions(npm.get("dependencies"), "node_modules/")
        return
    for path, entry in packages.items():
        if isinstance(entry, dict) and isinstance(entry.get("version"), str) and "node_modules/" in path:
            yield path, entry["version"]


class _Unusable(ValueError):
    """A lockfile whose versions cannot be used: why, in words."""


def _usable(read: ReadText, name: str, parse: Callable[[str], _T], problems: list[Problem]) -> _T | None:
    """What `parse` makes of the lockfile `name`; None when there is none, or (and a problem) when it
    does not parse or holds conflict markers (a side of the conflict would be lost without a word)."""
    text = read(name)
    if not text:
        return None
    text = text.removeprefix("\ufeff")
    conflict = _CONFLICT.search(text)
    try:
        if conflict is not None:
            line = text.count("\n", 0, conflict.start()) + 1
            raise _Unusable(f"has git merge conflict markers (line {line})")
        if "\0" in text:
            raise _Unusable("is not UTF-8 text (saved as UTF-16?)")
        return parse(text)
    except _Unusable as error:
        problems.append(_problem(name, str(error)))
        return None


def _problem(name: str, what: str) -> Problem:
    message = (
        f"{name} {what}: the versions it locks are not used, so a version-ranged group sees the lowest "
        "version each declared range allows; fix the file (an install writes it again)"
    )
    return Problem(name, ProblemReason.SYNTAX_ERROR.value, message)


def _npm_lock(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        why = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise _Unusable(f"is not valid JSON ({why})") from error
    if not isinstance(data, dict):
        raise _Unusable("is not a JSON object")
    return data


def _tree_versions(tree: object, prefix: str) -> Iterator[tuple[str, str]]:
    """A version 1 package-lock's nested `dependencies` as `node_modules/...` paths and versions."""
    if not isinstance(tree, dict):
        return
    for name, entry in tree.items():
        if not isinstance(entry, dict):
            continue
        path = f"{prefix}{name}"
        version = entry.get("version")
        if isinstance(version, str):
            yield path, version.rpartition("@")[2] if version.startswith("npm:") else version
        yield from _tree_versions(entry.get("dependencies"), f"{path}/node_modules/")


def _pnpm_importers(text: str) -> dict[str, dict[str, str]]:
    """Folder ('' for the root) -> direct dependency -> locked version."""
    try:
        data = yaml.load(_top_level_sections(text, _PNPM_SECTIONS), Loader=_LOADER)
    except (yaml.YAMLError, RecursionError) as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise _Unusable(f"is not valid YAML ({why})") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _Unusable("is not a YAML mapping")
    importers = data.get("importers")
    if not isinstance(importers, dict):
        importers = {".": data}  # a single project's lockfile
    found: dict[str, dict[str, str]] = {}
    for folder, entry in importers.items():
        if not isinstance(folder, str) or not isinstance(entry, dict):
            continue
        versions: dict[str, str] = {}
        for kind in DEPENDENCY_KEYS:
            section = entry.get(kind)
            for name, value in section.items() if isinstance(section, dict) else ():
                version = _pnpm_version(value.get("version") if isinstance(value, dict) else value)
                if isinstance(name, str) and version is not None:
                    versions[name] = version
        found["" if folder == "." else folder.removeprefix("./").rstrip("/")] = versions
    return found


def _pnpm_version(value: object) -> str | None:
    """`4.4.3(react@16.14.0)` (v6+), `4.4.3_react@16.14.0` (v5), `string-width@4.2.3` (an alias) ->
    `4.4.3`; None for `link:` and `file:` entries."""
    if not isinstance(value, str):
        return None
    version = value.split("(", 1)[0].split("_", 1)[0].rpartition("@")[2]
    return version if _VERSION.fullmatch(version) else None


def _top_level_sections(text: str, names: tuple[str, ...]) -> str:
    """The lines of the YAML text's top-level sections with these names (the rest may be megabytes)."""
    kept: list[str] = []
    keeping = False
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            keeping = line.split(":", 1)[0].strip("'\"") in names
        if keeping:
            kept.append(line)
    return "\n".join(kept)


def _yarn_ranges(text: str) -> dict[tuple[str, str], str]:
    """(package, declared range) -> the version it resolved to, from yarn classic's or berry's lockfile."""
    found: dict[tuple[str, str], str] = {}
    descriptors: list[str] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace():  # an entry: `"a@^1", a@^1.2:` (classic) or `"a@npm:^1, a@npm:^1.2":`
            header = line.rstrip()
            entry = header.endswith(":")
            descriptors = [d.strip().strip('"') for d in header[:-1].split(",")] if entry else []
            continue
        if descriptors and line.startswith("  version") and not line.startswith("   "):
            version = line.strip().removeprefix("version").lstrip(":").strip().strip('"')
            for descriptor in descriptors:
                at = descriptor.find("@", 1)  # after a scope's own `@`
                if at > 0:
                    found[(descriptor[:at], descriptor[at + 1 :].removeprefix("npm:"))] = version
            descriptors = []
    return found


def _only_copies(ranges: dict[tuple[str, str], str]) -> dict[str, str]:
    """package -> version, for each package a yarn.lock locks at one version."""
    versions: dict[str, set[str]] = {}
    for (package, _), version in ranges.items():
        versions.setdefault(package, set()).add(version)
    return {package: found.pop() for package, found in versions.items() if len(found) == 1}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
