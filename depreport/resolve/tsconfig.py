"""tsconfig.json / jsconfig.json: `baseUrl` and `paths`, following `extends`; `${configDir}` at the start
of a value is the folder of the config being read, also when an extended preset declares it.

Over 300 lines on purpose: how tsc reads a config (JSONC, extends chains, baseUrl, paths) and the problem
each form it refuses, or that leaves the repository, makes are one reading, kept together.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from depreport.byidentity import ByIdentity
from depreport.model import Problem, ProblemReason
from depreport.resolve.generated import generated_tsconfig
from depreport.resolve.packages import split_package

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

ReadText = Callable[[str], "str | None"]  # repo-relative path -> text, None when there is no such file
PatternList = tuple[tuple[str, tuple[str, ...]], ...]  # pattern -> targets, longest prefix first

# Strings (kept), then comments (dropped). A string or a block comment left open runs to the end, kept as
# it is (the text is then no JSON): looked for again from each later `"` or `/*`, 120 KB of `/*a` took 27 s.
_JSONC_NOISE = re.compile(r'("(?:\\.|[^"\\])*(?:"|\\?\Z))|//[^\n]*|/\*.*?\*/|(/\*.*)', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_CONFIG_DIR = "${configDir}"


@dataclass(frozen=True)
class PathAliases:
    """The module aliases of one tsconfig (or Deno import map, or package.json `imports`), with
    repo-relative POSIX targets; and the keys of a map whose target lies off the repo (an import map's
    URL, `npm:` or `jsr:` target, a package name in `imports`), with that target as written."""

    config: str  # repo-relative path of the tsconfig that declares them
    base_url: str | None  # repo-relative directory, or None
    paths: PatternList  # pattern -> targets, longest prefix first (shared by configs inheriting them)
    elsewhere: tuple[tuple[str, str], ...] = ()  # pattern -> a target off the repo, longest prefix first

    @classmethod
    def of(
        cls,
        config: str,
        base_url: str | None,
        patterns: list[tuple[str, tuple[str, ...]]],
        elsewhere: list[tuple[str, str]] | None = None,
    ) -> PathAliases:
        """The aliases of these patterns, tried longest prefix first (as TypeScript picks among them)."""
        ordered = sorted(patterns, key=lambda item: pattern_prefix(item[0]), reverse=True)
        outside = sorted(elsewhere or [], key=lambda item: pattern_prefix(item[0]), reverse=True)
        return cls(config, base_url, tuple(ordered), tuple(outside))

    def elsewhere_target(self, specifier: str, ties: bool = False) -> str | None:
        """The target off the repo that the longest key matching the specifier gives, when no key of the
        repo's matches it as long (or longer, with `ties`: the same key maps to both); None otherwise."""
        for pattern, target in self.elsewhere:
            star = pattern_match(pattern, specifier)
            if star is None:
                continue
            matching = [pattern_prefix(p) for p, _ in self.paths if pattern_match(p, specifier) is not None]
            prefix, longest = pattern_prefix(pattern), max(matching, default=-1)
            return target.replace("*", star, 1) if prefix > longest or (ties and prefix == longest) else None
        return None


def pattern_prefix(pattern: str) -> int:
    """How long a pattern's part before `*` is: the longest one matching a specifier is taken."""
    return len(pattern.split("*")[0])


def pattern_match(pattern: str, specifier: str) -> str | None:
    """What `*` stands for when a tsconfig `paths` pattern matches, `""` for an exact match."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    prefix, _, suffix = pattern.partition("*")
    if specifier.startswith(prefix) and specifier.endswith(suffix) and len(specifier) >= len(prefix + suffix):
        return specifier[len(prefix) : len(specifier) - len(suffix)]
    return None


def within_repo(directory: str, target: str) -> str | None:
    """A map's target joined with the folder it is relative to; None when it leaves the repository."""
    joined = posixpath.normpath(posixpath.join(directory, target))
    return None if _leaves_repo(joined) else joined


def _leaves_repo(joined: str) -> bool:
    """Whether a normalised path joined to a repo folder is above the repository or absolute."""
    return joined == ".." or joined.startswith(("../", "/"))


