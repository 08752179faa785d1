"""The baseline file of `depreport check`: the tracked usage it compares a scan with.

A small JSON document, one line per tracked export, so that merges rarely conflict:
`{"format": "depreport-baseline/1", "tracked": {"<package> <export>": {"count": n, "files": {path: n}}}}`,
and an `instances` object of the same shape (JSX instances per file). `by_version: true` says its
imports were placed in groups of a version range by the version each file imports.
"""

from __future__ import annotations

import json
from typing import Any

from depreport.errors import EXIT_USAGE, DepreportError
from depreport.history.ratchet import Tracked

BASELINE_FORMAT = "depreport-baseline/1"


class BaselineError(DepreportError):
    """A baseline file that cannot be read."""

    exit_code = EXIT_USAGE


def baseline_json(tracked: Tracked, instances: Tracked | None = None, by_version: bool = False) -> str:
    """A baseline file's text: one tracked export per line (and one tracked component's instances).
    `by_version`: its imports were placed in groups of a version range by the version each file imports
    (a baseline made before depreport did so tracked none of those groups' imports)."""
    blocks = [("tracked", tracked)] + ([("instances", instances)] if instances is not None else [])
    text = [f'{{\n  "format": "{BASELINE_FORMAT}"'] + (['  "by_version": true'] if by_version else [])
    for name, entries in blocks:
        lines = [
            f"    {json.dumps(key)}: {json.dumps({'count': t['count'], 'files': t['files']}, sort_keys=True)}"
            for key, t in sorted(entries.items())
        ]
        body = ",\n".join(lines)
        text.append(f'  "{name}": {{\n{body}\n  }}')
    return ",\n".join(text) + "\n}\n"


def parse_baseline(text: str, source: str) -> Tracked:
    """The tracked usage of a baseline file; BaselineError (exit 2) naming what is wrong."""
    tracked = _block(_document(text, source), "tracked", source)
    assert tracked is not None
    return tracked


def baseline_by_version(text: str, source: str) -> bool:
    """Were the baseline's imports placed in groups of a version range by each file's version?"""
    return _document(text, source).get("by_version") is True


def parse_baseline_instances(text: str, source: str) -> Tracked | None:
    """The tracked instances of a baseline file; None for one made before instances were counted."""
    return _block(_document(text, source), "instances", source)


def _document(text: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text.removeprefix("\ufeff"))  # a byte-order mark an editor added is no damage
    except (ValueError, RecursionError) as error:
        raise BaselineError(f"{source}: not JSON ({error})", REGENERATE_HINT) from error
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT:
        raise BaselineError(f"{source}: not a {BASELINE_FORMAT} file", REGENERATE_HINT)
    return data


def _block(data: dict[str, Any], name: str, source: str) -> Tracked | None:
    """The `tracked` (always there) or `instances` (optional) object of a baseline, checked."""
    block = data.get(name)
    if block is None and name == "instances":
        return None
    if not isinstance(block, dict):
        raise BaselineError(f'{source}: "{name}" must be an object of tracked exports', REGENERATE_HINT)
    for key, entry in block.items():
        problem = _entry_problem(entry)
        if problem:
            raise BaselineError(f"{source}: {name}[{json.dumps(key)}] {problem}", REGENERATE_HINT)
    return {key: {"count": entry["count"], "files": entry["files"]} for key, entry in block.items()}


# check --update-baseline reads the baseline first, so it refuses a damaged one too: the file must go first
REGENERATE_HINT = (
    "restore it from git, or delete it and run check --update-baseline on the main branch to write it anew"
)


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "must be an object with count and files"
    if not _is_count(entry.get("count")):
        return f"count must be a whole number, 0 or more, got {json.dumps(entry.get('count'), default=repr)}"
    files = entry.get("files")
    if not isinstance(files, dict):
        return "files must be an object of path -> count"
    for path, count in files.items():
        if not _is_count(count):
            return f"files[{json.dumps(path)}] must be a whole number, 0 or more"
    return None


def _is_count(value: Any) -> bool:
    return type(value) is int and value >= 0
