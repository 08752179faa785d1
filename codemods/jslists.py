"""Edits inside a braced list (`{a, b as c}`, `{a, b: c}`): rename, remove and append items.

Only the bytes of the items concerned change, so comments, spacing, a trailing comma and a multi-line
layout are kept; appended items follow the layout of the items already there.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jssites import Spec
from codemods.names import JS_NAME


@dataclass(frozen=True, slots=True)
class Layout:
    """How a braced list is written."""

    multiline: bool
    indent: bytes  # whitespace before an item on its own line
    padded: bool  # `{ a }` rather than `{a}` (single-line lists)
    trailing_comma: bool
    newline: bytes


def layout_of(source: bytes, items: Node, specs: list[Spec], newline: bytes) -> Layout:
    """The layout of an existing list."""
    inner = source[items.start_byte + 1 : items.end_byte - 1]
    multiline = b"\n" in inner
    indent = b"  "
    if specs and multiline:
        first = specs[0].node.start_byte
        line_start = source.rfind(b"\n", 0, first) + 1
        indent = source[line_start:first] if not source[line_start:first].strip() else b"  "
    padded = inner[:1] in (b" ", b"\n", b"\r") if inner else True
    last = _comma_after(_last(specs[-1])) if specs else None
    return Layout(multiline, indent, padded, last is not None, newline)


def item_text(export: str, local: str, type_only: bool = False) -> str:
    """`type a as b` in an import or export list (a name that is no identifier written as a string:
    `export { a as "a-b" } from`)."""
    prefix = "type " if type_only else ""
    if local == export:
        return f"{prefix}{_written(export)}"
    return f"{prefix}{_written(export)} as {_written(local)}"


def pattern_text(export: str, local: str) -> str:
    """`a` or `a: b` in an object pattern (`"a-b": b`)."""
    return export if local == export else f"{_written(export)}: {local}"


def _written(name: str) -> str:
    return name if JS_NAME.match(name) else json.dumps(name)


def join_items(items: list[str], layout: Layout, closing: bool) -> bytes:
    """Items written out in a layout; `closing` adds the trailing comma a multi-line list ends with."""
    if not layout.multiline:
        return ", ".join(items).encode() + (b"," if closing and layout.trailing_comma else b"")
    separator = b"," + layout.newline + layout.indent
    joined = separator.join(item.encode() for item in items)
    return joined + (b"," if closing and layout.trailing_comma else b"")


def rename_spec(spec: Spec, export: str, local: str, pattern: bool) -> Edit | None:
    """The edit that makes an existing item bind `export` as `local`, or None when it already does."""
    if spec.export == export and spec.local == local:
        return None
    end = (spec.alias or spec.name).end_byte
    if not pattern:
        return Edit(spec.name.start_byte, end, item_text(export, local).encode())
    if spec.node.type == "object_assignment_pattern":  # `a = 1` -> `b: a = 1`, or `b = 1` when renamed
        return Edit(spec.name.start_byte, spec.name.end_byte, pattern_text(export, local).encode())
    if spec.alias is None or spec.local == "":  # shorthand, or a key with a nested pattern
        new = pattern_text(export, local) if spec.alias is None else export
        return Edit(spec.name.start_byte, spec.name.end_byte, new.encode())
    return Edit(spec.name.start_byte, end, pattern_text(export, local).encode())


def sort_order(specs: list[Spec]) -> Callable[[str], str] | None:
    """How a list's items are sorted by local name (ignoring case, else exactly), or None when not
    (a list of one item says nothing)."""
    names = [spec.local for spec in specs]
    for key in (str.lower, str):
        if len(names) > 1 and all(key(a) <= key(b) for a, b in itertools.pairwise(names)):
            return key
    return None


def list_edits(
    source: bytes,
    items: Node,
    specs: list[Spec],
    removed: set[int],
    added: list[str],
    layout: Layout,
    order: Callable[[str], str] | None = None,
    leading: int = 0,
) -> list[Edit]:
    """Remove the items at the `removed` indexes and add `added`: in order when `order` says how the
    list is sorted, else the first `leading` ones (a default import become named) at the start and
    the others at the end."""
    kept = [i for i in range(len(specs)) if i not in removed]
    spans = [_line_span(source, spec.node, _last(spec)) for spec in specs] if layout.multiline else []
    lines = bool(specs and spans and all(span is not None for span in spans))
    inserts: list[Edit] = []
    before: dict[int, list[str]] = {}
    if order is not None and kept and added:
        before, added = _place(specs, kept, added, order)
    elif leading and kept:
        before, added = {kept[0]: added[:leading]}, added[leading:]
    for index, texts in before.items():
        span = spans[index] if lines else None
        if span is not None:
            joined = b"".join(layout.indent + t.encode() + b"," + layout.newline for t in texts)
            inserts.append(Edit(span[0], span[0], joined))
        else:
            at = specs[index].node.start_byte
            separator = b"," + layout.newline + layout.indent if layout.multiline else b", "
            inserts.append(Edit(at, at, b"".join(t.encode() + separator for t in texts)))
    return inserts + _edits(source, items, specs, kept, removed, added, layout, spans if lines else [])


def _place(
    specs: list[Spec], kept: list[int], added: list[str], order: Callable[[str], str]
) -> tuple[dict[int, list[str]], list[str]]:
    """Which added items go before which kept item, and which go at the end."""
    before: dict[int, list[str]] = {}
    last: list[str] = []
    keys = [order(specs[i].local) for i in kept]
    at = 0  # the first kept item after the added one: it only moves on, as the added come in order
    for item in sorted(added, key=lambda t: order(t.split()[-1])):
        key = order(item.split()[-1])
        while at < len(keys) and keys[at] <= key:
            at += 1
        (last if at == len(keys) else before.setdefault(kept[at], [])).append(item)
    return before, last


def _edits(
    source: bytes,
    items: Node,
    specs: list[Spec],
    kept: list[int],
    removed: set[int],
    added: list[str],
    layout: Layout,
    spans: list[tuple[int, int] | None],
) -> list[Edit]:
    if spans:
        return _line_edits(specs, [s for s in spans if s is not None], kept, added, layout)
    if not kept:
        return [_replace_all(items, specs, added, layout)] if specs else [_fill_empty(items, added, layout)]
    edits = [_remove_run(source, specs, run) for run in _runs(sorted(removed))]
    if added:
        anchor = _last(specs[kept[-1]]).end_byte
        lead = b"," + layout.newline + layout.indent if layout.multiline else b", "
        edits.append(Edit(anchor, anchor, lead + join_items(added, layout, closing=False)))
    return edits


# What may follow an item on its own line: a comma and a comment.
_LINE_REST = re.compile(rb"[ \t]*,?[ \t]*(?://[^\n]*|/\*[^\n]*?\*/)?[ \t]*\r?")


def _line_span(source: bytes, node: Node, last: Node) -> tuple[int, int] | None:
    """The whole line(s) of an item (from `node` to `last`) that has its line(s) to itself, with the line
    break."""
    start = source.rfind(b"\n", 0, node.start_byte) + 1
    end = source.find(b"\n", last.end_byte)
    if end < 0 or source[start : node.start_byte].strip():
        return None
    return (start, end + 1) if _LINE_REST.fullmatch(source, last.end_byte, end) else None


def _line_edits(
    specs: list[Spec], spans: list[tuple[int, int]], kept: list[int], added: list[str], layout: Layout
) -> list[Edit]:
    """Remove and add whole lines, one item per line; comments on an item's line go with it."""
    staying = set(kept)
    edits = [Edit(*spans[i], b"") for i in range(len(specs)) if i not in staying]
    last = _last(specs[kept[-1]]) if kept else None
    comma = _comma_after(last) if last is not None else None
    wants_comma = bool(added) or (layout.trailing_comma and last is not None)
    if last is not None and comma is None and wants_comma:
        edits.append(Edit(last.end_byte, last.end_byte, b","))
    elif comma is not None and not wants_comma:
        edits.append(Edit(comma.start_byte, comma.end_byte, b""))
    if added:
        at = spans[kept[-1]][1] if kept else spans[0][0]
        lines = [layout.indent + item.encode() + b"," + layout.newline for item in added]
        if not layout.trailing_comma:
            lines[-1] = lines[-1][: -len(b"," + layout.newline)] + layout.newline
        edits.append(Edit(at, at, b"".join(lines)))
    return edits


