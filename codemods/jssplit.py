"""A destructuring `const { a, b } = require('m')` (or `= await import('m')`) whose names go to different
modules becomes one declaration per module: the statement keeps the names of one module (the old one
when some stay), and a declaration written like it follows for each other module (`Plan.splits`).
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jscarry import Carried, carried_comments, inline_text, item_of
from codemods.jslists import Layout, join_lines, layout_of, list_edits, rename_spec
from codemods.jsplan import Binding
from codemods.jssites import Site


def split_edits(
    site: Site, statement: Node, moved: list[tuple[str, list[Binding]]], source: bytes, newline: bytes
) -> tuple[list[Edit], list[bytes]]:
    """Edits removing the moved items from the statement, and the declarations to write after it."""
    assert site.items is not None
    layout = layout_of(source, site.items, site.specs, newline)
    indexes = {id(spec): index for index, spec in enumerate(site.specs)}
    removed = {indexes[id(b.spec)] for _, bindings in moved for b in bindings if b.spec is not None}
    carried = carried_comments(site.items, site.specs)
    edits = list_edits(source, site.items, site.specs, removed, [], layout, carried=carried)
    comments = {id(spec): own for spec, own in zip(site.specs, carried, strict=True)}
    return edits, [_declaration(site, statement, m, bs, source, layout, comments) for m, bs in moved]


def _declaration(
    site: Site,
    statement: Node,
    module: str,
    bindings: list[Binding],
    source: bytes,
    layout: Layout,
    comments: dict[int, Carried],
) -> bytes:
    """`const { items } = require('<module>');`, written like the statement it is split from; each item
    with its own comments, one a line when the pattern was written on several lines and some has one."""
    assert site.items is not None and site.items.parent is not None
    value = site.items.parent.child_by_field_name("value")
    assert value is not None
    keyword = source[statement.start_byte : statement.children[0].end_byte]
    start, end = site.string.start_byte + 1 - value.start_byte, site.string.end_byte - 1 - value.start_byte
    call = source[value.start_byte : value.end_byte]
    call = call[:start] + module.encode() + call[end:]
    items = [item_of(_item(b, source).decode(), comments.get(id(b.spec))) for b in bindings]
    semicolon = b";" if source[statement.start_byte : statement.end_byte].rstrip().endswith(b";") else b""
    if layout.multiline and any(item.above or item.before or item.inline or item.after for item in items):
        indent = source[source.rfind(b"\n", 0, statement.start_byte) + 1 : statement.start_byte]
        lines = join_lines(items, layout, closing=True)
        braces = b"{" + layout.newline + layout.indent + lines + layout.newline + indent + b"}"
    else:
        pad = b" " if layout.padded else b""
        braces = b"{" + pad + b", ".join(map(inline_text, items)) + pad + b"}"
    return keyword + b" " + braces + b" = " + call + semicolon


def _item(binding: Binding, source: bytes) -> bytes:
    """An item of the pattern as it was written, binding the export under its (new) name."""
    spec = binding.spec
    assert spec is not None
    text = source[spec.node.start_byte : spec.node.end_byte]
    edit = rename_spec(spec, binding.export, binding.local, pattern=True)
    if edit is None:
        return text
    offset = spec.node.start_byte
    return text[: edit.start - offset] + edit.text + text[edit.end - offset :]
