"""The ratchet: usage that is meant to shrink (non-target groups, deprecated packages and exports) must
never grow. Pure: reports and baselines in, a verdict out.

A baseline is a small JSON document, one line per tracked export, so that merges rarely conflict:
`{"format": "depreport-baseline/1", "tracked": {"<package> <export>": {"count": n, "files": {path: n}}}}`.
Per-file counts, not lines, so that edits above an import do not count as changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from depreport.adoption import Groups
from depreport.config import Deprecations
from depreport.errors import DepreportError

BASELINE_FORMAT = "depreport-baseline/1"

Tracked = dict[str, dict[str, Any]]  # "package export" -> {"count": n, "files": {path: n}, "why": str}


class BaselineError(DepreportError):
    """A baseline file that cannot be read."""

    exit_code = 2


@dataclass(frozen=True)
class Growth:
    """One tracked export whose usage grew, and the files where it grew."""

    package: str
    export: str
    why: str
    before: int
    after: int
    sites: tuple[tuple[str, int, int, int], ...]  # (file, first line, count before, count after)


@dataclass(frozen=True)
class Verdict:
    """The comparison of a scan with its baseline."""

    growths: tuple[Growth, ...]
    tracked: int
    before: int  # total tracked usage in the baseline
    after: int

    @property
    def passed(self) -> bool:
        """True when nothing that must shrink grew."""
        return not self.growths


def tracked_usage(report: dict[str, Any], groups: Groups, deprecated: Deprecations) -> Tracked:
    """Per tracked export of a report: its count and per-file counts, and why it is tracked."""
    tracked: Tracked = {}
    by_name = {g.name: g for g in groups.groups}
    for package, usage in report["packages"].items():
        group = groups.classify(package, usage["resolved_as"])
        non_target = group is not None and not by_name[group].target
        deprecated_package = any(fnmatchcase(package, glob) for glob in deprecated.packages)
        for export, use in usage["exports"].items():
            why = _why(
                group if non_target else None, deprecated_package, (package, export) in deprecated.exports
            )
            if why is None:
                continue
            inside = by_name[group].contains_file if non_target and group else (lambda _path: False)
            files = {path: len(lines) for path, lines in use["files"].items() if not inside(path)}
            if files:
                tracked[f"{package} {export}"] = {"count": sum(files.values()), "files": files, "why": why}
    return tracked


def _why(group: str | None, package: bool, export: bool) -> str | None:
    if export:
        return "deprecated export"
    if package:
        return "deprecated package"
    return f"group {group!r} is being replaced" if group else None


def compare(baseline: Tracked, current: Tracked, report: dict[str, Any]) -> Verdict:
    """What grew between the baseline and the current usage, with the sites to look at."""
    growths = []
    for key in sorted(current):
        now, then = current[key], baseline.get(key, {"count": 0, "files": {}})
        if now["count"] <= then["count"]:
            continue
        package, _, export = key.partition(" ")
        lines = report["packages"][package]["exports"][export]["files"]
        sites = tuple(
            (path, lines[path][0], then["files"].get(path, 0), count)
            for path, count in sorted(now["files"].items())
            if count > then["files"].get(path, 0)
        )
        growths.append(Growth(package, export, now["why"], then["count"], now["count"], sites))
    before = sum(t["count"] for t in baseline.values())
    after = sum(t["count"] for t in current.values())
    return Verdict(tuple(growths), len(current), before, after)


def baseline_json(tracked: Tracked) -> str:
    """A baseline file's text: one tracked export per line."""
    lines = [
        f"    {json.dumps(key)}: {json.dumps({'count': t['count'], 'files': t['files']}, sort_keys=True)}"
        for key, t in sorted(tracked.items())
    ]
    body = ",\n".join(lines)
    return f'{{\n  "format": "{BASELINE_FORMAT}",\n  "tracked": {{\n{body}\n  }}\n}}\n'


def parse_baseline(text: str, source: str) -> Tracked:
    """The tracked usage of a baseline file."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BaselineError(
            f"{source}: not JSON ({error})", "regenerate it with check --update-baseline"
        ) from error
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT:
        raise BaselineError(
            f"{source}: not a {BASELINE_FORMAT} file", "regenerate it with check --update-baseline"
        )
    tracked: Tracked = data["tracked"]
    return tracked
