"""What one entry of an export clause (`export { a, b as c } from "x"`) names, where the grammar misreads
a name `type` as the modifier of a type-only specifier."""

from __future__ import annotations

from tree_sitter import Node

from depreport.extract.ancestry import Parent, tree_parent
from depreport.extract.sites import is_word, name_value, type_only_specifier


def type_named_first(spec: Node) -> bool:
    """`export { type, a } from "x"`: a name `type`, which the grammar reads as the modifier of the next
    specifier (`type` then an error `,` then `a`)."""
    children = spec.children
    return (
        len(children) > 2 and children[0].type == "type" and children[1].is_error and children[1].text == b","
    )


def type_without_name(specifier: Node) -> bool:
    """`type` and a missing name: a name `type` last in a list with a trailing comma."""
    children = specifier.children
    return len(children) == 2 and children[0].type == "type" and children[1].is_missing


def misread_type_name(node: Node, parent_of: Parent = tree_parent) -> bool:
    """Is an error or missing node of an export clause one that only stands for a name `type`, which
    the codemods read as the name it is?"""
    parent = parent_of(node)
    if parent is None:
        return False
    if node.is_error and is_word(node, b"type"):
        return parent.type == "export_clause"
    if parent.type != "export_specifier":
        return False
    if node.is_error:
        return type_named_first(parent)
    return node.is_missing and type_without_name(parent)


def type_renamed(spec: Node) -> Node | None:
    """`export { type as t } from "x"`: the name `type` exported as `t` (TypeScript reads `type as NAME`
    so, while `type as` and `type as as t` are type-only exports of `as`). The grammar takes `type` for the
    modifier: `as` is then the specifier's name and `t` an error after it, or `as` an error in it before
    `t`. Returns the node of the new name, None for any other specifier."""
    children = spec.children
    if spec.type != "export_specifier" or not children or children[0].type != "type":
        return None
    if len(children) == 3 and children[1].is_error and children[1].text == b"as":
        return children[2]
    after = spec.next_sibling
    if len(children) == 2 and children[1].text == b"as" and after is not None and after.is_error:
        return after.children[0] if len(after.children) == 1 else None
    return None


def exported_names(entry: Node) -> list[tuple[str, str | None, bool]]:
    """What one entry of an export clause names: (export, local, type-only) for each name. A name `type`
    is an error node to the grammar (`export { a, type }`), the modifier of the next (`{ type, a }`), a
    modifier whose name is missing (`{ a, type, }`), or read as a type-only `as` (`{ type as t }`)."""
    if entry.is_error:
        before = entry.prev_sibling
        if before is not None and type_renamed(before) is not None:
            return []  # the new name of `{ type as t }`, read with the specifier before it
        return [("type", "type", False)] if is_word(entry, b"type") else []
    if entry.type != "export_specifier":
        return []
    if type_without_name(entry):
        return [("type", "type", False)]
    renamed = type_renamed(entry)
    if renamed is not None:
        return [("type", name_value(renamed), False)]
    name, alias = entry.child_by_field_name("name"), entry.child_by_field_name("alias")
    export = "" if name is None else name_value(name)
    local = export if alias is None else name_value(alias)
    if type_named_first(entry):
        return [("type", "type", False), (export, local, False)]
    return [(export, local, type_only_specifier(entry))]