def parse_jsonc(text: str) -> object:
    """JSON with comments and trailing commas (and a UTF-8 BOM), as tsc reads tsconfig files.

    Raises ValueError when it is not, also for nesting too deep to read.
    """
    stripped = _JSONC_NOISE.sub(lambda m: m.group(1) or m.group(2) or "", text.removeprefix("\ufeff"))
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", stripped))
    except RecursionError as error:
        raise ValueError("nested too deeply to read") from error


def load_aliases(
    read: ReadText,
    config: str,
    problems: list[Problem] | None = None,
    packages: Mapping[str, str] | None = None,
    missing: dict[str, str] | None = None,
    shared: SharedReads | None = None,
) -> PathAliases | None:
    """The aliases a tsconfig (repo-relative path) defines, or None when it defines none.

    `packages`: the folder of each workspace package of the repo, where an `extends` naming a package
    is found first (as the package manager links it into node_modules: a shared preset of a monorepo
    is read even when nothing is installed, e.g. at a past commit).

    `read` returns the text of a repo-relative path (None when absent), so this works the same on a
    working tree and on a commit read from git. A config that cannot be read is a problem in
    `problems`: without its aliases, aliased imports would be taken for npm packages. A config that
    extends a package which is not installed (most scans run without installing) is read without it and
    named in `missing` (config -> package) instead.

    `shared`: what the configs of one repo read through the same `read` have in common (SharedReads).
    """
    config_dir = posixpath.dirname(config)
    found = problems if problems is not None else []
    reads = shared if shared is not None else SharedReads()
    chain = _Chain(read, found, config_dir, packages or {}, missing if missing is not None else {}, reads)
    options = chain.compiler_options(config, ())
    base_url = options.get("baseUrl")
    paths = options.get("paths")
    if base_url is None and not paths:
        return None
    paths_base = str(base_url if base_url is not None else options.get("__paths_base__", config_dir))
    ordered, refused = reads.patterns(paths, paths_base, config_dir)
    found.extend(_problem(config, what, then=then) for what, then in refused)
    return PathAliases(config, None if base_url is None else str(base_url), ordered)


_Refused = tuple[tuple[str, str], ...]  # (what, then) of each problem a `paths` has, for any config


@dataclass
class SharedReads:
    """What the tsconfigs of one repo have in common, read and derived once for all of them: each config's
    JSON (and the problems reading it found, said again for each config whose chain reads it), and the
    patterns of each `paths` object joined with its base and sorted. A thousand packages extending one
    preset of a thousand paths hold one copy of them, not a thousand."""

    configs: dict[str, tuple[dict[str, object] | None, tuple[Problem, ...]]] = field(default_factory=dict)
    # per `paths` object: whether a target uses `${configDir}`, and by (its base, the config folder when
    # one does) its patterns, longest prefix first, with what is refused
    derived: ByIdentity[tuple[bool, dict[tuple[str, str | None], tuple[PatternList, _Refused]]]] = field(
        default_factory=ByIdentity
    )

    def read_config(self, read: ReadText, path: str, problems: list[Problem]) -> dict[str, object] | None:
        """`_read_config`, once a path (its JSON shared: never changed by its readers)."""
        if path not in self.configs:
            found: list[Problem] = []
            self.configs[path] = (_read_config(read, path, found), tuple(found))
        data, found_then = self.configs[path]
        problems.extend(found_then)
        return data

    def patterns(self, paths: object, paths_base: str, config_dir: str) -> tuple[PatternList, _Refused]:
        """The patterns of a `paths` object relative to `paths_base`, joined and sorted once."""
        uses_config_dir, by_base = self.derived.get(paths, lambda: (_uses_config_dir(paths), {}))
        key = (paths_base, config_dir if uses_config_dir else None)
        derived = by_base.get(key)
        if derived is None:
            patterns, refused = _patterns(paths, paths_base, config_dir)
            derived = by_base[key] = (PathAliases.of("", None, patterns).paths, refused)
        return derived


def _uses_config_dir(paths: object) -> bool:
    """Whether a target of a `paths` object starts with `${configDir}` (joined then to the config read)."""
    return isinstance(paths, dict) and any(
        isinstance(targets, list) and any(isinstance(t, str) and t.startswith(_CONFIG_DIR) for t in targets)
        for targets in paths.values()
    )


