"""What each import of a Python file binds, where it is used, and which new names would clash.

An import binds a local name to a qualified name: `import a.b.c` binds `a` (and makes `a.b.c` usable),
`import a.b as x` binds `x` to `a.b`, `from p import q` binds `q` to `p.q`. Each use in the code is the
longest attribute chain that starts at such a name (`a.b.c.D` in `a.b.c.D(1)`), found with libcst's
scopes, so a parameter or local variable that shadows an import is never mistaken for it.

Over 300 lines on purpose: the bindings, their uses and what else each use may mean come from one pass
over libcst's scopes, with the tables that keep it linear (`_FromNames`, `_Referents`) beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    BaseAssignment,
    ClassScope,
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

SPELLED = "a string annotation, __all__ or a type comment"  # where names are spelled, not rewritten


@dataclass
class Use:
    """One use of an import: the chain of nodes from the bound name outwards, and its dotted names."""

    chain: list[cst.Name | cst.Attribute]  # chain[0] is what the scope saw (`a` or `a.b.c`); then parents
    qualified: str  # what chain[0] refers to
    attrs: list[str]  # the attribute names after chain[0]


@dataclass
class Binding:
    """One imported name (an ImportAlias) and every use of it in the file."""

    statement: cst.Import | cst.ImportFrom
    alias: cst.ImportAlias
    local: str  # the name bound: the alias, the first segment of `import a.b`, or the imported name
    qualified: str  # what the import names: `a.b` for `import a.b [as x]`, `p.q` for `from p import q`
    uses: list[Use] = field(default_factory=list)
    strings: int = 0  # uses in string annotations, `__all__` or type comments (SPELLED): never rewritten
    rebound: bool = False  # a use may also mean another binding of the name (`except ImportError: m = None`),
    # or a function declares the name `global` (`global yaml` + `import yaml` there: a lazy import)
    top_level: bool = False  # the import is a statement of the module itself (not in a block or function)
    binds_outside: bool = False  # the name is global or nonlocal where the import stands (a lazy import)
    in_class: bool = False  # an attribute of the class whose body imports it: `self.mod` may use it, unseen
    shared: bool = False  # a use may mean another import of something else (`except ImportError: import
    # numpy as xp` after `import cupy as xp`): a use spelled anew would leave that import's meaning


@dataclass
class FileNames:
    """Every binding of the file, and what the file's scopes say about names."""

    bindings: list[Binding]
    scopes: list[Scope]
    wrapper: MetadataWrapper
    declared: frozenset[str] = frozenset()  # names a `global` or `nonlocal` statement declares
    commented: frozenset[str] = frozenset()  # names a type comment starts with (`# type: (str) -> old.X`)

    def line(self, node: cst.CSTNode) -> int:
        """The line a node starts on (positions are worked out on first use: most files need none)."""
        return self.wrapper.resolve(PositionProvider)[node].start.line

    def taken(self, name: str, allowed: frozenset[str] = frozenset()) -> bool:
        """True when `name` means something in the file other than an import of one of `allowed`
        (qualified names: an `import x.y` allows `x`, a `from m import n` allows `m.n`)."""
        for scope in self.scopes:
            for assignment in scope.assignments[name]:
                if not isinstance(assignment, ImportAssignment) or _imported(assignment) not in allowed:
                    return True
            if scope.accesses[name] and not scope.assignments[name] and not _bound_above(scope, name):
                return True  # a builtin or a name from `import *`
        return False


def _bound_above(scope: Scope, name: str) -> bool:
    parent = scope.parent
    while parent is not scope:
        if parent.assignments[name]:
            return True
        scope, parent = parent, parent.parent
    return False


def _imported(assignment: ImportAssignment) -> str:
    """What an import assignment binds, as `x` for `import x.y` and `m.n` for `from m import n`."""
    node = assignment.node
    if isinstance(node, cst.ImportFrom) and node.module is not None:
        return f"{get_full_name_for_node(node.module)}.{assignment.name}"
    return assignment.name.split(".")[0] if isinstance(node, cst.Import) else assignment.name


