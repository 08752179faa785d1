"""Usage counts that any adoption groups can be applied to later: what a run stores for adoption.

A scan does not know which groups someone will ask about next month, so it counts imports by *key*,
everything a group may match on: the package id, the subpath (`@acme/ui/next`), how it was resolved, the
dependency version (when the configuration asks for versions) and, for modules of the repo, the deepest
folder holding both the importing file and the module (an import inside a local group's own folder is
internal to it). Per key and owner set: value and type-only imports, and the same per export
(components). Per *file signature* (its owners and the keys it imports, each with whether some import of
it is a value import): how many files have it, so that "files importing a group" is exact for any
grouping. Beside imports, the uses of imported components (`UseRecord`): JSX instances and value uses per
key, owner set and export, and per file the keys it imports and uses, from which `depreport.tally.wrappers`
keeps the local import graph (wrappers and indirect dependence under any groups). `depreport.history.adoption.
adoption_of` applies groups to the JSON form (`to_json`); the tally is updated file by file (removal
exact) and saved into a pack like the rest of the index.

Over 300 lines on purpose: the tally, its saved form (`save`/`restore`) and its JSON form (`to_json`)
change together, a key added to one is added to the others; following barrels (`depreport.tally.
barrels`) and the import graph (`depreport.tally.wrappers`) already live on their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from depreport.model import LOCAL_RESOLUTIONS, ImportRecord, Kind, UseKind, UseRecord
from depreport.report.shape import Usage
from depreport.resolve.owners import UNOWNED
from depreport.resolve.specifiers import module_id
from depreport.tally.barrels import Barrels, Through
from depreport.tally.wrappers import Nodes, graph_json

# package, subpath, resolved, version, within
UsageKey = tuple[str, str, str, str | None, str]
Owners = tuple[str, ...]
_Row = tuple[Owners, UsageKey]
_Import = tuple[UsageKey, str]  # a key, and the export imported when the key is a module of the repo
_Signature = tuple[Owners, frozenset[tuple[_Import, bool]]]
_Shown = tuple[str, str, str, str | None, str, str]  # a key as stored: with the barrel it went through
_Use = tuple[UsageKey, str, str]  # a key, the export used, and how (a UseKind value)
# A file as the local import graph needs it: what it imports (as in a signature), and its uses counted
# (None for a language whose uses are not extracted: Python).
_Node = tuple[frozenset[tuple[_Import, bool]], tuple[tuple[_Use, int], ...] | None, Owners]
_What = TypeVar("_What")  # what a count is split by: type-only or not, a use kind
_USES_OF = {UseKind.INSTANCE.value: 0, UseKind.VALUE.value: 1}  # a use kind -> its place in a uses row
NO_USES = frozenset({"python"})  # languages whose uses are not extracted
# (module, export) -> where the name comes from through local barrels, the cycles met finding out, and
# the modules whose re-exports it read (only they can change the answer)
_Lookups = dict[tuple[str, str], tuple[Through | None, frozenset[tuple[str, ...]], tuple[str, ...]]]


@dataclass(frozen=True)
class AdoptionContext:
    """What counting an import may need besides the import: dependency versions, file owners."""

    version: Callable[[str, str], str | None] | None = None  # (file, package) -> version
    owners: Callable[[str], tuple[str, ...]] | None = None  # file -> owners (CODEOWNERS)


def within(path: str, module: str) -> str:
    """The deepest folder that holds both the importing file and the imported module ('' at the root)."""
    folders, parts = path.split("/")[:-1], module.split("/")
    common = 0
    for folder, part in zip(folders, parts, strict=False):
        if folder != part:
            break
        common += 1
    return "/".join(folders[:common])


def bump(counter: Counter[Any], key: Any, by: int) -> None:
    """Add to a counter, dropping the key at zero (removal must leave no trace)."""
    value = counter[key] + by
    if value > 0:
        counter[key] = value
    else:
        del counter[key]


class UsageTally:
    """Imports per key, export and owner set, and files per signature; updated file by file."""

    def __init__(self, context: AdoptionContext | None = None, versioned: bool = False) -> None:
        self.context = context or AdoptionContext()
        self.versioned = versioned and self.context.version is not None
        self._exports: dict[_Row, Counter[tuple[str, bool]]] = {}
        self._signatures: Counter[_Signature] = Counter()
        self._uses: dict[_Row, Counter[tuple[str, str]]] = {}  # (export, use kind) -> uses
        self._nodes: dict[str, _Node] = {}  # path -> what the local import graph needs of the file
        self.barrels = Barrels()
        self._within: dict[tuple[str, str], str] = {}  # (folder of the importing file, module) -> within
        # Kept from one `to_json` to the next (a backfill's weeks, where files holding re-exports change
        # often, their re-exports rarely): barrel lookups, until a module whose re-exports one read
        # changes them; each signature's keys as stored, until any re-export comes or goes.
        self._lookups: _Lookups = {}
        self._finals: dict[frozenset[tuple[_Import, bool]], frozenset[tuple[_Shown, bool]]] = {}
        self._barrels_before: dict[str, object] = {}  # module -> its re-exports when that kept was made

    def apply(
        self, path: str, records: Iterable[ImportRecord], sign: int, uses: Iterable[UseRecord] = ()
    ) -> None:
        """Count (sign=1) or uncount (sign=-1) the records and uses of one file.

        Uncounting takes the file's uses from what counting it kept, so `uses` is only read when counting.
        """
        owners = self._owners(path)
        keys: dict[_Import, bool] = {}
        language = ""
        for record in records:
            key = self._key(path, record)
            row = self._exports.get((owners, key))
            if row is None:
                row = self._exports[(owners, key)] = Counter()
            bump(row, (record.export, record.type_only), sign)
            if not row:
                del self._exports[(owners, key)]
            if record.kind == Kind.REEXPORT:
                module = module_id(path)
                if module not in self._barrels_before:
                    self._barrels_before[module] = self.barrels.of(module)
                self.barrels.apply(module, record.export, record.local, key, sign)
            imported = (key, record.export if record.resolved in LOCAL_RESOLUTIONS else "")
            keys[imported] = keys.get(imported, False) or not record.type_only
            language = record.language
        signature = frozenset(keys.items())
        if keys:
            bump(self._signatures, (owners, signature), sign)
        if sign > 0 and keys:
            used = self._count_uses(path, owners, uses, +1) if language not in NO_USES else None
            self._nodes[path] = (signature, used, owners)
        elif sign < 0 and path in self._nodes:
            used = self._nodes.pop(path)[1]
            for (key, export, kind), n in used or ():
                self._bump_use(owners, key, export, kind, -n)

    def _count_uses(
        self, path: str, owners: Owners, uses: Iterable[UseRecord], sign: int
    ) -> tuple[tuple[_Use, int], ...]:
        counted: Counter[_Use] = Counter()
        for use in uses:
            if use.kind in _USES_OF:
                counted[(self._key(path, use), use.export, use.kind)] += 1
        for (key, export, kind), n in counted.items():
            self._bump_use(owners, key, export, kind, sign * n)
        return tuple(sorted(counted.items(), key=repr))

    def _bump_use(self, owners: Owners, key: UsageKey, export: str, kind: str, by: int) -> None:
        row = self._uses.get((owners, key))
        if row is None:
            row = self._uses[(owners, key)] = Counter()
        bump(row, (export, kind), by)
        if not row:
            del self._uses[(owners, key)]

    def _owners(self, path: str) -> Owners:
        if self.context.owners is None:
            return ()
        return self.context.owners(path) or (UNOWNED,)

    def _key(self, path: str, record: ImportRecord | UseRecord) -> UsageKey:
        versions = self.context.version if self.versioned else None
        version = versions(path, record.package) if versions is not None else None
        folder = ""
        if record.resolved in LOCAL_RESOLUTIONS:
            at = (path.rpartition("/")[0], record.package)
            folder = self._within.get(at) or self._within.setdefault(at, within(path, record.package))
        return (record.package, record.subpath, record.resolved, version, folder)

    def save(self) -> tuple[Any, ...]:
        """The counts in plain values, for `restore` in a later run under the same context."""
        rows = [(owners, key, dict(counts)) for (owners, key), counts in self._exports.items()]
        signatures = [(owners, tuple(keys), n) for (owners, keys), n in self._signatures.items()]
        uses = [(owners, key, dict(counts)) for (owners, key), counts in self._uses.items()]
        nodes = [
            (path, tuple(imported), used, owners) for path, (imported, used, owners) in self._nodes.items()
        ]
        return (rows, signatures, self.barrels.save(), uses, nodes)

    @classmethod
    def restore(cls, context: AdoptionContext, versioned: bool, saved: tuple[Any, ...]) -> UsageTally:
        """The tally `save` saw."""
        tally = cls(context, versioned)
        rows, signatures, barrels, uses, nodes = saved
        tally._exports = {(owners, key): Counter(counts) for owners, key, counts in rows}
        tally._signatures = Counter({(owners, frozenset(keys)): n for owners, keys, n in signatures})
        tally.barrels = Barrels.restore(barrels)
        tally._uses = {(owners, key): Counter(counts) for owners, key, counts in uses}
        tally._nodes = {path: (frozenset(imported), used, owners) for path, imported, used, owners in nodes}
        return tally

    def to_json(self) -> Usage:
        """The report's `usage` block: keys and owner sets listed once, rows and files pointing at them.

        A name imported from a local barrel is shown under the key and export it comes from, its key
        naming the barrel it went through (`via`). `uses` rows count JSX instances and value uses per
        export; `graph` is the local import graph (`depreport.tally.wrappers.graph_json`).
        """
        self._forget_changed_lookups()
        shown = _ShownKeys(self.barrels, self._lookups)
        exports = _shown_counts(self._exports, shown, int)
        uses = _shown_counts(self._uses, shown, _USES_OF.__getitem__)
        signatures: Counter[tuple[Owners, frozenset[tuple[_Shown, bool]]]] = Counter()
        finals_of = {}  # a signature -> its keys as stored (the graph's files reuse them)
        for (owners, imported), n in self._signatures.items():
            finals = self._finals.get(imported)
            if finals is None:  # each key of a signature is in `exports` too: `shown` met it there
                finals = self._finals[imported] = frozenset(_finals(imported, shown).items())
            finals_of[(owners, imported)] = finals
            signatures[(owners, finals)] += n
        self._finals = {imported: finals_of[(owners, imported)] for owners, imported in self._signatures}
        self._lookups = {pair: self._lookups[pair] for pair in shown.looked_up()}  # what is still met
        keys = sorted({key for _, key in exports} | {key for _, key in uses}, key=_sort_key)
        owner_sets = sorted({owners for owners, _ in exports} | {owners for owners, _ in uses})
        key_id = {key: i for i, key in enumerate(keys)}
        owner_id = {owners: i for i, owners in enumerate(owner_sets)}
        signature_rows = sorted(
            ((owner_id[owners], sorted(2 * key_id[key] + v for key, v in sig), n, (owners, sig))
             for (owners, sig), n in signatures.items()),
            key=lambda row: row[:3],
        )  # fmt: skip
        files = [[owner, codes, n] for owner, codes, n, _ in signature_rows]
        row_of = {signature: i for i, (*_, signature) in enumerate(signature_rows)}
        file_rows = {
            path: row_of[(owners, finals_of[(owners, imported)])]
            for path, (imported, _, owners) in self._nodes.items()
        }
        return {
            "keys": [list(key) for key in keys],
            "owners": [list(owners) for owners in owner_sets],
            "rows": _rows(exports, owner_id, key_id),
            "files": files,
            "uses": _rows(uses, owner_id, key_id),
            "graph": graph_json(self._graph_nodes(shown, key_id, files, file_rows), keys),
            "owned": self.context.owners is not None,
            "versioned": self.versioned,
            "barrel_cycles": sorted(list(cycle) for cycle in shown.cycles()),
            "through": shown.through(),
        }

    def _forget_changed_lookups(self) -> None:
        """Drop what a re-export that came or went may change: the lookups that read the module's
        re-exports (a name may now come from elsewhere), and every signature's keys as stored."""
        before = self._barrels_before
        changed = {module for module, was in before.items() if self.barrels.of(module) != was}
        if changed:
            self._lookups = {
                pair: known for pair, known in self._lookups.items() if changed.isdisjoint(known[2])
            }
            self._finals = {}
        self._barrels_before = {}

    def _graph_nodes(
        self, shown: _ShownKeys, key_id: dict[_Shown, int], files: list[list[Any]], row_of: dict[str, int]
    ) -> Nodes:
        """Per file: the codes of the keys it imports, the ids of the keys it uses, its row of `files`."""
        nodes = {}
        for path, (_, counted, _) in self._nodes.items():
            used = None
            if counted is not None:
                used = sorted({key_id[shown(key, export)[0]] for (key, export, _), _n in counted})
            row = row_of[path]
            nodes[path] = (files[row][1], used, row)
        return nodes


