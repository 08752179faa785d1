"""Python files: a small libcst transformer of our own.

`from old.pkg import A` -> `from new.pkg import A` (a renamed name keeps its local: `B as A`; names sent
to other modules get their own statement). Module imports and everything used through them
(`import old` + `old.X`, `from pkg import sub` + `sub.X`) are planned in codemods.pyuses. libcst's
RenameCommand is not used: it drops names a file does not use (breaking re-exports in `__init__.py`)
and handles one name per run. Files are only parsed when their bytes contain the name of a migrated
module, because parsing is slow.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from codemods.js import Result
from codemods.jsplan import Note
from codemods.matched import python_matched
from codemods.pybindings import find_bindings
from codemods.pydynamic import plan_dynamic_imports
from codemods.pyfallback import drop_fallback
from codemods.pyimports import Groups, no_last_semicolon, plain_commas, split_names
from codemods.pylines import DroppedLines, not_reproduced
from codemods.pylocals import Renames, plan_renames
from codemods.pyonce import ImportedOnce
from codemods.pyplan import UsePlan, dotted, module_of, own_rule
from codemods.pystrings import report_strings
from codemods.pyuses import plan_uses
from codemods.ruleindex import any_start
from codemods.rules import PYTHON, Locals, Match, RuleSet, Target


def rewrite_python(source: bytes, rules: RuleSet) -> Result:
    """Apply the Python rules of a rule set to one file's bytes."""
    if not any_start(rules.prefixes(PYTHON), b".").search(source):  # `from pkg import sub`: `pkg` only
        return Result(source, matched=frozenset())
    try:
        return _rewrite(source, rules)
    except cst.ParserSyntaxError as error:
        return Result(source, error=f"not valid Python, left unchanged: {str(error).splitlines()[0]}")
    except cst.CSTValidationError as error:  # valid Python that libcst cannot represent
        return Result(source, error=f"libcst cannot parse this file, left unchanged: {error}")
    except RecursionError:
        return Result(source, error="expressions nested too deeply to rewrite safely (RecursionError); "
                                    "left unchanged: rewrite this file by hand")  # fmt: skip
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:  # bytes its PEP 263 coding cannot read
        fix = "save it as UTF-8 or declare the encoding it is in (# -*- coding: latin-1 -*-)"
        return Result(source, error=f"cannot decode this file, left unchanged: {error}; {fix}")


def _rewrite(source: bytes, rules: RuleSet) -> Result:
    module = cst.parse_module(source)
    survey = _Survey(rules)
    module.visit(survey)
    names = find_bindings(module)
    uses = plan_uses(rules, names)
    dynamic = plan_dynamic_imports(source, rules, names, uses)
    renames = plan_renames(names, source, survey.renames + uses.renames)
    migrate = _Migrate(rules, module, source, uses, renames, ImportedOnce(module, names, uses.seen))
    code = module.visit(migrate).bytes
    migrate.notes.extend(Note(*note) for note in report_strings(module, rules, names.line, dynamic.keys()))
    matched = survey.matched | python_matched(rules, names) | set(dynamic.values())
    if code != source and module.bytes != source:  # libcst would change bytes no rule touches
        return Result(source, error=not_reproduced(source, module.bytes), matched=matched)
    return Result(code, tuple(sorted(migrate.notes, key=lambda n: n.line)), matched=matched)


def known_target(rules: RuleSet, match: Match, name: str) -> Target | None:
    """Where a name goes, or None when it stays (not moved, or not exported by the target)."""
    found = match.target(name)
    known = None if found is None else rules.exports_of(found.module or "")
    return None if found is None or (known is not None and found.name not in known) else found


def _from_match(rules: RuleSet, node: cst.ImportFrom) -> Match | None:
    if node.module is None or node.relative:
        return None
    name = get_full_name_for_node(node.module)
    return rules.match(name, PYTHON) if name else None