def _patterns(
    paths: object, paths_base: str, config_dir: str
) -> tuple[list[tuple[str, tuple[str, ...]]], _Refused]:
    """A `paths` object's patterns with their targets joined to `paths_base`, and the (what, then) of each
    problem: a value that is no list of strings, more than one `*`, a target outside the repository."""
    patterns: list[tuple[str, tuple[str, ...]]] = []
    refused: list[tuple[str, str]] = []
    for pattern, targets in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            refused.append((f"has paths {pattern!r} that is not a list of strings", _UNSET))
            continue
        if pattern.count("*") > 1 or any(t.count("*") > 1 for t in targets):
            refused.append((f"has paths {pattern!r} with more than one '*'", _UNSET))
            continue
        joined = []
        for target in targets:
            path = _join(paths_base, target, config_dir)
            if _leaves_repo(path):
                refused.append((f"has paths {pattern!r} -> {target!r}, outside the repository", _OUTSIDE))
            else:
                joined.append(path)
        if joined:
            patterns.append((pattern, tuple(joined)))
    return patterns, tuple(refused)


@dataclass
class _Chain:
    """The `extends` chains of one tsconfig: each config is read once, however often it is named."""

    read: ReadText
    problems: list[Problem]
    config_dir: str  # the folder of the config the chains start from, for `${configDir}`
    packages: Mapping[str, str]
    missing: dict[str, str]  # config -> the package it extends that is not installed
    shared: SharedReads
    done: dict[str, dict[str, object]] = field(default_factory=dict)

    def compiler_options(self, path: str, below: tuple[str, ...]) -> dict[str, object]:
        """compilerOptions of `path` with its `extends` applied (`below`: the configs that extend it, in
        turn); baseUrl and the paths base made repo-relative. A config extending itself, through others
        or not, is a problem and its cycle is not followed (tsc: "Circularity detected")."""
        if path in self.done:
            return self.done[path]
        if path in below:
            cycle = " -> ".join((*below[below.index(path) :], path))
            then = "the cycle is not followed; the aliases each of these configs sets are used"
            problem = _problem(path, f"extends itself ({cycle})", then=then)
            if problem not in self.problems:  # once, however often the list names it
                self.problems.append(problem)
            return {}
        if len(below) > 10:
            self.problems.append(_problem(path, "is reached by more than 10 `extends`: not read"))
            return {}
        data = self.shared.read_config(self.read, path, self.problems)
        if data is None:
            return {}
        here = posixpath.dirname(path)
        merged: dict[str, object] = {}
        extends = data.get("extends")
        if extends is not None and not isinstance(extends, (str, list)):
            then = "the aliases it would take from there are not used (its own are)"
            self.problems.append(
                _problem(path, f"has extends {extends!r}, neither a path nor a list", then=then)
            )
        for parent in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
            name = parent if isinstance(parent, str) else ""
            found = (
                _find_extended(self.read, here, name, self.packages)
                if name and not name.startswith("/")
                else None
            )
            if found is not None:
                merged.update(self.compiler_options(found, (*below, path)))
            elif name.startswith(".") and (generated := self._generated(_join(here, name))) is not None:
                merged.update(generated)
            elif name and (not name.startswith((".", "/")) or _installed(name) is not None):
                self.missing.setdefault(path, name)  # a package not installed: said, not a problem
            else:
                then = "the aliases it would take from there are not used (its own are)"
                self.problems.append(
                    _problem(path, f"extends {parent!r}, which is not in the repository", then=then)
                )
        merged.update(_own_options(data.get("compilerOptions"), path, (here, self.config_dir), self.problems))
        self.done[path] = merged
        return merged

    def _generated(self, extended: str) -> dict[str, object] | None:
        """The options of a config a framework writes on install and no checkout holds (generated.py)."""
        data = generated_tsconfig(self.read, extended, self.problems)
        folders = (posixpath.dirname(extended), self.config_dir)
        return (
            None if data is None else _own_options(data["compilerOptions"], extended, folders, self.problems)
        )


