"""The usage counts as a report shows them, kept from one `usage` block to the next and patched.

A count is stored under a key and export, but shown under the key and export it comes from through local
barrels (`ShownKeys`). `ShownCounts` holds the shown tables of a `UsageTally`: imports and uses per
(owner set, shown key) and name, files per (owner set, shown signature), and how many counts meet each
(module, export) a barrel lookup was made for (`through` and `barrel_cycles` list only the lookups some
count still meets). Made once in full, it is then patched from the rows that changed since the last
block, as long as no re-export came or went: a week of a backfill, where a few files change among
thousands, moves only their rows. When a re-export changes, where names come from may change for any
row, and the tables are made again in full.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any, TypeVar

from depreport.model import LOCAL_RESOLUTIONS
from depreport.tally.barrels import Barrels, Through

# package, subpath, resolved, version, within
UsageKey = tuple[str, str, str, str | None, str]
Owners = tuple[str, ...]
Row = tuple[Owners, UsageKey]
Import = tuple[UsageKey, str]  # a key, and the export imported when the key is a module of the repo
Imported = frozenset[tuple[Import, bool]]  # a file's imports, each with whether some import is a value
Signature = tuple[Owners, Imported]
Shown = tuple[str, str, str, str | None, str, str]  # a key as stored: with the barrel it went through
Finals = frozenset[tuple[Shown, bool]]  # a signature's keys as stored
Table = dict[tuple[Owners, Shown], dict[str, list[int]]]  # name -> [first, second] per shown row
What = TypeVar("What")  # what a count is split by: type-only or not, a use kind
# A lookup through the barrels: where the name comes from, the cycles met finding out, and the modules
# whose re-exports it read (only they can change the answer)
Known = tuple[Through | None, frozenset[tuple[str, ...]], tuple[str, ...]]
Lookups = dict[tuple[str, str], Known]


class ShownKeys:
    """Key and export -> the key as stored (with the barrel passed) and the export, memoised.

    Valid while the barrels do not change. ``kept``: lookups made under earlier barrels that read no
    module whose re-exports changed since, still right.
    """

    def __init__(self, barrels: Barrels, kept: Lookups) -> None:
        self.barrels, self._kept = barrels, kept
        # The lookups asked for that found a barrel or met a cycle; those that found neither (nearly all:
        # a module's own export) only as (module, export): a lookup made again gives the same answer.
        self.made: Lookups = {}
        self._found_none: set[tuple[str, str]] = set()
        self._shown: dict[tuple[UsageKey, str], tuple[Shown, str]] = {}

    def __call__(self, key: UsageKey, export: str) -> tuple[Shown, str]:
        shown = self._shown.get((key, export))
        if shown is None:
            shown = self._shown[(key, export)] = self._show(key, export)
        return shown

    def _show(self, key: UsageKey, export: str) -> tuple[Shown, str]:
        if not self.barrels or key[2] not in LOCAL_RESOLUTIONS:
            return (*key, ""), export
        found = self._through(key[0], export)
        if found is None:
            return (*key, ""), export
        final = found.key
        folder = within(f"{key[4]}/x" if key[4] else "x", final[0]) if final[2] in LOCAL_RESOLUTIONS else ""
        return (final[0], final[1], final[2], final[3], folder, found.via[0]), found.export

    def _through(self, module: str, export: str) -> Through | None:
        """`barrels.through`, from the lookups kept since the barrels last changed when it is there."""
        pair = (module, export)
        known = self.made.get(pair)
        if known is None:
            if pair in self._found_none:
                return None
            known = self._kept.get(pair)
            if known is None:
                self.barrels.cycles.clear()
                self.barrels.read.clear()
                found = self.barrels.through(module, export)
                if found is None and not self.barrels.cycles:
                    self._found_none.add(pair)
                    return None
                known = (found, frozenset(self.barrels.cycles), tuple(sorted(self.barrels.read)))
            self.made[pair] = known
        return known[0]

    def found_something(self, module: str, export: str) -> bool:
        """Did the lookup of this name, made already, find a barrel or meet a cycle?"""
        return (module, export) in self.made


class ShownCounts:
    """The shown tables of a tally's counts, and the barrel lookups its counts meet."""

    def __init__(self, shown: ShownKeys) -> None:
        self.shown = shown
        self.exports: Table = {}
        self.uses: Table = {}
        self.signatures: Counter[tuple[Owners, Finals]] = Counter()
        self.finals: dict[Imported, Finals] = {}  # a signature's imports -> its keys as stored
        # (module, export) -> counts under a local key, of the names whose lookup found a barrel or a cycle
        self.met: Counter[tuple[str, str]] = Counter()

    def add(
        self, table: Table, row: Row, counts: Mapping[tuple[str, What], int], sign: int,
        column: Callable[[What], int],
    ) -> None:  # fmt: skip
        """Add (sign=1) or take away (sign=-1) one row's counts, ``column`` telling which of the two
        numbers of a name each `what` (type-only flag, use kind) adds to."""
        owners, key = row
        local = key[2] in LOCAL_RESOLUTIONS
        plain = None if local else (owners, (*key, ""))  # a key outside the repo is shown as it is
        for (export, what), n in counts.items():
            if plain is None:
                final, name = self.shown(key, export)
                at = (owners, final)
                if self.shown.found_something(key[0], export):
                    bump(self.met, (key[0], export), sign * n)
            else:
                at, name = plain, export
            entry = table.get(at)
            if entry is None:
                entry = table[at] = {}
            pair = entry.get(name) or [0, 0]
            pair = entry[name] = pair.copy()  # a new list: blocks handed out hold the old one
            pair[column(what)] += sign * n
            if sign < 0 and pair == [0, 0]:
                del entry[name]
                if not entry:
                    del table[at]

    def add_signature(self, signature: Signature, by: int) -> None:
        """Count ``by`` more (or fewer) files with this signature."""
        owners, imported = signature
        finals = self.finals.get(imported)
        if finals is None:  # each key of a signature is counted in `exports` too: `shown` met it there
            finals = self.finals[imported] = frozenset(_finals(imported, self.shown).items())
        bump(self.signatures, (owners, finals), by)

    def through(self) -> list[list[str]]:
        """[module, export, package, subpath, resolved, export, barrel] per name that went through one."""
        return sorted(
            [module, export, found.key[0], found.key[1], found.key[2], found.export, found.via[0]]
            for (module, export), (found, _, _) in self.shown.made.items()
            if found is not None and (module, export) in self.met
        )

    def cycles(self) -> list[list[str]]:
        """Each cycle of re-exports a lookup met, as the list of the modules it passes."""
        met = self.met
        found = {cycle for pair, (_, cycles, _) in self.shown.made.items() if pair in met for cycle in cycles}
        return sorted(list(cycle) for cycle in found)

    def met_lookups(self) -> Lookups:
        """The lookups that some count meets."""
        return {pair: known for pair, known in self.shown.made.items() if pair in self.met}

    def save(self, imported: Iterable[Imported], sets: SetTable) -> tuple[Any, ...]:
        """The tables in plain values, for `restore` over the same barrels: a restored tally patches
        them instead of making them again. ``imported``: the signatures' imports still counted (the
        finals of the others are dropped, so that a pack passed from run to run does not grow);
        ``sets``: where each set is saved once (the tally's table)."""
        place = sets.place
        finals_of = [(place(imports), place(self.finals[imports])) for imports in imported]
        signatures = [(owners, place(finals), n) for (owners, finals), n in self.signatures.items()]
        made = {
            pair: (None if found is None else (found.key, found.export, found.via), cycles, read)
            for pair, (found, cycles, read) in self.met_lookups().items()
        }
        # sets as tuples: marshal writes a set's items sorted by their bytes (0.5 s for these tables)
        return (self.exports, self.uses, signatures, finals_of, dict(self.met), made)

    @classmethod
    def restore(cls, barrels: Barrels, saved: tuple[Any, ...], sets: list[frozenset[Any]]) -> ShownCounts:
        """The tables `save` saw; `barrels` are the ones they were made over, ``sets`` the restored sets
        of the tally's table (so that the tally and its view hold the same imports)."""
        exports, uses, signatures, finals_of, met, made = saved
        view = cls(ShownKeys(barrels, {}))
        view.exports, view.uses, view.met = exports, uses, Counter(met)
        view.signatures = Counter({(owners, sets[finals]): n for owners, finals, n in signatures})
        view.finals = {sets[imports]: sets[finals] for imports, finals in finals_of}
        view.shown.made.update(
            (pair, (None if found is None else Through(*found), cycles, read))
            for pair, (found, cycles, read) in made.items()
        )
        return view


