"""The comments a list item takes along when it is written in another statement, and how they are written.

An item's own comments are the comment lines right above it (no blank line between, none on the line
of the item or `{` before), a comment before it on its first line (`/* x */ a`), and the comments after
it on its last line, before or after its comma (`a /* x */,`, `a, // x`). Other comments near it (apart
from it by a blank line, or running over several lines after it) belong to no item: they stay where
they are, and a moved item's are reported. Comments are found in one pass over the list's children.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from codemods.jssites import Spec


@dataclass(frozen=True, slots=True)
class Carried:
    """The comments of one list item, and the bytes the item spans with them."""

    start: int  # the first byte of the item or of its first own comment
    end: int  # the last byte of the item or of its last own comment
    above: tuple[Node, ...] = ()  # whole lines right above it
    before: tuple[Node, ...] = ()  # on its first line, before it
    inline: tuple[Node, ...] = ()  # after it on its last line, before its comma
    after: tuple[Node, ...] = ()  # after its comma, on its last line
    strays: tuple[Node, ...] = ()  # near it, but no item's

    @property
    def own(self) -> tuple[Node, ...]:
        """Every comment that goes with the item, in file order."""
        return (*self.above, *self.before, *self.inline, *self.after)


@dataclass(frozen=True, slots=True)
class Item:
    """A list item to write (`type a as b`) with the comments it takes along, as their text."""

    text: str
    above: tuple[bytes, ...] = ()
    before: tuple[bytes, ...] = ()
    inline: tuple[bytes, ...] = ()  # block comments only: a line comment is written after the comma
    after: tuple[bytes, ...] = ()

    @property
    def name(self) -> str:
        """The name it binds (what a sorted list is sorted by)."""
        return self.text.split()[-1]


def last_node(spec: Spec) -> Node:
    """The node an item ends with."""
    return spec.tail if spec.tail is not None else spec.node


def comma_after(node: Node) -> Node | None:
    """The comma after a list item (past comments), or None."""
    while node.next_sibling is None and node.parent is not None and node.parent.end_byte == node.end_byte:
        node = node.parent  # the last name of a misread item (`{ type, a }`: a ends the specifier)
    sibling = node.next_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_sibling
    return sibling if sibling is not None and sibling.type == "," else None


def carried_comments(items: Node, specs: list[Spec]) -> list[Carried]:
    """The comments of each item of a braced list (`{…}` of an import, an export or a pattern)."""
    children = items.children
    types = [child.type for child in children]
    at = {child.start_byte: i for i, child in enumerate(children)}
    found = []
    for spec in specs:
        node, tail = spec.node, last_node(spec)
        first, last = at.get(node.start_byte, -1), at.get(tail.start_byte, -1)
        if first < 0 or last < 0 or children[first].end_byte != node.end_byte:
            first = -1  # a misread item inside another node (`{ type, a }`): no comments of its own
        elif children[last].end_byte != tail.end_byte:
            first = -1
        if first < 0 or not _near_comment(types, first, last):
            found.append(Carried(node.start_byte, tail.end_byte))
        else:
            found.append(_carried(children, first, last))
    return found


def _near_comment(types: list[str], first: int, last: int) -> bool:
    """A comment right before the item, or after it or its comma."""
    following = (
        types[last + 2 : last + 3] if types[last + 1 : last + 2] == [","] else types[last + 1 : last + 2]
    )
    return (first > 0 and types[first - 1] == "comment") or following == ["comment"]


def _carried(children: list[Node], first: int, last: int) -> Carried:
    node, end = children[first], children[last]
    leading: list[Node] = []
    j = first - 1
    while j >= 0 and children[j].type == "comment":
        leading.insert(0, children[j])
        j -= 1
    row = node.start_point[0]
    if j >= 0 and row > children[j].end_point[0]:  # on the line of the comma or `{` before it: not its own
        leading = [c for c in leading if c.start_point[0] > children[j].end_point[0]]
    before = [c for c in leading if c.start_point[0] == row]
    above: list[Node] = []
    for comment in reversed(leading[: len(leading) - len(before)]):
        if comment.end_point[0] < row - 1:
            break
        above.insert(0, comment)
        row = comment.start_point[0]
    strays = leading[: len(leading) - len(before) - len(above)]
    inline, after, rest = _trailing(children, last)
    own = [*above, *before, node, end, *inline, *after]
    start, stop = min(n.start_byte for n in own), max(n.end_byte for n in own)
    return Carried(start, stop, tuple(above), tuple(before), tuple(inline), tuple(after), (*strays, *rest))


def _trailing(children: list[Node], last: int) -> tuple[list[Node], list[Node], list[Node]]:
    """The comments after an item on its last line, before and after its comma, and those after it
    that are no item's (on later lines, before its comma, or over several lines)."""
    row = children[last].end_point[0]
    inline: list[Node] = []
    after: list[Node] = []
    strays: list[Node] = []
    j = last + 1
    while j < len(children) and children[j].type == "comment":
        comment = children[j]
        on_row = comment.start_point[0] == comment.end_point[0] == row and not strays
        (inline if on_row else strays).append(comment)
        j += 1
    if j < len(children) and children[j].type == ",":
        j += 1
        while j < len(children) and children[j].type == "comment" and children[j].start_point[0] == row:
            following = children[j + 1] if j + 1 < len(children) else None
            if following is not None and following.start_point[0] == row and following.type != "comment":
                break  # `a, /* b's */ b`: the next item's
            one_line = children[j].end_point[0] == row
            (after if one_line and not strays else strays).append(children[j])
            j += 1
    return inline, after, strays


def item_of(text: str, carried: Carried | None) -> Item:
    """An item to write, with the comments it takes along (none when `carried` is None)."""
    if carried is None:
        return Item(text)
    inline = [c.text or b"" for c in carried.inline]
    line = [inline.pop()] if inline and inline[-1].startswith(b"//") else []
    return Item(
        text,
        tuple(c.text or b"" for c in carried.above),
        tuple(c.text or b"" for c in carried.before),
        tuple(inline),
        (*line, *(c.text or b"" for c in carried.after)),
    )


def inline_text(item: Item) -> bytes:
    """An item on a line with others (`{ a /* x */, b }`): each comment before its comma, a line comment
    written as a block comment (`// x` -> `/* x */`), so that the list may go on after it."""
    words = [*map(_block, item.above), *map(_block, item.before), item.text.encode()]
    return b" ".join([*words, *map(_block, item.inline), *map(_block, item.after)])


def line_text(item: Item, indent: bytes, comma: bool, newline: bytes) -> bytes:
    """An item on a line of its own, its comment lines above it, without the line break that ends it."""
    above = b"".join(comment + newline + indent for comment in item.above)
    body = b" ".join([*item.before, item.text.encode(), *item.inline])
    after = b"".join(b" " + comment for comment in item.after)
    return above + body + (b"," if comma else b"") + after


def _block(comment: bytes) -> bytes:
    if not comment.startswith(b"//"):
        return comment
    return b"/* " + comment[2:].strip().replace(b"*/", b"* /") + b" */"
