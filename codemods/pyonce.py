"""A name the rewrite would import twice: kept once, where it is imported first.

`from markupsafe import Markup` + `from jinja2 import Markup, Template` under a rule sending Markup to
markupsafe: the second statement keeps `Template` alone, since line 1 already binds Markup to what it
would import; and `from jinja2 import Markup` + `from markupsafe import Markup` becomes the first line
alone (the second imported what the first now does). Only statements of the module itself are compared
(an import in a block or function may not run), only names imported as themselves (`from m import n`,
`import m`), only when one of the two is a rewritten statement, and only when nothing but imports binds
that name in the file, no other import binds it between the two, no `del` unbinds it and no
`import *` may bind it: then both mean one object.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment

from codemods.pybindings import Binding, FileNames
from codemods.pyimports import keep_names
from codemods.pyplan import FROM, MODULE

Key = tuple[str, ...]


class ImportedOnce:
    """Drops from top-level imports the names an earlier top-level import binds alike, when the rewrite
    made them the same."""

    def __init__(self, module: cst.Module, names: FileNames, seen: dict[Key, list[cst.CSTNode]]) -> None:
        self.names = names
        self.seen = seen  # every import -> the top-level statements that have it or will have it
        self.rewritten: dict[Key, list[int]] = {}  # an import a rewritten statement has -> its lines, sorted
        self.seen_lines: dict[Key, list[int]] = {}  # the lines of `seen`, sorted (made on first use)
        self.assigned: dict[str, tuple[bool, list[int]]] = {}  # name -> bound but by imports? the
        # lines of its imports, sorted
        self.first: dict[tuple[str, str], int] | None = None  # (local, qualified) -> first top-level line
        self.statements: dict[int, list[Binding]] = {}  # id of an import statement -> its bindings
        lines = [line for line in module.body if isinstance(line, cst.SimpleStatementLine)]
        self.top = {id(statement) for line in lines for statement in line.body}
        self.unbinding = _Unbinding()  # `del name` and `import *`, which scopes do not count as bindings
        module.visit(self.unbinding)

    def filter(
        self,
        original: cst.BaseSmallStatement,
        statement: cst.BaseSmallStatement,
        kept: list[cst.BaseSmallStatement],
        extra: list[cst.BaseSmallStatement],
    ) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
        """What `original` (now `statement`) became, `kept` in its place and `extra` after it, less the
        names imported above it already: by any import when it was rewritten, else by a rewritten one."""
        if kept != [statement] or extra:
            return self.after_rewrite(original, kept), self.after_rewrite(original, extra)
        return self.unchanged(original, statement), []

    def after_rewrite(
        self, original: cst.BaseSmallStatement, statements: list[cst.BaseSmallStatement]
    ) -> list[cst.BaseSmallStatement]:
        """The statements `original` was rewritten into, less the names imported above it already."""
        keys = [key for statement in statements for key, _ in _keys(statement)]
        if id(original) not in self.top or not keys:
            return statements
        line = self.names.line(original)
        earlier = {key: self._seen_lines(key) for key in keys}
        kept = [s for s in (self._without(original, s, earlier, line) for s in statements) if s is not None]
        for key in keys:
            insort(self.rewritten.setdefault(key, []), line)
            insort(self._seen_lines(key), line)
            self.seen.setdefault(key, []).append(original)
        return kept

    def _seen_lines(self, key: Key) -> list[int]:
        """The lines of the statements that have the import `key` or will have it, sorted: listed anew
        for each statement, they made n statements of one import cost n² lines."""
        lines = self.seen_lines.get(key)
        if lines is None:
            lines = self.seen_lines[key] = sorted(self.names.line(s) for s in self.seen.get(key, []))
        return lines

    def unchanged(
        self, original: cst.BaseSmallStatement, statement: cst.BaseSmallStatement
    ) -> list[cst.BaseSmallStatement]:
        """A statement no rule rewrote, less the names a rewritten statement above it imports already."""
        if id(original) not in self.top or not self.rewritten or not _keys(statement):
            return [statement]
        found = self._without(original, statement, self.rewritten, self.names.line(original))
        return [] if found is None else [found]

    def _without(
        self,
        original: cst.BaseSmallStatement,
        statement: cst.BaseSmallStatement,
        earlier: dict[Key, list[int]],
        line: int,
    ) -> cst.BaseSmallStatement | None:
        """`statement` (`original` as rewritten) less the names imported above it already."""
        keys = _keys(statement)
        above = [(key, alias) for key, alias in keys if self._bound_above(key, earlier.get(key, []), line)]
        twice = [alias for key, alias in above if not self._twice_before(original, key, line)]
        if not twice:
            return statement
        assert isinstance(statement, cst.Import | cst.ImportFrom)
        kept = [a for a in _aliases(statement) if all(a is not t for t in twice)]
        return keep_names(statement, kept) if kept else None

    def _bound_above(self, key: Key, lines: list[int], line: int) -> bool:
        """True when an import on a line above binds the name of `key` alike (`lines`: sorted), and
        nothing binds that name between the two (nor anywhere but in imports)."""
        above, name = bisect_left(lines, line), _bound(key)
        if not above or self.unbinding.star or name in self.unbinding.deleted:
            return False
        last = lines[above - 1]
        others, imports = self._assigned(name)
        return not others and bisect_right(imports, last) == bisect_left(imports, line)

    def _assigned(self, name: str) -> tuple[bool, list[int]]:
        """Whether anything but an import binds `name` in the file, and the lines of the imports that
        do, sorted (asked of the scopes once a name)."""
        found = self.assigned.get(name)
        if found is None:
            assignments = [a for scope in self.names.scopes for a in scope.assignments[name]]
            others = any(not isinstance(a, ImportAssignment) for a in assignments)
            lines = sorted(self.names.line(a.node) for a in assignments if isinstance(a, ImportAssignment))
            found = self.assigned[name] = (others, lines)
        return found

    def _twice_before(self, original: cst.BaseSmallStatement, key: Key, line: int) -> bool:
        """True when the file imported the name of `key` as `original` does above `line` before the
        rewrite too: a duplicate it had, not one the rewrite made."""
        first = self._first_lines()
        name = _bound(key)
        mine = {b.qualified for b in self.statements.get(id(original), []) if b.local == name}
        return any(first.get((name, qualified), line) < line for qualified in mine)

    def _first_lines(self) -> dict[tuple[str, str], int]:
        """(local, qualified) -> the first line of a top-level import binding it, and the bindings of each
        statement: made once, where each statement asked every binding of the file."""
        if self.first is None:
            self.first = {}
            for b in self.names.bindings:
                self.statements.setdefault(id(b.statement), []).append(b)
                if b.top_level:
                    line, both = self.names.line(b.statement), (b.local, b.qualified)
                    self.first[both] = min(self.first.get(both, line), line)
        return self.first


class _Unbinding(cst.CSTVisitor):
    def __init__(self) -> None:
        self.deleted: set[str] = set()
        self.star = False

    def visit_Del(self, node: cst.Del) -> None:
        """Remember the names `del` unbinds (`del a, b` too)."""
        targets = node.target.elements if isinstance(node.target, cst.Tuple | cst.List) else [node.target]
        for target in targets:
            value = target.value if isinstance(target, cst.Element) else target
            if isinstance(value, cst.Name):
                self.deleted.add(value.value)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        """Remember that some import binds names no scope lists."""
        self.star = True


def _aliases(statement: cst.Import | cst.ImportFrom) -> list[cst.ImportAlias]:
    return list(statement.names) if not isinstance(statement.names, cst.ImportStar) else []


def _keys(statement: cst.BaseSmallStatement) -> list[tuple[Key, cst.ImportAlias]]:
    """Each name the statement imports as itself, as codemods.pyuses keys imports."""
    if isinstance(statement, cst.Import):
        return [((MODULE, _dotted(a.name)), a) for a in statement.names if a.asname is None]
    if not isinstance(statement, cst.ImportFrom) or statement.relative or statement.module is None:
        return []
    module = get_full_name_for_node(statement.module) or ""
    return [((FROM, module, _dotted(a.name)), a) for a in _aliases(statement) if a.asname is None]


def _bound(key: Key) -> str:
    """The local name an import binds: `m` for `import m.sub`, `n` for `from m import n`."""
    return key[1].split(".")[0] if key[0] == MODULE else key[2]


def _dotted(node: cst.BaseExpression) -> str:
    return get_full_name_for_node(node) or ""
