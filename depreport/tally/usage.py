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
from depreport.report.shape import FileVersions, Usage
from depreport.resolve.owners import UNOWNED
from depreport.resolve.specifiers import module_id
from depreport.tally.barrels import Barrels
from depreport.tally.shown import (
    Import,
    Imported,
    Owners,
    Row,
    SetTable,
    Shown,
    ShownCounts,
    ShownKeys,
    Signature,
    UsageKey,
    bump,
    within,
)
from depreport.tally.wrappers import Nodes, graph_json

_T = TypeVar("_T")
_Use = tuple[UsageKey, str, str]  # a key, the export used, and how (a UseKind value)
# A file as the local import graph needs it: what it imports (as in a signature), and its uses counted
# (None for a language whose uses are not extracted: Python).
_Node = tuple[Imported, tuple[tuple[_Use, int], ...] | None, Owners]
_USES_OF = {UseKind.INSTANCE.value: 0, UseKind.VALUE.value: 1}  # a use kind -> its place in a uses row
NO_USES = frozenset({"python"})  # languages whose uses are not extracted


@dataclass(frozen=True)
class AdoptionContext:
    """What counting an import may need besides the import: dependency versions, file owners."""

    version: Callable[[str, str], str | None] | None = None  # (file, package) -> version
    owners: Callable[[str], tuple[str, ...]] | None = None  # file -> owners (CODEOWNERS)


