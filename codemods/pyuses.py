"""Plan the rewrite of imported modules and their uses in one Python file (`import a.b`, `from p import sub`).

For each import, the rule that matches the whole imported thing decides first: when everything it holds
goes to one place, the import is rewritten where it stands (`import old` -> `import new`, no alias unless
`new` is taken in the file) and each use follows (`old.X` -> `new.X`, renamed exports renamed). Otherwise
each use is looked up on its own, longest dotted name first (`pkg.sub.Name` matches a rule on `pkg.sub`
or on `pkg.sub.Name`): a use that moves is spelled from the import it needs, which is added once after
the old one; the old import goes when no use is left. A use that cannot be followed (`f(pkg)`,
`getattr(pkg, name)`, a string annotation, `__all__` or a type comment, `pkg.Name` where the target is
known not to export Name) keeps the old import and is reported.

Spelling: a use reached through `import pkg` stays module-qualified (`import new.mod` + `new.mod.Name`),
one reached through `from pkg import sub` uses `from new.mod import Name` + `Name`; a rule's `to` with a
colon chooses (`"new.mod:Name"` is `from new.mod import Name`, `"new.mod:"` is `import new.mod`). When the
name a spelling needs is taken in the file, the other spelling is used; when both are, the use is reported.

Over 300 lines on purpose: the uses of a moved Python name, found in one LibCST pass with their
scopes; a split would pass the scope state between modules.
"""

from __future__ import annotations

import libcst as cst

from codemods.pybindings import SPELLED, Binding, FileNames, Use
from codemods.pyplan import (
    FROM,
    MODULE,
    Retarget,
    Spelled,
    UsePlan,
    as_object,
    dotted,
    module_of,
    own_rule,
    single_target,
    spell,
)
from codemods.pystdlib import deepest_module
from codemods.rules import PYTHON, Locals, Match, RuleSet, Target


def plan_uses(rules: RuleSet, names: FileNames) -> UsePlan:
    """The plan for every import whose module, or something used through it, a rule moves."""
    plan = UsePlan(seen=_existing(names))
    for binding in names.bindings:
        _Planner(rules, names, plan, binding).run()
    return plan


def _existing(names: FileNames) -> dict[tuple[str, ...], list[cst.CSTNode]]:
    seen: dict[tuple[str, ...], list[cst.CSTNode]] = {}
    for binding in names.bindings:
        if binding.alias.asname is None and binding.top_level:
            if isinstance(binding.statement, cst.Import):
                key: tuple[str, ...] = (MODULE, binding.qualified)
            else:
                module, _, name = binding.qualified.rpartition(".")
                key = (FROM, module, name)
            seen.setdefault(key, []).append(binding.statement)
    return seen


