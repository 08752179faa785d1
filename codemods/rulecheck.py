"""Rules that could never change anything are refused when the rules load, each named with the reason.

A migration that silently does nothing is worse than one that refuses: a rule whose `to` is its `from`
without a rename, a pattern that an earlier pattern always wins over, an export sent to a name the
target is known not to export, a rename chain inside one module (a second run would rename again), or
renames on a rule that only sees side-effect imports.
"""

from __future__ import annotations

from codemods.rules import SIDE_EFFECT, Rule, RuleSet, samples
from depreport.errors import ConfigError


def check_applies(ruleset: RuleSet) -> None:
    """Raise ConfigError naming the first rule that can never apply, or apply only partly."""
    patterns: list[Rule] = []
    for rule in ruleset.rules:
        problem = _in_place_problem(rule) or _kinds_problem(rule) or _known_problem(ruleset, rule)
        if problem is None and rule.pattern is not None:
            problem = _shadowed(rule, [p for p in patterns if p.language == rule.language])
            patterns.append(rule)
        if problem is not None:
            raise ConfigError(f"{ruleset.source}: rule {rule.id!r} {problem[0]}", problem[1])


def _in_place_problem(rule: Rule) -> tuple[str, str] | None:
    if not rule.in_place:
        return None
    moved = {
        name: target
        for name, target in rule.exports.items()
        if target.module not in (None, rule.to) or target.name != name
    }
    if not moved and not rule.adds:
        return (
            "can never apply: its from and to are the same and no export is renamed or moved",
            'rename exports in [rule.exports] (Icon = "IconV2"), or point to at the new module',
        )
    for name, target in moved.items():
        again = rule.exports.get(target.name)
        if target.module in (None, rule.to) and again is not None and again.name != target.name:
            return (
                f"renames {name} to {target.name}, which it renames again to {again.name}: "
                "a second run would change the file again",
                f'rename {name} straight to its last name: {name} = "{again.name}"',
            )
    return None


def _kinds_problem(rule: Rule) -> tuple[str, str] | None:
    if rule.kinds == {SIDE_EFFECT} and rule.exports:
        return (
            "renames exports but only applies to side-effect imports, which bind no names",
            'drop [rule.exports], or add "value" and "type" to imports',
        )
    return None


def _known_problem(ruleset: RuleSet, rule: Rule) -> tuple[str, str] | None:
    for name, target in rule.exports.items():
        module = target.module or rule.to
        known = ruleset.exports_of(module)
        if "*" not in module and known is not None and target.name not in known:
            return (
                f"sends {name} to {module}:{target.name}, which known_exports says {module} does not export",
                f"add {target.name!r} to known_exports.{module!r}, or fix the export name",
            )
    return None


def _shadowed(rule: Rule, earlier: list[Rule]) -> tuple[str, str] | None:
    examples = samples(rule.source, rule.language)
    for other in earlier:
        if all(other.target_module(example) is not None for example in examples):
            return (
                f"can never apply: every module it matches is matched first by rule {other.id!r}",
                f"put rule {rule.id!r} before rule {other.id!r}",
            )
    return None
