"""tsconfig.json / jsconfig.json: `baseUrl` and `paths`, following `extends`."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

_JSONC_NOISE = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True)
class PathAliases:
    """The module aliases of one tsconfig, with repo-relative POSIX targets."""

    config: str  # repo-relative path of the tsconfig that declares them
    base_url: str | None  # repo-relative directory, or None
    paths: tuple[tuple[str, tuple[str, ...]], ...]  # pattern -> targets, longest prefix first


def parse_jsonc(text: str) -> object:
    """JSON with comments and trailing commas, as tsconfig files are written."""
    stripped = _JSONC_NOISE.sub(lambda m: m.group(1) or "", text)
    return json.loads(_TRAILING_COMMA.sub(r"\1", stripped))


def load_aliases(root: Path, config: str) -> PathAliases | None:
    """The aliases a tsconfig (repo-relative path) defines, or None when it defines none."""
    options = _compiler_options(root, root / config, depth=0)
    base_url = options.get("baseUrl")
    paths = options.get("paths")
    if base_url is None and not paths:
        return None
    paths_base = (
        base_url if base_url is not None else options.get("__paths_base__", posixpath.dirname(config))
    )
    patterns: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(paths, dict):
        for pattern, targets in paths.items():
            if isinstance(targets, list):
                joined = tuple(_join(str(paths_base), str(t)) for t in targets if isinstance(t, str))
                patterns.append((str(pattern), joined))
    patterns.sort(key=lambda item: len(item[0].split("*")[0]), reverse=True)
    return PathAliases(config, None if base_url is None else str(base_url), tuple(patterns))


def _compiler_options(root: Path, file: Path, depth: int) -> dict[str, object]:
    """compilerOptions with `extends` applied; baseUrl and the paths base made repo-relative."""
    if depth > 10:
        return {}
    try:
        data = parse_jsonc(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    merged: dict[str, object] = {}
    extends = data.get("extends")
    for parent in [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []:
        found = _find_extended(file.parent, str(parent))
        if found is not None:
            merged.update(_compiler_options(root, found, depth + 1))
    options = data.get("compilerOptions")
    if isinstance(options, dict):
        here = _relative(root, file.parent)
        if isinstance(options.get("baseUrl"), str):
            merged["baseUrl"] = _join(here, options["baseUrl"])
        if isinstance(options.get("paths"), dict):
            merged["paths"] = options["paths"]
            merged["__paths_base__"] = here
    return merged


def _find_extended(directory: Path, name: str) -> Path | None:
    if name.startswith("."):
        candidate = directory / name
        for path in (candidate, candidate.with_name(candidate.name + ".json")):
            if path.is_file():
                return path
        return None
    for folder in (directory, *directory.parents):
        base = folder / "node_modules" / name
        for path in (base, base.with_name(base.name + ".json"), base / "tsconfig.json"):
            if path.is_file():
                return path
    return None


def _relative(root: Path, directory: Path) -> str:
    try:
        relative = directory.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return posixpath.normpath(directory.as_posix())
    return "" if relative == "." else relative


def _join(base: str, path: str) -> str:
    joined = posixpath.normpath(posixpath.join(base, path))
    return "" if joined == "." else joined
