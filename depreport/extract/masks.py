"""What the grammars misread in valid code, found in a tree with errors: the byte ranges to blank and the
places a `;` goes, so that parsing again (`depreport.extract.tolerant`) reads the file as Babel and
TypeScript do. Each mask keeps every other byte in place (lines and columns do not move):
- a bare `&` in JSX text (`Terms & Conditions`) or in a JSX attribute string (`?w=80&fit=crop`), and
  named entities with digits (`m&sup2;`): the `&` is blanked;
- variance annotations (`interface I<in out T>`, comments before them too), `accessor` fields after a
  modifier (`static accessor x`) and static index signatures (`static [key: string]: T`): the words are
  blanked;
- type arguments after an import type (`import("x").Props<T>`) and before an optional call
  (`ctx.get<T>?.(x)`): they are blanked;
- a generic call signature on its own line after a type member without `;` (`<T>(s: T): T`, Effect's
  style, doc comments between too): the grammar reads it as part of the member before, so a `;` is put
  in the indentation before it (`depreport.extract.signatures`; TypeScript files only: in TSX a `<`
  starting a line opens JSX);
- Flow's empty type arguments after a name (`Options<>`), read as a JSX fragment: they are blanked;
- the `export` of `export import Q = require("./q")` (read as a namespace alias) and of `export import
  type Q = require("./q")`: it is blanked;
- import attributes on a re-export (`export * from "./a.json" with { type: "json" }`, comments between
  the parts too): they are blanked;
- a type member or mapped-type key named like a keyword (`in: T` on a line after a member without
  `;`, `[namespace in keyof T]`), a method named `accessor`, a name `using` (a variable, a parameter,
  a method: `using` with no name after it on its line) or a variable declared `let as`: its last letter
  becomes `$` (TypeScript and TSX), but not in a string, a comment or an import's names;
- the `?` of an optional destructured parameter of a function type (`({ overrides }?: Options) => void`),
  which the grammar reads as an object type: it is blanked;
- escape sequences in a template literal type (`\\`${T}`, `a\\n${T}`), which the grammar does not
  take: escape sequences inside an error are blanked; and escapes that only a tagged template may
  hold (String.raw`\\u00`, ES2018): their backslash is blanked.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from depreport.extract.ancestry import Ancestry, Parent
from depreport.extract.clauses import binding_clauses, reexport_attributes
from depreport.extract.sites import is_word, starts_with

# What the grammars accept after `&`: `&name;` (letters only), `&#123;`, `&#x1F600;`.
_ENTITY = re.compile(rb"&(?:[A-Za-z]{1,30}|#[0-9]{1,5}|#[xX][0-9A-Fa-f]{1,6});")
_ATTRIBUTE_STRING = re.compile(rb"""=\s*(?:"[^"]*"|'[^']*')""")
# `in`/`out` after the `<` or `,` of type parameters, comments between too (`<⏎  // c⏎  in out T`)
_VARIANCE = re.compile(
    rb"(?<=[<,])(?:\s|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*((?:(?:in|out)\s+)+)(?=[A-Za-z_$])"
)
_IMPORT_TYPE_ARGUMENTS = re.compile(
    rb"""import\s*\(\s*(['"])[^'"\n]*\1\s*\)(?:\s*\.\s*[A-Za-z_$][\w$]*)+\s*(<)"""
)
# Type members and mapped-type keys named like keywords, which the grammar takes for the keyword:
# `in: T` or `in2: T` after a member without `;` (Vue's jsx.ts), `[namespace in keyof T]` (AFFiNE).
_KEYWORD_MEMBER = re.compile(rb"(?m)^[ \t]*(in(?=[\w$]*\??[ \t]*:)|abstract(?=\??[ \t]*:))")
# `accessor() {}` (a method, mikro-orm's defineEntity.ts): a word the grammar takes for a modifier.
_ACCESSOR_NAME = re.compile(rb"\b(accessor)(?=[ \t]*[(<.\[),;}])")
# `using` not followed by a name on its line is no `using` declaration but a name: `using.length` (mikro-orm's
# Oracle query builder), `using?: string`, `using === null ? undefined : using` (drizzle-kit).
_USING_NAME = re.compile(rb"(?<![\w$])(using)(?![\w$]|[ \t]*[A-Za-z_$\\])")
# `let as = …` (a variable named `as`, Effect's PubSub.ts): the grammar takes the name for the keyword.
_LET_AS = re.compile(rb"\blet[ \t]+(as)(?=[ \t]*[=:;,\r\n])")
_KEYWORD_KEY = re.compile(
    rb"\[[ \t]*(namespace|module|declare|type|async|get|set|readonly|let)(?=[ \t]+in[ \t])"
)
_EMPTY_TYPE_ARGUMENTS = re.compile(rb"(?<=[\w$])<>")
_EXPORT_IMPORT_EQUALS = re.compile(rb"\b(export)\s+import\s+(?:type\s+)?[\w$]+\s*=\s*require\s*\(")
_LONGEST_TYPE_ARGUMENTS = 2000
# Nodes the tree read as text (no code is masked inside them)
TEXT_NODES = frozenset(
    {"string_fragment", "string", "template_string", "comment", "regex_pattern", "jsx_text"}
)


