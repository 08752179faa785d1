"""Chains of rules: a module a rule writes must not be rewritten again, by another rule or by the same
rule, or one run would do half the job and the next run the rest ("a second run changes nothing").

A literal target is checked exactly: the rules are asked what they do to that very module. A `to` with
wildcards is probed: each wildcard of `from` is filled with one or two segments of a name no rule
spells (`rules.samples`), and the module the rule writes for it is matched against the rules again;
so is every exact `from` of another rule that the rule can write. Every refusal so names a module that
really is rewritten twice (`<name>` standing for any name). The probe does not see a second match by a
pattern that needs the captured text itself to spell a literal of a `from` (`x-*-y` -> `x-*` writes
`x-a-y` for `x-a-y-y`, and matches that again); such names are left to review.
"""

from __future__ import annotations

from codemods.rules import LANGUAGES, Match, Rule, RuleSet, Target, samples
from depreport.errors import ConfigError


def check_no_chains(ruleset: RuleSet) -> None:
    """Raise ConfigError when names a rule moves into a module are moved or renamed again."""
    named: dict[str, list[str]] = {language: [] for language in LANGUAGES}  # exact `from`s
    for rule in ruleset.rules:
        if rule.pattern is None:
            named[rule.language].append(rule.source)
    for rule in (r for r in ruleset.rules if not r.keeps):  # a rule that keeps its modules moves nothing
        for to, target in _arrivals(rule, named[rule.language]):
            again = ruleset.match(target, rule.language)
            if again is None or (again.rule is rule and rule.in_place):
                continue  # renames inside one module are checked by rulecheck
            passed_on = _passed_on(rule, to, target, again)
            if passed_on:
                raise _chain_error(ruleset.source, rule, to, target, again, passed_on)


def _arrivals(rule: Rule, exact: list[str]) -> list[tuple[str, str]]:
    """(the module `to` names for one module matched, a module names arrive in), literal targets first;
    `exact` are the exact `from`s of the rules, for a `to` with wildcards that may write one of them."""
    named = {rule.to, *(t.module for t in rule.exports.values() if t.module)}
    found = [(rule.to, target) for target in sorted(t for t in named if "*" not in t)]
    if "*" in rule.to:
        written = [rule.target_module(example) for example in samples(rule.source, rule.language)]
        written += [module for module in exact if rule.source_of(module) is not None]
        found += [(module, module) for module in written if module is not None]
    return found


def _passed_on(rule: Rule, to: str, module: str, onward: Match) -> list[str]:
    """Names `rule` brings to `module` (its `to` being `to` there) that the onward rule moves or renames
    ("*": all it moves unlisted)."""
    moves_all = onward.rule.move_all and not onward.rule.in_place
    arriving = {t.name for t in rule.exports.values() if (t.module or to) == module}
    changed = {name for name in onward.rule.exports if onward.target(name) != Target(module, name)}
    if rule.becomes is not None:
        arriving = {rule.becomes} if module == to else set()
    elif rule.move_all and module == to:
        arriving |= {"*"} if moves_all else changed - rule.exports.keys()
    kept = {name for name in arriving if onward.target(name) == Target(module, name)}  # left where they are
    return sorted(arriving - kept if moves_all else arriving & changed)


def _chain_error(
    source: str, rule: Rule, to: str, target: str, again: Match, passed_on: list[str]
) -> ConfigError:
    shown, onward = _shown(target), _shown(again.module)
    if again.rule is rule:
        return ConfigError(
            f"{source}: rule {rule.id!r} writes {shown!r}, which its own from {rule.source!r} matches "
            f"again: a second run would make it {onward!r}",
            f"write a to that {rule.source!r} does not match (a new name, not one inside the old), "
            "or narrow from",
        )
    final = again.target(rule.becomes) if rule.becomes is not None else None
    straight = f'to = "{final.module}", as = "{final.name}"' if final is not None else ""
    if again.rule.in_place:
        onwards = [again.rule.exports[k] for k in passed_on]
        renames = ", ".join(f'{k} = "{_spelled(t)}"' for k, t in zip(passed_on, onwards, strict=True))
        does = "moves them on" if any(t.module for t in onwards) else "renames them again"
        return ConfigError(
            f"{source}: rule {rule.id!r} moves names to {shown!r}, where rule "
            f"{again.rule.id!r} {does}: a second run would change files again",
            f"point rule {rule.id!r} straight at where it ends: {straight}"
            if straight
            else f"give rule {rule.id!r} those targets in its [rule.exports] ({renames})",
        )
    origin = rule.source_of(target)
    hint = f"point rule {rule.id!r} straight at {onward!r}"
    if straight:
        hint = f"point rule {rule.id!r} straight at where it ends: {straight}"
    elif "*" not in passed_on:  # the onward rule takes some names only: pointing `to` would send all
        entries = _straight(rule, to, target, again, passed_on)
        hint = f"give rule {rule.id!r} those targets in its [rule.exports] ({entries})"
    elif origin is not None:
        hint = f"send {_shown(origin)!r} straight to {onward!r}: a rule of its own first, or another to"
    elif again.rule.pattern is None and again.rule.source == target:  # the onward rule frees the name
        hint += (
            f"; or, when {shown!r} is a name given to another module (a shift), put rule {rule.id!r} in a "
            "rules file of its own, run after the others (which must then not run again)"
        )
    return ConfigError(
        f"{source}: rule {rule.id!r} moves names to {shown!r}, which rule "
        f"{again.rule.id!r} moves on to {onward!r}",
        hint,
    )


def _straight(rule: Rule, to: str, module: str, onward: Match, names: list[str]) -> str:
    """[rule.exports] entries of `rule` that send `names`, arriving in `module`, where `onward` takes them."""
    entries = []
    for name in names:
        old = next(
            (k for k, t in rule.exports.items() if t.name == name and (t.module or to) == module), name
        )
        final = onward.target(name)
        entries.append(f'{old} = "{_spelled(final) if final is not None else name}"')
    return ", ".join(entries)


def _spelled(target: Target) -> str:
    """A target as [rule.exports] writes it: "Name", or "module:Name" when it leaves the module."""
    return f"{target.module}:{target.name}" if target.module else target.name


def _shown(module: str) -> str:
    """A module as the user reads it: the probe's unknown segments (`\\0`) written `<name>`."""
    return module.replace("\0", "<name>")