class _Survey(cst.CSTVisitor):
    """The renames rules ask for in `from old import Name` statements, and the rules those match."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.renames: list[tuple[str, str]] = []
        self.matched: frozenset[str] = frozenset()  # ids of the rules `from ... import` statements match

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """Remember names whose local uses are to be renamed."""
        match = _from_match(self.rules, node)
        self.matched |= set() if match is None else {match.rule.id}
        if match is None or match.rule.locals is not Locals.RENAME or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            export = get_full_name_for_node(alias.name) or ""
            if own_rule(self.rules, match, export) is not None:
                continue  # a longer rule decides (codemods.pyuses)
            target = known_target(self.rules, match, export)
            if alias.asname is None and target is not None and target.name != export:
                self.renames.append((export, target.name))


class _Migrate(cst.CSTTransformer):
    def __init__(
        self,
        rules: RuleSet,
        module: cst.Module,
        source: bytes,
        uses: UsePlan,
        renames: Renames,
        once: ImportedOnce,
    ) -> None:
        self.rules, self.module, self.source = rules, module, source
        self.uses, self.renames, self.once = uses, renames, once
        self.dropped = DroppedLines()
        self.notes: list[Note] = []
        self.notes.extend(Note(line, message) for line, message in uses.notes)

    def note(self, node: cst.CSTNode, message: str) -> None:
        """Report a site that stays as it is, at the line where its code is."""
        code = self.module.code_for_node(node).strip().encode()
        line = self.source[: max(self.source.find(code), 0)].count(b"\n") + 1
        self.notes.append(Note(line, message))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        """A use of an import: replaced as planned, or renamed with its import."""
        replaced = self.uses.replace.get(id(original))
        if replaced is not None:
            return replaced
        new = self.renames.nodes.get(id(original))
        return updated if new is None else updated.with_changes(value=new)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        """The module an import_module() call names, as planned (codemods.pydynamic)."""
        return self.uses.replace.get(id(original), updated)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        """`old.pkg.X` -> `new.pkg.X`, `module.Old` -> `module.New`, as planned."""
        replaced = self.uses.replace.get(id(original))
        if replaced is not None:
            return replaced
        attr = self.uses.attrs.get(id(original))
        return updated if attr is None else updated.with_changes(attr=cst.Name(attr))

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        """Import statements rewritten, split into one per target module when names part ways, or
        dropped; the imports that rewritten uses need come right after the statement of the old one."""
        body, extra = self._small_statements(original.body, updated.body)
        if body == list(updated.body) and not extra:
            return updated
        lines = [cst.SimpleStatementLine(body=[e]) for e in extra]
        if body:
            trimmed = len(body) != len(updated.body)
            lines.insert(0, updated.with_changes(body=no_last_semicolon(body) if trimmed else body))
        elif lines:
            lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
        else:
            return self.dropped.drop(updated)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """The lines above a dropped statement go to the statement after it (codemods.pylines)."""
        return self.dropped.hand_over(updated)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        """The lines above a dropped statement go to the statement after it (codemods.pylines)."""
        return self.dropped.hand_over(updated)

    def leave_Try(
        self, original: cst.Try, updated: cst.Try
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """A `try`/`except ImportError` fallback the rewrite made pointless goes (codemods.pyfallback)."""
        result, problem = drop_fallback(self.module, original, updated)
        if problem is not None:
            self.note(original.with_changes(leading_lines=[]), problem)
        return result

    def leave_SimpleStatementSuite(
        self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        """`if x: import old` (statements on the line of their `if`, `try:`, `else:` ...): rewritten in
        place, new imports after them on that line, `pass` when nothing is left."""
        body, extra = self._small_statements(original.body, updated.body)
        if body == list(updated.body) and not extra:
            return updated
        return updated.with_changes(body=no_last_semicolon([*body, *extra] or [cst.Pass()]))

    def _small_statements(
        self, original: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]
    ) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
        """The statements of one line rewritten, and the imports to add after them."""
        extra: list[cst.BaseSmallStatement] = []
        body: list[cst.BaseSmallStatement] = []
        for before, statement in zip(original, updated, strict=True):
            if isinstance(before, cst.ImportFrom) and isinstance(statement, cst.ImportFrom):
                kept, more = self._import_from(before, statement)
            elif isinstance(before, cst.Import) and isinstance(statement, cst.Import):
                kept, more = self._import(before, statement), []
            else:
                kept, more = [statement], []
            kept, more = self.once.filter(before, statement, kept, more + self.uses.added.get(id(before), []))
            body.extend(kept)
            extra.extend(more)
        return body, extra

    def _import(self, original: cst.Import, updated: cst.Import) -> list[cst.BaseSmallStatement]:
        """A module import rewritten, doubled or dropped as planned."""
        names: list[cst.ImportAlias] = []
        for before, after in zip(original.names, updated.names, strict=True):
            names.extend(self.uses.aliases.get(id(before), [after]))
        return [updated.with_changes(names=plain_commas(names))] if names else []

    def _import_from(
        self, original: cst.ImportFrom, node: cst.ImportFrom
    ) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
        match = _from_match(self.rules, node)
        if match is None:
            return self._planned_from(original, node)
        if ":" in match.module:  # `from mock import patch` under "unittest:mock": from unittest.mock
            match = Match(match.rule, match.specifier, module_of(match.module))
        if isinstance(node.names, cst.ImportStar):
            if match.rule.pure:
                return [node.with_changes(module=dotted(match.module))], []
            self.note(node, f"from {match.specifier} import * left as it is: rule {match.rule.id!r} "
                            "renames or moves names")  # fmt: skip
            return [node], []
        return split_names(node, self._groups(match, original, node), match.specifier)

    def _planned_from(
        self, original: cst.ImportFrom, node: cst.ImportFrom
    ) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
        """`from pkg import sub` where a rule moves `pkg.sub` (or names used through it)."""
        if isinstance(original.names, cst.ImportStar) or isinstance(node.names, cst.ImportStar):
            return [node], []
        specifier = (get_full_name_for_node(node.module) if node.module is not None else None) or ""
        groups: Groups = {}
        for at, (before, after) in enumerate(zip(original.names, node.names, strict=True)):
            self._add_planned(at, before, after, groups, specifier)
        if not any(id(n) in self.uses.retarget or id(n) in self.uses.aliases for n in original.names):
            return [node], []
        return split_names(node, groups, specifier)

    def _add_planned(
        self, at: int, before: cst.ImportAlias, after: cst.ImportAlias, groups: Groups, specifier: str
    ) -> None:
        """One name of `from pkg import sub` as codemods.pyuses planned it: dropped, kept, or moved."""
        if self.uses.aliases.get(id(before)) == []:
            return
        target = self.uses.retarget.get(id(before))
        if target is None:
            groups.setdefault(specifier, []).append((at, after))
            return
        renamed = target.name == target.local or (target.rename and target.local in self.renames.names)
        if renamed and target.module == "builtins":
            return  # builtins need no import
        asname = None if renamed else cst.AsName(name=cst.Name(target.local))
        groups.setdefault(target.module, []).append(
            (at, after.with_changes(name=cst.Name(target.name), asname=asname))
        )

    def _groups(self, match: Match, original: cst.ImportFrom, node: cst.ImportFrom) -> Groups:
        """The names of `from old import ...` by the module each goes to; a name a longer rule matches
        (`pkg.sub` beside `pkg`) goes where that rule sends it (codemods.pyuses)."""
        groups: Groups = {}
        assert isinstance(original.names, Sequence) and isinstance(node.names, Sequence)
        for at, (before, alias) in enumerate(zip(original.names, node.names, strict=True)):
            export = get_full_name_for_node(alias.name) or ""
            if own_rule(self.rules, match, export) is not None:
                self._add_planned(at, before, alias, groups, match.specifier)
                continue
            target = self._target(match, export, node)
            module = match.specifier if target is None or target.module is None else target.module
            if target is not None and target.name != export:
                alias = self._renamed(alias, export, target.name, node)
            groups.setdefault(module, []).append((at, alias))
        return groups

    def _target(self, match: Match, name: str, node: cst.CSTNode) -> Target | None:
        found, wanted = known_target(self.rules, match, name), match.target(name)
        if found is None and wanted is not None:
            self.note(node, f"{wanted.module} does not export {wanted.name!r} (known_exports); "
                            f"left in {match.specifier}")  # fmt: skip
        return found

    def _renamed(self, alias: cst.ImportAlias, export: str, new: str, node: cst.CSTNode) -> cst.ImportAlias:
        local = get_full_name_for_node(alias.asname.name) if alias.asname is not None else export
        if alias.asname is None and export in self.renames.names:
            local = new
        elif alias.asname is None and export in self.renames.problems:
            self.note(node, f"kept {new} as {export}: {self.renames.problems[export]}")
        asname = None if local == new else cst.AsName(name=cst.Name(local or export))
        return alias.with_changes(name=cst.Name(new), asname=asname)
