"""The names a JS/TS module exports itself: what an `export *` of the same module cannot override."""

from __future__ import annotations

from tree_sitter import Node

from depreport.extract.exportclause import exported_names
from depreport.extract.sites import text
from depreport.model import DEFAULT_EXPORT


def own_exports(stmt: Node) -> list[str]:
    """The names an export statement without `from` at the module's top level gives the module itself:
    `export function f`, `export const {a, b: c} = …`, `export { f as g }`, `export default …`. They shadow
    an `export * from` of the same module (a barrel overriding one of the names it re-exports)."""
    parent = stmt.parent
    if parent is None or parent.type != "program":
        return []  # inside `declare module "m" {…}`: another module's
    if any(child.type == "default" for child in stmt.children):
        return [DEFAULT_EXPORT]
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    if clause is not None:
        return [
            local or export for entry in clause.named_children for export, local, _ in exported_names(entry)
        ]
    declaration = stmt.child_by_field_name("declaration")
    if declaration is not None and declaration.type == "ambient_declaration":  # `export declare const x`
        declaration = next(iter(declaration.named_children), None)
    if declaration is None:
        return []
    name = declaration.child_by_field_name("name")
    if name is not None:
        return [text(name)]
    return [
        bound_name
        for declarator in declaration.named_children
        if declarator.type == "variable_declarator" and (bound := declarator.child_by_field_name("name"))
        for bound_name in _bound_names(bound)
    ]


def _bound_names(pattern: Node) -> list[str]:
    """The names a declarator's name binds: itself, or each name in a destructuring pattern."""
    if pattern.type in ("identifier", "shorthand_property_identifier_pattern"):
        return [text(pattern)]
    if pattern.type in ("pair_pattern", "object_assignment_pattern", "assignment_pattern"):
        bound = pattern.child_by_field_name("value" if pattern.type == "pair_pattern" else "left")
        return [] if bound is None else _bound_names(bound)
    return [name for child in pattern.named_children for name in _bound_names(child)]
