"""The comments of a parenthesized `from m import (...)` list go with the names they stand by.

libcst keeps a comment in the whitespace after the token before it: `b  # why b` before `)` is in the
whitespace of `)`, `b,  # why b` in the whitespace of b's comma, and a comment on the lines above `c` in
the whitespace after the name before c. Taking some of the names into a statement of their own
(`from new import (b  # why b\n)`), or leaving them out, re-lays that whitespace so that each name keeps
the comment after it on its line and the comment lines above it; the comment on the line of `(` and
the comment lines above `)` stay with the statement that keeps the old module (a commented-out name of
the old module, `# c,`). Names that stay together keep the whitespace they had between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import libcst as cst

Whitespace = cst.BaseParenthesizableWhitespace


def regroup(node: cst.ImportFrom, picked: list[tuple[int, cst.ImportAlias]], kept: bool) -> cst.ImportFrom:
    """`node` (parenthesized) with only the `picked` names (position in `node.names`, alias to write),
    in their order, each with its own comments; `kept`: the statement also keeps the comment on the line
    of `(` and the comment lines above `)`."""
    assert node.lpar is not None and node.rpar is not None and isinstance(node.names, Sequence)
    gaps = _gaps(node)
    first, last = picked[0][0], picked[-1][0]
    names = [
        alias.with_changes(comma=_comma(alias).with_changes(whitespace_after=_join(gaps, at, after)))
        for (at, alias), (after, _) in pairwise(picked)
    ]
    ending = _ending(gaps, last, kept)
    alias = picked[-1][1]
    rpar = node.rpar
    if isinstance(node.names[-1].comma, cst.Comma):  # the list ended with a comma: so does this one
        names.append(alias.with_changes(comma=_comma(alias).with_changes(whitespace_after=ending)))
    else:
        names.append(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        rpar = rpar.with_changes(whitespace_before=ending)
    opening = gaps[0]
    if isinstance(opening, cst.ParenthesizedWhitespace):
        header = opening.first_line if kept else cst.TrailingWhitespace()
        opening = opening.with_changes(first_line=header, empty_lines=_above(gaps, first))
    elif _above(gaps, first):
        opening = _broken(None, _above(gaps, first), gaps[first])
    return node.with_changes(names=names, lpar=node.lpar.with_changes(whitespace_after=opening), rpar=rpar)


def carries_comment(node: cst.ImportFrom, positions: list[int]) -> bool:
    """True when a comment stands by one of the names at `positions` of the parenthesized `node`: after
    it on its line, or on a line above it. The statement they move to then keeps parentheses."""
    if node.lpar is None:
        return False
    gaps = _gaps(node)
    return any(_trailing(gaps, at) is not None or _above(gaps, at) for at in positions)


def _gaps(node: cst.ImportFrom) -> list[Whitespace]:
    """The whitespace before each name and, last, before `)` (after the last name's comma, if any)."""
    assert node.lpar is not None and node.rpar is not None and isinstance(node.names, Sequence)
    gaps: list[Whitespace] = [node.lpar.whitespace_after]
    for alias in node.names:
        if isinstance(alias.comma, cst.Comma):
            gaps.append(alias.comma.whitespace_after)
    if len(gaps) == len(node.names):  # no comma after the last name
        gaps.append(node.rpar.whitespace_before)
    return gaps


def _trailing(gaps: list[Whitespace], at: int) -> cst.TrailingWhitespace | None:
    """The comment after the name at `at`, on its line."""
    gap = gaps[at + 1]
    if isinstance(gap, cst.ParenthesizedWhitespace) and gap.first_line.comment is not None:
        return gap.first_line
    return None


def _above(gaps: list[Whitespace], at: int) -> Sequence[cst.EmptyLine]:
    """The lines (comments, blank lines) between the line before the name at `at` and its own."""
    gap = gaps[at]
    return gap.empty_lines if isinstance(gap, cst.ParenthesizedWhitespace) else []


def _join(gaps: list[Whitespace], at: int, after: int) -> Whitespace:
    """The whitespace between the name at `at` and the next one written, at `after`."""
    if after == at + 1:
        return gaps[after]
    trailing, above = _trailing(gaps, at), _above(gaps, after)
    if trailing is None and not above:  # the spacing after the name, less the lines above the next
        gap = gaps[at + 1]
        return gap.with_changes(empty_lines=[]) if isinstance(gap, cst.ParenthesizedWhitespace) else gap
    return _broken(trailing, above, gaps[after])


def _ending(gaps: list[Whitespace], last: int, kept: bool) -> Whitespace:
    """The whitespace between the last name written and `)`."""
    closing = gaps[-1]
    footer = closing.empty_lines if kept and isinstance(closing, cst.ParenthesizedWhitespace) else []
    trailing = _trailing(gaps, last) if last + 2 < len(gaps) else None
    if isinstance(closing, cst.ParenthesizedWhitespace):
        if last + 2 == len(gaps):
            return closing.with_changes(empty_lines=footer)
        return closing.with_changes(first_line=trailing or cst.TrailingWhitespace(), empty_lines=footer)
    return closing if trailing is None else _broken(trailing, [], cst.SimpleWhitespace(""))


def _broken(
    trailing: cst.TrailingWhitespace | None, above: Sequence[cst.EmptyLine], before: Whitespace
) -> cst.ParenthesizedWhitespace:
    """A line break after `trailing`, then the lines `above`, then the indentation of `before`."""
    line = cst.TrailingWhitespace() if trailing is None else trailing
    if isinstance(before, cst.ParenthesizedWhitespace):
        return before.with_changes(first_line=line, empty_lines=above)
    return cst.ParenthesizedWhitespace(line, above, indent=True, last_line=cst.SimpleWhitespace(""))


def _comma(alias: cst.ImportAlias) -> cst.Comma:
    return alias.comma if isinstance(alias.comma, cst.Comma) else cst.Comma()
