"""`importlib.import_module("old.mod")` and `__import__("old.mod")`: a string literal that is an import.

Under a rule that moves the module as it is (every name keeps its name and goes to `to`), the literal of
`import_module` is rewritten, its quotes kept, as JS's `import('old')` is: the call then loads the new
module, which has everything read from the old one. Under a rule that renames names of the module or
moves some elsewhere, what the call returns is used where the file cannot follow it (`m.Name`, `m`
passed on): the call is reported, to change by hand, as `import old as m` + `getattr(m, x)` is.
`__import__` returns the top-level package (`__import__("a.b").b`), so its literal is never rewritten:
it is reported under any rule that moves the module. A name that is not a literal (`import_module(name)`)
names no module the file spells: nothing to do; a relative one is looked up when its package is a literal.
"""

from __future__ import annotations

from importlib.util import resolve_name
from typing import cast

import libcst as cst
from libcst.metadata import ScopeProvider

from codemods.pybindings import FileNames
from codemods.pyplan import UsePlan, module_of
from codemods.rules import PYTHON, Match, RuleSet

IMPORT_MODULE, DUNDER_IMPORT = "importlib.import_module", "builtins.__import__"


def plan_dynamic_imports(source: bytes, rules: RuleSet, names: FileNames, uses: UsePlan) -> dict[int, str]:
    """Plan the literals of the file's import_module() and __import__() calls that name a module a rule
    moves into `uses` (a rewrite, or a note): id of each string node -> the id of the rule that matched."""
    if b"import_module" not in source and b"__import__" not in source:
        return {}
    calls = _Calls()
    names.wrapper.module.visit(calls)
    scopes = names.wrapper.resolve(ScopeProvider)
    decided: dict[int, str] = {}
    for call in calls.found:
        scope = scopes.get(call.func)
        called = set() if scope is None else {q.name for q in scope.get_qualified_names_for(call.func)}
        function = called & {IMPORT_MODULE, DUNDER_IMPORT}
        literal = _argument(call, 0, "name")
        text = _constant(literal)
        if not function or literal is None or text is None:
            continue
        importlib = IMPORT_MODULE in function
        absolute = _absolute(text, _argument(call, 1, "package") if importlib else None)
        match = None if absolute is None else rules.match(absolute, PYTHON)
        if absolute is None or match is None or match.rule.keeps:
            continue
        shown = names.wrapper.module.code_for_node(literal)
        message = _plan_call(match, literal, shown, absolute, importlib, uses)
        if message is not None:
            uses.notes.append((names.line(call), message))
        decided[id(literal)] = match.rule.id
    return decided


def _plan_call(
    match: Match, literal: cst.BaseExpression, written: str, absolute: str, importlib: bool, uses: UsePlan
) -> str | None:
    """Rewrite the literal of one call (into `uses.replace`), or say why it stays: a literal written in
    pieces (`"pkg." "old"`, `f"pkg.old"`) is said, not rewritten."""
    new = module_of(match.module)
    shown = f"{'importlib.import_module' if importlib else '__import__'}({written})"
    simple = literal if isinstance(literal, cst.SimpleString) and literal.raw_value == absolute else None
    if importlib and match.rule.pure and simple is not None:
        uses.replace[id(simple)] = simple.with_changes(
            value=f"{simple.prefix}{simple.quote}{new}{simple.quote}"
        )
        return None
    if match.rule.pure:
        return f"{shown} left as it is: rule {match.rule.id!r} moves {absolute} to {new}; change it by hand"
    return (
        f"{shown} left as it is: rule {match.rule.id!r} renames or moves names of {absolute}, which the "
        "module it returns may be used for where they cannot be followed: check its uses, change them by hand"
    )


def _constant(node: cst.BaseExpression | None) -> str | None:
    """The text of a string the file spells whole: a literal, literals side by side, or an f-string
    with nothing to fill in; None for anything else (a name, bytes, an f-string with a field)."""
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString) and all(
        isinstance(part, cst.FormattedStringText) for part in node.parts
    ):
        return "".join(cast(cst.FormattedStringText, part).value for part in node.parts)
    return None


def _absolute(name: str, package: cst.BaseExpression | None) -> str | None:
    """The module a name names (`.mod` of the package "pkg" is pkg.mod), None when the file does not
    say (a relative name of a package that is not a literal)."""
    if not name.startswith("."):
        return name
    anchor = _constant(package)
    try:
        return resolve_name(name, anchor) if isinstance(anchor, str) and anchor else None
    except (ImportError, ValueError):  # beyond the top-level package
        return None


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The argument at `position` or named `keyword`, or None."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position < len(positional):
        return positional[position].value
    named = [a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword]
    return named[0] if named else None


class _Calls(cst.CSTVisitor):
    """Every call of the file."""

    def __init__(self) -> None:
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        """Remember the call."""
        self.found.append(node)
