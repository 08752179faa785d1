"""Rules that could never change anything, or would write wrong modules, are refused when the rules load,
each named with the reason.

A migration that silently does nothing is worse than one that refuses: a rule whose `to` is its `from`
without a rename (unless a pattern tried after it would move what it matches: then it keeps those modules
where they are), a pattern that an earlier pattern always wins over, an export sent to a name the
target is known not to export, a rename chain inside one module (a second run would rename again),
renames on a rule that only sees side-effect imports, or a Python name sent where another rule moves the
module of that name with renames (uses through the name would miss them), or a reserved word written
as a local name (`import { class } from 'x'`, a syntax error). Patterns are checked on their
own first (`check_pattern`): wildcards that cannot be put back into `to` as a module name, and a `from`
that starts with a wildcard, which would match Node's built-in modules and relative imports too.
"""

from __future__ import annotations

import re

from codemods.names import js_local
from codemods.rules import (
    DEFAULT,
    JS,
    PYTHON,
    SIDE_EFFECT,
    TYPE,
    VALUE,
    Locals,
    Rule,
    RuleSet,
    Target,
    samples,
    wildcards,
)
from depreport.errors import ConfigError

MAX_WILDCARDS = 8  # real patterns have one to three ("@material-ui/*/**")

# What a `from` starting with a wildcard matches besides packages, and how to start it instead.
_EVERY_MODULE = {
    JS: ("relative imports (./x) and Node's built-in modules (fs, node:fs)", "'old-*' or '@old/**'"),
    PYTHON: ("the standard library (os, sys)", "'old_pkg.*' or 'old_pkg.**'"),
}


def check_pattern(label: str, origin: str, to: str, language: str) -> None:
    """Raise ConfigError when the wildcards of `from` and `to` do not say one module name for each match:
    at most MAX_WILDCARDS, as many in `to` as in `from` (or none), `**` only as a whole path segment (as
    in glob tools, where `old-**` is no more than `old-*`), no wildcard first in `from`, and a trailing
    `/**` of `from` (which also matches the module itself, with nothing below it) paired with a trailing
    `/**` of `to`."""
    separator = "/" if language == JS else "."
    count = wildcards(origin, language)
    if count > MAX_WILDCARDS:
        raise ConfigError(
            f"{label}: key 'from': {origin!r} has {count} wildcards, more than {MAX_WILDCARDS}: checking it "
            "against the other rules would try every way its `**` can fill (2 to the power of their number)",
            f"write it with fewer wildcards: one trailing {separator}** matches everything below a module",
        )
    if wildcards(to, language) not in (0, count):
        raise ConfigError(f"{label}: key 'to' has more wildcards than 'from'",
                          "use as many wildcards in to as in from, or none")  # fmt: skip
    for key, text in (("from", origin), ("to", to)):
        if any("**" in part and part != "**" for part in text.split(separator)):
            raise ConfigError(
                f"{label}: key {key!r}: {text!r}: `**` must be a whole path segment",
                f"write {_one_segment(text, separator)!r} (one segment) or "
                f"{_one_segment(text, separator) + separator + '**'!r} (it and everything below it)",
            )
    if origin.startswith("*"):
        others, example = _EVERY_MODULE[language]
        raise ConfigError(
            f"{label}: key 'from': {origin!r} starts with a wildcard: it matches every module, {others} too",
            f"start from with the package you move, e.g. {example}",
        )
    tail = separator + "**"
    if origin.endswith(tail) and wildcards(to, language) and not to.endswith(tail):
        raise ConfigError(
            f"{label}: key 'to': {to!r} does not end with {tail!r}, but from {origin!r} does: from also "
            f"matches {origin[: -len(tail)]!r} itself, which leaves the last wildcard of to empty",
            f"end to with {tail!r} too, or end from with {separator + '*'!r} (one segment below it)",
        )


def _one_segment(text: str, separator: str) -> str:
    """`text` with every `**` glued to other text in a segment written `*`."""
    parts = text.split(separator)
    return separator.join(part if part == "**" else re.sub(r"\*{2,}", "*", part) for part in parts)


def check_applies(ruleset: RuleSet) -> None:
    """Raise ConfigError naming the first rule that can never apply, or apply only partly."""
    for rule in ruleset.rules:
        problem = (
            _becomes_problem(ruleset, rule)
            or _in_place_problem(ruleset, rule)
            or _kinds_problem(rule)
            or _local_names_problem(rule)
            or _known_problem(ruleset, rule)
            or _module_sent_as_a_name(ruleset, rule)
            or _wildcard_default_problem(rule)
        )
        if problem is None and rule.pattern is not None:
            problem = _shadowed(rule, ruleset.patterns.earlier(rule))
        if problem is not None:
            raise ConfigError(f"{ruleset.source}: rule {rule.id!r} {problem[0]}", problem[1])


def _in_place_problem(ruleset: RuleSet, rule: Rule) -> tuple[str, str] | None:
    if not rule.in_place:
        return None
    if rule.keeps and not (rule.language == JS and _shields(ruleset, rule)):
        keep = " (JavaScript rules only)" if rule.language != JS else ""
        return (
            "can never apply: its from and to are the same, no export is renamed or moved, and no "
            "pattern after it would move the modules it matches",
            'rename exports in [rule.exports] (Icon = "IconV2"), or point to at the new module; a rule '
            f"like this keeps modules out of a pattern written after it{keep}",
        )
    for name, target in rule.moved_exports.items():
        again = rule.exports.get(target.name)
        if target.module in (None, rule.to) and again is not None and again.name != target.name:
            return (
                f"renames {name} to {target.name}, which it renames again to {again.name}: "
                "a second run would change the file again",
                f'rename {name} straight to its last name: {name} = "{again.name}"',
            )
    return None


