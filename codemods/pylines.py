"""Lines of a Python file that no rule rewrites stay as they were.

The lines above an import statement the rewrite drops stay in the file: a comment there may be about
the code below it (ruff's TID251.py: `# import aliases are resolved` above `import typing as x`), and
removing a statement should remove only its own line. A dropped statement leaves a placeholder holding
its leading lines; the block around it hands them on to the next statement, or keeps them at its end.

A file libcst would write back changed where no rule touches it is refused, naming the first such line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

Block = TypeVar("Block", cst.Module, cst.IndentedBlock)


class DroppedLines:
    """Placeholders for dropped statements, and their hand-over when their block is left."""

    def __init__(self) -> None:
        # held, not only their ids: a placeholder freed once handed over could leave its id to a statement
        # made later, which would then be taken for it and dropped
        self._placeholders: dict[int, cst.SimpleStatementLine] = {}

    def drop(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        """What stands for a statement line that goes: nothing when no line is above it."""
        if not line.leading_lines:
            return cst.RemovalSentinel.REMOVE
        placeholder = cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=line.leading_lines)
        self._placeholders[id(placeholder)] = placeholder
        return placeholder

    def hand_over(self, block: Block) -> Block:
        """The block with each placeholder's lines moved onto the statement after it, or to the end of
        the block (before its footer) when none follows."""
        kept: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        body: Sequence[cst.BaseStatement] = block.body
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine) and id(statement) in self._placeholders:
                carried.extend(statement.leading_lines)
            else:
                kept.append(_below(carried, statement))
                carried = []
        if carried and not kept:  # an emptied block: its lines stay above the `pass` it gets
            kept.append(cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=carried))
            carried = []
        return block.with_changes(body=kept, footer=[*carried, *block.footer])


def _below(lines: list[cst.EmptyLine], statement: cst.BaseStatement) -> cst.BaseStatement:
    """`statement` with `lines` above its own."""
    if not lines or not isinstance(statement, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        return statement
    above: Sequence[cst.EmptyLine] = statement.leading_lines
    return statement.with_changes(leading_lines=[*lines, *above])


def not_reproduced(source: bytes, written: bytes) -> str:
    """Why the file is refused, naming the first line libcst would write back changed."""
    lines, again = source.splitlines(keepends=True), written.splitlines(keepends=True)
    pairs = enumerate(zip(lines, again, strict=False))  # a lost lone CR leaves fewer lines
    number = next((n for n, (a, b) in pairs if a != b), min(len(lines), len(again)))
    shown = lines[number] if number < len(lines) else b""
    text = "".join(
        c if c.isprintable() else repr(c)[1:-1] for c in shown.decode(errors="replace").rstrip("\r\n")
    )
    return (
        f"libcst does not write this file back byte for byte: line {number + 1} ({text[:80]}) would change "
        "(libcst loses a form feed before a statement, a lone CR at the end, a space before the colon of "
        "`except X :`); left unchanged: rewrite its imports by hand"
    )
