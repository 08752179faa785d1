"""Configuration: `depreport.toml` or `[tool.depreport]` in pyproject.toml -> a frozen Config.

Checked in two steps, shape then meaning; every error names the key and how to fix it.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depreport.errors import ConfigError

CONFIG_FILE = "depreport.toml"
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1024**2, "mib": 1024**2,
          "g": 1000**3, "gb": 1024**3, "gib": 1024**3}  # fmt: skip


@dataclass(frozen=True)
class Config:
    """Everything a scan needs to know besides the path."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include_declarations: bool = False
    default_excludes: bool = True
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    tsconfig: tuple[str, ...] = ()  # explicit tsconfig/jsconfig files; found automatically when empty
    source: str = "defaults"  # where this configuration came from, for messages
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # sections owned by other commands


_KEYS: dict[str, str] = {
    "include": 'a list of gitignore-style globs, e.g. include = ["src/**"]',
    "exclude": 'a list of gitignore-style globs, e.g. exclude = ["**/*.test.ts"]',
    "include_declarations": "true or false",
    "default_excludes": "true or false (false also scans dist/, build/, minified files...)",
    "max_file_size": 'a size such as "2MB" or a number of bytes',
    "tsconfig": "a list of tsconfig.json/jsconfig.json paths relative to the repo",
}
# Sections read by later stages (adoption groups, deprecations, codemods); checked there.
_SECTIONS = ("groups", "deprecated", "dashboard", "store")


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The configuration for a repo: an explicit file, else depreport.toml, else pyproject.toml."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}", "check the path given to --config")
        return parse_config(_read_toml(explicit), str(explicit), explicit.name == "pyproject.toml")
    for name, in_pyproject in ((CONFIG_FILE, False), ("pyproject.toml", True)):
        path = root / name
        if path.is_file():
            data = _read_toml(path)
            if in_pyproject and "depreport" not in data.get("tool", {}):
                continue
            return parse_config(data, str(path), in_pyproject)
    return Config()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}", "fix the TOML syntax at that line") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{path}: cannot read: {error}", "check the file's permissions and encoding"
        ) from error


def parse_config(data: dict[str, Any], source: str, in_pyproject: bool = False) -> Config:
    """Check a parsed TOML document and build the Config."""
    table = data.get("tool", {}).get("depreport", {}) if in_pyproject else data
    prefix = "tool.depreport." if in_pyproject else ""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [{prefix.rstrip('.')}] must be a table", "write it as a TOML table")
    for key in table:
        if key not in _KEYS and key not in _SECTIONS:
            close = difflib.get_close_matches(key, [*_KEYS, *_SECTIONS], n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join([*_KEYS, *_SECTIONS])}"
            )
            raise ConfigError(f"{source}: unknown key {prefix}{key}", hint)

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
        size = parse_size(table["max_file_size"])
        need("max_file_size", size is not None)
        values["max_file_size"] = size
    extra = {key: table[key] for key in _SECTIONS if key in table}
    return Config(**values, source=source, extra=extra)


def parse_size(value: object) -> int | None:
    """`2MB`, `512KiB`, `1000000` -> bytes; None when it is not a size."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if not isinstance(value, str):
        return None
    match = _SIZE.match(value)
    if match is None:
        return None
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    return int(number * _UNITS[unit]) if unit in _UNITS and number > 0 else None