class UsageTally:
    """Imports per key, export and owner set, and files per signature; updated file by file."""

    def __init__(self, context: AdoptionContext | None = None, versioned: bool = False) -> None:
        self.context = context or AdoptionContext()
        self.versioned = versioned and self.context.version is not None
        # rows are plain dicts (a pack restores them as they are decoded): (export, type-only) -> imports
        self._exports: dict[Row, dict[tuple[str, bool], int]] = {}
        self._signatures: Counter[Signature] = Counter()
        self._uses: dict[Row, dict[tuple[str, str], int]] = {}  # (export, use kind) -> uses
        self._nodes: dict[str, _Node] = {}  # path -> what the local import graph needs of the file
        self.barrels = Barrels()
        # One object for each equal key, import (with whether a value) and signature: every file and row
        # holds the same one instead of a copy of its own (40 MB of a cold scan of 42k files). Never
        # emptied: it grows only with values never seen before (a backfill's new signatures, a few per
        # changed file).
        self._same: dict[Any, Any] = {}
        # Kept from one `to_json` to the next (a backfill's weeks): the counts as shown, patched from the
        # rows changed since (each row as it was at its first change), until a re-export comes or goes.
        self._view: ShownCounts | None = None
        self._last_block = False  # the view is let go once the next block is made (`for_last_block`)
        self._was_exports: dict[Row, dict[tuple[str, bool], int]] = {}
        self._was_uses: dict[Row, dict[tuple[str, str], int]] = {}
        self._was_signatures: dict[Signature, int] = {}
        self._barrels_before: dict[str, object] = {}  # module -> its re-exports at the last block

    def apply(
        self,
        path: str,
        records: Iterable[ImportRecord],
        sign: int,
        uses: Iterable[UseRecord] = (),
        own_exports: tuple[str, ...] = (),
    ) -> None:
        """Count (sign=1) or uncount (sign=-1) the records and uses of one file, and the names it exports
        itself beside an `export *` (which it does not re-export from there).

        Uncounting takes the file's uses from what counting it kept, so `uses` is only read when counting.
        """
        if own_exports:
            module = self._barrel_changes(path)
            self.barrels.own(module, own_exports, sign)
        owners = self._owners(path)
        keys: dict[Import, bool] = {}
        language = ""
        for record in records:
            key = self._key(path, record)
            row = self._exports.get((owners, key))
            if row is None:
                row = self._exports[(owners, key)] = {}
            if self._view is not None and (owners, key) not in self._was_exports:
                self._was_exports[(owners, key)] = dict(row)
            bump(row, (record.export, record.type_only), sign)
            if not row:
                del self._exports[(owners, key)]
            if record.kind == Kind.REEXPORT:
                module = self._barrel_changes(path)
                self.barrels.apply(module, record.export, record.local, key, sign)
            imported = (key, record.export if record.resolved in LOCAL_RESOLUTIONS else "")
            keys[imported] = keys.get(imported, False) or not record.type_only
            language = record.language
        signature = self._one(frozenset(self._one(item) for item in keys.items()))
        if keys:
            if self._view is not None:
                self._was_signatures.setdefault((owners, signature), self._signatures[(owners, signature)])
            bump(self._signatures, (owners, signature), sign)
        if sign > 0 and keys:
            used = self._count_uses(path, owners, uses, +1) if language not in NO_USES else None
            self._nodes[path] = (signature, used, owners)
        elif sign < 0 and path in self._nodes:
            used = self._nodes.pop(path)[1]
            for (key, export, kind), n in used or ():
                self._bump_use(owners, key, export, kind, -n)

    def _barrel_changes(self, path: str) -> str:
        """The module of the file, its re-exports kept as they were before this block's first change."""
        module = module_id(path)
        if module not in self._barrels_before:
            self._barrels_before[module] = self.barrels.of(module)
        return module

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
            row = self._uses[(owners, key)] = {}
        if self._view is not None and (owners, key) not in self._was_uses:
            self._was_uses[(owners, key)] = dict(row)
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
            folder = within(path, record.package)
        return self._one((record.package, record.subpath, record.resolved, version, folder))

    def for_last_block(self) -> None:
        """For a tally whose next `usage` block is its last: the table of values kept once (`_one`) goes
        now, the counts as shown (`ShownCounts`, ~85 MB of 42k files) once that block is made."""
        self._same, self._last_block = {}, True

    def _one(self, value: _T) -> _T:
        """The one object kept for values equal to this one (the first seen)."""
        kept: _T = self._same.setdefault(value, value)
        return kept

    def save(self) -> tuple[Any, ...]:
        """The counts in plain values, for `restore` in a later run under the same context; with the
        counts as shown when a usage block was made, so that the next run patches them (None if not)."""
        sets = SetTable()
        place = sets.place
        rows = [(owners, key, dict(counts)) for (owners, key), counts in self._exports.items()]
        signatures = [(owners, place(keys), n) for (owners, keys), n in self._signatures.items()]
        uses = [(owners, key, dict(counts)) for (owners, key), counts in self._uses.items()]
        nodes = [
            (path, place(imported), used, owners) for path, (imported, used, owners) in self._nodes.items()
        ]
        view = None
        if self._view is not None:
            view = self._shown_counts().save({imported for _, imported in self._signatures}, sets)
        return (rows, signatures, self.barrels.save(), uses, nodes, view, sets.tuples)

    @classmethod
    def restore(cls, context: AdoptionContext, versioned: bool, saved: tuple[Any, ...]) -> UsageTally:
        """The tally `save` saw. Its rows are the saved dicts themselves: restore a saved tally once."""
        tally = cls(context, versioned)
        rows, signatures, barrels, uses, nodes, view, tuples = saved
        sets = [tally._one(frozenset(values)) for values in tuples]
        tally._exports = {(owners, key): counts for owners, key, counts in rows}
        tally._signatures = Counter({(owners, sets[keys]): n for owners, keys, n in signatures})
        tally.barrels = Barrels.restore(barrels)
        tally._uses = {(owners, key): counts for owners, key, counts in uses}
        tally._nodes = {path: (sets[imported], used, owners) for path, imported, used, owners in nodes}
        if view is not None:
            tally._view = ShownCounts.restore(tally.barrels, view, sets)
        return tally

    def to_json(self) -> Usage:
        """The report's `usage` block: keys and owner sets listed once, rows and files pointing at them.

        A name imported from a local barrel is shown under the key and export it comes from, its key
        naming the barrel it went through (`via`). `uses` rows count JSX instances and value uses per
        export; `graph` is the local import graph (`depreport.tally.wrappers.graph_json`).
        """
        view = self._shown_counts()
        exports, uses, signatures = view.exports, view.uses, view.signatures
        keys = sorted({key for _, key in exports} | {key for _, key in uses}, key=_sort_key)
        owner_sets = sorted({owners for owners, _ in exports} | {owners for owners, _ in uses})
        key_id = {key: i for i, key in enumerate(keys)}
        owner_id = {owners: i for i, owners in enumerate(owner_sets)}
        # an owner set and its codes tell one signature: the sort never compares the last items
        signature_rows = sorted(
            (owner_id[owners], sorted([2 * key_id[key] + v for key, v in sig]), n, (owners, sig))
            for (owners, sig), n in signatures.items()
        )
        files = [[owner, codes, n] for owner, codes, n, _ in signature_rows]
        row_of = {signature: i for i, (*_, signature) in enumerate(signature_rows)}
        file_rows = {
            path: row_of[(owners, view.finals[imported])]
            for path, (imported, _, owners) in self._nodes.items()
        }
        block: Usage = {
            "keys": [list(key) for key in keys],
            "owners": [list(owners) for owners in owner_sets],
            "rows": _rows(exports, owner_id, key_id),
            "files": files,
            "uses": _rows(uses, owner_id, key_id),
            "graph": graph_json(self._graph_nodes(view.shown, key_id, files, file_rows), keys),
            "owned": self.context.owners is not None,
            "versioned": self.versioned,
            "barrel_cycles": view.cycles(),
            "through": view.through(),
        }
        if self._last_block:
            self._view = None
        return block

    def file_versions(self) -> FileVersions:
        """package -> version -> the files that import that version of it (sorted): the report's
        `versions` block when dependency versions are counted, which groups of a version range read to
        place a file's imports (the dashboard's treemap, `check`). Empty when versions are not counted."""
        found: dict[str, dict[str, set[str]]] = {}
        if self.versioned:
            for path, (imported, _, _) in self._nodes.items():
                for ((package, _, _, version, _), _), _ in imported:
                    if version is not None:
                        found.setdefault(package, {}).setdefault(version, set()).add(path)
        return {
            package: {version: sorted(paths) for version, paths in sorted(versions.items())}
            for package, versions in sorted(found.items())
        }

    def _shown_counts(self) -> ShownCounts:
        """The counts as shown: patched from the rows changed since the last block when no re-export
        came or went, else made in full (keeping the barrel lookups that read no changed module)."""
        before, self._barrels_before = self._barrels_before, {}
        changed = {module for module, was in before.items() if self.barrels.of(module) != was}
        view = self._view
        if view is None or changed:
            kept = view.met_lookups() if view is not None else {}
            kept = {pair: known for pair, known in kept.items() if changed.isdisjoint(known[2])}
            view = self._view = ShownCounts(ShownKeys(self.barrels, kept))
            for row, counts in self._exports.items():
                view.add(view.exports, row, counts, +1, int)
            for row, used in self._uses.items():
                view.add(view.uses, row, used, +1, _USES_OF.__getitem__)
            for signature, n in self._signatures.items():
                view.add_signature(signature, n)
        else:
            for row, was in self._was_exports.items():
                view.add(view.exports, row, was, -1, int)
                view.add(view.exports, row, self._exports.get(row, {}), +1, int)
            for row, was_used in self._was_uses.items():
                view.add(view.uses, row, was_used, -1, _USES_OF.__getitem__)
                view.add(view.uses, row, self._uses.get(row, {}), +1, _USES_OF.__getitem__)
            for signature, n in self._was_signatures.items():
                view.add_signature(signature, self._signatures.get(signature, 0) - n)
        self._was_exports, self._was_uses, self._was_signatures = {}, {}, {}
        return view

    def _graph_nodes(
        self, shown: ShownKeys, key_id: dict[Shown, int], files: list[list[Any]], row_of: dict[str, int]
    ) -> Nodes:
        """Per file: the codes of the keys it imports, the ids of the keys it uses, its row of `files`."""
        nodes = {}
        id_of: dict[tuple[UsageKey, str], int] = {}  # a key and export -> the id of its shown key
        for path, (_, counted, _) in self._nodes.items():
            used = None
            if counted is not None:
                ids = set()
                for (key, export, _), _n in counted:
                    found = id_of.get((key, export))
                    if found is None:
                        found = id_of[(key, export)] = key_id[shown(key, export)[0]]
                    ids.add(found)
                used = sorted(ids)
            row = row_of[path]
            nodes[path] = (files[row][1], used, row)
        return nodes


def _rows(
    counts: dict[tuple[Owners, Shown], dict[str, list[int]]],
    owner_id: dict[Owners, int],
    key_id: dict[Shown, int],
) -> list[list[Any]]:
    """The rows of a shown table, by owner set and key id (each pair once: the sort never compares the
    dicts); each dict a copy (the table is patched later), its names sorted when encoded."""
    return sorted([owner_id[o], key_id[k], dict(e)] for (o, k), e in counts.items())


def _sort_key(key: Shown) -> tuple[str, str, str, str, str, str]:
    package, subpath, resolved, version, folder, via = key
    return (package, subpath, resolved, version or "", folder, via)