def find_bindings(module: cst.Module) -> FileNames:
    """Every absolute import alias of the file with its uses (relative imports are left out)."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    unique = list({id(s): s for s in scopes.values() if s is not None}.values())
    parents = _Parents()
    module.visit(parents)
    found: dict[int, Binding] = {}
    names: _FromNames = {}
    referents: dict[int, _Referents] = {}  # id of a use (Access) -> what it may mean
    for scope in unique:
        for assignment in scope.assignments:
            if isinstance(assignment, ImportAssignment):
                outside = scopes[assignment.node] is not scope
                _add_uses(found, names, assignment, parents.of, outside, referents)
                binding = _binding(found, names, assignment.node, assignment.name)
                if binding is not None and isinstance(scope, ClassScope):
                    binding.in_class = binding.rebound = True
    top = {id(s) for line in module.body if isinstance(line, cst.SimpleStatementLine) for s in line.body}
    for binding in found.values():
        binding.top_level = id(binding.statement) in top
        binding.rebound = binding.rebound or binding.local in parents.declared
        binding.strings += binding.local in parents.commented or binding.local in parents.exported
        binding.uses.sort(key=lambda use: parents.place[id(use.chain[0])])  # references are a set
    in_order = sorted(found.values(), key=lambda b: parents.order[id(b.alias)])  # scopes keep sets
    return FileNames(in_order, unique, wrapper, frozenset(parents.declared), frozenset(parents.commented))


_TYPE_COMMENT = re.compile(r"#\s*type:\s*(?!ignore\b)(.*)")
_FIRST_NAMES = re.compile(r"(?<![\w.])[A-Za-z_]\w*")


class _Parents(cst.CSTVisitor):
    """The attribute each expression is the value of (`a` -> `a.b`), the order of import aliases and
    of names, the names `global` and `nonlocal` statements declare, and those type comments name."""

    def __init__(self) -> None:
        self.of: dict[int, cst.Attribute] = {}
        self.order: dict[int, int] = {}  # id(ImportAlias) -> its place in the file
        self.place: dict[int, int] = {}  # id(Name or Attribute) -> its place in the file
        self.declared: set[str] = set()
        self.commented: set[str] = set()
        self.exported: set[str] = set()  # the strings of `__all__`

    def visit_Assign(self, node: cst.Assign) -> None:
        """Remember the names `__all__ = [...]` exports."""
        if any(exports_all(target.target) for target in node.targets):
            self.exported.update(_strings(node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        """Remember the names `__all__ += [...]` exports."""
        if exports_all(node.target):
            self.exported.update(_strings(node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        """Remember the names `__all__: list[str] = [...]` exports."""
        if exports_all(node.target) and node.value is not None:
            self.exported.update(_strings(node.value))

    def visit_Comment(self, node: cst.Comment) -> None:
        """Remember the names a type comment starts its dotted names with (`# type: ignore` has none)."""
        annotation = _TYPE_COMMENT.match(node.value)
        if annotation is not None:
            self.commented.update(_FIRST_NAMES.findall(annotation.group(1).split("#")[0]))

    def visit_Global(self, node: cst.Global) -> None:
        """Remember the names a function binds in the module (an import there binds them too)."""
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        """Remember the names a function binds in the function around it."""
        self.declared.update(item.name.value for item in node.names)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """Remember the parent of the value, and where the attribute stands."""
        self.of[id(node.value)] = node
        self.place[id(node)] = len(self.place)

    def visit_Name(self, node: cst.Name) -> None:
        """Remember where the name stands."""
        self.place[id(node)] = len(self.place)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        """Remember where the alias stands among the others."""
        self.order[id(node)] = len(self.order)


def exports_all(target: cst.BaseExpression) -> bool:
    """True for the target of an assignment to `__all__`, whose strings name the module's own names."""
    return isinstance(target, cst.Name) and target.value == "__all__"


def _strings(value: cst.BaseExpression) -> list[str]:
    """The string literals of a list, tuple or set (`["a", "b"]`)."""
    elements = value.elements if isinstance(value, cst.List | cst.Tuple | cst.Set) else []
    found = [e.value.evaluated_value for e in elements if isinstance(e.value, cst.SimpleString)]
    return [text for text in found if isinstance(text, str)]


def _add_uses(
    found: dict[int, Binding],
    names: _FromNames,
    assignment: ImportAssignment,
    parents: dict[int, cst.Attribute],
    outside: bool,
    referents: dict[int, _Referents],
) -> None:
    statement = assignment.node
    binding = _binding(found, names, statement, assignment.name)
    if binding is None:
        return
    binding.binds_outside = binding.binds_outside or outside
    qualified = (
        binding.qualified
        if binding.alias.asname is not None or isinstance(statement, cst.ImportFrom)
        else assignment.name
    )
    plain = isinstance(statement, cst.Import) and binding.alias.asname is None
    mine = _Referents.of([assignment], names)  # what this import counts for among a use's referents
    for access in assignment.references:
        node = access.node
        every = referents.get(id(access))
        if every is None:
            every = referents[id(access)] = _Referents.of(access.referents, names)
        others, not_plain, elsewhere = every.besides(mine, id(assignment), binding.qualified)
        binding.rebound = binding.rebound or (others > 0 and (not plain or not_plain > 0))
        binding.shared = binding.shared or elsewhere > 0
        if not isinstance(node, cst.Name | cst.Attribute):
            binding.strings += 1
            continue
        chain: list[cst.Name | cst.Attribute] = [node]
        while id(chain[-1]) in parents:
            chain.append(parents[id(chain[-1])])
        binding.uses.append(Use(chain, qualified, [a.attr.value for a in chain[1:]]))  # type: ignore[union-attr]


