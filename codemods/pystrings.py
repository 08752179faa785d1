"""Strings in a Python file that name something a rule moves: reported with what to write, never rewritten.

`@mock.patch("django.conf.urls.url")`, a string annotation `"collections.Mapping[str, int]"`: each
dotted name in a string literal (or a string that is one name) is looked up as a use in code would be,
longest dotted name first. A string may be prose or a key that only looks like a name, so it is left for
a person to change. The module an `importlib.import_module("old.mod")` call names is an import, which
codemods.pydynamic decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import libcst as cst

from codemods.pybindings import exports_all
from codemods.pyplan import module_of
from codemods.rules import PYTHON, RuleSet

_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def report_strings(
    module: cst.Module, rules: RuleSet, line: Callable[[cst.CSTNode], int], decided: Collection[int] = ()
) -> list[tuple[int, str]]:
    """(line, message) for each string that names a moved module or name, once per name and line, but
    those `decided` (ids of the literals of import_module() calls, rewritten or reported apart)."""
    finder = _Strings()
    module.visit(finder)
    notes: list[tuple[int, str]] = []
    for node, value in finder.found:
        if id(node) in decided:
            continue
        names = [value] if value.isidentifier() else [m.group() for m in _DOTTED.finditer(value)]
        for name in names:
            moved = moved_to(rules, name)
            note = None if moved is None else (line(node), _message(*moved))
            if note is not None and note not in notes:
                notes.append(note)
    return notes


def moved_to(rules: RuleSet, name: str) -> tuple[str, str] | None:
    """(the part of `name` that moves, what replaces it), or None when nothing in it moves."""
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        match = rules.match(".".join(parts[:k]), PYTHON)
        if match is None:
            continue
        if k == len(parts):
            new = module_of(match.module)
            return None if new == name else (name, new)
        target = match.target(parts[k])
        old = ".".join(parts[: k + 1])
        new = "" if target is None else f"{module_of(target.module or match.module)}.{target.name}"
        return None if target is None or new == old else (old, new)
    return None


def _message(old: str, new: str) -> str:
    return f"a string names {old}, which a rule moves to {new}: left as it is; change it by hand"


class _Strings(cst.CSTVisitor):
    """Every plain string literal with its value (f-strings and bytes are left out), but those of
    `__all__`, which name the file's own names (kept by the rewrite), not modules."""

    def __init__(self) -> None:
        self.found: list[tuple[cst.SimpleString, str]] = []

    def visit_Assign(self, node: cst.Assign) -> bool:
        """Skip `__all__ = [...]`."""
        return not any(exports_all(target.target) for target in node.targets)

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        """Skip `__all__ += [...]`."""
        return not exports_all(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        """Skip `__all__: list[str] = [...]`."""
        return not exports_all(node.target)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        """Remember the string when its value is text."""
        value = node.evaluated_value
        if isinstance(value, str):
            self.found.append((node, value))
