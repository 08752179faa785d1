"""Local barrels: modules of the repo that re-export names from elsewhere.

`src/ui/index.ts` with `export { Button } from 'evergreen-ui'` makes `import { Button } from '../ui'`
an import of evergreen-ui's `Button` made through `src/ui`. The table holds every re-export of every
module (`export { A as B } from`, `export * from`), kept up to date file by file like the rest of the
index, and follows a name through chains of them (across tsconfig aliases and workspaces alike: a
re-export's target is whatever its specifier resolved to). A chain that comes back to a module it passed
is a cycle: reported, and the import stays where it was.
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

    def __init__(self) -> None:
        self._named: dict[str, Counter[_Named]] = {}
        self._stars: dict[str, Counter[Key]] = {}
        self._by_name: dict[str, dict[str, list[tuple[Key, str]]]] = {}  # module -> name -> its sources
        self.cycles: set[tuple[str, ...]] = set()
        self.read: set[str] = set()  # the modules whose re-exports the lookups since cleared read

    def apply(self, module: str, export: str, local: str | None, key: Key, sign: int) -> None:
        """Count (sign=1) or uncount (sign=-1) one re-export record of the file that is `module`."""
        if export == ALL_EXPORTS and local is None:
            _bump(self._stars, module, key, sign)
        elif export != ALL_EXPORTS:
            _bump(self._named, module, (local or export, key, export), sign)
            self._by_name.pop(module, None)

    def __bool__(self) -> bool:
        return bool(self._named or self._stars)

    def of(self, module: str) -> tuple[frozenset[_Named], frozenset[Key]]:
        """What a module re-exports (each name, and each `export *`): all that following a name reads."""
        return frozenset(self._named.get(module, ())), frozenset(self._stars.get(module, ()))

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
        named = self._sources(module).get(name)
        if named:
            key, export = named[0]
            further = self._follow(key[0], export, passed) if is_local(key) else False
            return further if further is not False else Through(key, export, passed)
        stars = sorted(self._stars.get(module, ()))
        for key in (k for k in stars if is_local(k)):
            further = self._follow(key[0], name, passed)
            if further is not False:
                return further
        outside = [key for key in stars if not is_local(key)]
        if len(outside) == 1:  # `export * from 'pkg'` is the only place the name can come from
            return Through(outside[0], name, passed)
        return False

    def _sources(self, module: str) -> dict[str, list[tuple[Key, str]]]:
        """Each name the module re-exports -> where from (key, export), sorted: made once per module."""
        by_name = self._by_name.get(module)
        if by_name is None:
            by_name = self._by_name[module] = {}
            for local, key, export in self._named.get(module, ()):
                by_name.setdefault(local, []).append((key, export))
            for sources in by_name.values():
                sources.sort()
        return by_name

    def save(self) -> tuple[Any, ...]:
        """The table in plain values."""
        named = {module: list(counts.items()) for module, counts in self._named.items()}
        stars = {module: list(counts.items()) for module, counts in self._stars.items()}
        return (named, stars)

    @classmethod
    def restore(cls, saved: tuple[Any, ...]) -> Barrels:
        """The table `save` saw."""
        barrels = cls()
        named, stars = saved
        barrels._named = {m: Counter({tuple(k): n for k, n in items}) for m, items in named.items()}
        barrels._stars = {m: Counter({tuple(k): n for k, n in items}) for m, items in stars.items()}
        return barrels


def _bump(table: dict[str, Counter[Any]], module: str, item: Any, sign: int) -> None:
    counts = table.setdefault(module, Counter())
    value = counts[item] + sign
    if value > 0:
        counts[item] = value
    else:
        del counts[item]
    if not counts:
        del table[module]
