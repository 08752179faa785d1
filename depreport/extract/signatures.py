"""Where a `;` goes before a generic call signature that the TypeScript grammar misreads (one of the masks
of `depreport.extract.masks`).

A type member without `;` followed by a generic call signature on a line of its own (`(a: A): B⏎  <T>(s:
T): T`, Effect's style of overloads, doc comments between them too) is valid TypeScript, but the grammar
reads the `<` as continuing the member before (type parameters, type arguments of the type before them,
or an error from the `<` on). A `;` in the indentation's last blank ends the member; lines and columns do
not move.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from depreport.extract.ancestry import Ancestry
from depreport.extract.masks import TEXT_NODES, starts_line
from depreport.extract.sites import starts_with

_ANGLES = ("type_parameters", "type_arguments")
_LINE_OPENING_ANGLE = re.compile(rb"(?m)^[ \t]+<")
_TYPE_BODIES = frozenset({"object_type", "interface_body"})
_TYPE_BODY_DEPTH = 12  # how far above the `<` the type body may be (a few levels: each line costs as many)


def separators(root: Node, source: bytearray) -> list[int]:
    """Where a `;` ends the type member before a generic call signature on a line of its own
    (`(a: A): B⏎  <T>(s: T): T`, Effect's style): the grammar reads the `<` as continuing the member
    before (type parameters, type arguments of the type before them, or an error from the `<` on).
    The `;` takes the place of the indentation's last space."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            opens = child.type in _ANGLES or (child.is_error and starts_with(child, source, b"<"))
            angle = child if opens or (node.is_error and child.type == "<") else None
            if angle is None and node.is_error:
                angle = child.child_by_field_name("type_arguments")
            at = angle.start_byte - 1 if angle is not None else 0
            if (
                at > 0
                and source[at] in b" \t"
                and starts_line(source, at)
                and _member_ends_before(source, at)
            ):
                found.append(at)
            if child.has_error:
                stack.append(child)
    return found + _separators_by_line(root, source, set(found))


def _separators_by_line(root: Node, source: bytearray, known: set[int]) -> list[int]:
    """The same `;` places, for the generic call signatures the walk above misses: the grammar's error
    recovery may keep the member before whole, its type taking the `<…>` as type arguments, and put the
    error after them, out of the walk's sight (which it does depends even on the length of the doc
    comments between: effect's overloads). Each line of an object type or interface that starts with
    `<` after a member is one."""
    tree = Ancestry(root)
    found = []
    for match in _LINE_OPENING_ANGLE.finditer(source):
        at = match.end() - 2  # the indentation's last blank
        if at in known or not _member_ends_before(source, at):
            continue
        node = tree.locate(at + 1, at + 2)
        if node is None or node.type in TEXT_NODES:
            continue
        for _ in range(_TYPE_BODY_DEPTH):
            node = tree.parent(node) if node is not None else None
            if node is not None and node.type in _TYPE_BODIES:
                found.append(at)
                break
    return found


def _member_ends_before(source: bytearray, offset: int) -> bool:
    """Does the code before ``offset`` end like a type member (a name, `>`, `)`, `]`, `}`, a quote),
    not like a list or an operator going on (`,`, `(`, `=`, `|`)? Lines holding only a `//` comment,
    and `/* … */` comments (the doc comment of each overload, Effect's style), are passed over."""
    at = offset
    while True:
        while at > 0 and source[at - 1] in b" \t\r\n":
            at -= 1
        if source[at - 2 : at] == b"*/" and (opening := source.rfind(b"/*", 0, at - 2)) >= 0:
            at = opening
            continue
        start = source.rfind(b"\n", 0, at) + 1
        if not source[start:at].lstrip().startswith(b"//"):
            break
        at = start
    last = source[at - 1 : at]
    if source[at - 2 : at] == b"=>":  # an arrow function's body goes on: `(a: A) =>⏎  <B>(b: B) => …`
        return False
    return bool(last) and (last.isalnum() or last in b"_$>)]}'\"`")
