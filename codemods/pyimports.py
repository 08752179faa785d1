"""How a rewritten Python import statement is written: names split by target module, commas and
semicolons fixed so that the statement reads as if written by hand."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.pyparens import carries_comment, regroup
from codemods.pyplan import dotted

Groups = dict[str, list[tuple[int, cst.ImportAlias]]]  # module -> (position in the statement, name)


def split_names(
    node: cst.ImportFrom, groups: Groups, specifier: str
) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
    """The statement for the names that stay (or the first group) and one per other target module."""
    if not groups:
        return [], []
    keep = specifier if specifier in groups else next(iter(groups))
    kept = _with_names(node, groups[keep], None if keep == specifier else keep, kept=True)
    moved: list[cst.BaseSmallStatement] = [
        _with_names(node, groups[m], m, kept=False) for m in groups if m != keep
    ]
    return [kept], moved


def keep_names(
    node: cst.Import | cst.ImportFrom, names: list[cst.ImportAlias]
) -> cst.Import | cst.ImportFrom:
    """`node` with only those of its names that are in `names` (the same nodes), each with its comments."""
    if isinstance(node, cst.ImportFrom) and node.lpar is not None and isinstance(node.names, Sequence):
        return regroup(node, [(at, a) for at, a in enumerate(node.names) if any(a is n for n in names)], True)
    return node.with_changes(names=plain_commas(names))


def no_last_semicolon(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """The statements with no semicolon after the last one."""
    return [*body[:-1], body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]


def _with_names(
    node: cst.ImportFrom, picked: list[tuple[int, cst.ImportAlias]], module: str | None, kept: bool
) -> cst.ImportFrom:
    """The statement of the `picked` names: in parentheses as they were when it keeps the old module's
    place or when a comment goes with a name that moves (codemods.pyparens), else on one line."""
    if node.lpar is not None and (kept or carries_comment(node, [at for at, _ in picked])):
        statement = regroup(node, picked, kept)
    else:
        names = plain_commas([alias for _, alias in picked])
        statement = node.with_changes(names=names, lpar=None, rpar=None)
    return statement if module is None else statement.with_changes(module=dotted(module))


def plain_commas(names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The names of a statement without parentheses, their commas fixed: none at the end, one space
    after the others (a comma followed by a backslash line break keeps it)."""
    plain = cst.MaybeSentinel.DEFAULT
    between = [n if _backslash(n.comma) else n.with_changes(comma=plain) for n in names[:-1]]
    return [*between, names[-1].with_changes(comma=plain)]


def _backslash(comma: cst.Comma | cst.MaybeSentinel) -> bool:
    """True for a comma followed by a backslash line break (`a, \\` + a new line), valid anywhere."""
    if not isinstance(comma, cst.Comma):
        return False
    after = comma.whitespace_after
    return isinstance(comma.whitespace_before, cst.SimpleWhitespace) and (
        isinstance(after, cst.SimpleWhitespace) and "\\" in after.value
    )
