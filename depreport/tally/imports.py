"""The report's `packages` and `exports` blocks: imports per package and export, updated file by file.

```
"packages": {"evergreen-ui": {"resolved_as": "npm", "imports": 12, "type_only_imports": 0, "files": 9,
             "exports": {"Button": {"count": 4, "type_only": 0, "files": {"src/a.tsx": [3]},
                                    "subpaths": {...}, "locals": ["Button"]}}}},
"exports": {"Button": {"evergreen-ui": 4}}
```

The dicts are the report's JSON, updated in place; counters beside them make removal exact. Each
package's JSON text (and each of its exports') is kept until the package changes, so a backfill week
encodes only what changed. A saved tally is that text plus each package's counters, marshalled: a
restored package stays text (`_frozen`) until an update touches it, so a run that changed 1 % of the
files decodes and re-encodes about that much.

Over 300 lines on purpose: the live tally, its JSON text (kept per entry, or made once and let go as it
is made: `last_texts`) and its saved form change together; a field added to one is added to the others.
"""

from __future__ import annotations

import marshal
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, TypedDict, cast

from depreport.model import ImportRecord
from depreport.report.shape import ExportUse, Package, PackageOutline
from depreport.tally.jsontext import dumps, join_sorted, kept, loads_fragment
from depreport.tally.shown import bump

# A package still as text: imports, type-only imports, files, resolved_as, and marshalled for when it
# changes: its counters (how often it resolved each way, records per file, local names per export), its
# export names in order and the length of each one's text.
FrozenPackage = tuple[int, int, int, str, bytes]


class _LivePackage(TypedDict):
    """A report's `Package` as the tally holds it: an export restored from a pack is None (still text,
    in `_use_json`) until used."""

    resolved_as: str
    imports: int
    type_only_imports: int
    files: int
    exports: dict[str, ExportUse | None]


class SavedImports(NamedTuple):
    """An import tally in plain values: package texts, frozen packages, the exports block and its texts."""

    texts: dict[str, str]
    frozen: dict[str, FrozenPackage]
    exports: dict[str, dict[str, int]]
    export_texts: dict[str, str]


@dataclass
class _PackageCounters:
    resolved: Counter[str] = field(default_factory=Counter)
    files: Counter[str] = field(default_factory=Counter)
    locals: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


