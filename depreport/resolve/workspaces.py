"""Workspace packages of a monorepo: npm/yarn `workspaces`, pnpm-workspace.yaml, lerna.json and Deno's
`workspace` (deno.json or deno.jsonc, whose members name themselves and their `exports` in their own).

Each package is its folder and its entry points, as its package.json names them: `exports` (a
subpath map, `"./*"` patterns included, each value's targets in the order its conditions list them),
then `source`, `types`, `typings`, `module` and `main` for the package itself. `@acme/ui/button`
under `"exports": {"./button": "./src/button/index.ts"}` is the module `packages/ui/src/button`, the one
a relative import of that file names (`depreport.resolve.specifiers` takes the first target that is a
file of the repo, else the folder and the subpath, as without entry points).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from typing import NamedTuple

from depreport.model import Problem, ProblemReason
from depreport.resolve.tsconfig import ReadText, parse_jsonc

_UNKNOWN = "its workspace packages are unknown, so their imports may be counted as npm packages; fix the file"


class Workspace(NamedTuple):
    """A workspace package: its folder, and its entry points as (subpath pattern, targets) pairs."""

    directory: str
    entries: tuple[tuple[str, tuple[str, ...]], ...] = ()


MANIFEST_NAMES = frozenset({"package.json", "deno.json", "deno.jsonc"})
# a package.json's dependency sections, in the order a name declared in several is read (the last wins)
DEPENDENCY_KEYS = ("optionalDependencies", "peerDependencies", "devDependencies", "dependencies")
_DENO_CONFIGS = ("deno.json", "deno.jsonc")
_ENTRY_FIELDS = ("source", "types", "typings", "module", "main")  # the package itself, without `exports`


def workspace_packages(
    read: ReadText, manifests: Iterable[str], problems: list[Problem] | None = None
) -> dict[str, Workspace]:
    """Package name -> its folder and entry points, for every workspace package the repo declares.

    `manifests` are the repo-relative paths of the package.json (and deno.json) files. A broken manifest
    or workspace file is a problem in `problems`, never a silent guess.
    """
    sink = problems if problems is not None else []
    globs = [_glob_segments(g.rstrip("/")) for g in sorted(set(_declared_globs(read, sink)))]
    # A glob without wildcards takes its own folder only: looked up, not asked by every manifest
    # (10,000 packages listed one by one in pnpm-workspace.yaml: 100 million folder comparisons).
    folders = {"/".join(g) for g in globs if not any("*" in s or "?" in s for s in g)}
    wild = [g for g in globs if "/".join(g) not in folders]
    found: dict[str, Workspace] = {}
    for manifest in sorted(manifests):
        directory = posixpath.dirname(manifest)
        if not directory or not (directory in folders or any(_glob_matches(g, directory) for g in wild)):
            continue
        data = json_object(read(manifest), manifest, sink)
        name = data.get("name")
        if isinstance(name, str) and name not in found:
            found[name] = Workspace(directory, entry_points(data))
    return found


def workspace_folders(workspaces: dict[str, Workspace]) -> dict[str, str]:
    """Workspace packages by name -> their folders."""
    return {name: workspace.directory for name, workspace in workspaces.items()}


def entry_points(manifest: dict[str, object]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(subpath pattern, targets) pairs of a package.json: exact subpaths first, then patterns with the
    longest prefix first (as Node picks them); the package's own fields are targets of ".", last."""
    exports = manifest.get("exports")
    if not isinstance(exports, dict) or not all(str(key).startswith(".") for key in exports):
        exports = {".": exports} if exports is not None else {}
    entries = {str(key): condition_targets(value) for key, value in exports.items()}
    fields = tuple(v for f in _ENTRY_FIELDS if isinstance(v := manifest.get(f), str))
    if fields:
        entries["."] = (*entries.get(".", ()), *fields)
    order = sorted(entries, key=lambda key: ("*" in key, -len(key.partition("*")[0]), key))
    return tuple((key, entries[key]) for key in order if entries[key])


def condition_targets(value: object, prefixes: tuple[str, ...] = ("./",)) -> tuple[str, ...]:
    """The paths an `exports` (or `imports`) value names, in the order its conditions (and fallbacks)
    list them, at any depth of nesting: the strings that start with one of `prefixes`."""
    found: list[str] = []
    pending = [value]  # the values still to visit, the next one last
    while pending:
        item = pending.pop()
        if isinstance(item, str) and item.startswith(prefixes):
            found.append(item)
        elif isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            pending.extend(reversed(item.values()))
    return tuple(found)


PNPM_WORKSPACE = "pnpm-workspace.yaml"
YARNRC = ".yarnrc.yml"
CATALOG_FILES = (PNPM_WORKSPACE, YARNRC)  # pnpm's catalogs, and yarn's (4.10+) in the same shape


_NO_CATALOGS = "its catalogs are unknown, so a dependency declared as `catalog:` has no version; fix the file"


def catalogs(read: ReadText, problems: list[Problem] | None = None) -> dict[str, dict[str, str]] | None:
    """The catalogs of pnpm-workspace.yaml or .yarnrc.yml by name (`catalog` is `default`): package ->
    version range, what a package.json's `"zod": "catalog:"` or `"react": "catalog:react19"` stands for;
    None when one of the files does not parse (what its catalogs hold is unknown). A repo has one package
    manager; were both files to name a catalog, pnpm's would be taken. A broken .yarnrc.yml is a problem
    in `problems` (a broken pnpm file is one where workspaces are read)."""
    broken: list[Problem] = []
    yarn = _yaml(read(YARNRC), broken, YARNRC, _NO_CATALOGS)
    if problems is not None:
        problems += broken
    pnpm = _yaml(read(PNPM_WORKSPACE), broken)
    return None if broken else {**_catalogs_in(yarn), **_catalogs_in(pnpm)}


