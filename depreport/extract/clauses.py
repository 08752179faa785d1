"""Statements read from their keyword to a later word (`import … from "x"`), in time linear in the text.

A regular expression such as `import[^;'"]*?from` tried at each of many keywords scans again, from each
one, up to the first byte that ends the search: 35 KB of `import ` took 7 s (2 MB, hours). Here the
next stop byte and the next end word found are kept and asked again only once a keyword lies past them,
so each part of the text is searched once, and every answer is the one the regular expression gives.
"""

from __future__ import annotations

import re

# `import`/`export` to the `from` (or `= require`) of its statement: the names it binds.
_KEYWORD = re.compile(rb"\b(?:import|export)\b")
_BINDING_END = re.compile(rb"\bfrom\b|=\s*require\b")
_BINDING_STOPS = re.compile(rb"[;'\"`()]")
# `import`/`export` to the module string after its `from`: a whole statement.
_STATEMENT_END = re.compile(rb"""\bfrom\s*(['"])[^'"\n]*\1\s*;?""")
_STATEMENT_STOPS = re.compile(rb"[;'\"`(]")
_SIDE_EFFECT = re.compile(rb"""import\s*(['"])[^'"\n]*\1\s*;?""")  # `import "x";`
_STATEMENT_KEYWORD = re.compile(rb"(?:import|export)\b")
# `export … from "x"` and the import attributes after it: `with { type: "json" }` (or `assert {…}`).
_EXPORT = re.compile(rb"\bexport\b")
_FROM_STRING = re.compile(rb"""\bfrom\s*(['"])[^'"\n]*\1""")
_FROM_STOPS = re.compile(rb"[;'\"`]")
_ATTRIBUTES_WORD = re.compile(rb"with|assert")
_ATTRIBUTES = re.compile(rb"\{[^{}]*\}")
_BLANKS = re.compile(rb"\s*")
_COMMENT_END = re.compile(rb"\*/")


class Clauses:
    """The end words of the statements of one text: the first match of `end` at or after a position,
    when no match of `stops` (a stop byte) comes before it. Asked at increasing positions, each part of
    the text is searched once (asked at an earlier one, it searches again)."""

    def __init__(self, source: bytes | bytearray, end: re.Pattern[bytes], stops: re.Pattern[bytes]) -> None:
        self._source = source
        self._end = end
        self._stops = stops
        self._found: dict[re.Pattern[bytes], tuple[int, re.Match[bytes] | None]] = {}

    def after(self, position: int) -> re.Match[bytes] | None:
        """The first end word at or after `position` that no stop byte comes before, or None."""
        found = self.first(self._end, position)
        if found is None:
            return None
        stop = self.first(self._stops, position)
        return found if stop is None or found.start() < stop.start() else None

    def first(self, pattern: re.Pattern[bytes], position: int) -> re.Match[bytes] | None:
        """The first match of `pattern` at or after `position`, from the last one found when it still is."""
        asked, found = self._found.get(pattern, (len(self._source) + 1, None))  # never asked: search
        if not (asked <= position and (found is None or found.start() >= position)):
            found = pattern.search(self._source, position)
            self._found[pattern] = (position, found)
        return found


def binding_clauses(source: bytes | bytearray) -> list[tuple[int, int]]:
    """The spans from each `import`/`export` to the `from` (or `= require`) of its statement, as
    `re.finditer` of `\\b(?:import|export)\\b[^;'"`()]*?(?:\\bfrom\\b|=\\s*require\\b)` finds them."""
    clauses = Clauses(source, _BINDING_END, _BINDING_STOPS)
    spans: list[tuple[int, int]] = []
    for keyword in _KEYWORD.finditer(source):
        if spans and keyword.start() < spans[-1][1]:
            continue
        found = clauses.after(keyword.end())
        if found is not None:
            spans.append((keyword.start(), found.end()))
    return spans


def statements(source: bytes | bytearray) -> Clauses:
    """The ends of the import and re-export statements of a text, for `statement_at`."""
    return Clauses(source, _STATEMENT_END, _STATEMENT_STOPS)


def statement_at(start: int, source: bytes | bytearray, ends: Clauses) -> bytes | None:
    """The import or re-export statement with a module string that starts at the keyword at `start`
    (`import … from "x";`, `export … from "x"`, `import "x";`), or None."""
    keyword = _STATEMENT_KEYWORD.match(source, start)
    if keyword is not None:
        found = ends.after(keyword.end())
        if found is not None:
            return bytes(source[start : found.end()])
    side_effect = _SIDE_EFFECT.match(source, start)
    return None if side_effect is None else bytes(side_effect.group(0))


def reexport_attributes(source: bytes | bytearray) -> list[tuple[int, int]]:
    """The spans of the import attributes after a re-export's module string (`with {…}`, `assert {…}`),
    blanks and closed block comments allowed before each part: what a regular expression from `export`
    to the braces found (tests/depreport/test_hostile_slow_files.py), once per statement."""
    ends = Clauses(source, _FROM_STRING, _FROM_STOPS)
    spans: list[tuple[int, int]] = []
    taken = 0  # where the last span ended: finditer goes on from there
    for keyword in _EXPORT.finditer(source):
        if keyword.start() < taken:
            continue
        found = ends.after(keyword.end())
        if found is None:
            continue
        start = _gap_end(source, found.end(), ends)
        word = _ATTRIBUTES_WORD.match(source, start)
        braces = None if word is None else _ATTRIBUTES.match(source, _gap_end(source, word.end(), ends))
        if braces is not None:
            spans.append((start, braces.end()))
            taken = braces.end()
    return spans


def _gap_end(source: bytes | bytearray, at: int, clauses: Clauses) -> int:
    """Past the blanks and closed block comments from `at` (an unclosed `/*` ends the gap)."""
    while True:
        at = _BLANKS.match(source, at).end()  # type: ignore[union-attr]  # `\s*` always matches
        if source[at : at + 2] != b"/*":
            return at
        close = clauses.first(_COMMENT_END, at + 2)
        if close is None:
            return at
        at = close.end()
