"""Import records -> the report's indexes. Pure and deterministic: same records, same JSON."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from depreport.model import ImportRecord, Problem


@dataclass
class _ExportUse:
    count: int = 0
    type_only: int = 0
    files: dict[str, list[int]] = field(default_factory=dict)  # records arrive sorted by file and line
    locals: set[str] = field(default_factory=set)


@dataclass
class _PackageUse:
    resolved_as: Counter[str] = field(default_factory=Counter)
    files: set[str] = field(default_factory=set)
    exports: dict[str, _ExportUse] = field(default_factory=lambda: defaultdict(_ExportUse))


@dataclass(frozen=True)
class FileTotals:
    """How many files were seen and what became of them."""

    seen: int
    parsed: int
    without_imports: int  # never parsed: no import keyword in them
    skipped: int
    failed: int
    with_syntax_errors: int
    unresolvable_calls: int


def index_packages(records: Iterable[ImportRecord]) -> dict[str, Any]:
    """package -> {resolved_as, imports, files, type_only_imports, exports: export -> usage}.

    Records must come sorted by file and line (as a scan produces them): file lists then need no sorting.
    """
    packages: dict[str, _PackageUse] = defaultdict(_PackageUse)
    for record in records:
        package = packages[record.package]
        package.resolved_as[record.resolved] += 1
        package.files.add(record.file)
        use = package.exports[record.export]
        use.count += 1
        use.type_only += record.type_only
        lines = use.files.get(record.file)
        if lines is None:
            use.files[record.file] = [record.line]
        elif lines[-1] != record.line:
            lines.append(record.line)
        if record.local is not None:
            use.locals.add(record.local)
    return {name: _package_json(packages[name]) for name in sorted(packages)}


def _package_json(package: _PackageUse) -> dict[str, Any]:
    exports = {name: _export_json(package.exports[name]) for name in sorted(package.exports)}
    return {
        "resolved_as": min(package.resolved_as.items(), key=lambda item: (-item[1], item[0]))[0],
        "imports": sum(use["count"] for use in exports.values()),
        "type_only_imports": sum(use["type_only"] for use in exports.values()),
        "files": len(package.files),
        "exports": exports,
    }


def _export_json(use: _ExportUse) -> dict[str, Any]:
    return {"count": use.count, "type_only": use.type_only, "files": use.files, "locals": sorted(use.locals)}


def index_exports(packages: dict[str, Any]) -> dict[str, dict[str, int]]:
    """export name -> package -> count: "where does `Button` come from?"."""
    by_export: dict[str, dict[str, int]] = defaultdict(dict)
    for package, usage in packages.items():
        for export, use in usage["exports"].items():
            by_export[export][package] = use["count"]
    return {name: dict(sorted(by_export[name].items())) for name in sorted(by_export)}


def totals_json(files: FileTotals, packages: dict[str, Any], imports: int) -> dict[str, int]:
    """The report's totals block."""
    return {
        "files_seen": files.seen,
        "files_parsed": files.parsed,
        "files_without_imports": files.without_imports,
        "files_skipped": files.skipped,
        "files_failed": files.failed,
        "files_with_syntax_errors": files.with_syntax_errors,
        "imports": imports,
        "packages": len(packages),
        "unresolvable_dynamic_imports": files.unresolvable_calls,
    }


def problems_json(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Problems sorted by path, then reason."""
    return [p.to_json() for p in sorted(problems, key=lambda p: (p.path, p.reason, p.message))]
