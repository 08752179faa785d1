"""Rows and columns of byte offsets in one text, for the many offsets a broken file may need.

Counting the line breaks before an offset costs the length of the text before it: for each of thousands
of masks or recovered statements in a long file, time growing as the square of the file. The first few
are counted so (most files need no more); then every line break is found once and each is looked up.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from tree_sitter import Point

_LINE_BREAK = re.compile(rb"\n")
_COUNTED = 16


class Lines:
    """The rows and columns (both from 0) of offsets in a text whose line breaks stay where they are."""

    def __init__(self, source: bytes | bytearray) -> None:
        self._source = source
        self._asked = 0
        self._breaks: list[int] | None = None

    def point(self, offset: int) -> Point:
        """The row and column of `offset`, as tree-sitter gives them."""
        self._asked += 1
        if self._asked <= _COUNTED:
            return point(self._source, offset)
        if self._breaks is None:
            self._breaks = [match.start() for match in _LINE_BREAK.finditer(self._source)]
        row = bisect_left(self._breaks, offset)  # the line breaks before the offset
        return Point(row, offset - (self._breaks[row - 1] + 1 if row else 0))


def point(source: bytes | bytearray, offset: int) -> Point:
    """The row and column of one offset, counted."""
    row = source.count(b"\n", 0, offset)
    return Point(row, offset - (source.rfind(b"\n", 0, offset) + 1))