class SetTable:
    """Shared sets saved once each, as tuples in a list, their holders saving the place of theirs.

    A signature's imports are held by every file that has it: saved per holder, the pack would hold them
    once per file; by place, each set is one tuple, and a restore finds a holder's set with a list
    lookup (restored by the identity of a shared tuple instead, 130k holders of 42k files took 0.2 s).
    """

    def __init__(self) -> None:
        self.tuples: list[tuple[Any, ...]] = []
        self._places: dict[int, tuple[frozenset[Any], int]] = {}  # id -> the set (held), its place

    def place(self, values: frozenset[Any]) -> int:
        """The place of this set object in `tuples`, added the first time."""
        found = self._places.get(id(values))
        if found is None:
            found = self._places[id(values)] = (values, len(self.tuples))
            self.tuples.append(tuple(values))
        return found[1]


def within(path: str, module: str) -> str:
    """The deepest folder that holds both the importing file and the imported module ('' at the root)."""
    folders, parts = path.split("/")[:-1], module.split("/")
    common = 0
    for folder, part in zip(folders, parts, strict=False):
        if folder != part:
            break
        common += 1
    return "/".join(folders[:common])


def bump(counts: MutableMapping[Any, int], key: Any, by: int) -> None:
    """Add to a count (a Counter or a plain dict), dropping the key at zero (removal must leave no trace)."""
    value = counts.get(key, 0) + by
    if value > 0:
        counts[key] = value
    else:
        counts.pop(key, None)


def _finals(imported: Iterable[tuple[Import, bool]], shown: ShownKeys) -> dict[Shown, bool]:
    """The keys a file imports as stored (through barrels), each with whether some import is a value."""
    finals: dict[Shown, bool] = {}
    for (key, export), has_value in imported:
        final = shown(key, export)[0]
        finals[final] = finals.get(final, False) or has_value
    return finals
