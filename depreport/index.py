"""The report body, kept up to date file by file.

A scan sets every file once; a backfill moves from one week to the next by setting only the files that
changed and removing the deleted ones, so each week costs what changed, not the size of the repo.
The `packages` and `exports` dicts are the report's JSON, updated in place; counters beside them make
removal exact. `body_json()` sorts keys, so the text does not depend on the order files came in.

`save()` and `LiveIndex.restore()` carry an index from one run to the next (depreport/pack.py): a
restored index keeps each package's exports as JSON text and each file as its totals until an update
touches them, so a run that changed 1% of the files decodes and re-encodes about that much of the index.
"""

from __future__ import annotations

import marshal
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from typing import Any

from depreport.adoption import AdoptionContext, Groups, adoption_of
from depreport.components import ComponentTally
from depreport.jsontext import dumps as _dumps
from depreport.jsontext import join_sorted as _join_sorted
from depreport.jsontext import kept as _kept
from depreport.jsontext import loads_fragment as _loads_fragment
from depreport.model import ImportRecord, Problem, UseRecord
from depreport.usage import UsageTally, bump

STATUSES = ("parsed", "without_imports", "skipped", "failed")

# A file as a restored index knows it before loading its records: status, syntax error, unresolvable
# dynamic imports, problems as (path, reason, message).
FileFacts = tuple[str, bool, int, tuple[tuple[str, str, str], ...]]
PLAIN: FileFacts = ("parsed", False, 0, ())  # most files: kept once, not per file
# A package still as text (its `"name":{...}` text kept in _package_json): imports, type-only imports,
# files, resolved_as, and marshalled for when it changes: its counters (how often it resolved each way,
# records per file, local names per export), its export names in order and the length of each one's text.
FrozenPackage = tuple[int, int, int, str, bytes]
_SCALARS = ("imports", "type_only_imports", "files", "resolved_as")
LoadEntry = Callable[[str, FileFacts], "FileEntry"]


