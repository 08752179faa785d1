"""A destructuring `const { a, b } = require('m')` (or `= await import('m')`) whose names go to different
modules becomes one declaration per module: the statement keeps the names of one module (the old one
when some stay), and a declaration written like it follows for each other module (`Plan.splits`).
"""

from __future__ import annotations

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jslists import Layout, layout_of, list_edits, rename_spec
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
    edits = list_edits(source, site.items, site.specs, removed, [], layout)
    return edits, [_declaration(site, statement, m, bindings, source, layout) for m, bindings in moved]


def _declaration(
    site: Site, statement: Node, module: str, bindings: list[Binding], source: bytes, layout: Layout
) -> bytes:
    """`const { items } = require('<module>');`, written like the statement it is split from."""
    assert site.items is not None and site.items.parent is not None
    value = site.items.parent.child_by_field_name("value")
    assert value is not None
    keyword = source[statement.start_byte : statement.children[0].end_byte]
    start, end = site.string.start_byte + 1 - value.start_byte, site.string.end_byte - 1 - value.start_byte
    call = source[value.start_byte : value.end_byte]
    call = call[:start] + module.encode() + call[end:]
    items = b", ".join(_item(binding, source) for binding in bindings)
    pad = b" " if layout.padded else b""
    semicolon = b";" if source[statement.start_byte : statement.end_byte].rstrip().endswith(b";") else b""
    return keyword + b" {" + pad + items + pad + b"} = " + call + semicolon


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