def _catalogs_in(found: object) -> dict[str, dict[str, str]]:
    if not isinstance(found, dict):
        return {}
    named = found.get("catalogs")
    catalogs = dict(named) if isinstance(named, dict) else {}
    if "catalog" in found:
        catalogs["default"] = found["catalog"]
    return {
        str(name): {str(k): str(v) for k, v in entries.items() if isinstance(v, str | int | float)}
        for name, entries in catalogs.items()
        if isinstance(entries, dict)
    }


def _declared_globs(read: ReadText, problems: list[Problem]) -> list[str]:
    workspaces = json_object(read("package.json"), "package.json", problems).get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    lerna = json_object(read("lerna.json"), "lerna.json", problems).get("packages")
    pnpm = _yaml(read(PNPM_WORKSPACE), problems)
    pnpm_packages = pnpm.get("packages") if isinstance(pnpm, dict) else None
    globs = [
        *_globs(workspaces, "package.json", "workspaces", problems),
        *_globs(lerna, "lerna.json", "packages", problems),
        *_globs(pnpm_packages, "pnpm-workspace.yaml", "packages", problems),
    ]
    for config in _DENO_CONFIGS:
        deno = json_object(read(config), config, problems).get("workspace")
        members = deno.get("members") if isinstance(deno, dict) else deno
        globs += _globs(members, config, "workspace", problems)
    return [g.removeprefix("./") for g in globs if not g.startswith("!") and ".." not in g.split("/")]


def _globs(value: object, path: str, key: str, problems: list[Problem]) -> list[str]:
    """The glob strings of a workspace list; anything else in it (or a value that is no list) is said."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in items):
        _warn(problems, path, f"has {key} that is not a list of glob strings")
    return [item for item in items if isinstance(item, str) and isinstance(value, list)]


def _glob_segments(glob: str) -> tuple[str, ...]:
    """A workspace glob's folder names; a run of `**` folders is one (they take what one takes)."""
    segments: list[str] = []
    for segment in glob.split("/"):
        if not (segment == "**" and segments and segments[-1] == "**"):
            segments.append(segment)
    return tuple(segments)


def _glob_matches(segments: tuple[str, ...], directory: str) -> bool:
    """Does a workspace glob take this folder? `*` and `?` within one folder name, a `**` folder any
    number of folders, none included, as pnpm and npm read it (`packages/**/**` takes `packages/react`,
    `apps/**/web` takes `apps/web`).

    In time proportional to the glob's length times the path's, whatever both are: the regular
    expression this was before backtracked through every way the wildcards could split a folder it did
    not take (`**/` twelve times took a second on a folder 14 deep, sixteen times did not end)."""
    names = directory.split("/")
    reach = [True] + [False] * len(names)  # reach[i]: the segments so far take the first i names
    for segment in segments:
        if segment == "**":
            taken = False
            reach = [taken := taken or here for here in reach]
        else:
            reach = [False] + [reach[i] and _name_matches(segment, name) for i, name in enumerate(names)]
    return reach[-1]


def _name_matches(pattern: str, name: str) -> bool:
    """A glob of one folder name (`*`: any characters, `?`: one) against a name, without backtracking
    further than the last `*` (at worst in time the pattern's length times the name's)."""
    at = matched = resume = 0
    star = -1  # where the last `*` seen is in the pattern; `resume`: where in the name it took up to
    while True:
        if matched == len(name):
            return pattern[at:].strip("*") == ""
        if at < len(pattern) and pattern[at] == "*":
            star, resume, at = at, matched, at + 1
        elif at < len(pattern) and pattern[at] in ("?", name[matched]):
            at, matched = at + 1, matched + 1
        elif star >= 0:
            resume += 1
            at, matched = star + 1, resume
        else:
            return False


def is_deno_config(path: str) -> bool:
    """Is this manifest a deno.json or deno.jsonc (JSON with comments and trailing commas)?"""
    return posixpath.basename(path) in _DENO_CONFIGS


def json_object(text: str | None, path: str = "", problems: list[Problem] | None = None) -> dict[str, object]:
    """The JSON object in a manifest's text; empty when absent, broken or not an object. A deno.json may
    hold comments and trailing commas, as Deno reads it.

    Broken or not an object is also a problem in `problems` (when given), naming `path`.
    """
    loads = parse_jsonc if is_deno_config(path) else json.loads
    try:
        data = loads(text.removeprefix("\ufeff")) if text else {}
    except (ValueError, RecursionError) as error:
        why = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        _warn(problems, path, f"is not valid JSON ({why})")
        return {}
    if not isinstance(data, dict):
        _warn(problems, path, "is not a JSON object")
        return {}
    return data


def _warn(problems: list[Problem] | None, path: str, what: str, unknown: str = _UNKNOWN) -> None:
    if problems is not None:
        problems.append(Problem(path, ProblemReason.SYNTAX_ERROR.value, f"{path} {what}: {unknown}"))


def _yaml(
    text: str | None, problems: list[Problem], path: str = PNPM_WORKSPACE, unknown: str = _UNKNOWN
) -> object:
    """The YAML document in `text` (None when absent or broken); PyYAML loads only for the repos that
    have such a file."""
    if not text:
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        _warn(problems, path, f"is not valid YAML ({why})", unknown)
        return None
