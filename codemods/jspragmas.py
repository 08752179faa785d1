"""Modules named in comments that compilers read: `@jsxImportSource x` (JSX compiled to imports of
`x/jsx-runtime`) and `/// <reference types="x" />` (the types of package x). Each follows a rule that moves
what it names as it is (`@builder.io/qwik/**` -> `@qwik.dev/core/**`); any other rule matching it has it
reported, never left without a word.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from codemods.edits import Edit
from codemods.jsplan import Note, Plan
from codemods.rules import JS, Match
from depreport.extract.sites import text

_JSX_SOURCE = re.compile(rb"@jsxImportSource\s+([^\s*]+)")
_REFERENCE = re.compile(rb"<reference\s+types\s*=\s*(['\"])([^'\"\n]+)\1")
_RUNTIME = "/jsx-runtime"


def plan_pragmas(plan: Plan, root: Node, body: bytes) -> None:
    """Rewrite or report each `@jsxImportSource` and `/// <reference types>` naming a module a rule moves."""
    if b"@jsxImportSource" in body:
        for found in _JSX_SOURCE.finditer(body):
            if _in_comment(root, found.start(), "/"):
                _follow(plan, body, found.start(1), found.end(1), jsx=True)
    if b"<reference" in body:
        for found in _REFERENCE.finditer(body):
            if _in_comment(root, found.start(), "///"):
                _follow(plan, body, found.start(2), found.end(2), jsx=False)


def _in_comment(root: Node, start: int, opening: str) -> bool:
    node = root.descendant_for_byte_range(start, start + 1)
    return node is not None and node.type == "comment" and text(node).startswith(opening)


def _follow(plan: Plan, body: bytes, start: int, end: int, *, jsx: bool) -> None:
    """The edit for one module named in a comment, or a note saying why it stays."""
    named = body[start:end].decode("utf-8", "replace")
    read = named + _RUNTIME if jsx else named  # what the compiler imports
    match = _match(plan, read) or _match(plan, named)
    if match is None:
        return
    plan.matched.setdefault(match.rule.id, body.count(b"\n", 0, start) + 1)
    moved = match.specifier == read and match.rule.pure
    if moved and (not jsx or match.module.endswith(_RUNTIME)):
        plan.renames.append(Edit(start, end, match.module.removesuffix(_RUNTIME if jsx else "").encode()))
        return
    what = (
        f"@jsxImportSource {named} (JSX compiled to imports of {read})"
        if jsx
        else f'/// <reference types="{named}" />'
    )
    message = f"{what} left as it is: rule {match.rule.id!r} does not move {read} as it is; change it by hand"
    plan.notes.append(Note(body.count(b"\n", 0, start) + 1, message))


def _match(plan: Plan, specifier: str) -> Match | None:
    match = plan.rules.match(specifier, JS)
    return None if match is None or match.rule.keeps else match