def _becomes_problem(ruleset: RuleSet, rule: Rule) -> tuple[str, str] | None:
    """What a rule whose whole module becomes one export of `to` (`as`) cannot also say."""
    name = rule.becomes
    if name is None:
        return None
    if rule.pattern is not None or "*" in rule.to:
        return (
            f"has wildcards and as = {name!r}: every module it matches would become the same export "
            f"{name}, and a wildcard cannot spell a name (react-alert-dialog is not AlertDialog)",
            f'write one rule per module, each with from, to and as written out (as = "{name}")',
        )
    if rule.in_place:
        return (f"makes {rule.source} an export of itself", f"point to at the module that exports {name}")
    if rule.exports:
        return (
            f"renames exports, but its module becomes {rule.to}'s {name} as a whole: the old exports "
            f"are members of it ({name}.Root) under their own names",
            "drop [rule.exports] and default (and move), or drop as and move the names one by one",
        )
    if not {VALUE, TYPE} <= rule.kinds:
        return (
            "applies to value or type imports alone, but its module becomes one export: an import of "
            "the other kind would still name a module that is gone",
            'drop imports, or write imports = ["value", "type"]',
        )
    known = ruleset.exports_of(rule.to)
    if known is not None and name not in known:
        return (
            f"makes {rule.source} the export {name} of {rule.to}, which known_exports says "
            f"{rule.to} does not export",
            f"add {name!r} to known_exports.{rule.to!r}, or fix the name",
        )
    return None


def _shields(ruleset: RuleSet, rule: Rule) -> bool:
    """True when a pattern tried after `rule` would move some module `rule` matches (exact rules are
    tried before every pattern, patterns in order)."""
    after = ruleset.rules[ruleset.rules.index(rule) + 1 :] if rule.pattern is not None else ruleset.rules
    examples = samples(rule.source, rule.language)
    patterns = [p for p in after if p.pattern is not None and p.language == rule.language and not p.keeps]
    return any(p.target_module(example) is not None for p in patterns for example in examples)


def _kinds_problem(rule: Rule) -> tuple[str, str] | None:
    if rule.kinds == {SIDE_EFFECT} and rule.exports:
        return (
            "renames exports but only applies to side-effect imports, which bind no names",
            'drop [rule.exports], or add "value" and "type" to imports',
        )
    return None


def _wildcard_default_problem(rule: Rule) -> tuple[str, str] | None:
    """A default named after what the wildcards of `from` matched needs as many of them in `from`."""
    name = rule.exports[DEFAULT].name if DEFAULT in rule.exports else ""
    if "*" not in name or wildcards(name, rule.language) == wildcards(rule.source, rule.language):
        return None
    return (
        f"names the default export {name!r} after the wildcards of from {rule.source!r}, which has "
        f"{wildcards(rule.source, rule.language)} of them",
        'give default as many wildcards as from has, e.g. from = "lodash/*" with default = "*"',
    )


def _local_names_problem(rule: Rule) -> tuple[str, str] | None:
    """A name the rule would write as a local name (an added import; with locals = "rename", every new
    export name) that a module cannot bind: `import { class } from 'x'` is a syntax error."""
    if rule.language != JS:
        return None
    for add in rule.adds:
        if add.name is not None and not js_local(add.name):
            return (
                f"adds import {{ {add.name} }} from '{add.module}': {add.name!r} cannot be a local name "
                "(a reserved word)",
                f"add that import by hand, under a name of its own: import {{ {add.name} as Other }}",
            )
    if rule.locals != Locals.RENAME:
        return None
    for old, target in rule.exports.items():
        if target.name != DEFAULT and "*" not in target.name and not js_local(target.name):
            return (
                f'renames {old} to {target.name}, which locals = "rename" makes a local name, and '
                f"{target.name!r} cannot be one (a reserved word)",
                f'use locals = "keep": the local name stays and the import says {{ {target.name} as {old} }}',
            )
    return None


def _known_problem(ruleset: RuleSet, rule: Rule) -> tuple[str, str] | None:
    for name, target in rule.exports.items():
        module = target.module or rule.to
        known = ruleset.exports_of(module)
        if "*" not in module + target.name and known is not None and target.name not in known:
            return (
                f"sends {name} to {module}:{target.name}, which known_exports says {module} does not export",
                f"add {target.name!r} to known_exports.{module!r}, or fix the export name",
            )
    return None


def _module_sent_as_a_name(ruleset: RuleSet, rule: Rule) -> tuple[str, str] | None:
    """A Python rule that lists a name `pkg.x` sends where another rule moves the module `pkg.x`, with
    renames: uses reached through the name (`from pkg import x`, `x.Old`) follow the first rule and miss
    the renames (a function beside a module of its name, sent elsewhere, is no such case)."""
    if rule.language != PYTHON or rule.pattern is not None:
        return None
    for name, target in rule.exports.items():
        sent = f"{target.module or rule.to}.{target.name}"
        found = ruleset.match(f"{rule.source}.{name}", rule.language)
        if found is None or found.rule is rule or found.module.replace(":", ".").rstrip(".") != sent:
            continue
        renamed = [n for n in found.rule.exports if found.target(n) != Target(found.module, n)]
        if renamed:
            return (
                f"sends {name} to {sent} as a name, but rule {found.rule.id!r} moves the module "
                f"{found.specifier} there with renames: uses reached through the name ({name}.{renamed[0]}) "
                "would miss them",
                f"drop {name} from the [rule.exports] of rule {rule.id!r}: rule {found.rule.id!r} moves it",
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
