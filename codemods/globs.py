"""A `from` pattern matched against a specifier in time proportional to the specifier's length times
the pattern's parts, whatever both are.

A regular expression (`x-([^/]+)-([^/]+)-…`) backtracks through every way its wildcards can split a
specifier it does not match: nine wildcards took 48 s on one 80-character import. Here each part is
first marked with the positions from which the rest of the pattern can match (from the last part
back), then the match is read from the front, each wildcard taking the most it can, as the regular
expression's greedy groups do: the same groups, found without trying any way twice.
"""

from __future__ import annotations

from dataclasses import dataclass

ONE = "*"  # part of one segment: one or more characters other than the separator
MANY = "**"  # one or more whole segments: one or more characters other than a newline
TAIL = "<tail>"  # a trailing `/**`: the module itself, or separator + one or more characters

Groups = tuple[str | None, ...]


@dataclass(frozen=True)
class Glob:
    """The tokens of a pattern (literal text, ONE, MANY, TAIL last), and the separator of its language."""

    tokens: tuple[str, ...]
    separator: str

    def fullmatch(self, text: str) -> Groups | None:
        """What each wildcard matched (None for a TAIL that matched nothing), or None: no match."""
        start = self.tokens[0]
        if start not in (ONE, MANY, TAIL) and not text.startswith(start):
            return None  # most specifiers: checked before any list is built
        size = len(text)
        stops = {ONE: _next(text, self.separator), MANY: _next(text, "\n")}
        ends = self._ends(text, stops)
        if not ends[0][0]:
            return None
        groups: list[str | None] = []
        at = 0
        for index, token in enumerate(self.tokens):
            if token == TAIL:
                groups.append(text[at + 1 :] if at < size else None)
            elif token in stops:
                end = _last_true(ends[index + 1], at + 1, stops[token][at])
                groups.append(text[at:end])
                at = end
            else:
                at += len(token)
        return tuple(groups)

    def _ends(self, text: str, stops: dict[str, list[int]]) -> list[list[bool]]:
        """`ends[i][p]`: tokens i… match all of text[p:]."""
        size = len(text)
        after = [position == size for position in range(size + 1)]
        ends = [after]
        for token in reversed(self.tokens):
            if token == TAIL:
                below = stops[MANY]  # what follows the separator: one or more characters, no newline
                here = [
                    p == size or (p < size - 1 and text[p] == self.separator and below[p + 1] == size)
                    for p in range(size + 1)
                ]
            elif token in stops:
                first = _first_true(after)
                here = [p < size and first[p + 1] <= stops[token][p] for p in range(size + 1)]
            else:
                here = [
                    text.startswith(token, p) and after[p + len(token)] for p in range(size + 1 - len(token))
                ]
                here += [False] * (size + 1 - len(here))
            ends.append(here)
            after = here
        ends.reverse()
        return ends


def _next(text: str, character: str) -> list[int]:
    """For each position, the first position at or after it holding `character` (or the text's length)."""
    found = [len(text)] * (len(text) + 1)
    for position in range(len(text) - 1, -1, -1):
        found[position] = position if text[position] == character else found[position + 1]
    return found


def _first_true(flags: list[bool]) -> list[int]:
    """For each position, the first position at or after it whose flag is set (past the end: none)."""
    found = [len(flags)] * (len(flags) + 1)
    for position in range(len(flags) - 1, -1, -1):
        found[position] = position if flags[position] else found[position + 1]
    return found


def _last_true(flags: list[bool], low: int, high: int) -> int:
    """The last position in low..high whose flag is set (there is one: the match was seen to exist)."""
    return next(position for position in range(high, low - 1, -1) if flags[position])
