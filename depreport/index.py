"""The report body, kept up to date file by file.

A scan sets every file once; a backfill moves from one week to the next by setting only the files that
changed and removing the deleted ones, so each week costs what changed, not the size of the repo.
The `packages` and `exports` dicts are the report's JSON, updated in place; counters beside them make
removal exact. `body_json()` sorts keys, so the text does not depend on the order files came in.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from depreport.adoption import AdoptionContext, AdoptionCounter, Groups, bump
from depreport.model import ImportRecord, Problem

STATUSES = ("parsed", "without_imports", "skipped", "failed")


@dataclass(frozen=True)
class FileEntry:
    """What one file contributes: its records (sorted, as extraction gives them), its problems, its fate."""

    records: tuple[ImportRecord, ...]
    problems: tuple[Problem, ...] = ()
    status: str = "parsed"  # one of STATUSES
    syntax_error: bool = False
    unresolvable: int = 0


@dataclass
class _PackageCounters:
    resolved: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    locals: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


class LiveIndex:
    """package -> export -> files, export -> packages, totals, adoption and problems, per file."""

    def __init__(self, groups: Groups, context: AdoptionContext | None = None) -> None:
        self.packages: dict[str, dict[str, Any]] = {}
        self.exports: dict[str, dict[str, int]] = defaultdict(dict)
        self.files: dict[str, FileEntry] = {}
        self.seen_problems: list[Problem] = []  # met before reading files (discovery); not per file
        self._counters: dict[str, _PackageCounters] = {}
        self._adoption = AdoptionCounter(groups, context)
        # JSON text kept per package, per export of a package, and per export name; dropped on change.
        self._package_json: dict[str, str] = {}
        self._use_json: dict[str, dict[str, str]] = defaultdict(dict)
        self._export_json: dict[str, str] = {}

    def set_file(self, path: str, entry: FileEntry) -> None:
        """Make the index hold this entry for the file, replacing what it held before."""
        old = self.files.get(path)
        if old == entry:
            return
        if old is not None:
            self._apply(path, old.records, -1)
        self.files[path] = entry
        self._apply(path, entry.records, +1)

    def add_files(self, entries: Iterable[tuple[str, FileEntry]]) -> None:
        """Add many files not in the index yet, in one pass: what a scan does once, as fast as it goes.

        Gives the index `set_file` would give, file by file (the property tests hold them to it).
        """
        touched: set[tuple[str, str]] = set()
        for path, entry in entries:
            self.files[path] = entry
            for record in entry.records:
                touched.add(self._count(path, record))
            self._adoption.apply(path, entry.records, +1)
        for package, export in touched:
            self._package_json.pop(package, None)
            self._use_json[package].pop(export, None)
            self._export_json.pop(export, None)
            self._settle(package, export, self.packages[package], self._counters[package])

    def _slot(self, package: str, export: str) -> tuple[dict[str, Any], _PackageCounters, dict[str, Any]]:
        """The JSON entry and counters of a package, and the usage of one of its exports; made when new."""
        entry = self.packages.get(package)
        if entry is None:
            entry = self.packages[package] = {
                "resolved_as": "", "imports": 0, "type_only_imports": 0, "files": 0, "exports": {},
            }  # fmt: skip
            self._counters[package] = _PackageCounters()
        use = entry["exports"].get(export)
        if use is None:
            use = entry["exports"][export] = {"count": 0, "type_only": 0, "files": {}, "locals": []}
        return entry, self._counters[package], use

    def _count(self, path: str, record: ImportRecord) -> tuple[str, str]:
        """Count one record of a file being added (records of a file come sorted by line)."""
        package, export = record.package, record.export
        entry, counters, use = self._slot(package, export)
        use["count"] += 1
        entry["imports"] += 1
        if record.type_only:
            use["type_only"] += 1
            entry["type_only_imports"] += 1
        lines = use["files"].get(path)
        if lines is None:
            use["files"][path] = [record.line]
        elif lines[-1] != record.line:
            lines.append(record.line)
        counters.files[path] += 1
        counters.resolved[record.resolved] += 1
        if record.local is not None:
            counters.locals[export][record.local] += 1
        return package, export

    def remove_file(self, path: str) -> None:
        """Forget a file (deleted from the repo)."""
        old = self.files.pop(path, None)
        if old is not None:
            self._apply(path, old.records, -1)

    def _apply(self, path: str, records: tuple[ImportRecord, ...], sign: int) -> None:
        by_key: dict[tuple[str, str], list[ImportRecord]] = defaultdict(list)
        for record in records:
            by_key[(record.package, record.export)].append(record)
        for (package, export), group in by_key.items():
            self._apply_export(path, package, export, group, sign)
        self._adoption.apply(path, records, sign)

    def _apply_export(
        self, path: str, package: str, export: str, records: list[ImportRecord], sign: int
    ) -> None:
        self._package_json.pop(package, None)
        self._use_json[package].pop(export, None)
        self._export_json.pop(export, None)
        entry, counters, use = self._slot(package, export)
        count, type_only = len(records) * sign, sum(r.type_only for r in records) * sign
        use["count"] += count
        use["type_only"] += type_only
        entry["imports"] += count
        entry["type_only_imports"] += type_only
        bump(counters.files, path, count)
        local_names = counters.locals[export]
        for record in records:
            bump(counters.resolved, record.resolved, sign)
            if record.local is not None:
                bump(local_names, record.local, sign)
        if sign > 0:
            use["files"][path] = sorted({r.line for r in records})
        else:
            use["files"].pop(path, None)
        self._settle(package, export, entry, counters)

    def _settle(self, package: str, export: str, entry: dict[str, Any], counters: _PackageCounters) -> None:
        """Update the derived fields of one package and export; drop what became empty."""
        use = entry["exports"][export]
        use["locals"] = sorted(counters.locals[export])
        if use["count"] == 0:
            del entry["exports"][export]
            del counters.locals[export]
            self.exports[export].pop(package, None)
            if not self.exports[export]:
                del self.exports[export]
        else:
            self.exports[export][package] = use["count"]
        if not entry["exports"]:
            del self.packages[package], self._counters[package], self._use_json[package]
            return
        entry["files"] = len(counters.files)
        entry["resolved_as"] = min(counters.resolved.items(), key=lambda item: (-item[1], item[0]))[0]

    def recount_adoption(self, context: AdoptionContext) -> None:
        """Count adoption again under new dependency versions or owners (the files are unchanged)."""
        self._adoption = AdoptionCounter(self._adoption.groups, context)
        for path, entry in self.files.items():
            self._adoption.apply(path, entry.records, +1)

    def totals(self) -> dict[str, int]:
        """The report's totals block."""
        status: Counter[str] = Counter()
        syntax = unresolvable = 0
        for entry in self.files.values():
            status[entry.status] += 1
            syntax += entry.syntax_error
            unresolvable += entry.unresolvable
        return {
            "files_seen": len(self.files) + len(self.seen_problems),
            "files_parsed": status["parsed"],
            "files_without_imports": status["without_imports"],
            "files_skipped": status["skipped"],
            "files_failed": status["failed"],
            "files_with_syntax_errors": syntax,
            "imports": sum(p["imports"] for p in self.packages.values()),
            "packages": len(self.packages),
            "unresolvable_dynamic_imports": unresolvable,
        }

    def problems(self) -> list[dict[str, str]]:
        """Every problem, sorted by path, reason and message."""
        found = [*self.seen_problems, *(p for e in self.files.values() for p in e.problems)]
        return [p.to_json() for p in sorted(found, key=lambda p: (p.path, p.reason, p.message))]

    def body(self) -> dict[str, Any]:
        """The report body as a dict (live: it changes with the index; copy it to keep it)."""
        return {
            "totals": self.totals(),
            "adoption": self._adoption.to_json(),
            "packages": self.packages,
            "exports": self.exports,
            "problems": self.problems(),
        }

    def _package_text(self, name: str) -> str:
        """`_dumps(self.packages[name])`, reusing the kept text of the package's unchanged exports."""
        entry, kept = self.packages[name], self._use_json[name]
        uses = _join_sorted(entry["exports"], kept, lambda export: _dumps(entry["exports"][export]))
        scalars = {key: value for key, value in entry.items() if key != "exports"}
        return '{"exports":' + uses + "," + _dumps(scalars)[1:]

    def body_json(self, body: dict[str, Any] | None = None) -> str:
        """The report body as compact JSON text with sorted keys: deterministic.

        Equal to `json.dumps(self.body(), sort_keys=True, ...)`, but each package's text is kept until
        the package changes, so a week of a backfill encodes only what changed.
        """
        packages = _join_sorted(self.packages, self._package_json, self._package_text)
        exports = _join_sorted(self.exports, self._export_json, lambda name: _dumps(self.exports[name]))
        body = body or self.body()  # the caller's, when it made one already
        rest = {key: body[key] for key in ("totals", "adoption", "problems")}
        parts = {"packages": packages, "exports": exports, **{k: _dumps(v) for k, v in rest.items()}}
        return "{" + ",".join(f'"{key}":{parts[key]}' for key in sorted(parts)) + "}"


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _join_sorted(values: Mapping[str, Any], texts: dict[str, str], encode: Callable[[str], str]) -> str:
    """`_dumps(values)` for a dict, reusing the kept `"key":value` text of each unchanged entry."""
    parts = []
    for key in sorted(values):
        text = texts.get(key)
        if text is None:
            text = texts[key] = _dumps(key) + ":" + encode(key)
        parts.append(text)
    return "{" + ",".join(parts) + "}"
