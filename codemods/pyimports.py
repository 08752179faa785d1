"""How a rewritten Python import statement is written: names split by target module, commas and
semicolons fixed so that the statement reads as if written by hand."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.pyplan import dotted


def split_names(
    node: cst.ImportFrom, groups: dict[str, list[cst.ImportAlias]], specifier: str
) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
    """The statement for the names that stay (or the first group) and one per other target module."""
    if not groups:
        return [], []
    keep = specifier if specifier in groups else next(iter(groups))
    kept = _with_names(node, groups[keep], None if keep == specifier else keep)
    moved: list[cst.BaseSmallStatement] = [
        _with_names(node, groups[m], m, parens=_carries_comment(groups[m]), moved=True)
        for m in groups
        if m != keep
    ]
    return [kept], moved


def no_last_semicolon(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """The statements with no semicolon after the last one."""
    return [*body[:-1], body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]


def _with_names(
    node: cst.ImportFrom,
    names: list[cst.ImportAlias],
    module: str | None,
    parens: bool = True,
    moved: bool = False,
) -> cst.ImportFrom:
    listed = last_comma(node, names, parens and node.lpar is not None)
    changes: dict[str, object] = {"names": listed}
    if not parens:
        changes["lpar"] = changes["rpar"] = None
    elif moved and node.rpar is not None:  # what stood before `)` (a comment on the last name) stays
        changes["rpar"] = cst.RightParen()
        changes["names"] = _closing_line(listed)
    if module is not None:
        changes["module"] = dotted(module)
    return node.with_changes(**changes)


def last_comma(
    node: cst.ImportFrom | cst.Import, names: list[cst.ImportAlias], parens: bool
) -> list[cst.ImportAlias]:
    """The names with their commas fixed: none at the end without parentheses (a comma between keeps a
    backslash line break after it; other spacing is made one space), and in parentheses the
    end of the original list (`(a, b)` less b is `(a)`, a line break before `)` stays) unless the comma
    of the new last name holds a comment."""
    if not parens:
        plain = cst.MaybeSentinel.DEFAULT
        between = [n if _backslash(n.comma) else n.with_changes(comma=plain) for n in names[:-1]]
        return [*between, names[-1].with_changes(comma=plain)]
    original = node.names[-1] if isinstance(node.names, Sequence) else None
    last = names[-1]
    if original is None or last is original or not isinstance(last.comma, cst.Comma):
        return names
    kept = last.comma.whitespace_after
    if not isinstance(original.comma, cst.Comma):  # the list ended without a comma: so does the new one
        return (
            names if _commented(kept) else [*names[:-1], last.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        )
    ending = original.comma.whitespace_after
    if isinstance(ending, cst.ParenthesizedWhitespace) and isinstance(kept, cst.ParenthesizedWhitespace):
        kept = kept.with_changes(indent=ending.indent, last_line=ending.last_line)
    elif not _commented(kept):
        kept = ending
    else:
        return names
    return [*names[:-1], last.with_changes(comma=last.comma.with_changes(whitespace_after=kept))]


def _closing_line(names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The names with `)` on a line of its own, at the statement's indentation, after the last one."""
    last = names[-1]
    if not isinstance(last.comma, cst.Comma) or not isinstance(
        last.comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        return names
    after = last.comma.whitespace_after.with_changes(last_line=cst.SimpleWhitespace(""))
    return [*names[:-1], last.with_changes(comma=last.comma.with_changes(whitespace_after=after))]


def _carries_comment(names: list[cst.ImportAlias]) -> bool:
    """True when a name is followed by a comment (`ChatOpenAI,  # the default model`): the statement it
    moves to keeps the parentheses, so the comment goes with the name rather than nowhere."""
    return any(isinstance(n.comma, cst.Comma) and _commented(n.comma.whitespace_after) for n in names)


def _backslash(comma: cst.Comma | cst.MaybeSentinel) -> bool:
    """True for a comma followed by a backslash line break (`a, \\` + a new line), valid anywhere."""
    if not isinstance(comma, cst.Comma):
        return False
    after = comma.whitespace_after
    return isinstance(comma.whitespace_before, cst.SimpleWhitespace) and (
        isinstance(after, cst.SimpleWhitespace) and "\\" in after.value
    )


def _commented(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    """True when the whitespace after a comma holds a comment (`a,  # why`)."""
    if not isinstance(whitespace, cst.ParenthesizedWhitespace):
        return False
    return whitespace.first_line.comment is not None or any(line.comment for line in whitespace.empty_lines)