def _own_options(
    options: object, path: str, folders: tuple[str, str], problems: list[Problem]
) -> dict[str, object]:
    """baseUrl (repo-relative) and paths of one config's compilerOptions; a value of the wrong type, or
    a baseUrl above the repository, is a problem naming it."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        problems.append(_problem(path, "has compilerOptions that is not an object"))
        return {}
    own: dict[str, object] = {}
    here, config_dir = folders  # the folder of this config, and of the one the `extends` chain started from
    base_url, paths = options.get("baseUrl"), options.get("paths")
    if base_url is not None:
        joined = _join(here, base_url, config_dir) if isinstance(base_url, str) else None
        if joined is None or _leaves_repo(joined):
            then = "its baseUrl is not used (its paths are, from its folder)"
            problems.append(
                _problem(path, f"has baseUrl {base_url!r}, which is no folder of the repository", then=then)
            )
        else:
            own["baseUrl"] = joined
    if paths is not None and not isinstance(paths, dict):
        problems.append(_problem(path, "has paths that is not an object", then="its paths are not used"))
    elif paths is not None:
        own["paths"] = paths
        own["__paths_base__"] = here
    return own


def _read_config(read: ReadText, path: str, problems: list[Problem]) -> dict[str, object] | None:
    """A tsconfig's JSON object; None (and a problem, unless it is absent) when there is none."""
    text = read(path)
    if text is None:
        return None
    try:
        data = parse_jsonc(text)
    except ValueError as error:
        problems.append(_problem(path, f"is not valid JSON ({error})", ProblemReason.SYNTAX_ERROR))
        return None
    if not isinstance(data, dict):
        problems.append(_problem(path, "is not a JSON object", ProblemReason.SYNTAX_ERROR))
        return None
    if "\ufffd" in text:  # its readers decode with replacement: a path there would match no file
        then = "read with U+FFFD in their place, so an alias holding one matches no file"
        problems.append(_problem(path, "has bytes that are not UTF-8", then=then, fix="save it as UTF-8"))
    return data


_UNUSED = "its baseUrl/paths aliases are not used, so aliased imports may be counted as npm packages"
_UNSET = "that alias is not used"
_OUTSIDE = "that target is not used"


def _problem(
    path: str,
    what: str,
    reason: ProblemReason = ProblemReason.UNREADABLE,
    fix: str = "fix the file",
    then: str = _UNUSED,
) -> Problem:
    """A tsconfig problem: what is wrong, what follows from it for the scan (`then`), and the fix."""
    return Problem(path, reason.value, f"tsconfig {what}: {then}; {fix}")


def missing_tsconfig(path: str, source: str) -> Problem:
    """The problem of a tsconfig the configuration names that is not in the repository."""
    return _problem(
        path, f"named in {source} (tsconfig = [...]) is not in the repository", fix="fix the path"
    )


def unread_tsconfig(path: str) -> Problem:
    """The problem of a tsconfig found in the repository that cannot be read from it: a link that leads out
    of it (never followed), a FIFO or a device."""
    return _problem(
        path, "is a link out of the repository or no regular file, so it is not read", fix="make it a file"
    )


def _find_extended(read: ReadText, directory: str, name: str, packages: Mapping[str, str]) -> str | None:
    """The config an `extends` names: a relative path, or a package of the repo's workspaces or in some
    node_modules above. A relative path into a node_modules folder (`./node_modules/@acme/config/base.json`)
    names that package as its name would: a workspace package of the repo is read first. A package that
    is not installed is passed over (most scans run without installing)."""
    if name.startswith("."):
        candidates = [_join(directory, name)]
        installed = _installed(name)
        package, rest = split_package(installed or "")
        if installed is not None and package in packages:
            rest = rest.lstrip("/")
            candidates.insert(0, _join(packages[package], rest) if rest else packages[package])
    else:
        folders, folder = [], directory
        while True:
            folders.append(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
        candidates = [_join(f, f"node_modules/{name}") for f in folders]
        package, rest = split_package(name)
        if package in packages:
            rest = rest.lstrip("/")
            candidates.insert(0, _join(packages[package], rest) if rest else packages[package])
    for base in candidates:
        for path in (base, base + ".json", base + "/tsconfig.json"):
            if read(path) is not None:
                return path
    return None


def _installed(name: str) -> str | None:
    """What a path names after its last `node_modules/` (`@acme/config/base.json`), or None."""
    before, marker, inside = name.rpartition("node_modules/")
    return inside if marker and (not before or before.endswith("/")) and inside else None


def _join(base: str, path: str, config_dir: str | None = None) -> str:
    if config_dir is not None and path.startswith(_CONFIG_DIR):
        base, path = config_dir, path.removeprefix(_CONFIG_DIR).lstrip("/")
    joined = posixpath.normpath(posixpath.join(base, path))
    return "" if joined == "." else joined
