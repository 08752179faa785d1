"""Configuration: `depreport.toml` or `[tool.depreport]` in pyproject.toml -> a frozen Config.

Checked in two steps, shape then meaning; every error names the key and how to fix it.
"""

from __future__ import annotations

import difflib
import json
import os
import reprlib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from depreport.errors import ConfigError
from depreport.history.adoption import Group, Groups
from depreport.resolve.tsconfig import within_repo
from depreport.resolve.versions import valid_range
from depreport.scan.globs import HINT, pattern_error
from depreport.scan.walk import DEFAULT_MAX_FILE_SIZE
from depreport.sizes import parse_size

CONFIG_FILE = "depreport.toml"


@dataclass(frozen=True)
class Deprecations:
    """Usage that must only shrink: whole packages (globs) and single exports (`package:Export`)."""

    packages: tuple[str, ...] = ()
    exports: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Config:
    """Everything a scan needs to know besides the path."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include_declarations: bool = False
    default_excludes: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    tsconfig: tuple[str, ...] = ()  # explicit tsconfig/jsconfig files; found automatically when empty
    # a bundler's aliases (vite's, webpack's `resolve.alias`) no tsconfig gives: pattern -> repo paths
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    groups: Groups = field(default_factory=Groups)
    deprecated: Deprecations = field(default_factory=Deprecations)
    source: str = "defaults"  # where this configuration came from, for messages
    unread: str = ""  # a pyproject.toml whose [tool.depreport] table `source` took precedence over
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # sections owned by other commands


ALIASES_EXAMPLE = '[aliases] "@/*" = "src/*"'
SOURCE_FOLDERS_EXAMPLE = '[aliases] "*" = "src/*"'  # bare specifiers resolved from src/ first
_ALIASES = (
    "a table of the aliases a bundler's config sets (vite's, webpack's resolve.alias), each a repo path or "
    f"a list of them, relative to the repository, e.g. {ALIASES_EXAMPLE}"
)
_KEYS: dict[str, str] = {
    "include": 'a list of gitignore-style globs, e.g. include = ["src/**"]',
    "exclude": 'a list of gitignore-style globs, e.g. exclude = ["**/*.test.ts"]',
    "include_declarations": "true or false",
    "default_excludes": "true or false (false also scans dist/, build/, minified files...)",
    "max_file_size": 'a size of 1 byte or more, such as "2MB" or a number of bytes',
    "tsconfig": "a list of tsconfig.json/jsconfig.json paths relative to the repo",
    "aliases": _ALIASES,
    "type_only_in_adoption": "true or false (default true: type-only imports count towards adoption)",
    "groups": 'an array of tables: [[groups]] name = "...", packages/paths = [globs], target = true',
    "deprecated": 'a table: [deprecated] packages = [globs], exports = ["package:Export"]',
}
# Sections read by other commands; checked there.
_SECTIONS = ("dashboard",)
_GROUP_KEYS = ("name", "packages", "paths", "target", "version")


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The configuration for a repo: an explicit file, else depreport.toml, else pyproject.toml."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}", "check the path given to --config")
        return parse_config(_read_toml(explicit), str(explicit), explicit.name == "pyproject.toml")
    for name, in_pyproject in ((CONFIG_FILE, False), ("pyproject.toml", True)):
        path = root / name
        if not in_pyproject and not path.is_file() and os.path.lexists(path):
            raise ConfigError(
                f"{path}: not a file, so it cannot be read (a folder, a broken link or a device)",
                "make it a TOML file, or remove it to scan without a configuration",
            )
        if path.is_file():
            data = _read_toml(path)
            if in_pyproject and not _has_our_table(data):
                continue  # a pyproject.toml without our table (even a broken `tool`) is not our config
            config = parse_config(data, str(path), in_pyproject)
            return config if in_pyproject else replace(config, unread=_our_table_in(root / "pyproject.toml"))
    return Config()


def _has_our_table(pyproject: dict[str, Any]) -> bool:
    """Has a pyproject.toml's document a [tool.depreport] table?"""
    tool = pyproject.get("tool", {})
    return isinstance(tool, dict) and "depreport" in tool


