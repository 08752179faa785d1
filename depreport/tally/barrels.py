"""Local barrels: modules of the repo that re-export names from elsewhere.

`src/ui/index.ts` with `export { Button } from 'evergreen-ui'` makes `import { Button } from '../ui'`
an import of evergreen-ui's `Button` made through `src/ui`. The table holds every re-export of every
module (`export { A as B } from`, `export * from`), kept up to date file by file like the rest of the
index, and follows a name through chains of them (across tsconfig aliases and workspaces alike: a
re-export's target is whatever its specifier resolved to). A chain that comes back to a module it passed
is a cycle: reported, and the import stays where it was. A name a module exports itself (`export function
render`, `export { render }`) is its own even when it also has an `export *` holding that name: the local
export shadows the star, as in JavaScript.

Following a name reads only what can hold it: a module's named re-exports by name, and only the
`export *` whose reach re-exports the name somewhere (or may end anywhere), so a barrel of thousands of
`export *` costs each name one path, not every star (tests/depreport/test_barrels_follow.py holds the
answers to reading every re-export).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from depreport.model import ALL_EXPORTS, LOCAL_RESOLUTIONS

# package, subpath, resolved, version, within (see depreport.tally.usage)
Key = tuple[str, str, str, str | None, str]
_Named = tuple[str, Key, str]  # exported name, target key, target export


@dataclass(frozen=True)
class Through:
    """Where a name imported from a local module comes from: final key and export, and the modules passed."""

    key: Key
    export: str
    via: tuple[str, ...]


def is_local(key: Key) -> bool:
    """Is this key a module of the repo?"""
    return key[2] in LOCAL_RESOLUTIONS


class Barrels:
    """Every module's re-exports, and where a name imported from a module really comes from."""

    few_stars = 8  # a module with more `export *` than this gets a `_StarIndex`; fewer are simply tried

    def __init__(self) -> None:
        self._named: dict[str, Counter[_Named]] = {}
        self._stars: dict[str, Counter[Key]] = {}
        self._own: dict[str, Counter[str]] = {}  # names a module with an `export *` exports itself
        # made from the re-exports when first followed; any change of a re-export drops them all
        self._tables: dict[str, _Table] = {}
        self._star_indexes: dict[str, _StarIndex] = {}
        self._reach: dict[str, _Reach] = {}
        self.cycles: set[tuple[str, ...]] = set()
        self.read: set[str] = set()  # the modules whose re-exports the lookups since cleared read

    def apply(self, module: str, export: str, local: str | None, key: Key, sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) one re-export record of the file that is `module`."""
        if export == ALL_EXPORTS and local is None:
            _bump(self._stars, module, key, sign)
        elif export != ALL_EXPORTS:
            _bump(self._named, module, (local or export, key, export), sign)
        if self._tables:
            self._tables, self._star_indexes, self._reach = {}, {}, {}

    def own(self, module: str, names: tuple[str, ...], sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) the names the file that is `module` exports itself."""
        for name in names:
            _bump(self._own, module, name, sign)
        if self._tables:
            self._tables, self._star_indexes, self._reach = {}, {}, {}

    def __bool__(self) -> bool:
        return bool(self._named or self._stars)

    def of(self, module: str) -> tuple[frozenset[_Named], frozenset[Key], frozenset[str]]:
        """What a module re-exports (each name, and each `export *`), and the names it exports itself: all
        that following a name reads."""
        named, stars = frozenset(self._named.get(module, ())), frozenset(self._stars.get(module, ()))
        return named, stars, frozenset(self._own.get(module, ()))

    def through(self, module: str, name: str) -> Through | None:
        """Where `name` imported from `module` comes from, when the module re-exports it (None otherwise).

        A whole-module import (`*`) stays where it is: it may use any of the module's names.
        """
        if name == ALL_EXPORTS:
            return None
        found = self._follow(module, name, ())
        return found if isinstance(found, Through) else None

    def _follow(self, module: str, name: str, passed: tuple[str, ...]) -> Through | bool:
        """The end of the chain from (module, name); False when the module does not re-export the name,
        True when the chain comes back to a module it passed (a cycle, noted in `cycles`)."""
        if module in passed:
            loop = passed[passed.index(module) :]
            start = loop.index(min(loop))  # one way to write each cycle, whichever module it was met from
            self.cycles.add((*loop[start:], *loop[:start], min(loop)))
            return True
        passed = (*passed, module)
        self.read.add(module)
        table = self._table(module)
        named = table.sources.get(name)
        if named:
            key, export = named[0]
            further = self._follow(key[0], export, passed) if is_local(key) else False
            return further if further is not False else Through(key, export, passed)
        if name in table.own:
            return False  # the module's own export, which no `export *` of it overrides
        stars = table.stars
        if len(stars) > self.few_stars:
            index = self._star_index(module, stars)
            if not any(p in index.reach.modules for p in passed[:-1]):
                # only the stars that re-export the name somewhere, or might end anywhere, can answer;
                # the others would read their modules and find nothing
                self.read |= index.reach.modules
                stars = sorted({*index.open_stars, *index.naming.get(name, ())})
        for key in stars:
            further = self._follow(key[0], name, passed)
            if further is not False:
                return further
        if table.outside is not None:  # `export * from 'pkg'` is the only place the name can come from
            return Through(table.outside, name, passed)
        return False

    def _table(self, module: str) -> _Table:
        """The module's re-exports arranged for following names, made once until the barrels change."""
        table = self._tables.get(module)
        if table is None:
            sources: dict[str, list[tuple[Key, str]]] = {}
            for local, key, export in self._named.get(module, ()):
                sources.setdefault(local, []).append((key, export))
            for found in sources.values():
                found.sort()
            all_stars = sorted(self._stars.get(module, ()))
            stars = [key for key in all_stars if is_local(key)]
            outside = [key for key in all_stars if not is_local(key)]
            own = frozenset(self._own.get(module, ()))
            single = outside[0] if len(outside) == 1 else None
            table = self._tables[module] = _Table(sources, stars, single, own)
        return table

    def _star_index(self, module: str, stars: list[Key]) -> _StarIndex:
        """Which of a module's many `export *` can hold each name, made once until the barrels change."""
        index = self._star_indexes.get(module)
        if index is None:
            naming: dict[str, list[Key]] = {}
            open_stars = []
            for key in stars:
                reach = self._reach_of(key[0])
                if reach.open:
                    open_stars.append(key)
                for name in reach.names:
                    naming.setdefault(name, []).append(key)
            index = self._star_indexes[module] = _StarIndex(self._reach_of(module), naming, open_stars)
        return index

    def _reach_of(self, module: str) -> _Reach:
        """What following `export *` from the module reaches (see `_Reach`)."""
        reach = self._reach.get(module)
        if reach is None:
            modules: set[str] = set()
            names: set[str] = set()
            is_open = False
            path: set[str] = set()
            todo: list[tuple[str, bool]] = [(module, True)]
            while todo:  # depth first, without recursion: a chain of `export *` may be long
                at, entering = todo.pop()
                if not entering:
                    path.discard(at)
                    continue
                if at in path:
                    is_open = True  # a cycle
                    continue
                if at in modules:
                    continue
                modules.add(at)
                path.add(at)
                todo.append((at, False))
                names.update(local for local, _, _ in self._named.get(at, ()))
                stars = self._stars.get(at, ())
                if sum(not is_local(key) for key in stars) == 1:
                    is_open = True
                todo.extend((key[0], True) for key in stars if is_local(key))
            reach = self._reach[module] = _Reach(frozenset(modules), frozenset(names), is_open)
        return reach

    def save(self) -> tuple[Any, ...]:
        """The table in plain values."""
        named = {module: list(counts.items()) for module, counts in self._named.items()}
        stars = {module: list(counts.items()) for module, counts in self._stars.items()}
        own = {module: list(counts.items()) for module, counts in self._own.items()}
        return (named, stars, own)

    @classmethod
    def restore(cls, saved: tuple[Any, ...]) -> Barrels:
        """The table `save` saw."""
        barrels = cls()
        named, stars, own = saved
        barrels._named = {m: Counter({tuple(k): n for k, n in items}) for m, items in named.items()}
        barrels._stars = {m: Counter({tuple(k): n for k, n in items}) for m, items in stars.items()}
        barrels._own = {m: Counter(dict(items)) for m, items in own.items()}
        return barrels


