"""Parsing that does not call valid code a syntax error where today's grammars misread it.

Babel and TypeScript accept some code the tree-sitter grammars do not. Where a tree has errors, what
they misread is masked (`depreport.extract.masks`: blanked, or a `;` put in a blank) and the file is
parsed again, incrementally, until no error or nothing to mask is left. One mask is always applied: a
call's type argument `f<typeof import("x")>()` or `f<import("x").T | null>()` has its angle brackets made
parentheses, so the import reads the same in every file (it is recorded as type-only). A few forms
the grammar parses with an error node but nothing lost around it are then tolerated: a tagged template
with type arguments (styled.div<Props>`…`, also after `yield*` or `await`), `export type * from` and
`import defer`.
A JavaScript file the JavaScript grammar still misreads is read with the TSX grammar when that one
reads it without error: it takes JSX attributes named like keywords (`<Transition in={shown}>`,
react-transition-group's), which the JavaScript grammar refuses. In Python, comments at the start of
a line inside an indented block (between a decorator and its `def`) are blanked when the grammar took
them for the end of the block, and `lazy import` (Python 3.15) is tolerated. Any other error is real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from depreport.extract.ancestry import Ancestry, Parent
from depreport.extract.exportclause import misread_type_name, type_named_first, type_renamed
from depreport.extract.lines import Lines, point
from depreport.extract.masks import (
    blanks,
    empty_type_arguments,
    export_attributes,
    exported_import_equals,
    keyword_names,
    type_of,
)
from depreport.extract.signatures import separators
from depreport.extract.sites import is_word
from depreport.scan.languages import tree_of

# `<typeof import("x")…>(` or `<import("x").T…>(` in a call: the only place the grammar cannot read an
# import type (on one line, or with the argument on lines of its own, as formatters write a long one).
_IMPORT_TYPE_ARGUMENT = re.compile(
    rb"""<(\s*(?:typeof\s+)?)(import)\s*\(\s*(['"])[^'"\n]*\3\s*\)[^<>()'"\n;]*\s*>\s*\("""
)
_MOST_ROUNDS = 32
# Above this many masks in a round, the masked text is parsed afresh: `Tree.edit` walks the tree before
# each edited byte (a flat error's earlier children), so thousands of them cost the square of the text.
_MOST_EDITS = 64
_COLUMN_ZERO_COMMENT = re.compile(rb"(?m)^#[^\r\n]*")
_IMPORT_AFTER = re.compile(rb"[ \t]+(import|from)\b")
# What may not hold a `lazy import`.
_NO_LAZY_IMPORT = frozenset({"function_definition", "class_definition", "try_statement"})


@dataclass(frozen=True)
class Parsed:
    """A tree, whether the file has a real syntax error, and where its import types are."""

    tree: Tree
    syntax_error: bool
    import_types: frozenset[int]  # offsets of `import` in a type argument `<import("x")…>` read as a call
    size: int = 0  # the bytes parsed
    masked: bool = False  # whether the tree was made from bytes masked as above


def parse(source: bytes, language: str, head: Parsed | None = None) -> Parsed:
    """The tree of `source` (with the masks above) and whether it has a real syntax error.

    `head`, a parse of a prefix of `source`, is reused when nothing was masked in either: the parse
    goes on incrementally from it.
    """
    if language == "python":
        return _python(source)
    masked = bytearray(source) if _IMPORT_TYPE_ARGUMENT.search(source) else None
    import_types = _mask_import_type_arguments(masked) if masked is not None else frozenset()
    old = _grown(head, source) if head is not None and not import_types else None
    first = bytes(masked) if masked is not None and import_types else source
    tree = tree_of(language, first, old)
    last = tree
    if tree.root_node.has_error:
        last = _mask_rounds(tree, masked if masked is not None else bytearray(source), language)
    error = last.root_node.has_error and _has_real_error(last.root_node)
    if error and language == "javascript":
        other = parse(source, "tsx")
        if not other.syntax_error:  # never continued from (masked): its tree is of another grammar
            return Parsed(other.tree, False, other.import_types, len(source), masked=True)
    return Parsed(last, error, import_types, len(source), bool(import_types) or last is not tree)


def _python(source: bytes) -> Parsed:
    """A Python tree; comments at the start of a line inside an indented block (between a decorator
    and its `def`, say) are blanked when the grammar takes them for the block's end; a `lazy import`
    is no error."""
    tree = tree_of("python", source)
    error = tree.root_node.has_error and _has_real_python_error(tree.root_node, source)
    if not error or not _COLUMN_ZERO_COMMENT.search(source):
        return Parsed(tree, error, frozenset(), len(source))
    masked = _COLUMN_ZERO_COMMENT.sub(lambda m: b" " * len(m.group()), source)
    again = tree_of("python", masked)
    if again.root_node.has_error and _has_real_python_error(again.root_node, masked):
        return Parsed(tree, True, frozenset(), len(source))
    return Parsed(again, False, frozenset(), len(source), masked=True)


def _has_real_python_error(root: Node, source: bytes) -> bool:
    """Is any error or missing node left that is not a tolerated form (`lazy import`)?"""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or (node.is_error and not _lazy_import(node, root, source)):
            return True
        if node.has_error and not node.is_error:
            stack.extend(node.children)
    return False


def _lazy_import(error: Node, root: Node, source: bytes) -> bool:
    """`lazy import json`, `lazy from x import y` (Python 3.15, PEP 810): the word `lazy` is an error
    node before an import statement the grammar reads whole. Python takes it only at module level
    (not in a function, a class or a `try`) and not with `*` or `__future__`."""
    if not is_word(error, b"lazy"):
        return False
    match = _IMPORT_AFTER.match(source, error.end_byte)
    keyword = root.descendant_for_byte_range(match.start(1), match.end(1)) if match else None
    statement = keyword.parent if keyword is not None else None
    if type_of(statement) not in ("import_statement", "import_from_statement") or statement is None:
        return False
    if any(child.type == "wildcard_import" for child in statement.children):
        return False
    holder = statement.parent
    while holder is not None and holder.type not in _NO_LAZY_IMPORT:
        holder = holder.parent
    return holder is None


def _grown(head: Parsed, source: bytes) -> Tree | None:
    """A copy of the tree of a prefix of `source`, told that the rest of `source` follows it."""
    if head.masked:
        return None
    tree, cut, end = head.tree.copy(), head.size, len(source)
    start = point(source, cut)
    tree.edit(cut, cut, end, start, start, point(source, end))
    return tree


def _mask_import_type_arguments(masked: bytearray) -> frozenset[int]:
    """`f<typeof import("x")>()` -> `f(typeof import("x"))()`, `f<import("x").T>()` ->
    `f(import("x").T)()`; the offsets of the `import` words.

    Always applied, so such an import reads the same in a file with or without an error elsewhere.
    """
    found = []
    for match in _IMPORT_TYPE_ARGUMENT.finditer(bytes(masked)):
        found.append(match.start(2))
        masked[match.start()] = ord("(")
        masked[masked.rindex(b">", match.start(), match.end())] = ord(")")
    return frozenset(found)


def _mask_rounds(tree: Tree, masked: bytearray, language: str) -> Tree:
    """Mask what the grammar misreads and parse again, until no error or nothing to mask is left."""
    points = Lines(masked)  # the masks move no line break
    for _ in range(_MOST_ROUNDS):
        found = blanks(tree.root_node, masked)
        found.update(empty_type_arguments(masked), exported_import_equals(masked), export_attributes(masked))
        spans = [(start, end) for start, end in found if masked[start:end].strip()]
        semicolons = separators(tree.root_node, masked) if language == "typescript" else []
        names = keyword_names(tree.root_node, masked) if language != "javascript" else []
        if not spans and not semicolons and not names:
            break
        for start, end in spans:
            _blank(masked, start, end)
        for at in semicolons:
            masked[at] = ord(";")
        for at in names:
            masked[at] = ord("$")
        edits = [*spans, *((at, at + 1) for at in (*semicolons, *names))]
        if len(edits) > _MOST_EDITS:  # parsed afresh: the same tree, without an edit walk per mask
            tree = tree_of(language, bytes(masked))
        else:
            for start, end in edits:  # told to the tree, so that parsing again is incremental
                tree.edit(start, end, end, points.point(start), points.point(end), points.point(end))
            tree = tree_of(language, bytes(masked), tree)
        if not tree.root_node.has_error:
            break
    return tree


def _blank(masked: bytearray, start: int, end: int) -> None:
    """Turn a byte range into spaces (line breaks kept)."""
    for at in range(start, end):
        if masked[at] not in b"\r\n":
            masked[at] = ord(" ")


def _has_real_error(root: Node) -> bool:
    """Is any error or missing node left that is not one of the tolerated forms?"""
    stack = [root]
    tree = Ancestry(root)
    parent_of = tree.parent
    while stack:
        node = stack.pop()
        if node.is_missing:
            if not (_tagged_template_with_types(node, parent_of) or misread_type_name(node, parent_of)):
                return True
        elif node.is_error:
            if not (
                _export_type_star(node, parent_of)
                or _import_defer(node, parent_of)
                or _import_defer_call(node, parent_of)
                or _export_named_type(node, parent_of)
            ):
                return True
        elif node.has_error:
            stack.extend(tree.children(node))
    return False


def _tagged_template_with_types(missing: Node, parent_of: Parent) -> bool:
    """styled.div<Props>`…`: read as `(styled.div<Props>)!` with the `!` missing, called with a template."""
    if missing.type != "!":
        return False
    holder = parent_of(missing)
    if holder is None or holder.type != "non_null_expression":
        return False
    call = parent_of(holder)
    tag = holder.named_children[0] if holder.named_children else None
    while tag is not None and tag.type in ("yield_expression", "await_expression") and tag.named_children:
        tag = tag.named_children[-1]  # `yield* sql<Row>`…``, `await sql<Row>`…``
    return (
        type_of(tag) == "instantiation_expression"
        and call is not None
        and call.type == "call_expression"
        and type_of(call.child_by_field_name("arguments")) == "template_string"
    )


def _export_type_star(error: Node, parent_of: Parent) -> bool:
    """`export type * from "x"` (TypeScript 5.0): the word `type` is an error node of the statement."""
    if not is_word(error, b"type"):
        return False
    following = error.next_sibling
    return (
        type_of(parent_of(error)) == "export_statement"
        and following is not None
        and (following.type == "*" or following.type == "namespace_export")
    )


def _export_named_type(error: Node, parent_of: Parent) -> bool:
    """`export { a, type } from "x"`, `export { type, a }`, `export { type as t }`: a name `type`, which
    the grammar takes for the modifier of a specifier; the word `type` (or the `,` after it, or the `as` or
    new name of `type as t`) is an error node of the clause."""
    parent = parent_of(error)
    if type_of(parent) == "export_clause":
        if is_word(error, b"type"):
            return True
        before = error.prev_sibling
        return before is not None and type_renamed(before) is not None
    return (
        parent is not None
        and type_of(parent) == "export_specifier"
        and (type_named_first(parent) or type_renamed(parent) is not None)
    )


def _import_defer(error: Node, parent_of: Parent) -> bool:
    """`import defer * as ns from "x"` (TypeScript 5.9): the word `defer` is an error node."""
    if not is_word(error, b"defer"):
        return False
    following = error.next_sibling
    return (
        type_of(parent_of(error)) == "import_statement"
        and following is not None
        and following.type == "import_clause"
    )


def _import_defer_call(error: Node, parent_of: Parent) -> bool:
    """`import.defer("x")` (deferred import evaluation, as TypeScript and Babel read it): the grammar reads
    a call of `import` with an error `.defer` between it and the arguments."""
    if not is_word(error, b".defer"):
        return False
    before = error.prev_sibling
    return type_of(parent_of(error)) == "call_expression" and before is not None and before.type == "import"
