"""The comments that belong to an import statement, and the tools' directives among them.

A statement with comments of its own is never merged away; a directive above it (`// @ts-expect-error`,
`// eslint-disable-next-line`) or on its last line (`// eslint-disable-line`) covers that statement only.
"""

from __future__ import annotations

import re

from tree_sitter import Node

# Comments that tell a tool to pass over the next line, or their own: TypeScript, ESLint and oxlint, Flow,
# Biome, Prettier, Deno, istanbul and c8.
DIRECTIVE = re.compile(
    rb"@ts-(?:ignore|expect-error)|(?:eslint|oxlint)-disable-(?:next-)?line|\$Flow(?:FixMe|ExpectedError|Ignore)"
    rb"|biome-ignore|prettier-ignore|deno-lint-ignore|(?:istanbul|c8) ignore next"
)


def has_comments(statement: Node, items: Node | None = None) -> bool:
    """Comments in a statement, after it on its last line, or right above it (no blank line between)."""
    return bool(own_comments(statement, items))


def own_comments(statement: Node, items: Node | None = None) -> list[Node]:
    """The comments that belong to a statement: in it, after it on its last line, and right above it
    (each on the line before the next, no blank line between), in file order."""
    inside = [*statement.children, *(items.children if items is not None else [])]
    leading: list[Node] = []
    before, row = statement.prev_sibling, statement.start_point[0]
    while before is not None and before.type == "comment" and before.end_point[0] >= row - 1:
        leading.insert(0, before)
        row = before.start_point[0]
        before = before.prev_sibling
    after = statement.next_sibling  # a comment on the statement's last line belongs to it
    trailing = [after] if after is not None and after.type == "comment" else []
    trailing = [c for c in trailing if c.start_point[0] == statement.end_point[0]]
    return leading + sorted((c for c in inside if c.type == "comment"), key=lambda c: c.start_byte) + trailing


def directives_of(statement: Node) -> list[Node]:
    """The tools' directives on the lines right above a statement or after it on its last line (not one
    after the statement before, on that statement's line: that one is its own)."""
    found = []
    for comment in own_comments(statement):
        inside = statement.start_byte <= comment.start_byte < statement.end_byte
        before = comment.prev_sibling
        trails_another = (
            comment.end_byte <= statement.start_byte
            and before is not None
            and before.end_point[0] == comment.start_point[0]
        )
        if not inside and not trails_another and DIRECTIVE.search(comment.text or b""):
            found.append(comment)
    return found