class _Planner:
    def __init__(self, rules: RuleSet, names: FileNames, plan: UsePlan, binding: Binding) -> None:
        self.rules, self.names, self.plan, self.binding = rules, names, plan, binding
        self.from_style = isinstance(binding.statement, cst.ImportFrom)
        self.needed: set[tuple[str, ...]] = set()
        self.added_here: list[cst.BaseSmallStatement] = []  # the statements this binding's uses added
        self.renamed = False  # some use renamed in a module that stays (`np.float_` -> `np.float64`)

    def match(self, name: str) -> Match | None:
        return self.rules.match(name, PYTHON)

    def run(self) -> None:
        binding = self.binding
        if self.from_style:
            package, _, name = binding.qualified.rpartition(".")
            found = self.match(package)
            if found is not None and own_rule(self.rules, found, name) is None:
                return  # `from old import X`: the names of the module move (codemods.py)
        whole = self.match(binding.qualified)
        if whole is not None and binding.in_class and not whole.rule.pure:
            seen = f"an import in a class body is an attribute (self.{binding.local}) whose uses are not seen"
            why = f"{seen}, and rule {whole.rule.id!r} renames or moves names of it"
            self.note(binding.statement, f"import {binding.qualified} left as it is: {why}")
            return
        if whole is not None and self.unexported(whole):
            self.split_unexported(whole)
            return
        if whole is not None and not self.from_style and spell(whole.module).style == FROM:
            self.import_as_from(whole)
            return
        colon = whole is not None and spell(whole.module).style is not None
        if whole is not None and (
            single_target(whole) or (colon and self.from_style) or spell(whole.module).style == MODULE
        ):
            self.whole(whole)
        else:
            self.each_use(whole)

    def unexported(self, match: Match) -> list[tuple[Use, Target]]:
        """The uses `module.Name` whose Name the target is known not to export (known_exports)."""
        found = []
        for use in self.binding.uses:
            own = use.attrs and use.qualified == self.binding.qualified and not self.own_rule_of(use, match)
            target = match.target(use.attrs[0]) if own else None
            known = None if target is None else self.rules.exports_of(module_of(target.module or ""))
            if target is not None and known is not None and target.name not in known:
                found.append((use, target))
        return found

    def own_rule_of(self, use: Use, match: Match) -> bool:
        """True when `module.Name` of the use is a module of its own to the rules: a longer rule than
        the import's matches it (`mock.mock` after `import mock`), and the import's rule does not list it."""
        names = [use.qualified, *use.attrs]
        found = self.match(".".join(names[:2]))
        if found is None or found.rule is match.rule:
            return False
        return not self.listed_by_parent(names, 2, found)

    def split_unexported(self, match: Match) -> None:
        """Some uses name what the target lacks: each use moves on its own, or, when the new import
        would bind the same name (a colon target), the import and its uses stay, reported."""
        if ":" not in match.module:
            self.each_use(match)
            return
        for use, target in self.unexported(match):
            module, local = module_of(target.module or ""), self.binding.local
            self.note(use.chain[0], f"{module} does not export {target.name!r} (known_exports); "
                                    f"{local} and its import left as they are")  # fmt: skip

    # -- the imported thing moves as a whole: the import is rewritten where it stands
    def whole(self, match: Match) -> None:
        """The imported module moves as a whole: rewrite the import where it stands."""
        if self.from_style:
            self.whole_from(match)
            return
        binding, new = self.binding, spell(match.module).module
        plain, named_elsewhere = binding.alias.asname is None, binding.strings or binding.rebound
        if binding.local == new or not (named_elsewhere or self.taken(new) or not plain):
            self.follow_plain(new)
        elif plain and "." in binding.qualified:  # `import a.b`: no alias can stand for `a`
            self.note(binding.statement, f"import {binding.qualified} left as it is: {self.why_kept(new)}")
        elif not plain and match.rule.locals is Locals.RENAME and not named_elsewhere and not self.taken(new):
            self.follow_plain(new)  # `import old as o` -> `import new`, `o.X` -> `new.X`
        else:  # the local name stays: `import new.pkg as old`
            self.set_alias(cst.ImportAlias(dotted(new), asname=cst.AsName(name=cst.Name(binding.local))))
            self.follow_exports(match)
            self.load_submodules(new)
            if binding.strings and any(t.name != n for n, t in match.rule.exports.items()):
                self.note(binding.statement, f"{binding.local} is named in {SPELLED}, where renamed names "
                                             "are not rewritten")  # fmt: skip

    def why_kept(self, new: str) -> str:
        """Why the old local name of a module import must stay."""
        if self.binding.strings:
            return f"{SPELLED} names it"
        if self.binding.rebound:
            return f"{self.binding.local} is also bound elsewhere, and its uses may mean either"
        return f"{new.split('.')[0]} is taken"

    def import_as_from(self, match: Match) -> None:
        """`import mock` under `to = "unittest:mock"`: `from unittest import mock`, uses unchanged but
        for the spelling of the import (`mock.mock.patch` after `import mock.mock` is `mock.patch`, and
        so after `import mock` when a rule sends `mock.mock` there too). An alias stays unless
        `locals = "rename"` or it names the target (`import mock as foo` -> `from unittest import mock
        as foo`): the file, or another module importing it, may use that name."""
        binding, target = self.binding, spell(match.module)
        name, path = target.path[0], ".".join(target.path)
        aliased = binding.alias.asname is not None and binding.local != name
        keep_alias = aliased and match.rule.locals is Locals.KEEP
        renamed = name != binding.local and not keep_alias
        if binding.strings or (renamed and (binding.rebound or self.taken(name, f"{target.module}.{name}"))):
            self.note(binding.statement, f"import {binding.qualified} left as it is: {self.why_kept(name)}")
            return
        if self.through_parent(target):
            return
        self.drop()
        self.add_import((FROM, target.module, name, *([binding.local] if keep_alias else [])))
        for use in binding.uses:
            deeper = self.deeper_to(use, target)
            if deeper:
                self.plan.replace[id(use.chain[deeper])] = dotted(binding.local if keep_alias else path)
            elif not keep_alias and (binding.local if aliased else use.qualified) != path:
                self.plan.replace[id(use.chain[0])] = dotted(path)
        self.follow_exports(match)

    def deeper_to(self, use: Use, target: Spelled) -> int:
        """The index in `use.chain` of the longest part of the use past the import that another rule
        sends to `target` too (`mock.mock` in `mock.mock.Mock` after `import mock`), else 0."""
        names = [use.qualified, *use.attrs]
        for k in range(len(names), 1, -1):
            found = self.match(".".join(names[:k]))
            if found is None or self.listed_by_parent(names, k, found):
                continue
            if spell(found.module) == target:
                return k - 1
        return 0

    def through_parent(self, target: Spelled) -> bool:
        """True (and reported) when a use reaches a parent package of `import a.b` (`a.other`) that no
        rule sends where `a.b` goes: `from new import b` cannot stand for it."""
        for use in self.binding.uses:
            match = self.match(use.qualified)
            if use.qualified != self.binding.qualified and (match is None or spell(match.module) != target):
                self.note(use.chain[0], f"import {self.binding.qualified} left as it is: {use.qualified} is "
                                        "used through it and no rule moves it along")  # fmt: skip
                return True
        return False

    def follow_plain(self, new: str) -> None:
        """`import new` without an alias, every use spelled from it; the old import stays beside it
        while some use still needs it (`a.other` after `import a.b` moved)."""
        kept = self.follow_module(new)
        if self.own() == (MODULE, new):  # `import new` already (a rename inside it): it stays
            return
        if self.imported_before((MODULE, new)):
            if not kept:
                self.drop()
            self.load_submodules(new)
            return
        if self.binding.top_level:  # an import in a block or function may not run: no reason to drop another
            self.plan.seen.setdefault((MODULE, new), []).append(self.binding.statement)
        self.set_alias(cst.ImportAlias(dotted(new)), keep_old=kept)
        self.load_submodules(new)

    def load_submodules(self, new: str) -> None:
        """`import new.sub` after the import of `new` for each use of it that reaches a submodule of the
        standard library (`from six.moves import urllib` + `urllib.request.urlopen()`: `import urllib`
        loads no `urllib.request`; codemods.pystdlib)."""
        binding = self.binding
        for use in binding.uses:
            module = deepest_module(new, use.attrs)
            if module == new or (use.qualified != binding.qualified and binding.alias.asname is None):
                continue
            if self.taken(new):
                spelled, top = ".".join([binding.local, *use.attrs]), new.split(".")[0]
                self.note(use.chain[0], f"{spelled} needs import {module}, but {top} is taken in this file")
                continue
            self.add_import((MODULE, module))

    def follow_module(self, new: str) -> bool:
        """Uses of a module import that now names `new` spelled in full; True when some use still
        needs the old import (`a.other` after `import a.b` moved). A use through a parent that another
        rule moves gets the import its new name needs (`import a.b` + `a.c.g()` under `a` -> `z`:
        `import z`, which `import x.b` does not bind)."""
        binding, kept = self.binding, False
        old = binding.qualified if binding.alias.asname is not None else None
        for use in binding.uses:
            base = old or use.qualified
            match = self.match(base)
            if base == binding.qualified or old is not None:
                prefix = new
            elif match is not None and single_target(match) and self.free(match.module):
                prefix = match.module
                needed = deepest_module(prefix, use.attrs)
                if needed != new:
                    self.add_import((MODULE, needed))
            else:
                kept = True
                continue
            self.rewrite_exports(use, match, prefix)
        return kept

    def free(self, module: str) -> bool:
        """True when an import of `module` would bind a name that means nothing else in the file."""
        name = module.split(".")[0]
        return not self.taken(name, name)

    def rewrite_exports(self, use: Use, match: Match | None, prefix: str) -> None:
        if match is not None and use.attrs:
            target = match.target(use.attrs[0])
            name = use.attrs[0] if target is None else target.name
            self.plan.replace[id(use.chain[1])] = dotted(f"{prefix}.{name}")
        else:
            self.plan.replace[id(use.chain[0])] = dotted(prefix)

    def follow_exports(self, match: Match) -> None:
        """Uses of an import that keeps its local name: only renamed exports change (`m.Old` -> `m.New`)."""
        for use in self.binding.uses:
            if use.attrs:
                target = match.target(use.attrs[0])
                if target is not None and target.name != use.attrs[0] and not self.shared(use):
                    self.plan.attrs[id(use.chain[1])] = target.name

    def whole_from(self, match: Match) -> None:
        """`from p import q` where a rule moves `p.q`: `from new import q2` (or `import new.q2`)."""
        binding = self.binding
        target = as_object(match.module)
        if target.style == MODULE or not target.path:
            self.drop()
            self.add_import((MODULE, target.module))
            for use in binding.uses:
                self.plan.replace[id(use.chain[0])] = dotted(target.module)
            self.follow_exports(match)
            self.load_submodules(target.module)
            return
        name, rest = target.path[0], target.path[1:]
        if rest and self.taken(name, f"{target.module}.{name}"):
            self.note(binding.statement, f"{binding.qualified} left as it is: {name} is taken in this file")
            return
        rename = match.rule.locals is Locals.RENAME or binding.local == name
        local = name if rest else binding.local  # `qux` -> `b.qux`: the import binds `b` itself
        self.plan.retarget[id(binding.alias)] = Retarget(target.module, name, local, rename and not rest)
        if rest:
            for use in binding.uses:
                self.plan.replace[id(use.chain[0])] = dotted(".".join(target.path))
        elif rename and name != binding.local:
            self.plan.renames.append((binding.local, name))
        self.follow_exports(match)

    # -- some uses move, or none but deeper names do: each use on its own
    def each_use(self, whole: Match | None) -> None:
        rewritten = kept = 0
        for use in self.binding.uses:
            done = self.one_use(use, whole)
            rewritten, kept = rewritten + done, kept + (not done)
        if rewritten and not kept and not self.binding.strings:
            if not self.loads_a_module_that_stays() and not self.binding.in_class:
                self.drop()
        elif rewritten and self.binding.strings:
            self.note(self.binding.statement, f"{self.binding.local} is used in {SPELLED}; its import is "
                                              "kept")  # fmt: skip
        elif self.renamed and self.binding.strings:
            self.note(self.binding.statement, f"{self.binding.local} is named in {SPELLED}, where renamed "
                                              "names are not rewritten")  # fmt: skip

    def loads_a_module_that_stays(self) -> bool:
        """True for `import a.b` when no use reaches `a.b` through it: the uses of `a` it served moved
        (`a.Name` to another module), but the import is there to load `a.b`, which no rule moves."""
        binding = self.binding
        if self.from_style or binding.alias.asname is not None or "." not in binding.qualified:
            return False
        inside = binding.qualified + "."
        return not any(f"{'.'.join([use.qualified, *use.attrs])}.".startswith(inside) for use in binding.uses)

    def one_use(self, use: Use, whole: Match | None) -> bool:
        """Rewrite one use, longest dotted name first; False when it stays as it is or still needs its
        import (a name renamed inside a module that stays)."""
        names = [use.qualified, *use.attrs]
        for k in range(len(names), 0, -1):
            match = self.match(".".join(names[:k]))
            if match is None or (k > 1 and self.listed_by_parent(names, k, match)):
                continue
            k, match = self.pattern_root(names, k, match)
            # past a colon target, deeper names are its object's attributes, unless the rule lists them
            deeper = k < len(names) and (":" not in match.module or names[k] in match.rule.exports)
            if deeper and (k == 1 or names[k] in match.rule.exports or not match.rule.move_all):
                return self.export(use, k, match)
            if k == 1 and not single_target(match) and spell(match.module).style is None:
                self.dynamic(use, match)
                return False
            # a rule that lists names moves a module: `import am` + `am.mock.call` -> `import um.mock`
            target = spell(match.module) if match.rule.exports else as_object(match.module)
            # `import a.b` + `a.b.c` -> `import d.e` + `d.e.f`: the parent is a module, as before;
            # deeper (`a.b.c.d` -> `z.c`), `c` may be a submodule `import z` does not load: `from z import c`
            module = k == 2 or (MODULE, target.module) in self.plan.seen
            return self.respell(use, k - 1, target, module)
        if whole is not None and not single_target(whole):
            self.dynamic(use, whole)
        return False

    def pattern_root(self, names: list[str], k: int, match: Match) -> tuple[int, Match]:
        """The shortest part of a use that the same pattern matches: under `old.**` -> `new.**`,
        `old.sub.Klass.method` moves `old.sub`, whose attributes follow (`new.sub.Klass.method`),
        not a module `old.sub.Klass` (`from new.sub.Klass import method`)."""
        while k > 1 and match.rule.pattern is not None:
            shorter = self.match(".".join(names[: k - 1]))
            if shorter is None or shorter.rule is not match.rule:
                break
            k, match = k - 1, shorter
        return k, match

    def listed_by_parent(self, names: list[str], k: int, match: Match) -> bool:
        """True when `names[k-1]` is listed in the exports of another rule on its parent: a name of
        the parent (codemods.pyplan.own_rule), though a longer rule matches it as a module."""
        parent = self.match(".".join(names[: k - 1]))
        return parent is not None and parent.rule is not match.rule and names[k - 1] in parent.rule.exports

    def export(self, use: Use, k: int, match: Match) -> bool:
        """`pkg.Name` where a rule moves module `pkg`: Name goes where the rule sends it."""
        names = [use.qualified, *use.attrs]
        target = match.target(names[k])
        if target is None:
            return False
        known = self.rules.exports_of(target.module or "")
        if known is not None and target.name not in known:
            self.note(use.chain[0], f"{target.module} does not export {target.name!r} (known_exports); "
                                    f"{'.'.join(names[: k + 1])} left as it is")  # fmt: skip
            return False
        if self.shared(use):
            return False
        if target.module == match.specifier:
            # renamed inside a module that stays (`np.float_` -> `np.float64`): the import and its
            # alias stand, only the attribute changes (False: the use still needs the import)
            self.plan.attrs[id(use.chain[k])] = target.name
            self.renamed = True
            return False
        return self.respell(
            use, k, Spelled(module_of(target.module or match.module), (target.name,), None), True
        )

    def dynamic(self, use: Use, match: Match) -> None:
        self.note(use.chain[0], f"{self.binding.local} is used as a value here; rule {match.rule.id!r} "
                                f"moves names out of {match.specifier}, which this use may reach: "
                                "left as it is")  # fmt: skip

    def respell(self, use: Use, index: int, target: Spelled, module_first: bool) -> bool:
        """Replace `use.chain[index]` (the part of the use that moves) with the target, and import it
        as the use was reached: `import pkg` + `pkg.Name` stays module-qualified."""
        node = use.chain[index]
        if self.shared(use):
            return False
        if self.binding.binds_outside:  # `global yaml` + `import yaml`: a new import would bind a local
            self.note(use.chain[0], f"{'.'.join([use.qualified, *use.attrs][: index + 1])} left as it is: "
                                    f"import {self.binding.qualified} binds a name global or nonlocal in its "
                                    f"function, where an import of {target.module} would not")  # fmt: skip
            return False
        if target.style is not None:
            styles = [target.style]
        elif self.from_style or not module_first:
            styles = [FROM, MODULE]
        else:
            styles = [MODULE, FROM]
        for style in styles:
            top = target.module.split(".")[0]
            if (
                style == FROM
                and target.path
                and not self.taken(target.path[0], f"{target.module}.{target.path[0]}")
            ):
                self.add_import((FROM, target.module, target.path[0]))
                self.plan.replace[id(node)] = dotted(".".join(target.path))
                return True
            if style == MODULE and not self.taken(top, top):
                self.add_import((MODULE, deepest_module(target.module, [*target.path, *use.attrs[index:]])))
                self.plan.replace[id(node)] = dotted(".".join((target.module, *target.path)))
                return True
        self.note(use.chain[0], f"{'.'.join([use.qualified, *use.attrs])} left as it is: the names "
                                f"{target.module} needs are taken in this file")  # fmt: skip
        return False

    # -- helpers
    def shared(self, use: Use) -> bool:
        """True (and reported) when the use may mean another import of the name, of something else
        (`import cupy as xp` + `except ImportError: import numpy as xp`): spelled anew, it would leave
        that meaning, and an import added beside this one would not run where the other one does."""
        if not self.binding.shared:
            return False
        spelled = ".".join([self.binding.local, *use.attrs])
        self.note(use.chain[0], f"{spelled} left as it is: another import binds {self.binding.local} "
                                "to something else here, and this use may mean either")  # fmt: skip
        return True

    def taken(self, name: str, allowed: str | None = None) -> bool:
        """True when the first part of `name` means something else in the file (the binding's own
        local is free only where the binding itself is rewritten: pass no `allowed`)."""
        top = name.split(".")[0]
        if allowed is None and top == self.binding.local:
            return False
        return self.names.taken(top, frozenset({allowed or top}))

    def set_alias(self, alias: cst.ImportAlias, keep_old: bool = False) -> None:
        old = self.binding.alias
        alias = alias.with_changes(comma=old.comma)
        self.plan.aliases[id(old)] = (
            [old.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), alias]
            if keep_old
            else [alias]
        )

    def drop(self) -> None:
        """Remove the binding's import, unless a rewritten use needs that very import; module imports
        that replace a module import take its place (`import a, b` -> `import d, b`)."""
        if self.own() in self.needed:
            return
        binding, added = self.binding, self.plan.added.get(id(self.binding.statement), [])
        mine = [a for a in added if isinstance(a, cst.Import) and any(a is s for s in self.added_here)]
        if isinstance(binding.statement, cst.Import) and mine:
            self.plan.added[id(binding.statement)] = [a for a in added if a not in mine]
            aliases = [alias for statement in mine for alias in statement.names]
            self.plan.aliases[id(binding.alias)] = aliases
        else:
            self.plan.aliases[id(binding.alias)] = []

    def own(self) -> tuple[str, ...]:
        binding = self.binding
        if binding.alias.asname is not None:
            return ()
        if self.from_style:
            module, _, name = binding.qualified.rpartition(".")
            return (FROM, module, name)
        return (MODULE, binding.qualified)

    def imported_before(self, key: tuple[str, ...]) -> bool:
        """True when a top-level statement on or before this import's line has or will have the import
        `key`: one further down does not bind the name for the code between (`import simplejson` +
        `simplejson.dumps()` above an `import json`)."""
        statements = self.plan.seen.get(key)
        if not statements:
            return False
        line = self.names.line(self.binding.statement)
        return any(self.names.line(s) <= line for s in statements)

    def add_import(self, key: tuple[str, ...]) -> None:
        known = key in self.needed or self.imported_before(key)
        self.needed.add(key)
        if known:
            return
        if self.binding.top_level:
            self.plan.seen.setdefault(key, []).append(self.binding.statement)
        if key[0] == MODULE:
            statement: cst.BaseSmallStatement = cst.Import(names=[cst.ImportAlias(dotted(key[1]))])
        else:
            asname = cst.AsName(name=cst.Name(key[3])) if len(key) > 3 else None
            alias = cst.ImportAlias(cst.Name(key[2]), asname=asname)
            statement = cst.ImportFrom(module=dotted(key[1]), names=[alias])
        self.added_here.append(statement)
        self.plan.added.setdefault(id(self.binding.statement), []).append(statement)

    def note(self, node: cst.CSTNode, message: str) -> None:
        self.plan.notes.append((self.names.line(node), message))
