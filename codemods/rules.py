"""Compiled migration rules: which module a specifier moves to, and where each of its exports goes.

A rule's `from` is a module name or a pattern: `*` stands for one path segment or part of one (no `/`;
no `.` in Python rules), `**` for one or more whole segments, and a trailing `/**` (`.**`) for the module
itself and everything below it (`rulecheck.check_pattern` refuses a `**` that is not a whole segment).
`to` may use the same wildcards; each is replaced by the segments the wildcard at the same position
matched, without the separator around them: a trailing `/**` of `to` puts its own `/` back, and only
when there is something below the module.
Exact rules are tried first, then patterns in file order; a rule never matches its own result, except
a rule whose `to` is its `from` (it renames exports inside one module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from codemods.globs import TAIL, Glob
from codemods.ruleindex import PatternIndex, shortest_prefixes

DEFAULT = "default"
ALL = "*"  # JS `Name = "module:*"`: the export becomes that whole module (`import * as Name`)

JS = "js"
PYTHON = "python"
LANGUAGES = (JS, PYTHON)
# Which rules apply to which grammar of depreport.scan.languages.
RULE_LANGUAGE = {"javascript": JS, "typescript": JS, "tsx": JS, "python": PYTHON}

# The kinds of JS imports a rule can be limited to (`imports = [...]`).
VALUE = "value"
TYPE = "type"
SIDE_EFFECT = "side-effect"
IMPORT_KINDS = (VALUE, TYPE, SIDE_EFFECT)


class Locals(StrEnum):
    """What happens to local names when an export is renamed."""

    KEEP = "keep"  # `{New as Old}`
    RENAME = "rename"  # `{New}` and every reference in the file renamed


@dataclass(frozen=True, slots=True)
class Target:
    """Where one export goes: a module (None = the rule's `to`) and the export's new name."""

    module: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Add:
    """An import a rule adds to the files it matches: `import 'module'` (name None) or `{name}`."""

    module: str
    name: str | None
    when: frozenset[str] = frozenset()  # old export names; empty = whenever the rule matches a site


@dataclass(frozen=True)
class Rule:
    """One compiled `[[rule]]`."""

    id: str
    language: str
    source: str  # the `from` text
    to: str
    pattern: Glob | None  # None for an exact `from`
    exports: dict[str, Target] = field(default_factory=dict)  # "default" included when given
    move_all: bool = True
    locals: Locals = Locals.KEEP
    kinds: frozenset[str] = frozenset(IMPORT_KINDS)
    adds: tuple[Add, ...] = ()
    becomes: str | None = None  # JS `to = "radix-ui:Dialog"`: the module becomes this named export of `to`

    @property
    def in_place(self) -> bool:
        """True when `to` is `from`: the rule renames exports inside one module."""
        return self.to == self.source

    @property
    def moved_exports(self) -> dict[str, Target]:
        """The exports the rule renames or sends to another module."""
        return {
            name: target
            for name, target in self.exports.items()
            if target.module not in (None, self.to) or target.name != name
        }

    @property
    def keeps(self) -> bool:
        """True when the rule changes nothing in the modules it matches (`to` is `from`, no export renamed
        or moved, nothing added): it keeps them out of a pattern that would move them."""
        return self.in_place and not self.moved_exports and not self.adds

    def target_module(self, specifier: str) -> str | None:
        """The module `specifier` moves to, or None when this rule does not match it."""
        if self.pattern is None:
            new = self.to if specifier == self.source else None
        else:
            found = self.pattern.fullmatch(specifier)
            new = None if found is None else _substitute(self.to, self.language, found)
        return None if new == specifier and not self.in_place else new

    def source_of(self, module: str) -> str | None:
        """A module this rule moves to `module`, or None when it writes `module` for none (or `to` is
        literal)."""
        written = compile_pattern(self.to, self.language)
        found = None if written is None else written.fullmatch(module)
        if found is None:
            return None
        source = _substitute(self.source, self.language, found)
        return source if self.target_module(source) == module else None

    @property
    def single_target(self) -> bool:
        """True when no export is sent to a module other than `to` (renames allowed)."""
        return all(t.module in (None, self.to) for t in self.exports.values())

    @property
    def pure(self) -> bool:
        """True when every export keeps its name and goes to `to`: the module as a whole can move."""
        return (
            self.becomes is None
            and self.move_all
            and all(t.module is None and t.name == name for name, t in self.exports.items())
        )

    @property
    def one_to_one(self) -> bool:
        """True when each module the rule matches gets a target of its own: a literal `from`, or as many
        wildcards in `to` as in `from` (a pattern with a literal `to` merges many modules into one)."""
        count = wildcards(self.to, self.language)
        return self.pattern is None or count == wildcards(self.source, self.language)

    def sends_to(self, module: str) -> bool:
        """True when this rule names `module` as where a module or some names go."""
        named = any(target.module == module for target in self.exports.values())
        return named or (self.to == module and not self.in_place)


@dataclass(frozen=True, slots=True)
class Match:
    """A specifier that a rule matched, and the module it moves to."""

    rule: Rule
    specifier: str
    module: str

    def merged_default_problem(self, export: str) -> str | None:
        """Why a default export cannot follow a pattern rule that merges many modules into one `to` and says
        nothing of defaults (the target cannot have each module's default as its own), or None."""
        rule = self.rule
        if export != DEFAULT or DEFAULT in rule.exports or rule.one_to_one or rule.becomes is not None:
            return None
        return (
            f"rule {rule.id!r} merges many modules into {self.module}, which cannot have the default export "
            f'of each: give {self.specifier} a rule of its own with default = "Name"'
        )

    def target(self, export: str) -> Target | None:
        """Where `export` goes (module always set), or None when it stays in the old module."""
        rule = self.rule
        found = rule.exports.get(export)
        if found is not None and found.module is None and "*" in found.name and rule.pattern is not None:
            matched = rule.pattern.fullmatch(self.specifier)  # `default = "*"`: named as the wildcard matched
            name = _substitute(found.name, rule.language, matched or ())
            return Target(found.module or self.module, name)
        if found is not None:
            return Target(found.module or self.module, found.name)
        if rule.move_all:
            return Target(self.module, export)
        return None


@dataclass(frozen=True)
class RuleSet:
    """Every rule of a rules file, plus what target modules are known to export."""

    rules: tuple[Rule, ...]
    known_exports: dict[str, frozenset[str]] = field(default_factory=dict)
    source: str = "<rules>"
    # Derived in __post_init__: exact rules by (language, module), and literal prefixes by language.
    exact: dict[tuple[str, str], Rule] = field(init=False, repr=False, compare=False)
    literal_prefixes: dict[str, tuple[bytes, ...]] = field(init=False, repr=False, compare=False)
    patterns: PatternIndex = field(init=False, repr=False, compare=False)  # by literal start
    adding: tuple[Rule, ...] = field(init=False, repr=False, compare=False)  # rules with [[rule.add]]

    def __post_init__(self) -> None:
        exact: dict[tuple[str, str], Rule] = {}
        for rule in self.rules:
            if rule.pattern is None:
                exact.setdefault((rule.language, rule.source), rule)
        object.__setattr__(self, "exact", exact)  # frozen: set once, here
        prefixes = {
            lang: shortest_prefixes(_literal_start(r).encode() for r in self.rules if r.language == lang)
            for lang in LANGUAGES
        }
        object.__setattr__(self, "literal_prefixes", prefixes)
        starts = ((r, _literal_start(r)) for r in self.rules if r.pattern is not None)
        object.__setattr__(self, "patterns", PatternIndex(starts))
        object.__setattr__(self, "adding", tuple(rule for rule in self.rules if rule.adds))

    def match(self, specifier: str, language: str) -> Match | None:
        """The rule that moves `specifier` (exact rules first, then patterns in order), if any."""
        rule = self.exact.get((language, specifier))
        if rule is not None:
            module = rule.target_module(specifier)
            return None if module is None else Match(rule, specifier, module)
        for _, rule in self.patterns.candidates(specifier, language):
            module = rule.target_module(specifier)
            if module is not None:
                return Match(rule, specifier, module)
        return None

    def renamed_one_to_one(self, match: Match) -> bool:
        """True when `match.module` is `match.specifier` under a new name: the rule moves the module as
        a whole, one module per target, and no other rule names that target as where modules or
        names go."""
        rule = match.rule
        others = (r for r in self.rules if r is not rule and r.language == rule.language)
        return rule.pure and rule.one_to_one and not any(r.sends_to(match.module) for r in others)

    def prefixes(self, language: str) -> tuple[bytes, ...]:
        """Literal text every matching specifier starts with: files without any of them are skipped."""
        return self.literal_prefixes[language]

    def languages(self) -> frozenset[str]:
        """The rule languages that have at least one rule."""
        return frozenset(rule.language for rule in self.rules)

    def exports_of(self, module: str) -> frozenset[str] | None:
        """The names `module` is known to export, or None when nobody said."""
        return self.known_exports.get(module)


def compile_pattern(text: str, language: str) -> Glob | None:
    """The matcher of a `from` pattern, or None when it is a plain module name."""
    if "*" not in text:
        return None
    return Glob(tuple(_split(text, language)), "/" if language == JS else ".")


def wildcards(text: str, language: str) -> int:
    """How many wildcards a `from`/`to` pattern has."""
    return sum(1 for token in _split(text, language) if token in ("*", "**", _TAIL))


def samples(text: str, language: str) -> list[str]:
    """Specifiers standing for all a pattern matches: each wildcard filled with one to three unknown
    segments (`\\0` is in no real module name, and every wildcard matches it)."""
    separator = "/" if language == JS else "."
    one, two = "\0", f"\0{separator}\0"
    fills = {"*": (one,), "**": (one, two), _TAIL: ("", separator + one, separator + two)}
    found = [""]
    for token in _split(text, language):
        found = [done + fill for done in found for fill in fills.get(token, (token,))]
    return found


_TAIL = TAIL  # a trailing `/**` (`.**`): the module itself or anything below it
_WILDCARD = re.compile(r"(\*\*|\*)")


def _split(text: str, language: str) -> list[str]:
    """Literal text and wildcards, in order; a trailing separator + `**` becomes one _TAIL token."""
    separator = "/" if language == JS else "."
    tail = text.endswith(separator + "**")
    body = text[: -len(separator) - 2] if tail else text
    tokens = [t for t in _WILDCARD.split(body) if t]
    return [*tokens, _TAIL] if tail else tokens


def _literal_start(rule: Rule) -> str:
    """The text every specifier the rule matches starts with (`a/**` also matches `a`)."""
    tokens = _split(rule.source, rule.language)
    return tokens[0] if tokens and "*" not in tokens[0] and tokens[0] != _TAIL else ""


def _substitute(to: str, language: str, groups: tuple[str | None, ...]) -> str:
    """`to` with each wildcard replaced by what its partner in `from` matched (None: a trailing `/**`
    that matched the module itself)."""
    if "*" not in to:
        return to
    separator = "/" if language == JS else "."
    values = iter(groups)
    out = []
    for token in _split(to, language):
        if token in ("*", "**", _TAIL):
            value = next(values, None) or ""
            out.append(separator + value if token == _TAIL and value else value)
        else:
            out.append(token)
    return "".join(out)
