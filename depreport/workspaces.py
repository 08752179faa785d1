"""Workspace packages of a monorepo: npm/yarn `workspaces`, pnpm-workspace.yaml and lerna.json."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def workspace_packages(root: Path) -> dict[str, str]:
    """Package name -> repo-relative directory, for every workspace package the repo declares."""
    found: dict[str, str] = {}
    for pattern in sorted(set(_declared_globs(root))):
        for directory in sorted(root.glob(pattern.rstrip("/"))):
            manifest = directory / "package.json"
            if "node_modules" in directory.parts or not manifest.is_file():
                continue
            name = _read_json(manifest).get("name")
            if isinstance(name, str) and name not in found:
                found[name] = directory.relative_to(root).as_posix()
    return found


def _declared_globs(root: Path) -> list[str]:
    globs: list[str] = []
    workspaces = _read_json(root / "package.json").get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        globs += [w for w in workspaces if isinstance(w, str)]
    lerna = _read_json(root / "lerna.json").get("packages")
    if isinstance(lerna, list):
        globs += [p for p in lerna if isinstance(p, str)]
    try:
        pnpm = yaml.safe_load((root / "pnpm-workspace.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        pnpm = None
    if isinstance(pnpm, dict) and isinstance(pnpm.get("packages"), list):
        globs += [p for p in pnpm["packages"] if isinstance(p, str)]
    return [g for g in globs if not g.startswith("!") and ".." not in g.split("/")]


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
