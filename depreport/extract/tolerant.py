"""Parsing that does not call valid code a syntax error where today's grammars misread it.

The JavaScript and TypeScript grammars reject a bare `&` in JSX text (`Terms & Conditions`), one in a
JSX attribute string (`src="a.png?w=80&fit=crop"`) and named entities with digits (`m&sup2;`), all of
which Babel and TypeScript accept. Such an ampersand is replaced by a space, and the angle brackets of
a call's type argument `f<typeof import("x")>()` (which the grammar cannot read) by parentheses; each
mask keeps the length, so every line and column stays put, and the file is parsed again,
incrementally. A few TypeScript forms the grammar parses with an error node but nothing lost around
it are then tolerated: a tagged template with type arguments (styled.div<Props>`…`) and
`export type * from`. Any other error is real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Point, Tree

from depreport.languages import parser

# What the grammars accept after `&`: `&name;` (letters only), `&#123;`, `&#x1F600;`.
_ENTITY = re.compile(rb"&(?:[A-Za-z]{1,30}|#[0-9]{1,5}|#[xX][0-9A-Fa-f]{1,6});")
# `<typeof import("x")…>(` in a call: the only place the grammar cannot read an import type.
_TYPEOF_IMPORT_ARGUMENT = re.compile(
    rb"""<(\s*typeof\s+)(import)\s*\(\s*(['"])[^'"\n]*\3\s*\)[^<>()'"\n;]*>\s*\("""
)
_ATTRIBUTE_STRING = re.compile(rb"""=\s*(?:"[^"]*"|'[^']*')""")
_MOST_ROUNDS = 32


@dataclass(frozen=True)
class Parsed:
    """A tree, whether the file has a real syntax error, and where its import types are."""

    tree: Tree
    syntax_error: bool
    import_types: frozenset[int]  # offsets of `import` in `typeof import("x")` read as a call


def parse(source: bytes, language: str) -> Parsed:
    """The tree of `source` (with the masks above) and whether it has a real syntax error."""
    if language == "python":
        tree = parser(language).parse(source)
        return Parsed(tree, tree.root_node.has_error, frozenset())
    masked = bytearray(source)
    import_types = _mask_import_type_arguments(masked) if b"typeof" in source else frozenset()
    tree = parser(language).parse(bytes(masked) if import_types else source)
    if tree.root_node.has_error and b"&" in source:
        tree = _mask_ampersands(tree, masked, language)
    return Parsed(tree, tree.root_node.has_error and _has_real_error(tree.root_node), import_types)


def _mask_import_type_arguments(masked: bytearray) -> frozenset[int]:
    """`f<typeof import("x")>()` -> `f(typeof import("x"))()`; the offsets of the `import` words.

    Always applied, so such an import reads the same in a file with or without an error elsewhere.
    """
    found = []
    for match in _TYPEOF_IMPORT_ARGUMENT.finditer(bytes(masked)):
        found.append(match.start(2))
        masked[match.start()] = ord("(")
        masked[masked.rindex(b">", match.start(), match.end())] = ord(")")
    return frozenset(found)


def _mask_ampersands(tree: Tree, masked: bytearray, language: str) -> Tree:
    """Parse again with each ampersand that JSX text or a JSX string holds (and the grammar rejects)
    turned into a space, until the tree has no error or no such ampersand is left."""
    for _ in range(_MOST_ROUNDS):
        offsets = [at for at in _jsx_ampersands(tree.root_node, masked) if masked[at] == ord("&")]
        if not offsets:
            break
        for at in offsets:
            _blank(tree, masked, at)
        tree = parser(language).parse(bytes(masked), tree)
        if not tree.root_node.has_error:
            break
    return tree


def _blank(tree: Tree, masked: bytearray, at: int) -> None:
    """Turn one byte into a space, telling the tree so that parsing again is incremental."""
    masked[at] = ord(" ")
    point = _point(masked, at)
    after = Point(point.row, point.column + 1)
    tree.edit(at, at + 1, at + 1, point, after, after)


def _jsx_ampersands(root: Node, source: bytearray) -> set[int]:
    """Offsets of ampersands that start JSX text or sit in a JSX attribute string, not entities."""
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        end = node.end_byte
        if source[end : end + 1] == b"&" and _text_follows(node) and not _ENTITY.match(source, end):
            found.add(end)
        if node.has_error and node.type in ("jsx_opening_element", "jsx_self_closing_element"):
            found.update(_ampersands_in_attribute_strings(source, node.start_byte, end))
        if node.has_error:
            stack.extend(node.children)
    return found


def _text_follows(node: Node) -> bool:
    """Is what comes right after this node JSX text (not code, as after a whole element)?"""
    kind = node.type
    if kind in ("jsx_text", "jsx_opening_element"):
        return True
    return kind in ("jsx_element", "jsx_self_closing_element", "jsx_expression") and _in_children(node)


def _in_children(node: Node) -> bool:
    """Is the node a child of a JSX element, even of one the grammar could not close?"""
    parent = node.parent
    if parent is None or parent.type not in ("jsx_element", "ERROR"):
        return False
    sibling = node.prev_sibling
    while parent.type == "ERROR" and sibling is not None and sibling.type != "jsx_opening_element":
        sibling = sibling.prev_sibling
    return parent.type == "jsx_element" or sibling is not None


def _ampersands_in_attribute_strings(source: bytearray, start: int, end: int) -> list[int]:
    """Ampersands (not entities) in the quoted attribute values of one JSX tag."""
    found = []
    for value in _ATTRIBUTE_STRING.finditer(source, start, end):
        at = source.find(b"&", value.start(), value.end())
        while at >= 0:
            if not _ENTITY.match(source, at):
                found.append(at)
            at = source.find(b"&", at + 1, value.end())
    return found


def _has_real_error(root: Node) -> bool:
    """Is any error or missing node left that is not one of the tolerated forms?"""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            if not _tagged_template_with_types(node):
                return True
        elif node.is_error:
            if not _export_type_star(node):
                return True
        elif node.has_error:
            stack.extend(node.children)
    return False


def _tagged_template_with_types(missing: Node) -> bool:
    """styled.div<Props>`…`: read as `(styled.div<Props>)!` with the `!` missing, called with a template."""
    holder = missing.parent
    if missing.type != "!" or holder is None or holder.type != "non_null_expression":
        return False
    call = holder.parent
    return (
        _type(holder.named_children[0] if holder.named_children else None) == "instantiation_expression"
        and call is not None
        and call.type == "call_expression"
        and _type(call.child_by_field_name("arguments")) == "template_string"
    )


def _export_type_star(error: Node) -> bool:
    """`export type * from "x"` (TypeScript 5.0): the word `type` is an error node of the statement."""
    following = error.next_sibling
    return (
        _type(error.parent) == "export_statement"
        and error.text == b"type"
        and following is not None
        and (following.type == "*" or following.type == "namespace_export")
    )


def _type(node: Node | None) -> str | None:
    return node.type if node is not None else None


def _point(source: bytearray, offset: int) -> Point:
    row = source.count(b"\n", 0, offset)
    return Point(row, offset - (source.rfind(b"\n", 0, offset) + 1))
