"""Removing items from a braced list that is not written one item a line (`{ a, b }`, `{ a, // x\n b }`).

Each item goes with its own comments (codemods.jscarry) and the comma between it and the next; a
comment near it that is no item's stays, and a line comment that stays keeps the line break after it.
"""

from __future__ import annotations

from codemods.edits import Edit
from codemods.jscarry import Carried, comma_after, last_node
from codemods.jssites import Spec


def remove_items(source: bytes, specs: list[Spec], carried: list[Carried], removed: list[int]) -> list[Edit]:
    """The edits removing the items at the (sorted) `removed` indexes; at least one item stays."""
    return [edit for run in _runs(removed) for edit in _remove_run(source, specs, carried, run)]


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _remove_run(source: bytes, specs: list[Spec], carried: list[Carried], run: tuple[int, int]) -> list[Edit]:
    """Remove a run of items with their own comments; a comment that is no item's stays."""
    first, last = run
    if last + 1 < len(specs):  # `a, b, c` without b: from b up to c, or up to a comment before c
        return [edit for i in range(first, last + 1) for edit in _remove_one(specs, carried, i)]
    previous = carried[first - 1]  # the run ends the list: from the comma before it
    comma = comma_after(last_node(specs[first - 1]))
    start = comma.start_byte if comma is not None and comma.end_byte >= previous.end else previous.end
    kept = [*previous.own, *previous.strays, *carried[first].strays]
    start = max([start, *(c.end_byte for c in kept if start <= c.start_byte < carried[first].start)])
    end = carried[last].end
    if any(c.end_byte == start and (c.text or b"").startswith(b"//") for c in kept):
        start = source.find(b"\n", start) + 1  # a line comment that stays needs the line break after it
        line_end = source.find(b"\n", end)
        end = line_end + 1 if line_end > 0 and not source[end:line_end].strip() else end
    return [Edit(start, end, b"")]


def _remove_one(specs: list[Spec], carried: list[Carried], index: int) -> list[Edit]:
    """Remove an item followed by another: up to that one's first comment, or to a comment between them
    that is no item's (and then the comma after the item, when that comment stands before it)."""
    own, following = carried[index], carried[index + 1]
    strays = [c.start_byte for c in (*own.strays, *following.strays) if c.start_byte >= own.end]
    end = min([following.start, *strays])
    comma = comma_after(last_node(specs[index]))
    if comma is not None and comma.start_byte >= end:
        return [Edit(own.start, end, b""), Edit(comma.start_byte, comma.end_byte, b"")]
    return [Edit(own.start, end, b"")]
