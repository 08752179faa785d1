"""Imports of Python files, read off a tree-sitter tree.

`import a.b as c`, `from a.b import c`, relative imports, `from x import *`, `from __future__ import …`,
and literal `importlib.import_module("x")` / `__import__("x")` calls. Imports under `if TYPE_CHECKING:`
(or `elif TYPE_CHECKING:`, `if (TYPE_CHECKING):`) are type-only. An import statement inside a region
the grammar could not parse is parsed again on its own (its imports are then not known as type-only).
"""

from __future__ import annotations

import re
import unicodedata

from tree_sitter import Node

from depreport.extract.ancestry import Ancestry, Parent, tree_parent
from depreport.extract.collected import Imports, record_order
from depreport.extract.errorregions import ErrorRegions
from depreport.extract.lines import point
from depreport.model import ALL_EXPORTS, Kind
from depreport.scan.languages import tree_of

CANDIDATES = re.compile(rb"\bimport\b|__import__|\bimport_module\b")

_STATEMENTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_DYNAMIC_FUNCTIONS = frozenset({"__import__", "import_module", "importlib.import_module"})

_BLANKS = re.compile(r"[\s\\]+")  # inside a dotted name: spaces, line continuations
_BRANCHES = ("if_statement", "elif_clause")  # whose body runs only when the condition holds
_TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING")
# What may stand on a line before the `import` of a statement: indentation, `from module`.
_STATEMENT_HEAD = re.compile(rb"[ \t]*((?:from[ \t]+[\w.][\w. \t]*?[ \t]+)?)")


def find_imports(root: Node, source: bytes, offsets: list[tuple[int, int]], language: str) -> Imports:
    """All imports in a Python tree, given the byte ranges of the candidate words."""
    imports = Imports()
    errors = ErrorRegions(root)
    tree = Ancestry(root)
    for start, end in offsets:
        token = tree.locate(start, end)
        parent = None if token is None else tree.parent(token)
        if token is None or parent is None:
            continue
        if token.type == "import" and parent.type in _STATEMENTS:
            if imports.first_visit(parent):
                _statement(parent, imports, tree.parent)
        elif token.type == "import" and root.has_error and errors.holds(token):
            _recover(start, source, imports)
        elif token.type == "identifier":
            call = tree.parent(parent) if parent.type == "attribute" else parent
            if call is not None and call.type == "call" and imports.first_visit(call):
                _dynamic(call, imports)
    imports.found.sort(key=record_order)
    return imports


def _recover(keyword: int, source: bytes, imports: Imports) -> None:
    """An import statement inside a region the grammar could not parse (`match *0, 1:` swallows the
    `import x` of its cases): the statement the keyword belongs to is parsed on its own, so an error
    elsewhere does not lose it."""
    line_start = source.rfind(b"\n", 0, keyword) + 1
    head = _STATEMENT_HEAD.fullmatch(source, line_start, keyword)
    if head is None or (keyword, "recovered") in imports.seen:
        return
    imports.seen.add((keyword, "recovered"))
    start = head.start(1)
    tree = tree_of("python", source[start : _logical_line_end(source, keyword)])
    alone = Imports()
    for child in tree.root_node.named_children:
        if child.type in _STATEMENTS:
            _statement(child, alone, tree_parent)
    row, column = point(source, start)
    imports.found.extend(r._replace(line=row + 1, column=column) for r in alone.found)


def _logical_line_end(source: bytes, at: int) -> int:
    """Where the logical line going on at `at` ends: its line break outside brackets, not after `\\`."""
    depth = 0
    while at < len(source):
        byte = source[at]
        if byte in b"([{":
            depth += 1
        elif byte in b")]}":
            depth = max(0, depth - 1)
        elif byte == ord("\\"):
            at += 1
        elif byte in b";#\n" and depth == 0:
            return at
        at += 1
    return at


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _statement(stmt: Node, imports: Imports, parent_of: Parent) -> None:
    type_only = _under_type_checking(stmt, parent_of)
    if stmt.type == "import_statement":
        for name in stmt.children_by_field_name("name"):
            dotted, alias = _dotted_and_alias(name)
            local = alias or dotted.split(".")[0]
            imports.add(stmt, Kind.IMPORT, dotted, ALL_EXPORTS, local, type_only)
        return
    module = stmt.child_by_field_name("module_name")
    spec = "__future__" if stmt.type == "future_import_statement" else _dotted(module) if module else ""
    if any(c.type == "wildcard_import" for c in stmt.named_children):
        imports.add(stmt, Kind.IMPORT, spec, ALL_EXPORTS, None, type_only)
        return
    for name in stmt.children_by_field_name("name"):
        exported, alias = _dotted_and_alias(name)
        imports.add(stmt, Kind.IMPORT, spec, exported, alias or exported, type_only)


def _dotted_and_alias(node: Node) -> tuple[str, str | None]:
    if node.type == "aliased_import":
        name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
        return (_dotted(name) if name else ""), (_identifier(_text(alias)) if alias else None)
    return _dotted(node), None


def _dotted(node: Node) -> str:
    """A dotted or relative module name as Python reads it: `from . . m` is `..m`, `a .\\⏎ b` is `a.b`."""
    return _identifier(_BLANKS.sub("", _text(node)))


def _identifier(name: str) -> str:
    """A name as Python reads it: NFKC-normalised (`ℏ` is `ħ`, the micro sign `µ` is `μ`), as the
    interpreter does with every identifier, so one name written two ways is one export."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def _dynamic(call: Node, imports: Imports) -> None:
    function = call.child_by_field_name("function")
    if function is None or _text(function) not in _DYNAMIC_FUNCTIONS:
        return
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    if first is None:
        return
    parts = first.named_children
    if first.type != "string" or any(p.type == "interpolation" for p in parts):
        imports.unresolvable += 1
        return
    value = "".join(_text(p) for p in parts if p.type == "string_content")
    imports.add(call, Kind.DYNAMIC, value, ALL_EXPORTS, None, False)


def _under_type_checking(node: Node, parent_of: Parent) -> bool:
    """Is the node in the body of `if TYPE_CHECKING:` (or `elif TYPE_CHECKING:`, `if (TYPE_CHECKING):`)?"""
    child, parent = node, parent_of(node)
    while parent is not None:
        if parent.type in _BRANCHES and parent.child_by_field_name("consequence") == child:
            condition = parent.child_by_field_name("condition")
            if condition is not None and _text(condition).strip("() \t\n") in _TYPE_CHECKING:
                return True
        child, parent = parent, parent_of(parent)
    return False
