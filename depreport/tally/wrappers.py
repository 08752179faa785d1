"""Local wrappers and indirect dependence, over the local import graph a run stores.

A team's `src/components/Button.tsx` that renders the legacy library's `Button` hides the library from
every file that imports the wrapper: those files depend on the library *indirectly*. A run does not
know which groups will be asked about, so it stores the local import graph in its `usage` block, in
terms of the usage keys (`depreport.tally.usage`): each file other files import (a *module*, named by the id
of a key that imports it and the rest of its path: `[key, ".tsx", ...]` is `keys[key][0] + ".tsx"`, so
no path is written twice) with the row of `usage.files` holding its signature (the codes of the keys it
imports, `2 * key + has value import`) and the ids of the keys whose components it uses (instances or
value uses; null for a language whose uses are not extracted), and the files that only import modules,
counted per signature row. An edge is a code whose key is a
module of the repo that is among the graph's modules (barrels are already followed in the keys).

Under some groups (`dependence`): a module *provides* group G when it imports G and uses a component of
it (any import of G counts where uses are unknown). A module providing G that other files import is a
*wrapper* of G. A file depends on G *indirectly* when it does not import G itself but reaches a module
providing G over one or more local imports (transitively). Files that import nothing local, and files
nobody imports that import no module, are left out of the graph: they can only depend directly, which
`usage.files` already counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from depreport.model import LOCAL_RESOLUTIONS
from depreport.report.shape import Graph, Usage, Wrapper
from depreport.resolve.specifiers import module_id

# path -> (codes imported, key ids used, its row of `usage.files`)
Nodes = dict[str, tuple[list[int], list[int] | None, int]]


def graph_json(nodes: Nodes, keys: Sequence[Sequence[Any]]) -> Graph:
    """The compact graph: `modules` [[key, rest of path, files row, used]], `importers` [[files row, n]]."""
    ids = {path: module_id(path) for path in nodes}
    by_module: dict[str, list[str]] = {}
    for path, module in ids.items():
        by_module.setdefault(module, []).append(path)
    local = {i: key[0] for i, key in enumerate(keys) if key[2] in LOCAL_RESOLUTIONS and key[0] in by_module}
    named = {module: i for i, module in sorted(local.items(), reverse=True)}  # the first key naming it
    imported: set[str] = set()
    importing = []
    for path, (codes, _, _) in nodes.items():
        targets = {local[code >> 1] for code in codes if code >> 1 in local} - {ids[path]}
        if targets:
            importing.append(path)
            imported |= targets
    modules = sorted(path for module in imported for path in by_module[module])
    merged = Counter(nodes[path][2] for path in importing if ids[path] not in imported)
    return {
        "modules": [
            [named[ids[path]], path[len(ids[path]) :], nodes[path][2], nodes[path][1]] for path in modules
        ],
        "importers": sorted([row, n] for row, n in merged.items()),
    }


@dataclass(frozen=True)
class Dependence:
    """Per group: files that depend on it only through local modules, and its wrappers."""

    indirect: dict[str, int]
    wrappers: dict[str, list[tuple[str, int]]]  # group -> (module path, files importing it), most first
    left_indirect: int  # files that reach a non-target group only indirectly


def dependence(
    usage: Usage, key_group: Sequence[str | None], names: Sequence[str], target: str | None,
    include_type_only: bool = True,
) -> Dependence | None:  # fmt: skip
    """Wrappers and indirect dependence of each named group; None when the run stored no graph."""
    graph = usage.get("graph")
    if not isinstance(graph, dict):
        return None
    bits = {name: 1 << i for i, name in enumerate(names)}
    group_bit = [bits.get(name, 0) if name is not None else 0 for name in key_group]
    walk = _Walk(usage, group_bit, include_type_only)
    reach = walk.reach()
    indirect, left = Counter[str](), 0
    others = sum(bit for name, bit in bits.items() if name != target)
    for direct, reached, files in walk.files(reach):
        only = reached & ~direct
        for name, bit in bits.items():
            if only & bit:
                indirect[name] += files
        left += files if only & others and not direct & others else 0
    wrappers: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for i, count in enumerate(walk.importer_counts()):
        for name, bit in bits.items():
            if count and walk.provides[i] & bit:
                wrappers[name].append((walk.paths[i], count))
    for found in wrappers.values():
        found.sort(key=lambda item: (-item[1], item[0]))
    return Dependence({name: indirect[name] for name in names}, wrappers, left)


class _Walk:
    """The graph under one grouping: group bits per file, edges, and what each module provides."""

    def __init__(self, usage: Usage, group_bit: list[int], with_type: bool) -> None:
        self.group_bit, self.with_type = group_bit, with_type
        graph, keys, files = usage["graph"], usage["keys"], usage["files"]
        modules = [(files[row][1], used) for _, _, row, used in graph["modules"]]  # (codes, used)
        self.paths = [keys[key][0] + rest for key, rest, _, _ in graph["modules"]]
        by_module: dict[str, list[int]] = {}
        for i, path in enumerate(self.paths):
            by_module.setdefault(module_id(path), []).append(i)
        self.local = {
            i: by_module[key[0]]
            for i, key in enumerate(keys)
            if key[2] in LOCAL_RESOLUTIONS and key[0] in by_module
        }
        self.direct = [self._groups(codes) for codes, _ in modules]
        self.provides = [
            direct if used is None else direct & self._used(used)
            for direct, (_, used) in zip(self.direct, modules, strict=True)
        ]
        self.edges = [[t for t in self._edges(codes) if t != i] for i, (codes, _) in enumerate(modules)]
        self.importers = [
            (self._groups(files[row][1]), self._edges(files[row][1]), int(n)) for row, n in graph["importers"]
        ]

    def _counted(self, code: int) -> bool:
        return self.with_type or bool(code & 1)

    def _groups(self, codes: list[int]) -> int:
        bits = 0
        for code in codes:
            if self._counted(code):
                bits |= self.group_bit[code >> 1]
        return bits

    def _used(self, ids: list[int]) -> int:
        bits = 0
        for key in ids:
            bits |= self.group_bit[key]
        return bits

    def _edges(self, codes: list[int]) -> list[int]:
        return [t for code in codes if self._counted(code) for t in self.local.get(code >> 1, ())]

    def reach(self) -> list[int]:
        """Per module: the groups it reaches through its local imports (providers passed on backwards)."""
        importers_of: list[list[int]] = [[] for _ in self.paths]
        for i, targets in enumerate(self.edges):
            for target in set(targets):
                importers_of[target].append(i)
        reach = [0] * len(self.paths)
        queue = [i for i, bits in enumerate(self.provides) if bits]
        while queue:
            module = queue.pop()
            bits = self.provides[module] | reach[module]
            for importer in importers_of[module]:
                if bits & ~reach[importer]:
                    reach[importer] |= bits
                    queue.append(importer)
        return reach

    def files(self, reach: list[int]) -> list[tuple[int, int, int]]:
        """(groups imported, groups reached through local imports, files) per module and importer row."""
        rows = [(self.direct[i], reach[i], 1) for i in range(len(self.paths))]
        for direct, edges, n in self.importers:
            reached = 0
            for target in edges:
                reached |= self.provides[target] | reach[target]
            rows.append((direct, reached, n))
        return rows

    def importer_counts(self) -> list[int]:
        """Per module: the files that import it (each once)."""
        counts = [0] * len(self.paths)
        for targets in self.edges:
            for target in set(targets):
                counts[target] += 1
        for _, edges, n in self.importers:
            for target in set(edges):
                counts[target] += n
        return counts


def wrappers_json(found: list[tuple[str, int]]) -> list[Wrapper]:
    """A group's wrapper modules as JSON objects."""
    return [{"module": path, "importers": n} for path, n in found]