def blanks(root: Node, source: bytearray) -> set[tuple[int, int]]:
    """Byte ranges to blank: see the module's docstring. `source`: the bytes the tree was parsed from."""
    tree = Ancestry(root)
    found = {(start, start + 1) for start in _jsx_ampersands(root, source, tree)}
    found.update(_import_type_arguments(source))
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "type_parameters":
            found.update(m.span(1) for m in _VARIANCE.finditer(source, node.start_byte, node.end_byte))
        elif node.type == "member_expression" and _optional_call_misread(node):
            object_ = node.child_by_field_name("object")
            arguments = object_.child_by_field_name("type_arguments") if object_ is not None else None
            if arguments is not None:
                found.add((arguments.start_byte, arguments.end_byte))
        elif node.is_error:
            word = _misread_modifier(node, tree.parent)
            if word is not None:
                found.add((word.start_byte, word.end_byte))
            found.update((c.start_byte, c.end_byte) for c in node.children if c.type == "escape_sequence")
            found.update((c.start_byte, c.end_byte) for c in _optional_pattern_marks(node))
            if _escape_in_tagged_template(node, source, tree.parent):
                found.add((node.start_byte, node.start_byte + 1))
        if node.has_error:
            stack.extend(tree.children(node))
    return found


def _optional_pattern_marks(error: Node) -> list[Node]:
    """The `?` of `({ a }?: T) => R` in a function type: an error holding the pattern read as an object
    type, then `?` and `:` (which no valid type has: a conditional type has a type between them)."""
    kids = error.children
    return [
        mark
        for before, mark, after in zip(kids, kids[1:], kids[2:], strict=False)
        if before.type == "object_type" and mark.type == "?" and after.type == ":"
    ]


def export_attributes(source: bytearray) -> list[tuple[int, int]]:
    """The import attributes of a re-export (`export { default } from "./a.json" with { type: "json" }`,
    ES2025), which the grammars take only on imports: the re-export reads the same without them."""
    return reexport_attributes(source)


def exported_import_equals(source: bytearray) -> list[tuple[int, int]]:
    """The `export` of `export import Q = require("./q")`, which the grammar reads as a namespace alias
    and loses the require, and of `export import type Q = require("./q")`, which it cannot read: the
    import reads the same without it (the export adds no import)."""
    return [m.span(1) for m in _EXPORT_IMPORT_EQUALS.finditer(source)]


def empty_type_arguments(source: bytearray) -> list[tuple[int, int]]:
    """Flow's empty type arguments right after a name (`Options<>`), which the grammars read as a JSX
    fragment opening, swallowing the rest of the file; a fragment never follows a name."""
    return [m.span() for m in _EMPTY_TYPE_ARGUMENTS.finditer(source)]


