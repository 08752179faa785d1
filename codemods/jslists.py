"""Edits inside a braced list (`{a, b as c}`, `{a, b: c}`): rename, remove and append items.

Only the bytes of the items concerned change, so comments, spacing, a trailing comma and a multi-line
layout are kept; appended items follow the layout of the items already there. A removed item goes with
its own comments (codemods.jscarry), and an item written here from another list brings its own.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jscarry import Carried, Item, carried_comments, comma_after, inline_text, last_node, line_text
from codemods.jsremove import remove_items
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
    last = comma_after(last_node(specs[-1])) if specs else None
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


def join_items(items: list[Item], layout: Layout, closing: bool) -> bytes:
    """Items written out in a layout, each comment before its comma (`a /* x */, b`); `closing` adds
    the trailing comma a multi-line list ends with."""
    separator = b"," + layout.newline + layout.indent if layout.multiline else b", "
    joined = separator.join(map(inline_text, items))
    return joined + (b"," if closing and layout.trailing_comma else b"")


def join_lines(items: list[Item], layout: Layout, closing: bool) -> bytes:
    """Items one a line, each with its comment lines above it and its comments after it (from the first
    item's indentation to the end of the last one's line)."""
    lines = [
        line_text(
            item, layout.indent, i + 1 < len(items) or (closing and layout.trailing_comma), layout.newline
        )
        for i, item in enumerate(items)
    ]
    return (layout.newline + layout.indent).join(lines)


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
    added: list[Item],
    layout: Layout,
    order: Callable[[str], str] | None = None,
    leading: int = 0,
    carried: list[Carried] | None = None,
) -> list[Edit]:
    """Remove the items at the `removed` indexes, with their own comments, and add `added`: in order
    when `order` says how the list is sorted, else the first `leading` ones (a default import become
    named) at the start and the others at the end. `carried`: the items' comments, when known."""
    if not specs:
        return [_fill_empty(items, added, layout)]
    kept = [i for i in range(len(specs)) if i not in removed]
    carried = carried_comments(items, specs) if carried is None else carried
    spans = (
        [_line_span(source, spec, own) for spec, own in zip(specs, carried, strict=True)]
        if layout.multiline
        else []
    )
    lines = bool(specs and spans and all(span is not None for span in spans))
    inserts: list[Edit] = []
    before: dict[int, list[Item]] = {}
    if order is not None and kept and added:
        before, added = _place(specs, kept, added, order)
    elif leading and kept:
        before, added = {kept[0]: added[:leading]}, added[leading:]
    for index, written in before.items():
        span = spans[index] if lines else None
        if span is not None:
            joined = b"".join(
                layout.indent + line_text(item, layout.indent, True, layout.newline) + layout.newline
                for item in written
            )
            inserts.append(Edit(span[0], span[0], joined))
        else:
            at = carried[index].start
            separator = b"," + layout.newline + layout.indent if layout.multiline else b", "
            inserts.append(Edit(at, at, b"".join(inline_text(item) + separator for item in written)))
    spans = spans if lines else []
    return inserts + _edits(source, specs, carried, kept, removed, added, layout, spans)


def _place(
    specs: list[Spec], kept: list[int], added: list[Item], order: Callable[[str], str]
) -> tuple[dict[int, list[Item]], list[Item]]:
    """Which added items go before which kept item, and which go at the end."""
    before: dict[int, list[Item]] = {}
    last: list[Item] = []
    keys = [order(specs[i].local) for i in kept]
    at = 0  # the first kept item after the added one: it only moves on, as the added come in order
    for item in sorted(added, key=lambda t: order(t.name)):
        key = order(item.name)
        while at < len(keys) and keys[at] <= key:
            at += 1
        (last if at == len(keys) else before.setdefault(kept[at], [])).append(item)
    return before, last