def _finals(imported: Iterable[tuple[_Import, bool]], shown: _ShownKeys) -> dict[_Shown, bool]:
    """The keys a file imports as stored (through barrels), each with whether some import is a value."""
    finals: dict[_Shown, bool] = {}
    for (key, export), has_value in imported:
        final = shown(key, export)[0]
        finals[final] = finals.get(final, False) or has_value
    return finals


def _shown_counts(
    counted: dict[_Row, Counter[tuple[str, _What]]],
    shown: _ShownKeys,
    column: Callable[[_What], int],
) -> dict[tuple[Owners, _Shown], dict[str, list[int]]]:
    """Counts per (export, what) moved to the keys and names as shown: `[first, second]` per export,
    ``column`` telling which of the two each `what` (type-only flag, use kind) adds to."""
    table: dict[tuple[Owners, _Shown], dict[str, list[int]]] = {}
    for (owners, key), counts in counted.items():
        for (export, what), n in counts.items():
            final, name = shown(key, export)
            table.setdefault((owners, final), {}).setdefault(name, [0, 0])[column(what)] += n
    return table


def _rows(
    counts: dict[tuple[Owners, _Shown], dict[str, list[int]]],
    owner_id: dict[Owners, int],
    key_id: dict[_Shown, int],
) -> list[list[Any]]:
    rows = [[owner_id[o], key_id[k], dict(sorted(e.items()))] for (o, k), e in counts.items()]
    return sorted(rows, key=lambda row: (row[0], row[1]))


