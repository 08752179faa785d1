"""Parsing that does not call valid code a syntax error where today's grammars misread it.

Babel and TypeScript accept these; the tree-sitter grammars do not:
- a bare `&` in JSX text (`Terms & Conditions`) or in a JSX attribute string (`?w=80&fit=crop`), and
  named entities with digits (`m&sup2;`): the `&` is blanked;
- variance annotations (`interface I<in out T>`), `accessor` fields after a modifier
  (`static accessor x`) and static index signatures (`static [key: string]: T`): the words are blanked;
- type arguments after an import type (`import("x").Props<T>`): they are blanked;
- escape sequences in a template literal type (`\\`${T}`, `a\\n${T}`), which the grammar does not
  take: escape sequences inside an error are blanked; and escapes that only a tagged template may
  hold (String.raw`\\u00`, ES2018): their backslash is blanked;
- a call's type argument `f<typeof import("x")>()`: its angle brackets become parentheses (always, so
  the import reads the same in every file; it is recorded as type-only).
Each mask keeps every byte that is not masked in place (lines and columns do not move) and the file is
parsed again, incrementally, until no error or nothing to mask is left. A few forms the grammar parses
with an error node but nothing lost around it are then tolerated: a tagged template with type
arguments (styled.div<Props>`…`, also after `yield*` or `await`), `export type * from` and
`import defer`.
A JavaScript file the JavaScript grammar still misreads is read with the TSX grammar when that one
reads it without error: it takes JSX attributes named like keywords (`<Transition in={shown}>`,
react-transition-group's), which the JavaScript grammar refuses. Any other error is real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Point, Tree

from depreport.scan.languages import parser

# What the grammars accept after `&`: `&name;` (letters only), `&#123;`, `&#x1F600;`.
_ENTITY = re.compile(rb"&(?:[A-Za-z]{1,30}|#[0-9]{1,5}|#[xX][0-9A-Fa-f]{1,6});")
# `<typeof import("x")…>(` in a call: the only place the grammar cannot read an import type (on one
# line, or with the argument on lines of its own, as formatters write a long one).
_TYPEOF_IMPORT_ARGUMENT = re.compile(
    rb"""<(\s*typeof\s+)(import)\s*\(\s*(['"])[^'"\n]*\3\s*\)[^<>()'"\n;]*\s*>\s*\("""
)
_ATTRIBUTE_STRING = re.compile(rb"""=\s*(?:"[^"]*"|'[^']*')""")
_VARIANCE = re.compile(rb"(?<=[<,])\s*((?:(?:in|out)\s+)+)(?=[A-Za-z_$])")
_IMPORT_TYPE_ARGUMENTS = re.compile(
    rb"""import\s*\(\s*(['"])[^'"\n]*\1\s*\)(?:\s*\.\s*[A-Za-z_$][\w$]*)+\s*(<)"""
)
_LONGEST_TYPE_ARGUMENTS = 2000
_MOST_ROUNDS = 32


@dataclass(frozen=True)
class Parsed:
    """A tree, whether the file has a real syntax error, and where its import types are."""

    tree: Tree
    syntax_error: bool
    import_types: frozenset[int]  # offsets of `import` in `typeof import("x")` read as a call
    size: int = 0  # the bytes parsed
    masked: bool = False  # whether the tree was made from bytes masked as above


def parse(source: bytes, language: str, head: Parsed | None = None) -> Parsed:
    """The tree of `source` (with the masks above) and whether it has a real syntax error.

    `head`, a parse of a prefix of `source`, is reused when nothing was masked in either: the parse
    goes on incrementally from it.
    """
    if language == "python":
        tree = parser(language).parse(source)
        return Parsed(tree, tree.root_node.has_error, frozenset(), len(source))
    masked = bytearray(source) if b"typeof" in source else None
    import_types = _mask_import_type_arguments(masked) if masked is not None else frozenset()
    old = _grown(head, source) if head is not None and not import_types else None
    first = bytes(masked) if masked is not None and import_types else source
    tree = parser(language).parse(first) if old is None else parser(language).parse(first, old)
    last = tree
    if tree.root_node.has_error:
        last = _mask_rounds(tree, masked if masked is not None else bytearray(source), language)
    error = last.root_node.has_error and _has_real_error(last.root_node)
    if error and language == "javascript":
        other = parse(source, "tsx")
        if not other.syntax_error:  # never continued from (masked): its tree is of another grammar
            return Parsed(other.tree, False, other.import_types, len(source), masked=True)
    return Parsed(last, error, import_types, len(source), bool(import_types) or last is not tree)


def _grown(head: Parsed, source: bytes) -> Tree | None:
    """A copy of the tree of a prefix of `source`, told that the rest of `source` follows it."""
    if head.masked:
        return None
    tree, cut, end = head.tree.copy(), head.size, len(source)
    start = _point(source, cut)
    tree.edit(cut, cut, end, start, start, _point(source, end))
    return tree


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


def _mask_rounds(tree: Tree, masked: bytearray, language: str) -> Tree:
    """Blank what the grammar misreads and parse again, until no error or nothing to blank is left."""
    for _ in range(_MOST_ROUNDS):
        spans = [
            (start, end) for start, end in _maskable(tree.root_node, masked) if masked[start:end].strip()
        ]
        if not spans:
            break
        for start, end in spans:
            _blank(tree, masked, start, end)
        tree = parser(language).parse(bytes(masked), tree)
        if not tree.root_node.has_error:
            break
    return tree


def _maskable(root: Node, source: bytearray) -> set[tuple[int, int]]:
    """Byte ranges to blank: see the module's docstring."""
    found = {(start, start + 1) for start in _jsx_ampersands(root, source)}
    found.update(_import_type_arguments(source))
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "type_parameters":
            found.update(m.span(1) for m in _VARIANCE.finditer(source, node.start_byte, node.end_byte))
        elif node.is_error:
            word = _misread_modifier(node)
            if word is not None:
                found.add((word.start_byte, word.end_byte))
            found.update((c.start_byte, c.end_byte) for c in node.children if c.type == "escape_sequence")
            if _escape_in_tagged_template(node):
                found.add((node.start_byte, node.start_byte + 1))
        if node.has_error:
            stack.extend(node.children)
    return found


def _misread_modifier(error: Node) -> Node | None:
    """The word that made a class member an error: `accessor` after a modifier (read as the member's
    name), or `static` before an index signature (`static [key: string]: T`)."""
    parent = error.parent
    if parent is not None and parent.type == "public_field_definition":
        name = parent.child_by_field_name("name")
        return name if name is not None and name.text == b"accessor" else None
    field = parent.parent if parent is not None and parent.type == "computed_property_name" else None
    if field is not None and field.type == "public_field_definition":
        return next((c for c in field.children if c.type == "static"), None)
    return None


def _import_type_arguments(source: bytearray) -> list[tuple[int, int]]:
    """The `<…>` after each `import("x").Name`, when it closes."""
    found = []
    for match in _IMPORT_TYPE_ARGUMENTS.finditer(source):
        start, depth = match.start(2), 0
        for at in range(start, min(len(source), start + _LONGEST_TYPE_ARGUMENTS)):
            byte = source[at]
            if byte == ord("<"):
                depth += 1
            elif byte == ord(">") and source[at - 1] != ord("="):
                depth -= 1
                if depth == 0:
                    found.append((start, at + 1))
                    break
    return found


def _blank(tree: Tree, masked: bytearray, start: int, end: int) -> None:
    """Turn a byte range into spaces (line breaks kept), telling the tree so that parsing again is
    incremental."""
    for at in range(start, end):
        if masked[at] not in b"\r\n":
            masked[at] = ord(" ")
    start_point, end_point = _point(masked, start), _point(masked, end)
    tree.edit(start, end, end, start_point, end_point, end_point)


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
            if not (_export_type_star(node) or _import_defer(node)):
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
    tag = holder.named_children[0] if holder.named_children else None
    while tag is not None and tag.type in ("yield_expression", "await_expression") and tag.named_children:
        tag = tag.named_children[-1]  # `yield* sql<Row>`…``, `await sql<Row>`…``
    return (
        _type(tag) == "instantiation_expression"
        and call is not None
        and call.type == "call_expression"
        and _type(call.child_by_field_name("arguments")) == "template_string"
    )


def _escape_in_tagged_template(error: Node) -> bool:
    """String.raw`Acme\\u00 Corp`: an escape a tagged template may hold (ES2018), not others."""
    template = error.parent
    call = template.parent if template is not None else None
    return (
        (error.text or b"").startswith(b"\\")
        and _type(template) == "template_string"
        and call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("arguments") == template
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


def _import_defer(error: Node) -> bool:
    """`import defer * as ns from "x"` (TypeScript 5.9): the word `defer` is an error node."""
    following = error.next_sibling
    return (
        _type(error.parent) == "import_statement"
        and error.text == b"defer"
        and following is not None
        and following.type == "import_clause"
    )


def _type(node: Node | None) -> str | None:
    return node.type if node is not None else None


def _point(source: bytes | bytearray, offset: int) -> Point:
    row = source.count(b"\n", 0, offset)
    return Point(row, offset - (source.rfind(b"\n", 0, offset) + 1))
