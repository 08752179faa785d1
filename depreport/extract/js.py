"""Imports of JavaScript, TypeScript and TSX files, read off a tree-sitter tree.

A fast regular expression finds every place the words `import`, `export` and `require` occur; the tree
then says what each one really is (a statement, a call, or just a word in a comment or a string).
This visits a handful of nodes per import instead of walking the whole tree.

Over 300 lines on purpose: every JS/TS import form is read here, off one tree, and splitting the
forms apart would scatter the one walk that keeps extraction fast.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from depreport.model import ALL_EXPORTS, DEFAULT_EXPORT, Kind, RawImport
from depreport.scan.languages import parser

CANDIDATES = re.compile(rb"\b(?:import|export|require)\b")

# Ancestors that put an `import("x")` in type position (`let a: import("x").T`).
_TYPE_CONTEXTS = frozenset(
    {
        "type_annotation",
        "type_alias_declaration",
        "type_arguments",
        "interface_declaration",
        "generic_type",
        "lookup_type",
        "type_query",
        "index_signature",
    }
)
_STATEMENT_BOUNDARIES = frozenset({"program", "statement_block", "class_body", "expression_statement"})
_TRANSPARENT = frozenset({"await_expression", "parenthesized_expression", "non_null_expression"})


def record_order(record: RawImport) -> tuple[int, int, str, str, str, str, bool]:
    """Records in source order; a missing local name sorts first (None does not compare with str)."""
    return (
        record.line,
        record.column,
        record.kind,
        record.specifier,
        record.export,
        record.local or "",
        record.type_only,
    )


class Imports:
    """Collects the imports of one file; `unresolvable` counts calls with a non-literal argument."""

    def __init__(self) -> None:
        self.found: list[RawImport] = []
        self.unresolvable = 0
        self.seen: set[tuple[int, str]] = set()

    def first_visit(self, node: Node) -> bool:
        """True the first time a statement or call is seen (two keywords may lead to one node)."""
        key = (node.start_byte, node.type)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def add(self, at: Node, kind: Kind, spec: str, export: str, local: str | None, type_only: bool) -> None:
        """Record one binding found at a node."""
        row, column = at.start_point
        self.found.append(RawImport(row + 1, column, kind.value, spec, export, local, type_only))


def find_imports(root: Node, source: bytes, offsets: list[tuple[int, int]], language: str) -> Imports:
    """All imports in a JS/TS tree, given the byte ranges of the candidate keywords."""
    imports = Imports()
    for start, end in offsets:
        token = root.descendant_for_byte_range(start, end)
        if token is None or token.parent is None or _handled(token, token.parent, imports):
            continue
        if (
            root.has_error
            and _inside_error(token)
            and (token.type != "jsx_text" or _starts_line(source, start))
        ):
            _recover(start, token, source, language, imports)
    imports.found.sort(key=record_order)
    return imports


def _handled(token: Node, parent: Node, imports: Imports) -> bool:
    """Visit the statement or call a keyword belongs to; False when it belongs to none."""
    kind = token.type
    if kind == "import" and parent.type == "import_statement":
        if imports.first_visit(parent):
            _import_statement(parent, imports)
    elif kind == "import" and parent.type == "import" and _is_call_of(parent.parent, parent):
        call = parent.parent
        if call is not None and imports.first_visit(call):
            _call(call, Kind.DYNAMIC, imports)
    elif kind == "export" and parent.type == "export_statement":
        if imports.first_visit(parent):
            _reexport(parent, imports)
    elif kind == "identifier" and _is_call_of(parent, token):
        if imports.first_visit(parent) and _text(token) == "require":
            _call(parent, Kind.REQUIRE, imports)
    else:
        return kind in ("comment", "string_fragment", "template_string", "property_identifier")
    return True


def _is_call_of(call: Node | None, function: Node) -> bool:
    return (
        call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("function") == function
    )


def _starts_line(source: bytes, offset: int) -> bool:
    line_start = source.rfind(b"\n", 0, offset) + 1
    return not source[line_start:offset].strip()


def _inside_error(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "ERROR":
            return True
        parent = parent.parent
    return False


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _string_value(node: Node | None) -> str | None:
    """The value of a string literal (or a template literal without substitutions), else None."""
    if node is None:
        return None
    if node.type == "string":
        return _text(node)[1:-1]
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return _text(node)[1:-1]
    return None


def _has_token(node: Node, token: str) -> bool:
    return any(c.type == token and not c.is_named for c in node.children)


def _name(node: Node | None) -> str | None:
    if node is None:
        return None
    value = _string_value(node)
    return value if value is not None else _text(node)


def _import_statement(stmt: Node, imports: Imports) -> None:
    source = _string_value(stmt.child_by_field_name("source"))
    type_only = _has_token(stmt, "type") or _has_token(stmt, "typeof")
    for child in stmt.named_children:
        if child.type == "import_clause":
            if source is not None:
                _import_clause(stmt, child, source, type_only, imports)
            return
        if child.type == "import_require_clause":
            _import_equals(stmt, child, type_only, imports)
            return
    if source is not None:
        imports.add(stmt, Kind.SIDE_EFFECT, source, ALL_EXPORTS, None, type_only)


def _import_clause(stmt: Node, clause: Node, source: str, type_only: bool, imports: Imports) -> None:
    before = len(imports.found)
    for part in clause.named_children:
        if part.type == "identifier":
            imports.add(stmt, Kind.IMPORT, source, DEFAULT_EXPORT, _text(part), type_only)
        elif part.type == "namespace_import":
            local = next((_text(c) for c in part.named_children if c.type == "identifier"), None)
            imports.add(stmt, Kind.IMPORT, source, ALL_EXPORTS, local, type_only)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                export = _name(spec.child_by_field_name("name")) or ""
                local = _name(spec.child_by_field_name("alias")) or export
                imports.add(stmt, Kind.IMPORT, source, export, local, type_only or _has_token(spec, "type"))
    if len(imports.found) == before:  # `import {} from "x"` binds nothing: it only runs the module
        imports.add(stmt, Kind.SIDE_EFFECT, source, ALL_EXPORTS, None, type_only)


def _import_equals(stmt: Node, clause: Node, type_only: bool, imports: Imports) -> None:
    source = _string_value(clause.child_by_field_name("source"))
    if source is None:
        strings = [c for c in clause.named_children if c.type == "string"]
        source = _string_value(strings[0]) if strings else None
    local = next((_text(c) for c in clause.named_children if c.type == "identifier"), None)
    if source is not None:
        imports.add(stmt, Kind.IMPORT_EQUALS, source, ALL_EXPORTS, local, type_only)


def _reexport(stmt: Node, imports: Imports) -> None:
    source = _string_value(stmt.child_by_field_name("source"))
    if source is None:
        return
    type_only = _has_token(stmt, "type") or any(
        c.type == "ERROR" and _has_token(c, "type") for c in stmt.children
    )  # `export type * from` is newer than the grammar
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    if clause is not None:
        if not any(spec.type == "export_specifier" for spec in clause.named_children):
            imports.add(stmt, Kind.REEXPORT, source, ALL_EXPORTS, None, type_only)  # `export {} from "x"`
        for spec in clause.named_children:
            if spec.type == "export_specifier":
                export = _name(spec.child_by_field_name("name")) or ""
                local = _name(spec.child_by_field_name("alias")) or export
                imports.add(stmt, Kind.REEXPORT, source, export, local, type_only or _has_token(spec, "type"))
        return
    namespace = next((c for c in stmt.named_children if c.type == "namespace_export"), None)
    alias = None if namespace is None else next((_name(c) for c in namespace.named_children), None)
    imports.add(stmt, Kind.REEXPORT, source, ALL_EXPORTS, alias, type_only)


def _call(call: Node, kind: Kind, imports: Imports) -> None:
    """`require("x")` or `import("x")`, with what the result is bound to."""
    arguments = call.child_by_field_name("arguments")
    values = [c for c in arguments.named_children if c.type != "comment"] if arguments is not None else []
    if not values:
        return
    first = values[0]
    while first.type == "parenthesized_expression" and first.named_children:
        first = next((c for c in first.named_children if c.type != "comment"), first.named_children[0])
    source = _string_value(first)
    if source is None:
        imports.unresolvable += 1
        return
    type_only = kind is Kind.DYNAMIC and _in_type_position(call)
    for export, local in _bindings(call, kind):
        imports.add(call, kind, source, export, local, type_only)


def _bindings(call: Node, kind: Kind) -> list[tuple[str, str | None]]:
    """What a require/import() result is bound to: `const {a, b: c} = …`, `… .a`, or `const x = …`.

    `import()` gives a promise: its names are bound only through `await` (or in a type: `import("x").T`).
    """
    node, awaited = call, kind is not Kind.DYNAMIC or _in_type_position(call)
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        node = node.parent
        awaited = awaited or node.type == "await_expression"
    parent = node.parent
    if parent is None:
        return [(ALL_EXPORTS, None)]
    if (
        parent.type in ("member_expression", "subscript_expression")
        and parent.child_by_field_name("object") == node
    ):
        if not awaited:
            return [(ALL_EXPORTS, None)]
        prop = parent.child_by_field_name("property" if parent.type == "member_expression" else "index")
        export = (
            (_text(prop) if parent.type == "member_expression" else _string_value(prop)) if prop else None
        )
        export = export or ALL_EXPORTS
        holder = parent.parent
        local = None
        if holder is not None and holder.type == "variable_declarator":
            name = holder.child_by_field_name("name")
            local = _text(name) if name is not None and name.type == "identifier" else None
        return [(export, local)]
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "object_pattern" and awaited:
            return _object_pattern(name) or [(ALL_EXPORTS, None)]
        if name is not None and name.type == "identifier":
            return [(ALL_EXPORTS, _text(name))]
    return [(ALL_EXPORTS, None)]


def _object_pattern(pattern: Node) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for prop in pattern.named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            found.append((_text(prop), _text(prop)))
        elif prop.type == "object_assignment_pattern":
            left = prop.child_by_field_name("left")
            if left is not None:
                found.append((_text(left), _text(left)))
        elif prop.type == "pair_pattern":
            key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key is None:
                continue
            local = _text(value) if value is not None and value.type == "identifier" else None
            computed = key.type == "computed_property_name"  # `{[k]: v}`: which export is not known
            found.append((ALL_EXPORTS if computed else _name(key) or "", local))
        elif prop.type == "rest_pattern":
            local = next((_text(c) for c in prop.named_children if c.type == "identifier"), None)
            found.append((ALL_EXPORTS, local))
    return found


def _in_type_position(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type not in _STATEMENT_BOUNDARIES:
        if parent.type in _TYPE_CONTEXTS:
            return True
        parent = parent.parent
    return False


# One import or re-export statement with a literal source, as it starts at a keyword.
_STATEMENT = re.compile(
    rb"""(?:import|export)\b[^;'"`(]*?\bfrom\s*(['"])[^'"\n]*\1\s*;?|import\s*(['"])[^'"\n]*\2\s*;?"""
)


def _recover(start: int, token: Node, source: bytes, language: str, imports: Imports) -> None:
    """An import or re-export inside a region the grammar could not parse.

    The statement that starts at the keyword is parsed again on its own, so newer syntax or a
    broken line elsewhere does not lose the imports around it.
    """
    match = _STATEMENT.match(source, start)
    if match is None or (start, "recovered") in imports.seen:
        return
    imports.seen.add((start, "recovered"))
    tree = parser(language).parse(match.group(0))
    row = source.count(b"\n", 0, start)
    column = start - (source.rfind(b"\n", 0, start) + 1)
    statement = Imports()
    for child in tree.root_node.named_children:
        if child.type == "import_statement":
            _import_statement(child, statement)
        elif child.type == "export_statement":
            _reexport(child, statement)
    imports.found.extend(found._replace(line=row + 1, column=column) for found in statement.found)