def _our_table_in(path: Path) -> str:
    """`path` when it is a pyproject.toml with a [tool.depreport] table (one depreport.toml shadows)."""
    try:
        return str(path) if _has_our_table(_read_toml(path)) else ""
    except ConfigError:  # absent or unreadable: not read either way, depreport.toml is the configuration
        return ""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8").removeprefix("\ufeff"))  # as editors save it
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}", "fix the TOML syntax at that line") from error
    except RecursionError as error:
        raise ConfigError(
            f"{path}: nested too deeply to read", "flatten the nested arrays or tables"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{path}: cannot read: {error}", "check the file's permissions and encoding"
        ) from error


def parse_config(data: dict[str, Any], source: str, in_pyproject: bool = False) -> Config:
    """Check a parsed TOML document and build the Config."""
    tool = data.get("tool", {})
    if in_pyproject and not isinstance(tool, dict):
        raise ConfigError(
            f"{source}: [tool] must be a table", "write it as [tool.depreport] and other tables"
        )
    table = tool.get("depreport", {}) if in_pyproject else data
    prefix = "tool.depreport." if in_pyproject else ""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [{prefix.rstrip('.')}] must be a table", "write it as a TOML table")
    for key in table:
        if key not in _KEYS and key not in _SECTIONS:
            raise ConfigError(f"{source}: unknown key {prefix}{key}", nearest_key(key, [*_KEYS, *_SECTIONS]))

    def need(key: str, ok: bool) -> None:
        if not ok:
            raise ConfigError(
                f"{source}: {prefix}{key} has the wrong type", f"{prefix}{key} must be {_KEYS[key]}"
            )

    values: dict[str, Any] = {}
    for key in ("include", "exclude", "tsconfig"):
        if key in table:
            need(key, isinstance(table[key], list) and all(isinstance(v, str) for v in table[key]))
            values[key] = tuple(table[key])
    for key in ("include_declarations", "default_excludes"):
        if key in table:
            need(key, isinstance(table[key], bool))
            values[key] = table[key]
    if "max_file_size" in table:
        values["max_file_size"] = _size(table["max_file_size"], f"{source}: {prefix}max_file_size")
    if "type_only_in_adoption" in table:
        need("type_only_in_adoption", isinstance(table["type_only_in_adoption"], bool))
    if "groups" in table:
        groups = _groups(table["groups"], f"{source}: {prefix}groups")
        values["groups"] = Groups(groups, bool(table.get("type_only_in_adoption", True)))
    if "aliases" in table:
        values["aliases"] = _aliases(table["aliases"], f"{source}: {prefix}aliases")
    if "deprecated" in table:
        values["deprecated"] = _deprecations(table["deprecated"], f"{source}: {prefix}deprecated")
    extra = {key: table[key] for key in _SECTIONS if key in table}
    _check_patterns(values, f"{source}: {prefix}")
    return Config(**values, source=source, extra=extra)


def nearest_key(key: str, known: list[str]) -> str:
    """The hint for an unknown key: the known key it is closest to, else all of them."""
    close = difflib.get_close_matches(key, known, n=1)
    return f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"


def _check_patterns(values: dict[str, Any], where: str) -> None:
    """Every include/exclude glob and group `paths` entry is one pathspec accepts; else the key is named."""
    keyed = [(key, pattern) for key in ("include", "exclude") for pattern in values.get(key, ())]
    groups = values["groups"].groups if "groups" in values else ()
    keyed += [(f"groups[{i}].paths", pattern) for i, group in enumerate(groups) for pattern in group.paths]
    for key, pattern in keyed:
        why = pattern_error(pattern)
        if why is not None:
            raise ConfigError(
                f"{where}{key}: {pattern!r} is not a valid gitignore-style pattern ({why})", HINT
            )


