"""`Ancestry` answers as tree-sitter does, whatever the tree and the order of the questions."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Node

from depreport.extract import ancestry as module
from depreport.extract.ancestry import Ancestry
from depreport.scan.languages import parser
from tests.helpers import every_node

PARTS = [
    "import", "export", "{", "}", "(", ")", "<", ">", "a", ".", ",", ";", "\n", "'s'", "=", "from", "type",
    "def", ":", "if", "/*", "*/", "`", "${", "as", "in", "[", "]", "import(", "<A>", "</A>", "&", "?", "!",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(PARTS), max_size=60),
    st.sampled_from(["typescript", "tsx", "javascript", "python"]),
    st.randoms(use_true_random=False),
    st.sampled_from([2, 256]),  # wide nodes (children found by bisection) from 2 children on, and as used
    st.sampled_from([0, 7]),  # the path kept from the first question on, or after a few
)
def test_parents_and_lookups_are_tree_sitters(
    parts: list[str], language: str, rng: random.Random, wide: int, direct: int
) -> None:
    used = module._WIDE, module._ASKED_DIRECTLY
    module._WIDE, module._ASKED_DIRECTLY = wide, direct
    try:
        ask_everything(parser(language).parse(" ".join(parts).encode()).root_node, rng)
    finally:
        module._WIDE, module._ASKED_DIRECTLY = used


def ask_everything(root: Node, rng: random.Random) -> None:
    nodes = every_node(root)
    ordered = sorted(nodes, key=lambda node: node.start_byte)
    for questions in (ordered, rng.sample(nodes, len(nodes))):  # in document order, and in any order
        ancestry = Ancestry(root)
        for node in questions:
            if node.start_byte < node.end_byte:
                assert ancestry.locate(*node.byte_range) == root.descendant_for_byte_range(*node.byte_range)
            assert ancestry.parent(node) == node.parent, (node, node.type)
            start = rng.randrange(root.end_byte + 1)  # any span: a keyword in a comment, across nodes
            end = rng.randrange(start, root.end_byte + 2)
            assert ancestry.locate(start, end) == root.descendant_for_byte_range(start, end), (start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PARTS), max_size=60), st.sampled_from(["typescript", "tsx", "python"]))
def test_the_parents_a_walk_down_meets_are_tree_sitters(parts: list[str], language: str) -> None:
    root = parser(language).parse(" ".join(parts).encode()).root_node
    ancestry, stack = Ancestry(root), [root]
    while stack:
        node = stack.pop()
        assert ancestry.parent(node) == node.parent, (node, node.type)
        stack.extend(ancestry.children(node))
