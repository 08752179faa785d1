"""Text encoded a slice at a time, for writing or compressing: a report of 38 MB is never held encoded whole
beside its text, and a report given in pieces (its blocks' texts as they are) is never joined."""

from __future__ import annotations

from collections.abc import Iterator

SLICE = 1 << 22  # characters encoded at a time (a slice of a str never splits a character)
Text = str | tuple[str, ...]  # whole, or in pieces that follow one another


def encoded_slices(text: Text, encoding: str = "utf-8") -> Iterator[bytes]:
    """The text (or each of its pieces) encoded, slice by slice. A lone surrogate, or a character the
    encoding lacks, is written escaped (`\\ud800`): in JSON text it can only stand inside a string,
    where that is its own escape, the same value; and no output is lost to it."""
    for piece in (text,) if isinstance(text, str) else text:
        for start in range(0, len(piece), SLICE):
            yield piece[start : start + SLICE].encode(encoding, "backslashreplace")
