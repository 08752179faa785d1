"""Byte-range edits: collect them, sort them, refuse overlaps, splice them in from the end."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import NamedTuple


class Edit(NamedTuple):
    """Replace source[start:end] with text (an insertion when start == end)."""

    start: int
    end: int
    text: bytes


class OverlapError(Exception):
    """Two edits touch the same bytes: the codemod would corrupt the file."""


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """The source with every edit applied; raises OverlapError when two edits overlap.

    An insertion at the end of a replaced range is not an overlap; two insertions at one offset are.
    """
    ordered = sorted(set(edits), key=lambda e: (e.start, e.end))
    for before, after in itertools.pairwise(ordered):
        touching_inserts = before.start == before.end == after.start == after.end
        if before.end > after.start or touching_inserts:
            raise OverlapError(
                f"edits overlap at bytes {before.start}-{before.end} and {after.start}-{after.end}"
            )
    out = bytearray(source)
    for edit in reversed(ordered):
        out[edit.start : edit.end] = edit.text
    return bytes(out)