def _aliases(raw: object, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`[aliases]`: pattern -> targets, as a tsconfig's `paths` (one `*` at most, carried over to the
    targets), the targets repo paths that stay inside the repository."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table", f"it is {_ALIASES}")
    found = []
    for pattern, value in raw.items():
        key = f"{where}.{json.dumps(pattern)}"
        targets = [value] if isinstance(value, str) else value
        if not pattern or pattern.count("*") > 1:
            raise ConfigError(f"{key}: an alias is a name with at most one *", f"e.g. {ALIASES_EXAMPLE}")
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
            raise ConfigError(f"{key} must be a repo path or a list of them", f"e.g. {ALIASES_EXAMPLE}")
        paths = []
        for target in targets:
            path = within_repo("", target) if target.strip() and not target.startswith("/") else None
            if path is None or target.count("*") > 1 or ("*" in target and "*" not in pattern):
                raise ConfigError(
                    f"{key}: {target!r} is not a path inside the repository with at most one * (one only "
                    "where the alias has one)",
                    'give it relative to the repository, e.g. "src/*"',
                )
            paths.append(path)
        found.append((pattern, tuple(paths)))
    return tuple(found)


def _groups(raw: object, where: str) -> tuple[Group, ...]:
    if not isinstance(raw, list) or not all(isinstance(g, dict) for g in raw):
        raise ConfigError(f"{where} must be an array of tables", "write each group as [[groups]] with a name")
    groups: list[Group] = []
    for index, group in enumerate(raw):
        here = f"{where}[{index}]"
        for key in group:
            if key not in _GROUP_KEYS:
                close = difflib.get_close_matches(key, _GROUP_KEYS, n=1)
                raise ConfigError(f"{here}: unknown key {key!r}", f"did you mean {close[0]!r}?" if close else
                                  f"a group has: {', '.join(_GROUP_KEYS)}")  # fmt: skip
        name = group.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{here}: a group needs a name", 'add name = "Design system v4" (any label)')
        globs = {key: group.get(key, []) for key in ("packages", "paths")}
        for key, value in globs.items():
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{here}.{key} must be a list of globs", f'e.g. {key} = ["evergreen-*"]')
        if not globs["packages"] and not globs["paths"]:
            raise ConfigError(
                f"{here} ({name}) matches nothing", "give it packages = [...] and/or paths = [...]"
            )
        if not isinstance(group.get("target", False), bool):
            raise ConfigError(
                f"{here}.target must be true or false", "mark the adopted library with target = true"
            )
        version = group.get("version")
        if version is not None and (not isinstance(version, str) or not valid_range(version)):
            raise ConfigError(
                f"{here}.version: {version!r} is not an npm version range", 'e.g. version = "<4"'
            )
        target = group.get("target", False)
        groups.append(Group(name, tuple(globs["packages"]), tuple(globs["paths"]), target, version))
    names = [g.name for g in groups]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(
            f"{where}: group names must be unique: {', '.join(duplicates)}", "rename one of them"
        )
    targets = [g.name for g in groups if g.target]
    if len(targets) != 1:
        found = ", ".join(targets) if targets else "none"
        raise ConfigError(f"{where}: exactly one group needs target = true (found: {found})",
                          "set target = true on the library being adopted, and only on it")  # fmt: skip
    return tuple(groups)


def _deprecations(raw: object, where: str) -> Deprecations:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table with packages and/or exports", _KEYS["deprecated"])
    for key in raw:
        if key not in ("packages", "exports"):
            raise ConfigError(f"{where}: unknown key {key!r}", nearest_key(key, ["packages", "exports"]))
    packages, exports = raw.get("packages", []), raw.get("exports", [])
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ConfigError(f"{where}.packages must be a list of globs", 'e.g. packages = ["moment", "@old/*"]')
    if not isinstance(exports, list):
        example = 'e.g. exports = ["evergreen-ui:Autocomplete"]'
        raise ConfigError(f"{where}.exports must be a list of package:Export", example)
    pairs = []
    for item in exports:
        package, colon, export = item.rpartition(":") if isinstance(item, str) else ("", "", "")
        if not colon or not package or not export:
            raise ConfigError(
                f"{where}.exports: {item!r} is not package:Export", 'e.g. "evergreen-ui:Autocomplete"'
            )
        pairs.append((package, export))
    return Deprecations(tuple(packages), tuple(pairs))


def _size(raw: object, where: str) -> int:
    size = parse_size(raw)
    if size is None:
        raise ConfigError(f"{where}: not a size: {reprlib.repr(raw)}", f"write {_KEYS['max_file_size']}")
    return size
