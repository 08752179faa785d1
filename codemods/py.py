"""Python files: a small libcst transformer of our own.

`from old.pkg import A` -> `from new.pkg import A` (a renamed name keeps its local: `B as A`; names sent
to other modules get their own statement); `import old.pkg` -> `import new.pkg` with the attribute uses
`old.pkg.X` rewritten; `import old` -> `import new.pkg as old`; renamed names are renamed in attribute
uses (`old.pkg.A`, `alias.A`) too. libcst's RenameCommand is not used: it drops names a file does not
use (breaking re-exports in `__init__.py`) and mishandles `A as B`. Files are only parsed when their
bytes contain the name of a migrated module, because parsing is slow.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from codemods.js import Result
from codemods.jsplan import Note
from codemods.pylocals import Renames, plan_renames
from codemods.rules import PYTHON, Locals, Match, RuleSet, Target


def rewrite_python(source: bytes, rules: RuleSet) -> Result:
    """Apply the Python rules of a rule set to one file's bytes."""
    if not any(prefix in source for prefix in rules.prefixes(PYTHON)):
        return Result(source)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return Result(source, error=f"not valid Python, left unchanged: {str(error).splitlines()[0]}")
    survey = _Survey(rules)
    module.visit(survey)
    migrate = _Migrate(rules, module, source, survey.modules, plan_renames(module, source, survey.renames))
    code = module.visit(migrate).bytes
    return Result(code, tuple(sorted(migrate.notes, key=lambda n: n.line)))


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
    """Modules imported without an alias (their attribute uses move too) and the renames rules ask for."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.modules: dict[str, Match] = {}  # name in the code (`old.pkg`, an alias) -> its rule
        self.renames: list[tuple[str, str]] = []

    def visit_Import(self, node: cst.Import) -> None:
        """Remember modules imported as a whole."""
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            match = self.rules.match(name, PYTHON) if name else None
            if name and match is not None and _single_target(match):
                local = get_full_name_for_node(alias.asname.name) if alias.asname is not None else name
                self.modules[local or name] = match

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """Remember names whose local uses are to be renamed."""
        match = _from_match(self.rules, node)
        if match is None or match.rule.locals is not Locals.RENAME or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            export = get_full_name_for_node(alias.name) or ""
            target = known_target(self.rules, match, export)
            if alias.asname is None and target is not None and target.name != export:
                self.renames.append((export, target.name))


class _Migrate(cst.CSTTransformer):
    def __init__(
        self, rules: RuleSet, module: cst.Module, source: bytes, modules: dict[str, Match], renames: Renames
    ) -> None:
        self.rules, self.module, self.source = rules, module, source
        self.attribute_modules, self.renames = modules, renames
        self.notes: list[Note] = []
        self.in_import = False  # module names inside imports are not attribute uses

    def visit_Import(self, node: cst.Import) -> None:
        """Module names inside imports are not attribute uses."""
        self.in_import = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """Module names inside imports are not attribute uses."""
        self.in_import = True

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        """Back to code where attribute uses count (the statement itself is rewritten per line)."""
        self.in_import = False
        return updated

    def note(self, node: cst.CSTNode, message: str) -> None:
        """Report a site that stays as it is, at the line where its code is."""
        code = self.module.code_for_node(node).strip().encode()
        line = self.source[: max(self.source.find(code), 0)].count(b"\n") + 1
        self.notes.append(Note(line, message))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        """Rename a use of an imported name, when the plan says so."""
        new = self.renames.nodes.get(id(original))
        return updated if new is None else updated.with_changes(value=new)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        """`import old.pkg` -> `import new.pkg`, `import old` -> `import new.pkg as old`."""
        self.in_import = False
        names = []
        for alias in updated.names:
            name = get_full_name_for_node(alias.name) or ""
            match = self.rules.match(name, PYTHON)
            if match is not None and not _single_target(match):
                self.note(original, f"import {name} left as it is: rule {match.rule.id!r} sends names to "
                                    "other modules, which a module import cannot follow")  # fmt: skip
            elif match is not None and alias.asname is None and "." not in name:
                # `import old` -> `import new.pkg as old`: every use of `old` stays valid
                alias = alias.with_changes(name=_dotted(match.module), asname=cst.AsName(name=cst.Name(name)))
            elif match is not None:
                alias = alias.with_changes(name=_dotted(match.module))
            names.append(alias)
        return updated.with_changes(names=names)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        """`old.pkg` -> `new.pkg` and `module.Old` -> `module.New` in code."""
        if self.in_import or not self.attribute_modules:
            return updated
        full = get_full_name_for_node(original)
        match = self.attribute_modules.get(full or "")
        if match is not None and "." in (full or ""):  # `old.pkg` itself, imported as `import old.pkg`
            return _dotted(match.module)
        match = self.attribute_modules.get(get_full_name_for_node(original.value) or "")
        target = match.target(original.attr.value) if match is not None else None
        if target is not None and target.name != original.attr.value:
            return updated.with_changes(attr=cst.Name(target.name))
        return updated

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """`from old import ...` statements, split into one per target module when names part ways."""
        extra: list[cst.SimpleStatementLine] = []
        body: list[cst.BaseSmallStatement] = []
        for statement in updated.body:
            if isinstance(statement, cst.ImportFrom):
                kept, more = self._import_from(statement)
                body.append(kept)
                extra.extend(cst.SimpleStatementLine(body=[m]) for m in more)
            else:
                body.append(statement)
        line = updated.with_changes(body=body)
        return cst.FlattenSentinel([line, *extra]) if extra else line

    def _import_from(self, node: cst.ImportFrom) -> tuple[cst.ImportFrom, list[cst.ImportFrom]]:
        match = _from_match(self.rules, node)
        if match is None:
            return node, []
        if isinstance(node.names, cst.ImportStar):
            if match.rule.pure:
                return node.with_changes(module=_dotted(match.module)), []
            self.note(node, f"from {match.specifier} import * left as it is: rule {match.rule.id!r} "
                            "renames or moves names")  # fmt: skip
            return node, []
        groups = self._groups(match, node, node.names)
        keep = match.specifier if match.specifier in groups else next(iter(groups))
        kept = _with_names(node, groups[keep], None if keep == match.specifier else keep)
        more = [_with_names(node, groups[m], m, parens=False) for m in groups if m != keep]
        return kept, more

    def _groups(
        self, match: Match, node: cst.ImportFrom, names: Sequence[cst.ImportAlias]
    ) -> dict[str, list[cst.ImportAlias]]:
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in names:
            export = get_full_name_for_node(alias.name) or ""
            target = self._target(match, export, node)
            module = match.specifier if target is None or target.module is None else target.module
            if target is not None and target.name != export:
                alias = self._renamed(alias, export, target.name, node)
            groups.setdefault(module, []).append(alias)
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


def _single_target(match: Match) -> bool:
    """Every name of the rule stays together (renames allowed), so a module import can follow."""
    return match.rule.move_all and all(t.module is None for t in match.rule.exports.values())


def _dotted(name: str) -> cst.Attribute | cst.Name:
    expression = cst.parse_expression(name)
    assert isinstance(expression, cst.Attribute | cst.Name)
    return expression


def _with_names(
    node: cst.ImportFrom, names: list[cst.ImportAlias], module: str | None, parens: bool = True
) -> cst.ImportFrom:
    changes: dict[str, object] = {"names": _last_comma(node, names, parens and node.lpar is not None)}
    if not parens:
        changes["lpar"] = changes["rpar"] = None
    if module is not None:
        changes["module"] = _dotted(module)
    return node.with_changes(**changes)


def _last_comma(node: cst.ImportFrom, names: list[cst.ImportAlias], parens: bool) -> list[cst.ImportAlias]:
    """The names with their commas fixed: none at the end without parentheses, and in parentheses the
    line break before `)` of the original last name."""
    if not parens:
        names = [n.with_changes(comma=cst.MaybeSentinel.DEFAULT) for n in names]
        return [*names[:-1], names[-1]] if len(names) > 1 else names
    original = node.names[-1] if isinstance(node.names, Sequence) else None
    last = names[-1]
    if original is None or last is original or not isinstance(last.comma, cst.Comma):
        return names
    if isinstance(original.comma, cst.Comma):
        ending = original.comma.whitespace_after
        kept = last.comma.whitespace_after
        if isinstance(ending, cst.ParenthesizedWhitespace) and isinstance(kept, cst.ParenthesizedWhitespace):
            kept = kept.with_changes(indent=ending.indent, last_line=ending.last_line)
            return [*names[:-1], last.with_changes(comma=last.comma.with_changes(whitespace_after=kept))]
    return names