@dataclass
class _Referents:
    """The assignments a use may mean, counted once a use: a file importing one name n times asked
    each of a use's n referents about each of the n imports (n² questions a use)."""

    ids: Counter[int]  # id of each assignment
    not_plain: int  # how many are not a plain import (`_plain_import`)
    imported: Counter[str]  # what those that are imports, not plain, bind the name to
    count: int = 0  # how many (ids.total(), counted once)
    imports: int = 0  # imported.total()

    @classmethod
    def of(cls, assignments: Iterable[BaseAssignment], names: _FromNames) -> _Referents:
        ids: Counter[int] = Counter()
        not_plain, imported = 0, Counter[str]()
        for assignment in assignments:
            ids[id(assignment)] += 1
            if _plain_import(assignment):
                continue
            not_plain += 1
            if isinstance(assignment, ImportAssignment):
                other = _binding({}, names, assignment.node, assignment.name)
                imported.update(() if other is None else (other.qualified,))
        return cls(ids, not_plain, imported, ids.total(), imported.total())

    def besides(self, mine: _Referents, me: int, qualified: str) -> tuple[int, int, int]:
        """Of these but `mine` (the one assignment `me`, as often as they hold it): how many there are,
        how many are not a plain import, how many import the name as something other than `qualified`."""
        times = self.ids[me]
        elsewhere = (
            self.imports - self.imported[qualified] - times * (mine.imports - mine.imported[qualified])
        )
        return self.count - times, self.not_plain - times * mine.not_plain, elsewhere


def _plain_import(assignment: BaseAssignment) -> bool:
    """True for `import a` or `import a.b` without an alias: such imports of one name all bind the same
    package, so a use reached by several of them means one thing (not a rebinding)."""
    if not isinstance(assignment, ImportAssignment) or not isinstance(assignment.node, cst.Import):
        return False
    name = assignment.name
    for alias in assignment.node.names:
        dotted = get_full_name_for_node(alias.name) or ""
        if alias.asname is None and (dotted == name or dotted.startswith(name + ".")):
            return True
    return False


def _binding(
    found: dict[int, Binding], names: _FromNames, statement: cst.CSTNode, name: str
) -> Binding | None:
    if isinstance(statement, cst.ImportFrom):
        if statement.relative or statement.module is None or isinstance(statement.names, cst.ImportStar):
            return None
        entry = _from_names(names, statement).get(name)
        if entry is None:
            return None
        alias, imported = entry
        package = get_full_name_for_node(statement.module)
        return found.setdefault(id(alias), Binding(statement, alias, name, f"{package}.{imported}"))
    if isinstance(statement, cst.Import):
        # each alias binding the name, the first not claimed yet (`import mock, mock` binds it twice)
        binding = None
        for alias in statement.names:
            dotted = get_full_name_for_node(alias.name) or ""
            bound = _local(alias, dotted)
            if bound == name or (alias.asname is None and dotted.startswith(name + ".")):
                local = bound if alias.asname is not None else dotted.split(".")[0]
                if id(alias) not in found:
                    return found.setdefault(id(alias), Binding(statement, alias, local, dotted))
                binding = binding or found[id(alias)]
        return binding
    return None


# id of a `from m import …` statement -> each name it binds -> (its alias, the name imported)
_FromNames = dict[int, dict[str, tuple[cst.ImportAlias, str]]]


def _from_names(names: _FromNames, statement: cst.ImportFrom) -> dict[str, tuple[cst.ImportAlias, str]]:
    """The names a `from m import …` binds, the first alias of each, listed once per statement: looked
    up name by name, an import of 4,000 names took 8 s."""
    table = names.get(id(statement))
    if table is None:
        table = {}
        for alias in cast(Sequence[cst.ImportAlias], statement.names):
            imported = get_full_name_for_node(alias.name) or ""
            table.setdefault(_local(alias, imported), (alias, imported))
        names[id(statement)] = table
    return table


def _local(alias: cst.ImportAlias, imported: str) -> str:
    if alias.asname is not None:
        return get_full_name_for_node(alias.asname.name) or imported
    return imported