def keyword_names(root: Node, source: bytearray) -> list[int]:
    """The last letter of each name the grammar takes for a keyword (a type member `in:`, a mapped-type
    key `[namespace in keyof T]`, a method `accessor()`, a variable `using` or `let as`): a `$` there
    makes it a name the grammar reads as one. Words the tree read as text (a module string, a comment)
    and names an import or re-export binds are left as written: the extractor reads them, and an
    import swallowed by an error elsewhere reads right once that error is masked."""
    patterns = (_KEYWORD_MEMBER, _KEYWORD_KEY, _ACCESSOR_NAME, _USING_NAME, _LET_AS)
    clauses = binding_clauses(source)
    tree = Ancestry(root)
    found = []
    for pattern in patterns:
        for match in pattern.finditer(source):
            start, end = match.span(1)
            word = tree.locate(start, end)
            if word is not None and word.type in TEXT_NODES:
                continue
            if not any(first <= start and end <= last for first, last in clauses):
                found.append(end - 1)
    return found


def starts_line(source: bytes | bytearray, offset: int) -> bool:
    """Is there nothing but blanks between the line's start and ``offset``?"""
    start = source.rfind(b"\n", 0, offset) + 1
    return not source[start:offset].strip()


def _optional_call_misread(node: Node) -> bool:
    """`ctx.get<T>?.(x)`, an optional call with type arguments, read as a member `?.` whose name is
    missing: the type arguments are blanked (they hold no import)."""
    object_, name = node.child_by_field_name("object"), node.child_by_field_name("property")
    return (
        object_ is not None
        and object_.type == "instantiation_expression"
        and name is not None
        and name.is_missing
    )


def _misread_modifier(error: Node, parent_of: Parent) -> Node | None:
    """The word that made a class member an error: `accessor` after a modifier (read as the member's
    name, or as an error of its own before the name: `override accessor customAttr`), or `static`
    before an index signature (`static [key: string]: T`)."""
    parent = parent_of(error)
    if parent is not None and parent.type == "public_field_definition":
        if is_word(error, b"accessor"):
            return error
        name = parent.child_by_field_name("name")
        return name if name is not None and is_word(name, b"accessor") else None
    field = parent_of(parent) if parent is not None and parent.type == "computed_property_name" else None
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


def _escape_in_tagged_template(error: Node, source: bytearray, parent_of: Parent) -> bool:
    """String.raw`Acme\\u00 Corp`: an escape a tagged template may hold (ES2018), not others."""
    if not starts_with(error, source, b"\\"):
        return False
    template = parent_of(error)
    call = parent_of(template) if template is not None else None
    return (
        type_of(template) == "template_string"
        and call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("arguments") == template
    )


def _jsx_ampersands(root: Node, source: bytearray, tree: Ancestry) -> set[int]:
    """Offsets of ampersands that start JSX text or sit in a JSX attribute string, not entities."""
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        end = node.end_byte
        if (
            source[end : end + 1] == b"&"
            and _text_follows(node, tree.parent)
            and not _ENTITY.match(source, end)
        ):
            found.add(end)
        if node.has_error and node.type in ("jsx_opening_element", "jsx_self_closing_element"):
            found.update(_ampersands_in_attribute_strings(source, node.start_byte, end))
        if node.has_error:
            stack.extend(tree.children(node))
    return found


def _text_follows(node: Node, parent_of: Parent) -> bool:
    """Is what comes right after this node JSX text (not code, as after a whole element)?"""
    kind = node.type
    if kind in ("jsx_text", "jsx_opening_element"):
        return True
    in_jsx = kind in ("jsx_element", "jsx_self_closing_element", "jsx_expression")
    return in_jsx and _in_children(node, parent_of)


def _in_children(node: Node, parent_of: Parent) -> bool:
    """Is the node a child of a JSX element, even of one the grammar could not close?"""
    parent = parent_of(node)
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


def type_of(node: Node | None) -> str | None:
    """A node's type, None for no node."""
    return node.type if node is not None else None