@dataclass(frozen=True)
class _Reach:
    """The modules `export *` reaches from a module (itself included), the names they re-export by
    name, and whether a name none of them re-exports may still be found there (`open`: one of them has
    a single `export *` from a package, or the stars come back to a module they passed)."""

    modules: frozenset[str]
    names: frozenset[str]
    open: bool


@dataclass(frozen=True)
class _Table:
    """A module's re-exports as following a name reads them."""

    sources: dict[str, list[tuple[Key, str]]]  # name -> (key, export) it is re-exported from, sorted
    stars: list[Key]  # `export *` from modules of the repo, sorted
    outside: Key | None  # the package of its only `export *` from outside the repo
    own: frozenset[str]  # the names it exports itself (they shadow its stars)


@dataclass(frozen=True)
class _StarIndex:
    """For a module with many `export *`: what they reach, and which of them can hold each name."""

    reach: _Reach
    naming: dict[str, list[Key]]  # name -> the stars whose reach re-exports it by name
    open_stars: list[Key]  # the stars whose reach is open


def _bump(table: dict[str, Counter[Any]], module: str, item: Any, sign: int) -> None:
    counts = table.setdefault(module, Counter())
    value = counts[item] + sign
    if value > 0:
        counts[item] = value
    else:
        del counts[item]
    if not counts:
        del table[module]