def item_comments(spec: Spec) -> list[Node]:
    """The comments of one list item: right before it (after the comma before it), between it and its
    comma, and after its comma on its last line when the next item starts on a later line."""
    found: list[Node] = []
    before = spec.node.prev_sibling
    while before is not None and before.type == "comment":
        found.insert(0, before)
        before = before.prev_sibling
    if before is not None and spec.node.start_point[0] > before.end_point[0]:  # the line before ends with
        found = [c for c in found if c.start_point[0] > before.end_point[0]]  # the previous item's comment
    after, row = _last(spec).next_sibling, _last(spec).end_point[0]
    while after is not None and after.type == "comment":
        found.append(after)
        after = after.next_sibling
    if after is not None and after.type == ",":
        after = after.next_sibling
        while after is not None and after.type == "comment" and after.start_point[0] == row:
            following = after.next_sibling
            if following is not None and following.start_point[0] == row and following.type != "comment":
                break  # `a, /* b's */ b`: the next item's
            found.append(after)
            after = following
    return found


def _last(spec: Spec) -> Node:
    """The node an item ends with."""
    return spec.tail if spec.tail is not None else spec.node


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _remove_run(source: bytes, specs: list[Spec], run: tuple[int, int]) -> Edit:
    """Remove a run of items; a comment after the comma that ends it belongs to the next item and stays."""
    first, last = run
    if last + 1 < len(specs):  # `a, b, c` without b: from b up to c, or up to a comment before c
        comma = _comma_after(_last(specs[last]))
        end = specs[last + 1].node.start_byte
        if comma is not None:
            after = source[comma.end_byte : end]
            end = comma.end_byte + len(after) - len(after.lstrip())
        return Edit(specs[first].node.start_byte, end, b"")
    comma = _comma_after(_last(specs[first - 1]))  # the run ends the list: from the comma before it
    start = comma.start_byte if comma is not None else _last(specs[first - 1]).end_byte
    return Edit(start, _last(specs[last]).end_byte, b"")


def _replace_all(items: Node, specs: list[Spec], added: list[str], layout: Layout) -> Edit:
    end = _last(specs[-1]).end_byte
    comma = _comma_after(_last(specs[-1]))
    if comma is not None:
        end = comma.end_byte
    return Edit(specs[0].node.start_byte, end, join_items(added, layout, closing=True))


def _fill_empty(items: Node, added: list[str], layout: Layout) -> Edit:
    pad = b" " if layout.padded else b""
    return Edit(items.start_byte, items.end_byte, b"{" + pad + ", ".join(added).encode() + pad + b"}")


def _comma_after(node: Node) -> Node | None:
    while node.next_sibling is None and node.parent is not None and node.parent.end_byte == node.end_byte:
        node = node.parent  # the last name of a misread item (`{ type, a }`: a ends the specifier)
    sibling = node.next_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_sibling
    return sibling if sibling is not None and sibling.type == "," else None
