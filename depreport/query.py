"""Questions asked of a stored report: which files use which exports of which packages."""

from __future__ import annotations

import difflib
from fnmatch import fnmatchcase
from typing import Any

from depreport.errors import DepreportError
from depreport.render.safe import plain
from depreport.render.tables import Table


class NoMatch(DepreportError):
    """The query matched nothing; says what comes close."""

    exit_code = 1


def export_usage(report: dict[str, Any], package_glob: str, exports: list[str]) -> Table:
    """Files per export of every package matching the glob (optionally only some exports)."""
    packages = report["packages"]
    matched = [name for name in packages if fnmatchcase(name, package_glob)]
    if not matched:
        raise NoMatch(f"no package matches {package_glob!r}", _closest(package_glob, list(packages)))
    rows = []
    for name in matched:
        for export, use in packages[name]["exports"].items():
            if exports and export not in exports:
                continue
            rows.append([name, export, use["count"], len(use["files"]), _sites(use["files"])])
    if not rows:
        known = sorted({e for name in matched for e in packages[name]["exports"]})
        raise NoMatch(
            f"{plain(', '.join(matched))} has no export named {plain(', '.join(exports))}",
            _closest(exports[0], known),
        )
    rows.sort(key=lambda row: (row[0], -row[2], row[1]))
    title = f"{len(matched)} package{'' if len(matched) == 1 else 's'} matching {package_glob!r}"
    return Table(title, ["package", "export", "imports", "files", "where"], rows)


def export_sources(report: dict[str, Any], exports: list[str]) -> Table:
    """Which packages each export name is imported from, with counts and files."""
    rows = []
    for export in exports:
        for package, count in report["exports"].get(export, {}).items():
            files = report["packages"][package]["exports"][export]["files"]
            rows.append([export, package, count, len(files), _sites(files)])
    if not rows:
        raise NoMatch(
            f"no package is imported for {plain(', '.join(exports))}",
            _closest(exports[0], list(report["exports"])),
        )
    return Table("", ["export", "package", "imports", "files", "where"], rows)


def _sites(files: dict[str, list[int]]) -> str:
    return " ".join(f"{path}:{','.join(map(str, lines))}" for path, lines in files.items())


def _closest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "globs match whole package ids: try 'name*' or '@scope/*'; `depreport scan` lists packages"