class _ShownKeys:
    """Key and export -> the key as stored (with the barrel passed) and the export, memoised."""

    def __init__(self, barrels: Barrels, lookups: _Lookups) -> None:
        self.barrels, self._lookups = barrels, lookups
        self._cycles: set[tuple[str, ...]] = set()  # met by the lookups of this block
        self._memo: dict[tuple[str, str], Any] = {}
        self._shown: dict[tuple[UsageKey, str], tuple[_Shown, str]] = {}

    def __call__(self, key: UsageKey, export: str) -> tuple[_Shown, str]:
        shown = self._shown.get((key, export))
        if shown is None:
            shown = self._shown[(key, export)] = self._show(key, export)
        return shown

    def _show(self, key: UsageKey, export: str) -> tuple[_Shown, str]:
        if not self.barrels or key[2] not in LOCAL_RESOLUTIONS:
            return (*key, ""), export
        found = self._memo.get((key[0], export), False)
        if found is False:
            found = self._memo[(key[0], export)] = self._through(key[0], export)
        if found is None:
            return (*key, ""), export
        final = found.key
        folder = within(f"{key[4]}/x" if key[4] else "x", final[0]) if final[2] in LOCAL_RESOLUTIONS else ""
        return (final[0], final[1], final[2], final[3], folder, found.via[0]), found.export

    def _through(self, module: str, export: str) -> Through | None:
        """`barrels.through`, from the lookups kept since the barrels last changed when it is there."""
        known = self._lookups.get((module, export))
        if known is None:
            self.barrels.cycles.clear()
            self.barrels.read.clear()
            found = self.barrels.through(module, export)
            read = tuple(sorted(self.barrels.read))
            known = self._lookups[(module, export)] = (found, frozenset(self.barrels.cycles), read)
        self._cycles |= known[1]
        return known[0]

    def cycles(self) -> set[tuple[str, ...]]:
        return self._cycles

    def looked_up(self) -> list[tuple[str, str]]:
        """The (module, export) pairs looked up through the barrels for this block."""
        return list(self._memo)

    def through(self) -> list[list[str]]:
        """[module, export, package, subpath, resolved, export, barrel] per name that went through one."""
        return sorted(
            [module, export, found.key[0], found.key[1], found.key[2], found.export, found.via[0]]
            for (module, export), found in self._memo.items()
            if found is not None
        )


def _sort_key(key: _Shown) -> tuple[str, str, str, str, str, str]:
    package, subpath, resolved, version, folder, via = key
    return (package, subpath, resolved, version or "", folder, via)
