"""Walks over a full report: the one place that knows how `packages → exports → files` nests.

A report lists, per package and export, the lines of each importing file; lines imported through a
subpath of the package (`@acme/ui/next`) are also listed under the export's `subpaths`. `file_imports`
yields each (package, subpath, export, file) with its lines, so a reader can apply groups that match
subpaths without knowing that layout; names imported from local barrels (`usage.through`) are shown
where they come from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple


class FileImports(NamedTuple):
    """The lines of one file that import one export of one package, through one subpath ('' for none).

    A name imported from a local barrel is shown where it comes from, `via` naming the barrel.
    """

    package: str
    subpath: str
    export: str
    file: str
    lines: tuple[int, ...]
    resolved_as: str
    via: str = ""


def file_imports(report: Mapping[str, Any]) -> Iterator[FileImports]:
    """Every (package, subpath, export, file) of a report with its lines."""
    through = {(t[0], t[1]): t[2:] for t in (report.get("usage") or {}).get("through") or ()}
    for found in _as_imported(report):
        source = through.get((found.package, found.export))
        if source is None:
            yield found
        else:
            package, subpath, resolved, export, via = source
            yield FileImports(package, subpath, export, found.file, found.lines, resolved, via)


def _as_imported(report: Mapping[str, Any]) -> Iterator[FileImports]:
    for package, usage in (report.get("packages") or {}).items():
        resolved = str(usage.get("resolved_as") or "")
        for export, use in (usage.get("exports") or {}).items():
            subpaths: Mapping[str, Mapping[str, list[int]]] = use.get("subpaths") or {}
            for path, lines in (use.get("files") or {}).items():
                rest = set(lines)
                for subpath, files in subpaths.items():
                    through = files.get(path)
                    if through:
                        yield FileImports(package, subpath, export, path, tuple(through), resolved)
                        rest.difference_update(through)
                if rest:
                    yield FileImports(package, "", export, path, tuple(sorted(rest)), resolved)
