"""Where an imported name may be used: its whole-word occurrences, minus what the bytes already rule out.

The usage pass asks the tree about every occurrence this returns, so each one left out here saves a
lookup. What is left out can never be a use, whatever the tree says: a property (`obj.Button`), a call
of the name or of its members (`format(`, `react_1.default.createElement(`, compiled `(0, lib.f)(`),
a closing tag (`</Button>`), and the binding of a `require` (`const x = require(`).

One `bytes.find` per name: cheaper than compiling a regular expression of the names for every file
(the `re` compiler is written in Python; a scan of 5,000 files spent most of its usage pass there).
But each find reads the file: past `_MANY` names (an icon set's barrel imported whole), the file's
words are read once instead and looked up among the names (40,000 names: 35 s -> linear).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

_ASCII_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# Bytes that continue a name: ASCII letters, digits, `_`, `$`, and every byte of a non-ASCII character.
_WORD = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$" + bytes(range(128, 256))
)
_DOT, _OPEN, _CLOSE, _SLASH = ord("."), ord("("), ord(")"), ord("/")
_BINDS = frozenset(b" =")
_SPACES = frozenset(b" \t\n\r\f\v")
_TAG_OR_COMMENT = frozenset(b"</")
_CALLED_MEMBER = re.compile(rb"(?:\.[A-Za-z_$][\w$]*)+\(")
_UNBOUND_CALL = re.compile(rb"(?:\.[A-Za-z_$][\w$]*)*\)\(")  # after `(0, `
_REQUIRED = re.compile(rb"\s*=\s*(?:[\w$.]+\(\s*)?require\(")
_BLANKS = re.compile(rb"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_MEMBER_DOT = re.compile(rb"\??\.(?![.\d])")  # `.` or `?.`, not `...` nor `?.5` (a choice)
_ASCII_NAME = re.compile(rb"[A-Za-z_$][\w$]*")
# After a member chain: a dot it could not read, or a byte that is not ASCII (a space the grammar knows
# and `_BLANKS` does not, or a name that goes on): the chain may be longer than read.
_UNSURE = frozenset({b"."} | {bytes([byte]) for byte in range(128, 256)})
_LAST_ASCII = 127
_PREAMBLE = frozenset({"comment", "hash_bang_line", "empty_statement"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})


_MANY = 256  # names past which reading every word of the file once beats one find per name
_RUN = re.compile(rb"[\w$\x80-\xff]+")  # a run of bytes of _WORD: a whole word, or none of a name


def occurrences(source: bytes, names: Iterable[str], begin: int = 0) -> list[tuple[int, int]]:
    """Byte spans, in order, of the whole-word occurrences of `names` from `begin` that may be uses."""
    words = {name.encode("utf-8") for name in names}
    if len(words) <= _MANY:
        spans = [span for word in words for span in _each(source, word, begin)]
        spans.sort()
        return spans
    size, found = len(source), []
    for run in _RUN.finditer(source, begin):
        at, end = run.span()
        if run.group() not in words or (at and source[at - 1] in _WORD):  # a word begun before `begin`
            continue
        after = source[end] if end < size else 0
        if not _ruled_out(source, at, end, source[at - 1] if at else 0, after):
            found.append((at, end))
    return found


def _each(source: bytes, word: bytes, begin: int) -> Iterator[tuple[int, int]]:
    """The whole-word occurrences of one name that may be uses, by one find after another."""
    size = len(source)
    at = source.find(word, begin)
    while at != -1:
        end = at + len(word)
        after = source[end] if end < size else 0
        before = source[at - 1] if at else 0
        if after not in _WORD and before not in _WORD and not _ruled_out(source, at, end, before, after):
            yield at, end
        at = source.find(word, end)


def keywords(source: bytes, words: Iterable[bytes]) -> list[tuple[int, int]]:
    """Byte spans, in order, of `words` where a regular expression's `\\b` would find them (no ASCII
    letter, digit or `_` on either side): what `\\b(?:import|export|require)\\b` finds, three
    times as fast."""
    spans = []
    size = len(source)
    for word in words:
        at = source.find(word)
        while at != -1:
            end = at + len(word)
            alone_before = not at or source[at - 1] not in _ASCII_WORD
            if alone_before and (end == size or source[end] not in _ASCII_WORD):
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


def member_names(source: bytes, end: int) -> list[str] | None:
    """The names of the member chain read after a name that ends at `end` (`X.a?.B` -> ['a', 'B']),
    blanks and comments allowed between its tokens, as the grammar allows them; None when a `.` or
    `?.` is followed by anything but a plain name (`.#x`, `?.[`, a comment left open)."""
    names: list[str] = []
    while True:
        at = _blanks_end(source, end)
        dot = _MEMBER_DOT.match(source, at)
        if dot is None:
            return None if source[at : at + 1] in _UNSURE else names
        name = _ASCII_NAME.match(source, _blanks_end(source, dot.end()))
        if name is None:
            return None
        names.append(name.group().decode("ascii"))
        end = name.end()


def opens_tag(source: bytes, start: int) -> bool:
    """Whether a name starting at `start` may be the name of a JSX element: `<` before it, blanks
    between, or a comment (any `/` just before counts: wide on purpose), or a byte that is not ASCII
    (a space the grammar knows and this does not)."""
    at = start
    while at and source[at - 1] in _SPACES:
        at -= 1
    return at > 0 and (source[at - 1] in _TAG_OR_COMMENT or source[at - 1] > _LAST_ASCII)


def _blanks_end(source: bytes, at: int) -> int:
    found = _BLANKS.match(source, at)
    return at if found is None else found.end()


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
