"""A Plan -> byte edits: change module strings and names in place, write new statements like their anchor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jscarry import Carried, Item, carried_comments, inline_text, item_of
from codemods.jscomments import own_comments
from codemods.jslists import Layout, item_text, join_lines, layout_of, list_edits, rename_spec, sort_order
from codemods.jsmerge import attributes
from codemods.jsplan import Binding, Decl, Plan
from codemods.jssites import Site, SiteKind, member_edit, member_name
from codemods.jssplit import split_edits
from codemods.rules import DEFAULT
from depreport.extract.sites import text


@dataclass(frozen=True)
class Style:
    """File-wide conventions for what is written anew."""

    newline: bytes
    padded: bool  # `{ a }` rather than `{a}`


def emit(plan: Plan, source: bytes, style: Style) -> list[Edit]:
    """Every edit of a plan."""
    edits: list[Edit] = []
    carried = _comments(plan)
    created: dict[int, list[bytes]] = {}  # anchor statement -> new statements written after it
    for decl in plan.decls:
        if not decl.existing and not decl.deleted:
            created.setdefault(decl.anchor.node.start_byte, []).append(_render(decl, source, style, carried))
    for statement in plan.removed:
        edits.append(_delete(source, statement, created, style))
    for decl in plan.decls:
        if decl.existing and decl.deleted:  # merged away, or a type-only twin: its own comments go too
            comments = own_comments(decl.anchor.node, decl.anchor.items)
            edits.append(_delete(source, decl.anchor.node, created, style, comments))
        elif decl.existing:
            edits.extend(_existing(decl, source, style, carried))
    inserts: dict[int, bytes] = {}  # statements ending on one line share one insertion
    follow = [(d.anchor.node, created.pop(d.anchor.node.start_byte, None)) for d in plan.decls]
    for site, statement, moved in plan.splits:
        removals, declarations = split_edits(site, statement, moved, source, style.newline)
        edits.extend(removals)
        follow.append((statement, declarations))
    for statement, texts in follow:
        if texts is not None:
            at, indent = _after_line(source, statement)
            inserts[at] = inserts.get(at, b"") + b"".join(style.newline + indent + t for t in texts)
    edits.extend(Edit(at, at, text) for at, text in inserts.items())
    for site, module, bindings in plan.simple:
        edits.extend(_simple(site, module, bindings))
    return edits


def _delete(
    source: bytes,
    statement: Node,
    created: dict[int, list[bytes]],
    style: Style,
    comments: Sequence[Node] = (),
) -> Edit:
    """Delete a statement (with the comments given, its own), or replace it with the new statements that
    were to follow it."""
    replacement = created.pop(statement.start_byte, None)
    if replacement is None:
        first = min([statement, *comments], key=lambda n: n.start_byte)
        last = max([statement, *comments], key=lambda n: n.end_byte)
        return _delete_statement(source, first.start_byte, last.end_byte)
    joined = (style.newline + _indent(source, statement.start_byte)).join(replacement)
    return Edit(statement.start_byte, statement.end_byte, joined)


def module_edit(site: Site, module: str) -> list[Edit]:
    """Replace the text inside the quotes of a module string."""
    if module == site.specifier:
        return []
    return [Edit(site.string.start_byte + 1, site.string.end_byte - 1, module.encode())]


def _simple(site: Site, module: str, bindings: list[Binding]) -> list[Edit]:
    edits = module_edit(site, module)
    member = site.member
    if (
        site.kind is SiteKind.MEMBER
        and member is not None
        and bindings
        and bindings[0].export != member_name(member)
    ):
        edits.append(member_edit(member, bindings[0].export))
    for binding in bindings:
        if binding.spec is not None:
            edit = rename_spec(binding.spec, binding.export, binding.local, pattern=True)
            edits.extend([edit] if edit is not None else [])
    return edits


def _default_binding(decl: Decl) -> Binding | None:
    if decl.kind is not SiteKind.IMPORT:
        return None
    defaults = [b for b in decl.bindings if b.export == DEFAULT]
    return next((b for b in defaults if b.slot is not None), defaults[0] if defaults else None)


def _comments(plan: Plan) -> dict[int, Carried]:
    """The comments of every list item of the planned statements, by the id of its Spec: a name written
    in another statement takes its own along."""
    found: dict[int, Carried] = {}
    seen: set[int] = set()
    for site in [decl.anchor for decl in plan.decls]:
        if site.items is not None and site.specs and id(site) not in seen:
            seen.add(id(site))
            found.update(zip(map(id, site.specs), carried_comments(site.items, site.specs), strict=True))
    return found


def _items(bindings: list[Binding], comments: dict[int, Carried]) -> list[Item]:
    """List items to write for bindings, each with the comments of the item it was (if any)."""
    return [
        item_of(item_text(b.export, b.local, b.type_only), comments.get(id(b.spec)) if b.spec else None)
        for b in bindings
    ]


def _existing(decl: Decl, source: bytes, style: Style, comments: dict[int, Carried]) -> list[Edit]:
    site = decl.anchor
    edits = module_edit(site, decl.module)
    default = _default_binding(decl)
    named = [b for b in decl.bindings if b is not default]
    own = {id(spec): index for index, spec in enumerate(site.specs)}
    kept = [b for b in named if b.spec is not None and id(b.spec) in own]
    # A default import become named goes first: where the default stood.
    slot = site.default
    own_default = [
        b for b in named if slot is not None and b.slot is not None and b.slot.start_byte == slot.start_byte
    ]
    placed = {id(b) for b in kept} | {id(b) for b in own_default}  # by identity: eq compares fields
    new = own_default + [b for b in named if id(b) not in placed]
    added = _items(new, comments)
    leading = len(own_default)
    for binding in kept:
        assert binding.spec is not None
        edit = rename_spec(binding.spec, binding.export, binding.local, pattern=False)
        edits.extend([edit] if edit is not None else [])
    keep_slot = slot is not None and default is not None and default.slot is slot
    new_default = None if keep_slot or default is None else default.local
    if site.items is not None and named:
        removed = set(own) - {id(b.spec) for b in kept}
        indexes = {own[i] for i in removed}
        order = sort_order([spec for i, spec in enumerate(site.specs) if i not in indexes])
        layout = _layout(site, source, style)
        here = [comments[id(spec)] for spec in site.specs]
        edits.extend(list_edits(source, site.items, site.specs, indexes, added, layout, order, leading, here))
        edits.extend(_slot_before_list(slot, keep_slot, new_default, site.items))
    elif site.items is not None:  # every named import went away: only a default is left
        start = slot.start_byte if slot is not None else site.items.start_byte
        edits.append(Edit(start, site.items.end_byte, (new_default or text(slot)).encode()))
    elif named:
        braces = _braces(added, style)
        if keep_slot and slot is not None:
            edits.append(Edit(slot.end_byte, slot.end_byte, b", " + braces))
        elif slot is not None:
            lead = f"{new_default}, ".encode() if new_default else b""
            edits.append(Edit(slot.start_byte, slot.end_byte, lead + braces))
    elif slot is not None and new_default is not None:
        edits.append(Edit(slot.start_byte, slot.end_byte, new_default.encode()))
    return edits


def _slot_before_list(slot: Node | None, keep: bool, new_default: str | None, items: Node) -> list[Edit]:
    """The default import in front of a `{…}` list: kept, removed, replaced or added."""
    if keep:
        return []
    lead = f"{new_default}, ".encode() if new_default else b""
    if slot is not None:
        return [Edit(slot.start_byte, items.start_byte, lead)]
    return [Edit(items.start_byte, items.start_byte, lead)] if lead else []


def _layout(site: Site, source: bytes, style: Style) -> Layout:
    if site.items is not None and site.specs:
        return layout_of(source, site.items, site.specs, style.newline)
    return Layout(False, b"  ", style.padded, False, style.newline)


def _braces(items: list[Item], style: Style) -> bytes:
    pad = b" " if style.padded else b""
    return b"{" + pad + b", ".join(map(inline_text, items)) + pad + b"}"


def _render(decl: Decl, source: bytes, style: Style, comments: dict[int, Carried]) -> bytes:
    """A new statement, written like its anchor (quotes, semicolon, list layout, indentation)."""
    anchor = decl.anchor
    quote = source[anchor.string.start_byte : anchor.string.start_byte + 1]
    semicolon = b";" if anchor.node.text is not None and anchor.node.text.rstrip().endswith(b";") else b""
    default = _default_binding(decl)
    named = _items([b for b in decl.bindings if b is not default], comments)
    layout = _layout(anchor, source, style)
    parts: list[bytes] = [default.local.encode()] if default is not None else []
    if decl.whole_module:
        parts = [f"* as {decl.bindings[0].local}".encode()]
    elif named and layout.multiline and not decl.replaces:  # a list replaced by a name: one line
        indent = _indent(source, anchor.node.start_byte)
        inner = layout.newline + layout.indent + join_lines(named, layout, closing=True)
        parts.append(b"{" + inner + layout.newline + indent + b"}")
    elif named:
        parts.append(_braces(named, Style(style.newline, layout.padded)))
    keyword = b"import" if decl.kind is SiteKind.IMPORT else b"export"
    type_word = b" type" if decl.type_only else b""
    module = quote + decl.module.encode() + quote
    asked = attributes(anchor.node)
    if asked is not None:  # the names are loaded as they were (`with { type: 'macro' }`)
        module += b" " + asked
    if not parts:  # a side-effect import
        return keyword + b" " + module + semicolon
    return keyword + type_word + b" " + b", ".join(parts) + b" from " + module + semicolon


def _indent(source: bytes, offset: int) -> bytes:
    start = source.rfind(b"\n", 0, offset) + 1
    prefix = source[start:offset]
    return prefix if not prefix.strip() else b""


def _after_line(source: bytes, node: Node) -> tuple[int, bytes]:
    """The end of the line a statement ends on (after a trailing comment), and its indentation."""
    end = source.find(b"\n", node.end_byte)
    end = len(source) if end < 0 else end
    if end > 0 and source[end - 1 : end] == b"\r":
        end -= 1
    return end, _indent(source, node.start_byte)


def _delete_statement(source: bytes, start: int, end: int) -> Edit:
    """Remove a statement; with its lines when nothing else is on them."""
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        return Edit(line_start, min(line_end + 1, len(source)), b"")
    while end < line_end and source[end : end + 1] in (b" ", b"\t"):
        end += 1
    return Edit(start, end, b"")