class ImportTally:
    """package -> export -> files and lines, export -> package -> count; exact under removal."""

    def __init__(self) -> None:
        self.packages: dict[str, _LivePackage] = {}
        self.exports: dict[str, dict[str, int]] = defaultdict(dict)
        self._counters: dict[str, _PackageCounters] = {}
        # JSON text kept per package, per export of a package, and per export name; dropped on change.
        self._package_json: dict[str, str] = {}
        self._use_json: dict[str, dict[str, str]] = defaultdict(dict)
        self._export_json: dict[str, str] = {}
        # A restored package stays text until changed; a thawed package's exports stay text (in
        # _use_json), and None in its dict, until used.
        self._frozen: dict[str, FrozenPackage] = {}

    def add(self, files: Iterable[tuple[str, tuple[ImportRecord, ...]]]) -> None:
        """Count the records of many files not counted yet, settling each package and export once."""
        touched: set[tuple[str, str]] = set()
        for path, records in files:
            for record in records:
                touched.add(self._count(path, record))
        for package, export in touched:
            self._drop_texts(package, export)
            self._settle(package, export, self.packages[package], self._counters[package])

    def apply(self, path: str, records: tuple[ImportRecord, ...], sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) the records of one file."""
        by_key: dict[tuple[str, str], list[ImportRecord]] = defaultdict(list)
        for record in records:
            by_key[(record.package, record.export)].append(record)
        for (package, export), group in by_key.items():
            self._apply_export(path, package, export, group, sign)

    def imports(self) -> int:
        """Imports counted, over every package."""
        thawed: int = sum(p["imports"] for p in self.packages.values())
        return thawed + sum(f[0] for f in self._frozen.values())

    def package_count(self) -> int:
        """Packages imported."""
        return len(self.packages) + len(self._frozen)

    def to_json(self) -> tuple[dict[str, Package], dict[str, dict[str, int]]]:
        """The `packages` and `exports` blocks (live: they change with the tally; copy them to keep)."""
        for package in list(self._frozen):
            self._thaw(package)
        for package, entry in self.packages.items():
            for export in [e for e, use in entry["exports"].items() if use is None]:
                self._slot(package, export)
        return cast("dict[str, Package]", self.packages), self.exports  # every export decoded above

    def outline(self, detailed: Callable[[str, str], bool]) -> dict[str, PackageOutline]:
        """Every package's resolved_as, imports and files, without decoding any; the packages for which
        `detailed(name, resolved_as)` holds also with the count of each of their exports."""
        packages: dict[str, PackageOutline] = {}
        for name, entry in self.packages.items():
            packages[name] = {
                "resolved_as": entry["resolved_as"],
                "imports": entry["imports"],
                "files": entry["files"],
            }
        for name, (imports, _, files, resolved_as, *_) in self._frozen.items():
            packages[name] = {"resolved_as": resolved_as, "imports": imports, "files": files}
        chosen = {name for name, package in packages.items() if detailed(name, package["resolved_as"])}
        counts: dict[str, dict[str, dict[str, int]]] = {name: {} for name in chosen}
        for export, uses in self.exports.items() if chosen else ():
            for name in chosen.intersection(uses):
                counts[name][export] = {"count": uses[name]}
        for name, exports in counts.items():
            packages[name]["exports"] = exports
        return packages

    def texts(self) -> tuple[str, str]:
        """The JSON text of the `packages` and `exports` blocks, sorted keys, reusing what is kept."""
        names = [*self.packages, *self._frozen]
        packages = join_sorted(names, self._package_json, self._package_text)
        exports = join_sorted(self.exports, self._export_json, lambda name: dumps(self.exports[name]))
        return packages, exports

    def drop_counters(self) -> None:
        """Let go of what makes removal exact (per package: records per file, resolutions, local names;
        ~46 MB of a scan of 42k files), for a tally whose blocks are all that is left to make: it can
        count no more, and is not saved."""
        self._counters = {}

    def last_texts(self) -> tuple[str, str]:
        """`texts()` as the tally's last use: each package is let go as soon as its text is made, so the
        `packages` block is not held as dicts and as text at once (~100 MB of a scan of 42k files). The
        tally is empty afterwards."""
        entries = []
        for name in sorted(self.packages.keys() | self._frozen.keys()):
            text = self._package_json.pop(name, None)
            entries.append(text if text is not None else dumps(name) + ":" + self._package_text(name))
            for held in (self.packages, self._use_json, self._frozen):
                held.pop(name, None)
        exports = join_sorted(self.exports, self._export_json, lambda name: dumps(self.exports[name]))
        self.exports, self._export_json = defaultdict(dict), {}
        return "{" + ",".join(entries) + "}", exports

    def save(self) -> SavedImports:
        """The tally in plain values (dicts, tuples, strings, numbers, bytes)."""
        frozen = dict(self._frozen)
        for name, entry in self.packages.items():
            kept(self._package_json, name, self._package_text)
            names = sorted(entry["exports"])
            lengths = tuple(len(self._use_json[name][export]) for export in names)
            counters = self._counters[name]
            local_names = {export: dict(counts) for export, counts in counters.locals.items() if counts}
            state = (dict(counters.resolved), dict(counters.files), local_names, tuple(names), lengths)
            scalars = (entry["imports"], entry["type_only_imports"], entry["files"], entry["resolved_as"])
            frozen[name] = (*scalars, marshal.dumps(state))
        for name in self.exports.keys() - self._export_json.keys():
            kept(self._export_json, name, lambda export: dumps(self.exports[export]))
        texts = {name: self._package_json[name] for name in frozen}
        return SavedImports(texts, frozen, dict(self.exports), dict(self._export_json))

    @classmethod
    def restore(cls, saved: SavedImports) -> ImportTally:
        """A tally equal to the saved one; its packages stay text until changed."""
        tally = cls()
        tally._package_json, tally._frozen = dict(saved.texts), dict(saved.frozen)
        tally.exports = defaultdict(dict, saved.exports)
        tally._export_json = dict(saved.export_texts)
        return tally

    def _drop_texts(self, package: str, export: str) -> None:
        """Forget the kept JSON text of a package and an export that are about to change."""
        self._package_json.pop(package, None)
        self._use_json[package].pop(export, None)
        self._export_json.pop(export, None)

    def _slot(self, package: str, export: str) -> tuple[_LivePackage, _PackageCounters, ExportUse]:
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
                use = uses[export] = cast(ExportUse, loads_fragment(self._use_json[package][export], export))
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

    def _thaw(self, package: str) -> _LivePackage:
        """Make a restored package changeable: its counters decoded, its exports left as text until used."""
        imports, type_only_imports, files_count, resolved_as, marshalled = self._frozen.pop(package)
        resolved, files, local_names, names, lengths = marshal.loads(marshalled)
        text, kept_texts = self._package_json[package], self._use_json[package]
        start = len(dumps(package)) + len(':{"exports":{')
        for name, length in zip(names, lengths, strict=True):
            kept_texts[name] = text[start : start + length]
            start += length + 1
        entry: _LivePackage = {
            "resolved_as": resolved_as, "imports": imports, "type_only_imports": type_only_imports,
            "files": files_count, "exports": dict.fromkeys(names),
        }  # fmt: skip
        self.packages[package] = entry
        locals_by_export = defaultdict(Counter, {e: Counter(n) for e, n in local_names.items()})
        self._counters[package] = _PackageCounters(Counter(resolved), Counter(files), locals_by_export)
        return entry

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

    def _settle(self, package: str, export: str, entry: _LivePackage, counters: _PackageCounters) -> None:
        """Update the derived fields of one package and export; drop what became empty."""
        use = entry["exports"][export]
        assert use is not None  # the export was just counted: `_slot` decoded it
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

    def _package_text(self, name: str) -> str:
        """`dumps(self.packages[name])`, reusing the kept text of the package's unchanged exports."""
        entry, kept_texts = self.packages[name], self._use_json[name]
        uses = join_sorted(entry["exports"], kept_texts, lambda export: dumps(entry["exports"][export]))
        scalars = {key: value for key, value in entry.items() if key != "exports"}
        return '{"exports":' + uses + "," + dumps(scalars)[1:]


def _add_line(files: dict[str, list[int]], path: str, line: int) -> None:
    """Note that a file imports on this line (lines come in order; a repeated line is kept once)."""
    lines = files.get(path)
    if lines is None:
        files[path] = [line]
    elif lines[-1] != line:
        lines.append(line)


def _forget_file(use: ExportUse, path: str) -> None:
    """Drop a file from an export's `subpaths` (file lists by the subpath imported), and what empties."""
    subpaths = use.get("subpaths")
    if not subpaths:
        return
    for subpath in [s for s, files in subpaths.items() if files.pop(path, None) is not None and not files]:
        del subpaths[subpath]
    if not subpaths:
        del use["subpaths"]
