"""The plan of a Python file's module rewrites, and how a new qualified name is spelled in code.

A rule's `to` may say how its target is imported, as LibCST's RenameCommand reads it: `new.mod:Name`
is `from new.mod import Name` (then `Name.attr` in code), `new.mod:` is `import new.mod`; without a
colon the use decides (codemods.pyuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.rules import PYTHON, Match, RuleSet

MODULE, FROM = "module", "from"


@dataclass(frozen=True)
class Spelled:
    """A new qualified name split into the module to import and the attribute path after it."""

    module: str
    path: tuple[str, ...]
    style: str | None  # MODULE or FROM when the rule's `to` chose with a colon; None: the use decides


@dataclass(frozen=True)
class Retarget:
    """A `from p import q [as x]` alias that now imports `name` from `module`: its local stays `local`
    (an alias) unless `rename` and the file's uses could be renamed."""

    module: str
    name: str
    local: str
    rename: bool


@dataclass
class UsePlan:
    """What to change: code expressions, import aliases, and import statements to add."""

    replace: dict[int, cst.BaseExpression] = field(default_factory=dict)  # id(Name/Attribute) -> new
    attrs: dict[int, str] = field(default_factory=dict)  # id(Attribute) -> its new attribute name
    aliases: dict[int, list[cst.ImportAlias]] = field(default_factory=dict)  # id(alias) -> new ([] drops)
    retarget: dict[int, Retarget] = field(default_factory=dict)  # id(alias of a `from` import) -> where
    added: dict[int, list[cst.BaseSmallStatement]] = field(default_factory=dict)  # id(statement) -> after it
    renames: list[tuple[str, str]] = field(default_factory=list)  # locals = "rename": (old local, new)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    seen: dict[tuple[str, ...], list[cst.CSTNode]] = field(default_factory=dict)  # import -> top-level
    # statements that have it or will have it


def spell(target: str) -> Spelled:
    """`new.mod:Name.attr` -> (new.mod, (Name, attr), FROM); `new.mod:` -> MODULE; no colon: undecided."""
    module, colon, rest = target.partition(":")
    if colon and module:
        return Spelled(module, tuple(rest.split(".")) if rest else (), FROM if rest else MODULE)
    module = target.lstrip(":")
    return Spelled(module, (), None)


def module_of(target: str) -> str:
    """A target as a dotted module name: `unittest:mock` is the module `unittest.mock`."""
    spelled = spell(target)
    return ".".join((spelled.module, *spelled.path))


def as_object(target: str) -> Spelled:
    """A qualified name whose last part may be an object: imported with `from` unless a colon says."""
    spelled = spell(target)
    if spelled.style is not None or "." not in spelled.module:
        return spelled if spelled.style is not None else Spelled(spelled.module, (), MODULE)
    module, _, name = spelled.module.rpartition(".")
    return Spelled(module, (name,), None)


def dotted(name: str) -> cst.Attribute | cst.Name:
    """A dotted name as an expression node."""
    expression = cst.parse_expression(name)
    assert isinstance(expression, cst.Attribute | cst.Name)
    return expression


def single_target(match: Match) -> bool:
    """Every name of the rule stays together (renames allowed), so an import of the module can follow."""
    rule = match.rule
    return rule.move_all and ":" not in match.module and all(t.module is None for t in rule.exports.values())


def own_rule(rules: RuleSet, package: Match, name: str) -> Match | None:
    """The rule of `pkg.name` in `from pkg import name` when it is not the rule of `pkg`: the longest
    dotted name decides (`from six.moves import queue` follows a rule on `six.moves.queue`), unless the
    rule of `pkg` lists the name in its exports: then it is a name of `pkg`, not the submodule (the
    function `langchain.load.load` beside the module of the same name)."""
    found = rules.match(f"{package.specifier}.{name}", PYTHON)
    mine = found is None or found.rule is package.rule or name in package.rule.exports
    return None if mine else found
