"""Imports of JavaScript, TypeScript and TSX files, read off a tree-sitter tree.

A fast regular expression finds every place the words `import`, `export` and `require` occur; the tree
then says what each one really is (a statement, a call, or just a word in a comment or a string).
This visits a handful of nodes per import instead of walking the whole tree. Which statement or call
names a module, and the module string's value, come from the import-site classifier
(depreport.extract.sites, which the codemods use too); this module reads what each one binds.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from depreport.extract.ancestry import Ancestry, Parent
from depreport.extract.clauses import Clauses, statement_at, statements
from depreport.extract.collected import Imports, record_order
from depreport.extract.errorregions import ErrorRegions
from depreport.extract.exportclause import exported_names
from depreport.extract.lines import Lines
from depreport.extract.masks import starts_line
from depreport.extract.ownexports import own_exports
from depreport.extract.sites import (
    Form,
    ModuleSite,
    bound_from,
    name_value,
    site_of_call,
    site_of_statement,
    string_value,
    text,
    type_only_specifier,
)
from depreport.model import ALL_EXPORTS, DEFAULT_EXPORT, Kind
from depreport.scan.languages import tree_of

CANDIDATES = re.compile(rb"\b(?:import|export|require)\b")


def find_imports(root: Node, source: bytes, offsets: list[tuple[int, int]], language: str) -> Imports:
    """All imports in a JS/TS tree, given the byte ranges of the candidate keywords."""
    imports = Imports()
    ends = statements(source)
    lines = Lines(source)
    errors = ErrorRegions(root)
    tree = Ancestry(root)
    parent_of = tree.parent
    for start, end in offsets:
        token = tree.locate(start, end)
        parent = None if token is None else parent_of(token)
        misread = token is not None and _misread_statement(token, parent, language)
        if misread and _recover(start, source, language, imports, ends, lines):
            continue  # Flow's `import type A`, `{type B}`: read again with the TSX grammar
        if root.has_error and token is not None and _misread_call(token, parent, source):
            _recover(start, source, language, imports, ends, lines)
            continue
        if token is not None and token.type == "property_identifier" and errors.holds(token):
            # a statement read as an object's key: `{ export * …`
            _recover(start, source, language, imports, ends, lines)
            continue
        if token is None or parent is None or _handled(token, parent, imports, parent_of):
            continue
        if (
            root.has_error
            and errors.holds(token)
            and (token.type != "jsx_text" or starts_line(source, start))
        ):
            _recover(start, source, language, imports, ends, lines)
    imports.found.sort(key=record_order)
    return imports


def _handled(token: Node, parent: Node, imports: Imports, parent_of: Parent) -> bool:
    """Visit the statement or call a keyword belongs to; False when it belongs to none."""
    kind = token.type
    if (kind == "import" and parent.type == "import_statement") or (
        kind == "export" and parent.type == "export_statement"
    ):
        if imports.first_visit(parent):
            _statement(parent, imports)
    elif kind == "import" and parent.type == "import" and _is_call_of(call := parent_of(parent), parent):
        if call is not None and imports.first_visit(call):
            _call(call, imports, parent_of)
    elif kind == "identifier" and _is_call_of(parent, token):
        if imports.first_visit(parent):
            _call(parent, imports, parent_of)
    else:
        return kind in ("comment", "string_fragment", "template_string", "property_identifier")
    return True


def _misread_statement(token: Node, parent: Node | None, language: str) -> bool:
    """An import or export statement of a JavaScript file that the grammar read with an error inside
    (`import type A from`, Flow's and TypeScript's, reads as a default import named `type`)."""
    return (
        language == "javascript"
        and parent is not None
        and parent.has_error
        and (token.type, parent.type) in (("import", "import_statement"), ("export", "export_statement"))
    )


def _misread_call(token: Node, parent: Node | None, source: bytes) -> bool:
    """An `import` made the function of a call though no `(` follows it (in a tree with errors, `import *
    as b from "./b.json" assert {…}` read as `import` called with a later call's arguments)."""
    if token.type != "import" or parent is None or parent.type != "import":
        return False
    at = token.end_byte
    while at < len(source) and source[at] in b" \t\r\n":
        at += 1
    return source[at : at + 1] not in (b"(", b"/", b".")  # `import.defer("x")`: a phase


def _is_call_of(call: Node | None, function: Node) -> bool:
    return (
        call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("function") == function
    )


def _name(node: Node | None) -> str | None:
    return None if node is None else name_value(node)


def _statement(stmt: Node, imports: Imports) -> None:
    """An import statement, or an export statement with `from`."""
    site = site_of_statement(stmt)
    if site is None and stmt.type == "export_statement":
        imports.own_exports.update(own_exports(stmt))
    if site is None or site.value is None:
        return
    if site.form is Form.IMPORT and site.clause is not None:
        _import_clause(stmt, site.clause, site.value, site.type_only, imports)
    elif site.form is Form.IMPORT_EQUALS and site.clause is not None:
        named = site.clause.named_children
        local = next((text(c) for c in named if c.type == "identifier"), None)
        imports.add(stmt, Kind.IMPORT_EQUALS, site.value, ALL_EXPORTS, local, site.type_only)
    elif site.form is Form.SIDE_EFFECT:
        imports.add(stmt, Kind.SIDE_EFFECT, site.value, ALL_EXPORTS, None, site.type_only)
    else:
        _reexport(stmt, site.value, site.type_only, imports)


def _import_clause(stmt: Node, clause: Node, source: str, type_only: bool, imports: Imports) -> None:
    before = len(imports.found)
    for part in clause.named_children:
        if part.type == "identifier":
            imports.add(stmt, Kind.IMPORT, source, DEFAULT_EXPORT, text(part), type_only)
        elif part.type == "namespace_import":
            local = next((text(c) for c in part.named_children if c.type == "identifier"), None)
            imports.add(stmt, Kind.IMPORT, source, ALL_EXPORTS, local, type_only)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                export = _name(spec.child_by_field_name("name")) or ""
                local = _name(spec.child_by_field_name("alias")) or export
                imports.add(stmt, Kind.IMPORT, source, export, local, type_only or type_only_specifier(spec))
    if len(imports.found) == before:  # `import {} from "x"` binds nothing: it only runs the module
        imports.add(stmt, Kind.SIDE_EFFECT, source, ALL_EXPORTS, None, type_only)


def _reexport(stmt: Node, source: str, type_only: bool, imports: Imports) -> None:
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    if clause is not None:
        names = [name for entry in clause.named_children for name in exported_names(entry)]
        for export, local, type_only_here in names or [(ALL_EXPORTS, None, False)]:  # `export {} from`
            imports.add(stmt, Kind.REEXPORT, source, export, local, type_only or type_only_here)
        return
    namespace = next((c for c in stmt.named_children if c.type == "namespace_export"), None)
    alias = None if namespace is None else _namespace_alias(namespace)
    imports.add(stmt, Kind.REEXPORT, source, ALL_EXPORTS, alias, type_only)


def _namespace_alias(namespace: Node) -> str | None:
    """The name of `export * as ns from "x"`: a name, a string, or the keyword `default` (a node the
    JavaScript grammar leaves unnamed)."""
    children = namespace.children
    if len(children) > 2 and children[-2].type == "as":
        return _name(children[-1])
    return next((_name(c) for c in namespace.named_children), None)


def _call(call: Node, imports: Imports, parent_of: Parent) -> None:
    """`require("x")` or `import("x")`, with what the result is bound to."""
    site = site_of_call(call, parent_of)
    if site is None or site.form is Form.MODULE_CALL:
        return
    kind = Kind.REQUIRE if site.form is Form.REQUIRE else Kind.DYNAMIC
    if site.value is None:
        imports.unresolvable += 1
        return
    for export, local in _bindings(site, parent_of):
        imports.add(call, kind, site.value, export, local, site.type_only)


def _bindings(site: ModuleSite, parent_of: Parent) -> list[tuple[str, str | None]]:
    """What a require/import() result is bound to: `const {a, b: c} = …`, `… .a`, or `const x = …`.

    `import()` gives a promise: its names are bound only through `await` (or in a type: `import("x").T`).
    """
    node, awaited = bound_from(site.node, parent_of)
    awaited = awaited or site.form is not Form.DYNAMIC or site.type_only
    parent = parent_of(node)
    if parent is None:
        return [(ALL_EXPORTS, None)]
    if (
        parent.type in ("member_expression", "subscript_expression")
        and parent.child_by_field_name("object") == node
    ):
        if not awaited:
            return [(ALL_EXPORTS, None)]
        prop = parent.child_by_field_name("property" if parent.type == "member_expression" else "index")
        export = (text(prop) if parent.type == "member_expression" else string_value(prop)) if prop else None
        export = export or ALL_EXPORTS
        holder = parent_of(parent)
        local = None
        # `await (require("x")).a` read as a call of `await`: the await holds the member, not a name
        misread_await = node != site.node and node.type == "call_expression"
        if holder is not None and holder.type == "variable_declarator" and not misread_await:
            name = holder.child_by_field_name("name")
            local = text(name) if name is not None and name.type == "identifier" else None
        return [(export, local)]
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "object_pattern" and awaited:
            return _object_pattern(name) or [(ALL_EXPORTS, None)]
        if name is not None and name.type == "identifier":
            return [(ALL_EXPORTS, text(name))]
    return [(ALL_EXPORTS, None)]


def _object_pattern(pattern: Node) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for prop in pattern.named_children:
        if prop.type == "shorthand_property_identifier_pattern":
            found.append((text(prop), text(prop)))
        elif prop.type == "object_assignment_pattern":
            left = prop.child_by_field_name("left")
            if left is not None:
                found.append((text(left), text(left)))
        elif prop.type == "pair_pattern":
            key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
            if key is None:
                continue
            local = text(value) if value is not None and value.type == "identifier" else None
            computed = key.type == "computed_property_name"  # `{[k]: v}`: which export is not known
            found.append((ALL_EXPORTS if computed else _name(key) or "", local))
        elif prop.type == "rest_pattern":
            local = next((text(c) for c in prop.named_children if c.type == "identifier"), None)
            found.append((ALL_EXPORTS, local))
    return found


def _recover(start: int, source: bytes, language: str, imports: Imports, ends: Clauses, lines: Lines) -> bool:
    """An import or re-export inside a region the grammar could not parse; False when no statement
    with a module string starts at the keyword.

    The statement that starts at the keyword is parsed again on its own, so newer syntax or a
    broken line elsewhere does not lose the imports around it.
    """
    found = statement_at(start, source, ends)
    if found is None:
        return False
    if (start, "recovered") in imports.seen:
        return True
    imports.seen.add((start, "recovered"))
    # The TSX grammar reads `import type`, `import {type X}`, `export type {X} from` and Flow's `typeof`,
    # which the JavaScript grammar takes for names: a JavaScript file's statement is read with it.
    # Flow's `declare export * from "x"` declares types: the word is read with the statement.
    statement_text = b"declare " + found if _declared(source, start) else found
    tree = tree_of("tsx" if language == "javascript" else language, statement_text)
    row, column = lines.point(start)
    statement = Imports()
    for child in tree.root_node.named_children:
        if child.type in ("import_statement", "export_statement"):
            _statement(child, statement)
    imports.found.extend(found._replace(line=row + 1, column=column) for found in statement.found)
    return True


def _declared(source: bytes, start: int) -> bool:
    """Is the keyword at `start` the first word after `declare` and blanks on its line (what
    `\\bdeclare[ \\t]+\\Z` finds from the line's start, read back from the keyword: in a long line the
    search from its start took the line's length for each keyword)?"""
    at = start
    while at > 0 and source[at - 1] in b" \t":
        at -= 1
    word = at - len(b"declare")
    return (
        at < start
        and word >= 0
        and source[word:at] == b"declare"
        and (word == 0 or not _WORD_BYTE.match(source, word - 1))
    )


_WORD_BYTE = re.compile(rb"\w")