def _edits(
    source: bytes,
    specs: list[Spec],
    carried: list[Carried],
    kept: list[int],
    removed: set[int],
    added: list[Item],
    layout: Layout,
    spans: list[tuple[int, int] | None],
) -> list[Edit]:
    if spans:
        return _line_edits(specs, [s for s in spans if s is not None], kept, added, layout)
    if not kept:
        return [_replace_all(specs, carried, added, layout)]
    edits = remove_items(source, specs, carried, sorted(removed))
    if added:
        edits.extend(_append(source, carried[kept[-1]], specs[kept[-1]], added, layout))
    return edits


def _append(source: bytes, carried: Carried, last: Spec, added: list[Item], layout: Layout) -> list[Edit]:
    """Add items after the last kept one, after the block comments that follow it; a line comment after
    it ends its line: the comma goes before that comment, the items on the next line."""
    blocks = [c for c in carried.inline if not (c.text or b"").startswith(b"//")]
    anchor = blocks[-1].end_byte if blocks else last_node(last).end_byte
    lead = b"," + layout.newline + layout.indent if layout.multiline else b", "
    if len(blocks) == len(carried.inline):
        return [Edit(anchor, anchor, lead + join_items(added, layout, closing=False))]
    line_end = source.find(b"\n", carried.inline[-1].end_byte) + 1
    text = layout.indent + join_items(added, layout, closing=False) + layout.newline
    return [Edit(anchor, anchor, b","), Edit(line_end, line_end, text)]


# What may follow an item on its own line: its comments and its comma.
_LINE_REST = re.compile(rb"[ \t]*(?:/\*[^\n]*?\*/[ \t]*)*,?[ \t]*(?:/\*[^\n]*?\*/[ \t]*)*(?://[^\n]*)?\r?")


def _line_span(source: bytes, spec: Spec, carried: Carried) -> tuple[int, int] | None:
    """The whole lines of an item and its own comment lines above it, with the line break, when it
    has its lines to itself."""
    start = source.rfind(b"\n", 0, carried.start) + 1
    last = last_node(spec)
    end = source.find(b"\n", last.end_byte)
    if end < 0 or source[start : carried.start].strip():
        return None
    return (start, end + 1) if _LINE_REST.fullmatch(source, last.end_byte, end) else None


def _line_edits(
    specs: list[Spec], spans: list[tuple[int, int]], kept: list[int], added: list[Item], layout: Layout
) -> list[Edit]:
    """Remove and add whole lines, one item per line; comments on an item's line and its comment lines
    above it go with it."""
    staying = set(kept)
    edits = [Edit(*spans[i], b"") for i in range(len(specs)) if i not in staying]
    last = last_node(specs[kept[-1]]) if kept else None
    comma = comma_after(last) if last is not None else None
    wants_comma = bool(added) or (layout.trailing_comma and last is not None)
    if last is not None and comma is None and wants_comma:
        edits.append(Edit(last.end_byte, last.end_byte, b","))
    elif comma is not None and not wants_comma:
        edits.append(Edit(comma.start_byte, comma.end_byte, b""))
    if added:
        at = spans[kept[-1]][1] if kept else spans[0][0]
        lines = [
            layout.indent
            + line_text(item, layout.indent, i + 1 < len(added) or layout.trailing_comma, layout.newline)
            + layout.newline
            for i, item in enumerate(added)
        ]
        edits.append(Edit(at, at, b"".join(lines)))
    return edits


def _replace_all(specs: list[Spec], carried: list[Carried], added: list[Item], layout: Layout) -> Edit:
    end = carried[-1].end
    comma = comma_after(last_node(specs[-1]))
    if comma is not None:
        end = max(end, comma.end_byte)
    return Edit(carried[0].start, end, join_items(added, layout, closing=True))


def _fill_empty(items: Node, added: list[Item], layout: Layout) -> Edit:
    pad = b" " if layout.padded else b""
    return Edit(
        items.start_byte, items.end_byte, b"{" + pad + b", ".join(map(inline_text, added)) + pad + b"}"
    )
