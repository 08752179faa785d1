"""Renaming the uses of an imported Python name (`locals = "rename"`), decided with libcst's scopes.

A rename is done only when the old name is bound once in the whole file (by the import), the new name
is neither bound nor used anywhere nor the new name of another import, and the old name is not spelled in
a string (`__all__`) nor declared `global` or `nonlocal` in a function (which may import or delete it for
the whole module), nor named in a type comment (`# type: (str) -> Old`), which libcst does not parse, nor
imported in a class body (an attribute `self.Old` may reach unseen).
Otherwise the import keeps an alias (`from new import B as A`) and the site is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, Scope

from codemods.pybindings import FileNames


@dataclass
class Renames:
    """Which imported names are renamed, and the Name nodes that refer to them."""

    names: dict[str, str] = field(default_factory=dict)  # old local -> new local
    nodes: dict[int, str] = field(default_factory=dict)  # id(Name node) -> new name
    problems: dict[str, str] = field(default_factory=dict)  # old local -> why not


def plan_renames(names: FileNames, source: bytes, wanted: list[tuple[str, str]]) -> Renames:
    """Decide each (old, new) rename the rules ask for, given what the file's names are."""
    found, unique = Renames(), names.scopes
    for old, new in dict(wanted).items():
        problem = _problem(unique, source, old, new)
        if problem is None and old in names.declared:
            problem = f"{old} is declared global or nonlocal in a function"
        if problem is None and old in names.commented:
            problem = f"{old} is named in a type comment"
        taken = next((other for other, name in found.names.items() if name == new), None)
        if problem is None and taken is not None:  # two imports would bind one name
            problem = f"{new} is the new name of {taken} too"
        if problem is not None:
            found.problems[old] = problem
            continue
        found.names[old] = new
        for scope in unique:
            for assignment in scope.assignments[old]:
                for access in assignment.references:
                    if isinstance(access.node, cst.Name):
                        found.nodes[id(access.node)] = new
    return found


def _problem(scopes: list[Scope], source: bytes, old: str, new: str) -> str | None:
    bound = sum(len(scope.assignments[old]) for scope in scopes)
    if bound != 1:
        return f"{old} is bound {bound} times in the file (shadowed)"
    if any(scope.assignments[new] or scope.accesses[new] for scope in scopes):
        return f"{new} is already used in the file"
    if re.search(rb"['\"]" + re.escape(old.encode()) + rb"['\"]", source):
        return f"{old} is spelled in a string (e.g. __all__)"
    for scope in scopes:
        if any(not isinstance(a.node, cst.Name) for a in scope.accesses[old]):
            return f"{old} is used in a string annotation"
        if isinstance(scope, ClassScope) and scope.assignments[old]:
            return f"{old} is an attribute of the class whose body imports it"
    return None
