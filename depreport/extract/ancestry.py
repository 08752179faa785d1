"""The parents of the nodes of one tree, found from the root down and kept.

tree-sitter stores no parent links: `Node.parent` walks down from the root, and so does
`root.descendant_for_byte_range`, each at a cost of the depth of the tree (and of the children passed on
the way). The extractor asks them at each keyword and each use of an imported name, so a deep tree (4,000
nested `import(`, a chain of member accesses, an error holding the rest of the file) cost the depth times
the number of sites: time growing as the square of the file. An `Ancestry` keeps the chain of nodes from
the root to the node last asked about, and every parent it found; the next question starts from the
deepest node of that chain that holds the node asked about, so asked in document order (or climbing),
each node of the tree is walked down to once. The children of a wide node are looked up by bisection.
The first few questions (all of most files') are tree-sitter's to answer: keeping the path costs more
than they do in a shallow tree. The answers are tree-sitter's own (tests/depreport/test_ancestry.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from tree_sitter import Node

Parent = Callable[[Node], "Node | None"]
# Above this many children, a node's children are looked up by bisection over their starts (tree-sitter
# looks through them one by one, from the first: a flat ERROR node of thousands costs thousands each time;
# listing a module's few hundred statements as Python objects costs more than that for the few questions
# a real file asks).
_WIDE = 256
# Questions tree-sitter answers itself before the path is kept: 8 of 10 of those the bench corpus asks;
# its answers cost less than keeping the path in a shallow tree (1.8 % more instructions for the whole
# extraction when at most 64 were, 0.8 % at 256), and 256 cost at most 256 times the depth of the tree.
_ASKED_DIRECTLY = 256
_UNKNOWN = object()


def tree_parent(node: Node) -> Node | None:
    """tree-sitter's own answer, walked down from the root: for a node asked about once."""
    return node.parent


class Ancestry:
    """Parents and the node at a byte range, for the nodes of one tree."""

    def __init__(self, root: Node) -> None:
        self._parents: dict[Node, Node | None] = {root: None}
        self._path = [root]  # from the root down, each node the parent of the next
        self._wide: dict[Node, tuple[list[int], list[Node]]] = {}  # the starts of each one's children
        self._direct = _ASKED_DIRECTLY  # questions left to ask tree-sitter; none once a walk is known

    def locate(self, start: int, end: int) -> Node | None:
        """`root.descendant_for_byte_range(start, end)` for a non-empty range: the walk from the root
        passes through every node that holds the range, so it may start from the deepest one known."""
        if start >= end or self._direct > 0:
            self._direct -= 1
            return self._path[0].descendant_for_byte_range(start, end)
        current = self._holder(start, end)
        while current.child_count > _WIDE:
            child = self._child_holding(current, start, end)
            if child is None:
                return current
            current = child
        return current.descendant_for_byte_range(start, end)

    def children(self, node: Node) -> list[Node]:
        """`node.children`, each known from then on as a child of `node` (a walk down the tree knows
        the parents of all it meets, even of the empty nodes a span does not place)."""
        children = node.children
        self._parents.update(dict.fromkeys(children, node))
        self._direct = 0
        return children

    def parent(self, node: Node) -> Node | None:
        """`node.parent`."""
        if self._direct > 0:
            self._direct -= 1
            return node.parent
        known = self._parents.get(node, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        start, end = node.start_byte, node.end_byte
        if start == end:  # an empty node: its span does not tell which of the nodes around holds it
            return self._parents.setdefault(node, node.parent)
        # `node` is not on the path (each node there is known), so the deepest node there that holds its
        # span holds the node itself (non-empty nodes whose spans overlap are one inside the other)
        current = self._holder(start, end)
        while True:
            if current.child_count > _WIDE:
                child = self._child_holding(current, start, end)
            else:
                child = current.child_with_descendant(node)
            if child is None:  # not found from above: tree-sitter's answer, whatever it is
                return self._parents.setdefault(node, node.parent)
            self._parents[child] = current
            self._path.append(child)
            if child == node:
                return current
            current = child

    def _child_holding(self, node: Node, start: int, end: int) -> Node | None:
        """The child of a wide node that holds a non-empty span, if one does (children never overlap:
        the last one starting at or before the span is the only one that may)."""
        index = self._wide.get(node)
        if index is None:
            children = node.children
            index = self._wide[node] = ([child.start_byte for child in children], children)
        starts, children = index
        at = bisect_right(starts, start) - 1
        return children[at] if at >= 0 and end <= children[at].end_byte else None

    def _holder(self, start: int, end: int) -> Node:
        """The deepest node of the path that holds the span (the path is cut below it)."""
        path = self._path
        while len(path) > 1 and not (path[-1].start_byte <= start and end <= path[-1].end_byte):
            path.pop()
        return path[-1]
