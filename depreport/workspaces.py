"""Workspace packages of a monorepo: npm/yarn `workspaces`, pnpm-workspace.yaml and lerna.json."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable

from depreport.tsconfig import ReadText


def workspace_packages(read: ReadText, manifests: Iterable[str]) -> dict[str, str]:
    """Package name -> repo-relative directory, for every workspace package the repo declares.

    `manifests` are the repo-relative paths of the package.json files in the repo.
    """
    globs = [_glob_regex(g.rstrip("/")) for g in sorted(set(_declared_globs(read)))]
    found: dict[str, str] = {}
    for manifest in sorted(manifests):
        directory = posixpath.dirname(manifest)
        if not directory or not any(g.fullmatch(directory) for g in globs):
            continue
        name = json_object(read(manifest)).get("name")
        if isinstance(name, str) and name not in found:
            found[name] = directory
    return found


def _declared_globs(read: ReadText) -> list[str]:
    globs: list[str] = []
    workspaces = json_object(read("package.json")).get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        globs += [w for w in workspaces if isinstance(w, str)]
    lerna = json_object(read("lerna.json")).get("packages")
    if isinstance(lerna, list):
        globs += [p for p in lerna if isinstance(p, str)]
    pnpm = _yaml(read("pnpm-workspace.yaml"))
    if isinstance(pnpm, dict) and isinstance(pnpm.get("packages"), list):
        globs += [p for p in pnpm["packages"] if isinstance(p, str)]
    return [g.removeprefix("./") for g in globs if not g.startswith("!") and ".." not in g.split("/")]


def _glob_regex(glob: str) -> re.Pattern[str]:
    """A workspace glob (`packages/*`, `apps/**`) as a regex over directory paths."""
    parts = re.split(r"(\*\*|\*|\?)", glob)
    table = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(table.get(part, re.escape(part)) for part in parts))


def json_object(text: str | None) -> dict[str, object]:
    """The JSON object in a manifest's text; empty when absent, broken or not an object."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _yaml(text: str | None) -> object:
    """The YAML document in `text` (None when absent or broken); PyYAML loads only for pnpm repos."""
    if not text:
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None
