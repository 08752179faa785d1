"""Which nodes of a tree lie inside an ERROR node, answered from the byte spans of the outermost ones.

Asking a node for its parent costs tree-sitter the depth of the tree (it walks down from the root), so
walking up from each keyword to the root cost the depth squared: in a chain of thousands of member
accesses (`import.meta.import.meta…`, 12 KB) finding the imports took 21 s. The outermost ERROR nodes are
found in one walk down; they are disjoint, and a keyword lies inside an ERROR node exactly when its span
lies inside one of them (siblings never overlap).
"""

from __future__ import annotations

from bisect import bisect_right

from tree_sitter import Node


class ErrorRegions:
    """The outermost ERROR nodes of a tree, in order."""

    def __init__(self, root: Node) -> None:
        self._errors = _outermost_errors(root)
        self._starts = [error.start_byte for error in self._errors]

    def holds(self, node: Node) -> bool:
        """Is `node` inside an ERROR node (itself not counted)? `node` is the smallest node holding its
        span (as `descendant_for_byte_range` finds a keyword), so another node of the same span holds it."""
        at = bisect_right(self._starts, node.start_byte) - 1
        while at >= 0 and self._starts[at] == node.start_byte and self._errors[at] == node:
            at -= 1  # the node is an outermost ERROR node itself: only an earlier one may hold it
        return at >= 0 and node.end_byte <= self._errors[at].end_byte


def _outermost_errors(root: Node) -> list[Node]:
    """The ERROR nodes of the tree that no other ERROR node holds, in document order."""
    found: list[Node] = []
    if not root.has_error:
        return found
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None and node.is_error:
            found.append(node)
        elif node is not None and node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found
