"""Where an imported name may be used: its whole-word occurrences, minus what the bytes already rule out.

The usage pass asks the tree about every occurrence this returns, so each one left out here saves a
lookup. What is left out can never be a use, whatever the tree says: a property (`obj.Button`), a call
of the name or of its members (`format(`, `react_1.default.createElement(`, compiled `(0, lib.f)(`),
a closing tag (`</Button>`), and the binding of a `require` (`const x = require(`).

One `bytes.find` per name: cheaper than compiling a regular expression of the names for every file
(the `re` compiler is written in Python; a scan of 5,000 files spent most of its usage pass there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

# Bytes that continue a name: ASCII letters, digits, `_`, `$`, and every byte of a non-ASCII character.
_WORD = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$" + bytes(range(128, 256))
)
_DOT, _OPEN, _CLOSE, _SLASH = ord("."), ord("("), ord(")"), ord("/")
_BINDS = frozenset(b" =")
_CALLED_MEMBER = re.compile(rb"(?:\.[A-Za-z_$][\w$]*)+\(")
_UNBOUND_CALL = re.compile(rb"(?:\.[A-Za-z_$][\w$]*)*\)\(")  # after `(0, `
_REQUIRED = re.compile(rb"\s*=\s*(?:[\w$.]+\(\s*)?require\(")
_PREAMBLE = frozenset({"comment", "hash_bang_line", "empty_statement"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})


def occurrences(source: bytes, names: Iterable[str], begin: int = 0) -> list[tuple[int, int]]:
    """Byte spans, in order, of the whole-word occurrences of `names` from `begin` that may be uses."""
    spans = []
    size = len(source)
    for name in names:
        word = name.encode("utf-8")
        at = source.find(word, begin)
        while at != -1:
            end = at + len(word)
            after = source[end] if end < size else 0
            before = source[at - 1] if at else 0
            if after not in _WORD and before not in _WORD and not _ruled_out(source, at, end, before, after):
                spans.append((at, end))
            at = source.find(word, end)
    spans.sort()
    return spans


def _ruled_out(source: bytes, start: int, end: int, before: int, after: int) -> bool:
    if before == _DOT:
        return source[start - 3 : start] != b"..."  # `obj.Button`, but not `{...Button}`
    if before == _SLASH and source[start - 2 : start] == b"</":
        return True
    if after == _OPEN:
        return not source[max(0, start - 16) : start].rstrip(b" \t*").endswith(b"function")
    if after == _DOT and _CALLED_MEMBER.match(source, end):
        return True
    if after in (_DOT, _CLOSE) and source[start - 4 : start] == b"(0, ":
        return _UNBOUND_CALL.match(source, end) is not None
    return after in _BINDS and _REQUIRED.match(source, end) is not None


def after_imports(root: Node) -> int:
    """Where the file's leading imports end (`import`s, `require`s, comments): no use is in them."""
    end, index, count = 0, 0, root.child_count
    while index < count:
        child = root.child(index)
        index += 1
        if child is None or child.type in _PREAMBLE or _is_directive(child):
            continue
        if child.type in _DECLARATIONS and child.text is not None and b"require(" in child.text:
            end = child.end_byte
            continue
        if child.type != "import_statement":
            break
        end = child.end_byte
    return end


def _is_directive(statement: Node) -> bool:
    """`"use strict";`, `'use client'`."""
    first = statement.child(0) if statement.type == "expression_statement" else None
    return first is not None and first.type == "string"