@dataclass(frozen=True)
class FileEntry:
    """What one file contributes: its records (sorted, as extraction gives them), its problems, its fate."""

    records: tuple[ImportRecord, ...]
    problems: tuple[Problem, ...] = ()
    status: str = "parsed"  # one of STATUSES
    syntax_error: bool = False
    unresolvable: int = 0
    looked_up: tuple[str, ...] = ()  # module ids resolution looked for among the files (Resolver.for_file)
    uses: tuple[UseRecord, ...] = ()  # JSX instances and value uses of imported components

    def facts(self) -> FileFacts:
        """What the totals and problems need of this file, in plain values."""
        problems = tuple((p.path, p.reason, p.message) for p in self.problems)
        facts = (self.status, self.syntax_error, self.unresolvable, problems)
        return PLAIN if facts == PLAIN else facts


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
        self.groups = groups  # applied to the usage counts when the report is written
        self._usage = UsageTally(context, groups.versioned)
        self._components = ComponentTally()  # the `components` block: JSX instances, props, value uses
        # JSON text kept per package, per export of a package, and per export name; dropped on change.
        self._package_json: dict[str, str] = {}
        self._use_json: dict[str, dict[str, str]] = defaultdict(dict)
        self._export_json: dict[str, str] = {}
        # A restored index: packages still as text, and files whose entries are loaded when an update
        # touches them. A thawed package's exports stay text (in _use_json), and None here, until used.
        self._frozen: dict[str, FrozenPackage] = {}
        self._stored: dict[str, FileFacts] = {}
        self._load_entry: LoadEntry | None = None

    def set_file(self, path: str, entry: FileEntry) -> None:
        """Make the index hold this entry for the file, replacing what it held before."""
        old = self.entry(path)
        if old == entry:
            return
        if old is not None:
            self._apply(path, old, -1)
        self.files[path] = entry
        self._apply(path, entry, +1)

    def add_files(self, entries: Iterable[tuple[str, FileEntry]]) -> None:
        """Add many files not in the index yet, in one pass: what a scan does once, as fast as it goes.

        Gives the index `set_file` would give, file by file (the property tests hold them to it).
        """
        touched: set[tuple[str, str]] = set()
        for path, entry in entries:
            self.files[path] = entry
            for record in entry.records:
                touched.add(self._count(path, record))
            self._usage.apply(path, entry.records, +1, entry.uses)
            if entry.uses:
                self._components.apply(path, entry.uses, +1)
        for package, export in touched:
            self._drop_texts(package, export)
            self._settle(package, export, self.packages[package], self._counters[package])

    def _drop_texts(self, package: str, export: str) -> None:
        """Forget the kept JSON text of a package and an export that are about to change."""
        self._package_json.pop(package, None)
        self._use_json[package].pop(export, None)
        self._export_json.pop(export, None)

    def _slot(self, package: str, export: str) -> tuple[dict[str, Any], _PackageCounters, dict[str, Any]]:
        """The JSON entry and counters of a package, and the usage of one of its exports; made when new."""
        entry = self.packages.get(package)
        if entry is None and package in self._frozen:
            entry = self._thaw(package)
        if entry is None:
            entry = self.packages[package] = {
                "resolved_as": "", "imports": 0, "type_only_imports": 0, "files": 0, "exports": {},
            }  # fmt: skip
            self._counters[package] = _PackageCounters()
        uses = entry["exports"]
        use = uses.get(export)
        if use is None:
            if export in uses:  # restored: still text
                use = uses[export] = _loads_fragment(self._use_json[package][export], export)
            else:
                use = uses[export] = {"count": 0, "type_only": 0, "files": {}, "locals": []}
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
        _add_line(use["files"], path, record.line)
        if record.subpath:
            _add_line(use.setdefault("subpaths", {}).setdefault(record.subpath, {}), path, record.line)
        counters.files[path] += 1
        counters.resolved[record.resolved] += 1
        if record.local is not None:
            counters.locals[export][record.local] += 1
        return package, export

    def remove_file(self, path: str) -> None:
        """Forget a file (deleted from the repo)."""
        old = self.entry(path)
        if old is not None:
            del self.files[path]
            self._apply(path, old, -1)

    def entry(self, path: str) -> FileEntry | None:
        """The file's entry; a restored one is loaded on first use."""
        entry = self.files.get(path)
        if entry is None and path in self._stored:
            assert self._load_entry is not None
            entry = self.files[path] = self._load_entry(path, self._stored.pop(path))
        return entry

    def entries(self) -> dict[str, FileEntry]:
        """Every file's entry (a restored index loads the ones it has not loaded yet)."""
        for path in list(self._stored):
            self.entry(path)
        return self.files

    def _thaw(self, package: str) -> dict[str, Any]:
        """Make a restored package changeable: its counters decoded, its exports left as text until used."""
        *scalars, marshalled = self._frozen.pop(package)
        resolved, files, local_names, names, lengths = marshal.loads(marshalled)
        text, kept = self._package_json[package], self._use_json[package]
        start = len(_dumps(package)) + len(':{"exports":{')
        for name, length in zip(names, lengths, strict=True):
            kept[name] = text[start : start + length]
            start += length + 1
        entry: dict[str, Any] = dict(zip(_SCALARS, scalars, strict=True))
        entry["exports"] = dict.fromkeys(names)
        self.packages[package] = entry
        locals_by_export = defaultdict(Counter, {e: Counter(n) for e, n in local_names.items()})
        self._counters[package] = _PackageCounters(Counter(resolved), Counter(files), locals_by_export)
        return entry

    def _apply(self, path: str, entry: FileEntry, sign: int) -> None:
        by_key: dict[tuple[str, str], list[ImportRecord]] = defaultdict(list)
        for record in entry.records:
            by_key[(record.package, record.export)].append(record)
        for (package, export), group in by_key.items():
            self._apply_export(path, package, export, group, sign)
        self._usage.apply(path, entry.records, sign, entry.uses)
        self._components.apply(path, entry.uses, sign)

    def _apply_export(
        self, path: str, package: str, export: str, records: list[ImportRecord], sign: int
    ) -> None:
        entry, counters, use = self._slot(package, export)  # first: a restored package thaws from its text
        self._drop_texts(package, export)
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
            for record in records:
                if record.subpath:
                    through = use.setdefault("subpaths", {}).setdefault(record.subpath, {})
                    _add_line(through, path, record.line)
        else:
            use["files"].pop(path, None)
            _forget_file(use, path)
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
        self._usage = UsageTally(context, self.groups.versioned)
        for path, entry in self.entries().items():
            self._usage.apply(path, entry.records, +1, entry.uses)

    def totals(self) -> dict[str, int]:
        """The report's totals block."""
        status: Counter[str] = Counter()
        syntax = unresolvable = 0
        for entry in self.files.values():
            status[entry.status] += 1
            syntax += entry.syntax_error
            unresolvable += entry.unresolvable
        for state, syntax_error, dynamic, _ in self._stored.values():
            status[state] += 1
            syntax += syntax_error
            unresolvable += dynamic
        imports = sum(p["imports"] for p in self.packages.values()) + sum(f[0] for f in self._frozen.values())
        return {
            "files_seen": len(self.files) + len(self._stored) + len(self.seen_problems),
            "files_parsed": status["parsed"],
            "files_without_imports": status["without_imports"],
            "files_skipped": status["skipped"],
            "files_failed": status["failed"],
            "files_with_syntax_errors": syntax,
            "imports": imports,
            "packages": len(self.packages) + len(self._frozen),
            "unresolvable_dynamic_imports": unresolvable,
        }

    def problems(self) -> list[dict[str, str]]:
        """Every problem, sorted by path, reason and message."""
        found = [*self.seen_problems, *(p for e in self.files.values() for p in e.problems)]
        found += (Problem(*p) for facts in self._stored.values() for p in facts[3])
        return [p.to_json() for p in sorted(found, key=lambda p: (p.path, p.reason, p.message))]

    def body(self) -> dict[str, Any]:
        """The report body as a dict (live: it changes with the index; copy it to keep it)."""
        for package in list(self._frozen):
            self._thaw(package)
        for package, entry in self.packages.items():
            for export in [e for e, use in entry["exports"].items() if use is None]:
                self._slot(package, export)
        components = self._components.to_json()
        return {**self.rest(), "packages": self.packages, "exports": self.exports, "components": components}

    def outline(self, rest: dict[str, Any] | None = None) -> dict[str, Any]:
        """The body as a summary needs it, made without decoding any package.

        Every package keeps its resolved_as, imports and files; the packages of adoption groups also
        keep the count of each of their exports. No file lists, no locals, no `exports` block.
        """
        packages: dict[str, dict[str, Any]] = {}
        for name, entry in self.packages.items():
            packages[name] = {key: entry[key] for key in ("resolved_as", "imports", "files")}
        for name, (imports, _, files, resolved_as, *_) in self._frozen.items():
            packages[name] = {"resolved_as": resolved_as, "imports": imports, "files": files}
        groups = self.groups
        grouped = {name for name, usage in packages.items() if groups.classify(name, usage["resolved_as"])}
        for name in grouped:
            packages[name]["exports"] = {}
        for export, uses in self.exports.items():
            for name in grouped.intersection(uses):
                packages[name]["exports"][export] = {"count": uses[name]}
        return {**(rest or self.rest()), "packages": packages}

    def rest(self) -> dict[str, Any]:
        """The body's blocks besides packages and exports: totals, usage, adoption (over usage), problems."""
        usage = self._usage.to_json()
        return {
            "totals": self.totals(),
            "usage": usage,
            "adoption": adoption_of(usage, self.groups),
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
        names = [*self.packages, *self._frozen]
        packages = _join_sorted(names, self._package_json, self._package_text)
        exports = _join_sorted(self.exports, self._export_json, lambda name: _dumps(self.exports[name]))
        rest = self.rest() if body is None else body  # the caller's, when it made one already
        parts = {"packages": packages, "exports": exports, "components": self._components.text()}
        parts.update((key, _dumps(rest[key])) for key in ("totals", "usage", "adoption", "problems"))
        return "{" + ",".join(f'"{key}":{parts[key]}' for key in sorted(parts)) + "}"

    def save(self) -> tuple[Any, ...]:
        """The index in plain values (dicts, tuples, strings, numbers) for `restore` in a later run."""
        frozen = dict(self._frozen)
        for name, entry in self.packages.items():
            _kept(self._package_json, name, self._package_text)
            names = sorted(entry["exports"])
            lengths = tuple(len(self._use_json[name][export]) for export in names)
            counters = self._counters[name]
            local_names = {export: dict(counts) for export, counts in counters.locals.items() if counts}
            kept = (dict(counters.resolved), dict(counters.files), local_names, tuple(names), lengths)
            frozen[name] = (*(entry[key] for key in _SCALARS), marshal.dumps(kept))
        for name in self.exports.keys() - self._export_json.keys():
            _kept(self._export_json, name, lambda export: _dumps(self.exports[export]))
        texts = {name: self._package_json[name] for name in frozen}
        facts = {path: f for path, entry in self.files.items() if (f := entry.facts()) is not PLAIN}
        facts.update((path, f) for path, f in self._stored.items() if f is not PLAIN)
        exports = dict(self.exports)  # a defaultdict would not marshal
        files = len(self.files) + len(self._stored)
        usage, components = self._usage.save(), self._components.save()
        return (texts, frozen, exports, dict(self._export_json), facts, usage, files, components)

    @staticmethod
    def holds(state: tuple[Any, ...], paths: Sized) -> bool:
        """Whether a saved index has the shape `save` gives and held as many files as `paths`."""
        shape = isinstance(state, tuple) and len(state) == 8 and all(isinstance(p, dict) for p in state[:5])
        return shape and state[6] == len(paths)

    def paths(self) -> list[str]:
        """Every file the index holds (what `restore` is given back)."""
        return [*self.files, *self._stored]

    @classmethod
    def restore(
        cls,
        state: tuple[Any, ...],
        paths: Iterable[str],
        groups: Groups,
        context: AdoptionContext,
        load_entry: LoadEntry,
    ) -> LiveIndex:
        """An index equal to the saved one, which held `paths` (`holds(state, paths)`).

        `load_entry(path, facts)` gives a file's entry as it was saved.
        """
        texts, frozen, exports, export_texts, facts, adoption, _, components = state
        index = cls(groups, context)
        index._package_json, index._frozen = dict(texts), dict(frozen)
        index.exports = defaultdict(dict, exports)
        index._export_json = dict(export_texts)
        index._stored, index._load_entry = dict.fromkeys(paths, PLAIN), load_entry
        index._stored.update(facts)
        index._usage = UsageTally.restore(context, groups.versioned, adoption)
        index._components = ComponentTally.restore(components)
        return index


def _add_line(files: dict[str, list[int]], path: str, line: int) -> None:
    """Note that a file imports on this line (lines come in order; a repeated line is kept once)."""
    lines = files.get(path)
    if lines is None:
        files[path] = [line]
    elif lines[-1] != line:
        lines.append(line)


def _forget_file(use: dict[str, Any], path: str) -> None:
    """Drop a file from an export's `subpaths` (file lists by the subpath imported), and what empties."""
    subpaths = use.get("subpaths")
    if not subpaths:
        return
    for subpath in [s for s, files in subpaths.items() if files.pop(path, None) is not None and not files]:
        del subpaths[subpath]
    if not subpaths:
        del use["subpaths"]
