"""`try: from new import A` / `except ImportError: from old import A` after a migration: both branches
now import the same, so the fallback has no use any more. It goes, its imports staying where the `try`
was, unless dropping the `try:` and `except ...:` lines would lose a comment or the statement does more
than import (an `else:`, a `finally:`, another statement): then it is kept and reported. A tool's
directive about the lines that go (`# pragma: no cover`, `# type: ignore`, `# noqa`, PyCharm's
`# noinspection`) goes with them.
"""

from __future__ import annotations

import re

import libcst as cst

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_DIRECTIVE = re.compile(
    r"#\s*(pragma:|type:\s*ignore\b|noqa\b|pylint:|pyright:\s*ignore\b|nosec\b|noinspection\b)"
)
_KEPT = "both branches of this try/except ImportError now import the same: remove the fallback by hand"

Statement = cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]


def drop_fallback(module: cst.Module, original: cst.Try, updated: cst.Try) -> tuple[Statement, str | None]:
    """The statement to write instead of `updated` (the rewrite of `original`), and a problem to report."""
    if not _catches_import_error(updated):
        return updated, None
    body, handler = updated.body, updated.handlers[0]
    was_same = _imports(module, original.body) == _imports(module, original.handlers[0].body)
    if was_same or _imports(module, body) != _imports(module, handler.body):
        return updated, None  # the migration did not make the branches import the same
    if not _import_fallback(updated) or not isinstance(body, cst.IndentedBlock) or _commented(updated):
        return updated, _KEPT
    first, *rest = body.body
    assert isinstance(first, cst.SimpleStatementLine)  # imports alone (`_import_fallback`)
    first = first.with_changes(leading_lines=[*updated.leading_lines, *first.leading_lines])
    return cst.FlattenSentinel([first, *rest]), None


def _catches_import_error(node: cst.Try) -> bool:
    """`try: ... except ImportError: ...` with one handler."""
    if len(node.handlers) != 1:
        return False
    caught = node.handlers[0].type
    names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
    return all(isinstance(name, cst.Name) and name.value in _IMPORT_ERRORS for name in names)


def _import_fallback(node: cst.Try) -> bool:
    """No `else` or `finally`, imports alone in both branches."""
    if node.orelse is not None or node.finalbody is not None:
        return False
    return all(_imports_only(suite) for suite in (node.body, node.handlers[0].body))


def _imports_only(suite: cst.BaseSuite | cst.BaseStatement) -> bool:
    lines = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    return all(
        isinstance(line, cst.SimpleStatementLine | cst.SimpleStatementSuite)
        and all(isinstance(small, cst.Import | cst.ImportFrom) for small in line.body)
        for line in lines
    )


def _imports(module: cst.Module, suite: cst.BaseSuite) -> str:
    """The import statements of a suite as code, without comments or blank lines."""
    bare = cst.TrailingWhitespace()
    if not isinstance(suite, cst.IndentedBlock):
        imports = _imports_only(suite)
        return module.code_for_node(suite.with_changes(trailing_whitespace=bare)) if imports else ""
    lines = [line for line in suite.body if _imports_only(line)]  # a block statement has no line end
    bare_lines = (line.with_changes(leading_lines=[], trailing_whitespace=bare) for line in lines)
    return "".join(module.code_for_node(line) for line in bare_lines)


def _commented(node: cst.Try) -> bool:
    """Whether dropping the `try:` and `except ImportError:` lines would lose a comment."""
    kept = _Comments()
    for line in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
        line.visit(kept)
    everything = _Comments()
    node.visit(everything)
    return everything.count > kept.count + sum(line.comment is not None for line in node.leading_lines)


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.count = 0

    def visit_Comment(self, node: cst.Comment) -> None:
        if not _DIRECTIVE.match(node.value):
            self.count += 1
